import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  ApplyCertificateDocument,
  CertificateDocument,
  CreateClientCertificateDocument,
  EsaCertificateDocument,
  NodesWithPemDocument,
  ServerCertificatesDocument,
  SitesDocument,
  SiteWithCertificatesDocument,
  UploadServerCertificateDocument,
} from '../../generated/graphql';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { errorAt, expectNothingLeaks, onlyError } from '../../helpers/answers';
import { bearer, gatewayError, productionSettings, type AnyOperation } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { certificatesOf } from '../../helpers/nodes';
import { makeCertificate } from '../../helpers/openssl';

const FULL = 'full-access-key-0123456789';
const READ_ONLY = 'read-only-key-0123456789';
const WRITE_ONLY = 'write-only-key-0123456789';
const EXAMPLE_SITE_ONLY = 'example-site-key-0123456789';
const HANGZHOU_ONLY = 'hangzhou-region-key-0123456789';

const SHANGHAI_SERVER_CERTIFICATE = '1231579085529123_18b5e2c1a42_1714763410_709981432';
const FORBIDDEN = gatewayError('FORBIDDEN', 'FORBIDDEN', 403);
const edgeId = (siteId: string, nativeId: string) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId, nativeId });
const serverId = (regionId: string, nativeId: string) => encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId, nativeId });

describe("a production gateway checks callers' keys", () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;
  /** An edge certificate that really exists on the CNAME site, which the example-site key may not see. */
  let cnameCertificate: string;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  // A gateway per test: its in-process cache starts empty, so the upstream calls counted are the test's own.
  beforeEach(async () => {
    gateway = await startTestGateway(
      emulator,
      productionSettings([
        { key: FULL, scopes: ['certificates:read', 'certificates:write'] },
        { key: READ_ONLY, scopes: ['certificates:read'] },
        { key: WRITE_ONLY, scopes: ['certificates:write'] },
        { key: EXAMPLE_SITE_ONLY, scopes: ['certificates:read', 'certificates:write'], sites: [DEMO.sites.example] },
        { key: HANGZHOU_ONLY, scopes: ['certificates:read', 'certificates:write'], regions: ['cn-hangzhou'] },
      ]),
    );
    await emulator.reset();
    const set = await new AlibabaTestClient(emulator, 'ESA').call<{ Id: string }>('SetCertificate', {
      SiteId: DEMO.sites.cname,
      Type: 'cas',
      CasId: DEMO.casCertificates.shop,
      Name: 'cname-shop',
    });
    cnameCertificate = edgeId(DEMO.sites.cname, set.Id);
    await emulator.admin('DELETE', 'stats');
  });
  afterEach(() => gateway.stop());
  afterAll(() => emulator.stop());

  describe('who is calling', () => {
    it('answers a request without an Authorization header 401 UNAUTHENTICATED, before any upstream call', async () => {
      const answer = await gateway.execute(SitesDocument, {});

      expect(answer.status).toBe(401);
      expect(onlyError(answer).extensions).toEqual(gatewayError('UNAUTHENTICATED', 'UNAUTHENTICATED', 401));
      expect(answer.data).toBeUndefined();
      expect(await emulator.stats()).toEqual({});
    });

    it('asks for a Bearer key in the WWW-Authenticate header of a 401', async () => {
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ sites { id } }' }),
      });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    it.each([
      ['a key nobody was given', 'Bearer nobody-was-given-this-key-0123'],
      ['a real key cut short by one character', `Bearer ${FULL.slice(0, -1)}`],
      ['a real key with one character more', `Bearer ${FULL}x`],
      ['a real key in another letter case', `Bearer ${FULL.toUpperCase()}`],
      ['a real key without the Bearer scheme', FULL],
      ['a real key in the Basic scheme', `Basic ${FULL}`],
      ['two keys in one header', `Bearer ${FULL} ${READ_ONLY}`],
    ])('answers %s 401 UNAUTHENTICATED, before any upstream call', async (_case, authorization) => {
      const answer = await gateway.execute(SitesDocument, {}, { headers: { authorization } });

      expect(answer.status).toBe(401);
      expect(onlyError(answer).extensions).toEqual(gatewayError('UNAUTHENTICATED', 'UNAUTHENTICATED', 401));
      expect(await emulator.stats()).toEqual({});
      expectNothingLeaks(answer.text, [FULL, READ_ONLY]);
    });

    it('accepts the scheme name in any letter case, as HTTP defines it', async () => {
      const answer = await gateway.execute(SitesDocument, {}, { headers: { authorization: `bearer ${READ_ONLY}` } });

      expect(answer.status).toBe(200);
      expect(answer.data?.sites).toHaveLength(4);
    });
  });

  describe('what a key may do', () => {
    const clientCertificate = { input: { siteId: DEMO.sites.example, keyAlgorithm: 'ECDSA' as const, validityDays: 30 } };

    it('answers queries for a read key and refuses its mutation FORBIDDEN (403), before any upstream call', async () => {
      const query = await gateway.execute(SitesDocument, {}, bearer(READ_ONLY));
      expect(query.status).toBe(200);
      expect(query.data?.sites).toHaveLength(4);
      await emulator.admin('DELETE', 'stats');

      const mutation = await gateway.execute(CreateClientCertificateDocument, clientCertificate, bearer(READ_ONLY));

      expect(mutation.status).toBe(403);
      expect(onlyError(mutation).extensions).toEqual(FORBIDDEN);
      expect(onlyError(mutation).message).toContain('certificates:write');
      expect(await emulator.stats()).toEqual({});
    });

    it('refuses a query to a write-only key FORBIDDEN (403), before any upstream call, and lets it write', async () => {
      const query = await gateway.execute(SitesDocument, {}, bearer(WRITE_ONLY));

      expect(query.status).toBe(403);
      expect(onlyError(query).extensions).toEqual(FORBIDDEN);
      expect(onlyError(query).message).toContain('certificates:read');
      expect(await emulator.stats()).toEqual({});

      const mutation = await gateway.execute(CreateClientCertificateDocument, clientCertificate, bearer(WRITE_ONLY));
      expect(mutation.errors).toBeUndefined();
      expect(mutation.data?.createClientCertificate.certificate.kind).toBe('CLIENT');
    });

    it('checks the scope of each operation in a batch on its own', async () => {
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${READ_ONLY}` },
        body: JSON.stringify([
          { query: '{ sites { id } }' },
          { query: 'mutation { deleteCertificate(id: "crt_x") { deleted } }' },
        ]),
      });

      const answers = (await response.json()) as Array<{ data?: { sites?: unknown[] }; errors?: Array<{ extensions: unknown }> }>;
      expect(answers[0]?.data?.sites).toHaveLength(4);
      expect(answers[1]?.errors?.map((error) => error.extensions)).toEqual([FORBIDDEN]);
      expect(await emulator.stats()).toEqual({ 'ESA.ListSites': 1 });
    });
  });

  describe('a key limited to one site', () => {
    it('lists only that site', async () => {
      const answer = await gateway.execute(SitesDocument, {}, bearer(EXAMPLE_SITE_ONLY));

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.sites.map((site) => site.id)).toEqual([DEMO.sites.example]);
    });

    it('reads that site and its certificates', async () => {
      const answer = await gateway.execute(SiteWithCertificatesDocument, { id: DEMO.sites.example }, bearer(EXAMPLE_SITE_ONLY));

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.site?.certificates.nodes.map((certificate) => certificate.nativeId)).toEqual(
        expect.arrayContaining(Object.values(DEMO.edgeCertificates)),
      );
    });

    it.each<[string, string, AnyOperation, () => Record<string, unknown>]>([
      ['the other site', 'site', SiteWithCertificatesDocument as AnyOperation, () => ({ id: DEMO.sites.cname })],
      ['a certificate of the other site by its global id', 'certificate', CertificateDocument as AnyOperation, () => ({ id: cnameCertificate })],
      ['a certificate of the other site by its ESA id', 'esaCertificate', EsaCertificateDocument as AnyOperation, () => ({ siteId: DEMO.sites.cname, id: 'anything' })],
    ])('refuses %s FORBIDDEN, before any upstream call', async (_case, field, document, variables) => {
      const answer = await gateway.execute(document, variables(), bearer(EXAMPLE_SITE_ONLY));

      expect(answer.status).toBe(200);
      expect(onlyError(answer)).toMatchObject({ path: [field], extensions: FORBIDDEN });
      expect(await emulator.stats()).toEqual({});
    });

    it('shows the same certificate to a key without the limit', async () => {
      const answer = await gateway.execute(CertificateDocument, { id: cnameCertificate }, bearer(FULL));

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.certificate?.siteId).toBe(DEMO.sites.cname);
    });

    it.each([
      ['valid domains', ['shop.cname-example.com']],
      ['domains that are not valid', ['not a domain']],
    ])('refuses applyCertificate on the other site with %s FORBIDDEN, before any upstream call', async (_case, domains) => {
      const answer = await gateway.execute(ApplyCertificateDocument, { input: { siteId: DEMO.sites.cname, domains } }, bearer(EXAMPLE_SITE_ONLY));

      expect(onlyError(answer)).toMatchObject({ path: ['applyCertificate'], extensions: FORBIDDEN });
      expect(await emulator.stats()).toEqual({});
    });

    it('applies for a certificate on its own site', async () => {
      const answer = await gateway.execute(ApplyCertificateDocument, { input: { siteId: DEMO.sites.example, domains: ['new.example.com'] } }, bearer(EXAMPLE_SITE_ONLY));

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.applyCertificate.applications.map((application) => application.domain)).toEqual(['new.example.com']);
    });

    it('gets FORBIDDEN only in the slots of nodes(ids:) that belong to the other site', async () => {
      const ids = [edgeId(DEMO.sites.example, DEMO.edgeCertificates.upload), cnameCertificate, edgeId(DEMO.sites.example, DEMO.edgeCertificates.cas), cnameCertificate];

      // The PEM is asked, which the inventory does not hold: the allowed certificates are read from the cloud.
      const answer = await gateway.execute(NodesWithPemDocument, { ids }, bearer(EXAMPLE_SITE_ONLY));

      expect(certificatesOf(answer.data?.nodes).map((certificate) => certificate?.nativeId ?? null)).toEqual([
        DEMO.edgeCertificates.upload,
        null,
        DEMO.edgeCertificates.cas,
        null,
      ]);
      expect(answer.errors?.map((error) => error.path)).toEqual([
        ['nodes', 1],
        ['nodes', 3],
      ]);
      expect(errorAt(answer, ['nodes', 1]).extensions).toEqual(FORBIDDEN);
      expect(errorAt(answer, ['nodes', 3]).extensions).toEqual(FORBIDDEN);
      // Only the allowed site's certificates were read.
      expect(await emulator.stats()).toEqual({ 'ESA.GetCertificate': 2 });
    });
  });

  describe('a key limited to one region', () => {
    it("lists that region's server certificates", async () => {
      const answer = await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou' }, bearer(HANGZHOU_ONLY));

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.serverCertificates.map((certificate) => certificate.regionId)).toEqual(['cn-hangzhou', 'cn-hangzhou']);
    });

    it.each<[string, string, AnyOperation, Record<string, unknown>]>([
      ['the server certificates of another region', 'serverCertificates', ServerCertificatesDocument as AnyOperation, { regionId: 'cn-shanghai' }],
      ['a server certificate of another region', 'certificate', CertificateDocument as AnyOperation, { id: serverId('cn-shanghai', SHANGHAI_SERVER_CERTIFICATE) }],
    ])('refuses %s FORBIDDEN, before any upstream call', async (_case, field, document, variables) => {
      const answer = await gateway.execute(document, variables, bearer(HANGZHOU_ONLY));

      expect(onlyError(answer)).toMatchObject({ path: [field], extensions: FORBIDDEN });
      expect(await emulator.stats()).toEqual({});
    });

    it('refuses an upload to another region FORBIDDEN, before any upstream call', async () => {
      const { certificatePem, privateKeyPem } = makeCertificate({ commonName: 'upload.example.com', dnsNames: ['upload.example.com'] });

      const answer = await gateway.execute(
        UploadServerCertificateDocument,
        { input: { regionId: 'cn-shanghai', serverCertificate: certificatePem, privateKey: privateKeyPem } },
        bearer(HANGZHOU_ONLY),
      );

      expect(onlyError(answer)).toMatchObject({ path: ['uploadServerCertificate'], extensions: FORBIDDEN });
      expect(await emulator.stats()).toEqual({});
      expectNothingLeaks(answer.text);
    });
  });
});
