import { execFileSync } from 'node:child_process';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient, type CloudError } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { makeCertificate, makeKey, type TestCertificate } from '../../helpers/openssl';
import { expectEsaValuesOf } from '../../helpers/esa-values';

type Result = Record<string, unknown> & { Id: string; Status: string; Name: string };
interface GetBody {
  SiteId: number;
  SiteName: string;
  Status: string;
  Certificate?: string;
  Result: Result;
}
interface ListBody {
  SiteId: number;
  SiteName: string;
  PageNumber: number;
  PageSize: number;
  TotalCount: number;
  Result: Result[];
}

const SITE = DEMO.sites.example;
const CERTS = DEMO.edgeCertificates;
const DAY_SECONDS = 86_400;


const pemCount = (pem: string | undefined) => (pem ?? '').match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0;

describe.each(['v3', 'v2'] as const)('ESA edge certificates over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;
  let ca: TestCertificate;
  let ecLeaf: TestCertificate;

  const get = (id: string, siteId: string = SITE) => esa.call<GetBody>('GetCertificate', { SiteId: siteId, Id: id });
  const list = (params: Record<string, string | number | boolean> = {}) => esa.call<ListBody>('ListCertificates', { SiteId: SITE, ...params });
  const ids = async (params: Record<string, string | number | boolean> = {}) => (await list({ PageSize: 500, ...params })).Result.map((r) => r.Id);
  const upload = (certificate: TestCertificate, extra: Record<string, string> = {}) =>
    esa.call<{ Id: string }>('SetCertificate', {
      SiteId: SITE,
      Type: 'upload',
      Certificate: certificate.certificatePem,
      PrivateKey: certificate.privateKeyPem,
      ...extra,
    });
  const advanceDays = (days: number) => emulator.admin('POST', 'clock', { advanceSeconds: days * DAY_SECONDS });
  /** Every certificate of every demo site, as the lists show them. */
  const everything = async () => {
    const sites = Object.values(DEMO.sites);
    return Promise.all(sites.map(async (siteId) => (await list({ SiteId: siteId, PageSize: 500 })).Result));
  };
  /** Expects the call to fail with `code` and every certificate to be exactly as before. */
  const refused = async (action: string, params: Record<string, string>, code: string, status = 400): Promise<CloudError> => {
    const before = await everything();
    const error = await esa.fail(action, params);
    expect(error).toMatchObject({ code, statusCode: status });
    expect(await everything()).toEqual(before);
    return error;
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
    ca = makeCertificate({ commonName: 'Edge Test CA', organization: 'Edge Test Org', keyType: 'rsa' });
    ecLeaf = makeCertificate({ commonName: 'upload.example.com', dnsNames: ['upload.example.com', 'alt-only.example.com'], issuer: ca });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  describe('GetCertificate', () => {
    it('returns an uploaded certificate with its chain and every value read from it', async () => {
      const body = await get(CERTS.upload);
      expect(body).toMatchObject({ SiteId: 1234567890123, SiteName: 'example.com', Status: 'OK' });
      expect(pemCount(body.Certificate)).toBe(2);
      expect(body.Result).toMatchObject({ Id: CERTS.upload, Name: 'static-example-com', Type: 'upload', Status: 'OK', Region: 'cn-hangzhou', PubAlg: 'ECDSA' });
      expectEsaValuesOf(body.Result, body.Certificate ?? '');
      expect(body.Result.CreateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(body.Result.UpdateTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(body.Result.NotAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(body.Result).not.toHaveProperty('DCV');
      expect(body.Result).not.toHaveProperty('CasId');
    });

    it('reports the CAS id of a certificate taken from Certificate Management Service', async () => {
      const body = await get(CERTS.cas);
      expect(body.Result).toMatchObject({ Type: 'cas', CasId: DEMO.casCertificates.www, SAN: 'www.example.com,example.com' });
      expectEsaValuesOf(body.Result, body.Certificate ?? '');
    });

    it('shows the verified domain validation of an issued free certificate', async () => {
      const body = await get(CERTS.free);
      expect(body.Result).toMatchObject({ Type: 'free', Issuer: "Let's Encrypt", IssuerCN: 'E5', SigAlg: 'ECDSA-SHA256' });
      expect(body.Result.DCV).toEqual([expect.objectContaining({ Type: 'HTTP', Status: 'verified' })]);
      expect(body.Result).not.toHaveProperty('ApplyCode');
    });

    it('answers the documented codes for a missing or unknown site and a missing or unknown id', async () => {
      await expect(esa.fail('GetCertificate', { Id: CERTS.upload })).resolves.toMatchObject({ code: 'MissingSiteId', statusCode: 400 });
      await expect(esa.fail('GetCertificate', { SiteId: '999', Id: CERTS.upload })).resolves.toMatchObject({ code: 'InvalidParameter.SiteId', statusCode: 400 });
      await expect(esa.fail('GetCertificate', { SiteId: '12.5', Id: CERTS.upload })).resolves.toMatchObject({ code: 'InvalidParameter.SiteId' });
      await expect(esa.fail('GetCertificate', { SiteId: SITE })).resolves.toMatchObject({ code: 'Id.MissingParameter', statusCode: 400 });
      await expect(esa.fail('GetCertificate', { SiteId: SITE, Id: 'babadeadbeef' })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
      await expect(esa.fail('GetCertificate', { SiteId: SITE, Id: '\u0000\u00ff\ud7ff' })).resolves.toMatchObject({ code: 'Certificate.NotFound' });
    });

    it("treats another site's certificate as not found", async () => {
      await expect(esa.fail('GetCertificate', { SiteId: DEMO.sites.cname, Id: CERTS.upload })).resolves.toMatchObject({
        code: 'Certificate.NotFound',
        statusCode: 404,
      });
    });
  });

  describe('ListCertificates', () => {
    it("lists the site's certificates in the documented envelope, without PEMs", async () => {
      const body = await list();
      expect(body).toMatchObject({ SiteId: 1234567890123, SiteName: 'example.com', PageNumber: 1, PageSize: 20, TotalCount: 3 });
      expect(body.Result.map((r) => r.Id)).toEqual([CERTS.upload, CERTS.free, CERTS.cas]);
      const single = await get(CERTS.cas);
      expect(body.Result[2]).toEqual(single.Result);
      expect(JSON.stringify(body)).not.toContain('BEGIN CERTIFICATE');
    });

    it('lists nothing for a site without certificates', async () => {
      await expect(esa.call('ListCertificates', { SiteId: DEMO.sites.basic })).resolves.toMatchObject({ TotalCount: 0, Result: [], SiteName: 'basic-example.com' });
    });

    it('pages through the certificates', async () => {
      const second = await list({ PageNumber: 2, PageSize: 2 });
      expect(second).toMatchObject({ PageNumber: 2, PageSize: 2, TotalCount: 3 });
      expect(second.Result.map((r) => r.Id)).toEqual([CERTS.cas]);
      expect((await list({ PageNumber: 3, PageSize: 2 })).Result).toEqual([]);
      expect((await list({ PageSize: 500 })).Result).toHaveLength(3);
    });

    it('refuses a page size or number below 1, or not a number, with InvalidParameter', async () => {
      for (const page of [{ PageSize: 0 }, { PageNumber: 0 }, { PageSize: 'ten' }, { PageNumber: '-1' }]) {
        await expect(esa.fail('ListCertificates', { SiteId: SITE, ...page })).resolves.toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
      }
    });

    it('finds certificates by a case-insensitive keyword in the name, Common Name or any SAN', async () => {
      const { Id } = await upload(ecLeaf, { Name: 'custom-name' });
      expect(await ids({ Keyword: 'STATIC-example' })).toEqual([CERTS.upload]);
      expect(await ids({ Keyword: 'www.EXAMPLE.com' })).toEqual([CERTS.cas]);
      expect(await ids({ Keyword: 'alt-only' })).toEqual([Id]);
      expect(await ids({ Keyword: 'custom' })).toEqual([Id]);
      expect(await ids({ Keyword: 'nothing-matches' })).toEqual([]);
    });

    it('keeps only issued, unexpired certificates when ValidOnly is set', async () => {
      const expired = makeCertificate({ commonName: 'old.example.com', startDate: '20200101000000Z', endDate: '20210101000000Z' });
      const { Id } = await upload(expired);
      expect((await get(Id)).Status).toBe('Expired');
      expect(await ids()).toContain(Id);
      expect(await ids({ ValidOnly: true })).toEqual([CERTS.upload, CERTS.free, CERTS.cas]);
      expect(await ids({ ValidOnly: 1 })).toEqual([CERTS.upload, CERTS.free, CERTS.cas]);
      expect(await ids({ ValidOnly: false })).toContain(Id);
      await expect(esa.fail('ListCertificates', { SiteId: SITE, ValidOnly: 'maybe' })).resolves.toMatchObject({ code: 'InvalidParameter' });
    });

    it('answers MissingSiteId and InvalidParameter.SiteId like GetCertificate', async () => {
      await expect(esa.fail('ListCertificates')).resolves.toMatchObject({ code: 'MissingSiteId' });
      await expect(esa.fail('ListCertificates', { SiteId: '1e3' })).resolves.toMatchObject({ code: 'InvalidParameter.SiteId' });
    });
  });

  describe('status from the emulated clock', () => {
    it('reports a certificate Expiring within 30 days of its end and Expired after it', async () => {
      // The demo free certificate was issued 30 days before start for 90 days: 60 days are left.
      await advanceDays(31);
      expect((await get(CERTS.free)).Status).toBe('Expiring');
      expect((await get(CERTS.upload)).Status).toBe('OK');
      await advanceDays(30);
      const expired = await get(CERTS.free);
      expect(expired.Status).toBe('Expired');
      expect(expired.Result.Status).toBe('Expired');
      expect(await ids({ ValidOnly: true })).toEqual([CERTS.upload, CERTS.cas]);
    });
  });

  describe('SetCertificate', () => {
    it.each([
      ['an RSA key in PKCS#1', 'rsa', 'traditional', 'RSA', 'RSA PRIVATE KEY'],
      ['an EC key in SEC1', 'ec', 'traditional', 'ECDSA', 'EC PRIVATE KEY'],
      ['an EC key in PKCS#8', 'ec', 'pkcs8', 'ECDSA', 'PRIVATE KEY'],
      ['an RSA key in PKCS#8', 'rsa', 'pkcs8', 'RSA', 'PRIVATE KEY'],
    ] as const)('uploads a certificate with %s and never returns the key', async (_case, keyType, keyFormat, pubAlg, label) => {
      const pair = makeCertificate({ commonName: `${keyType}.example.com`, dnsNames: [`${keyType}.example.com`], keyType, keyFormat, issuer: ca });
      expect(pair.privateKeyPem).toContain(`-----BEGIN ${label}-----`);
      const { Id } = await upload(pair);
      expect(Id).toMatch(/^[0-9a-f]{32}$/);
      const body = await get(Id);
      expect(body.Result).toMatchObject({ Id, Type: 'upload', Name: `${keyType}.example.com`, Status: 'OK', PubAlg: pubAlg });
      expect(body.Certificate?.trim()).toBe(pair.certificatePem.trim());
      expectEsaValuesOf(body.Result, body.Certificate ?? '');
      expect(JSON.stringify([body, await list()])).not.toContain('PRIVATE KEY');
      expect(await ids()).toEqual([CERTS.upload, CERTS.free, CERTS.cas, Id]);
    });

    it('updates the certificate named by Id in place, keeping its id and creation time', async () => {
      const before = await get(CERTS.upload);
      await advanceDays(1);
      const { Id } = await upload(ecLeaf, { Id: CERTS.upload, Name: 'replaced' });
      expect(Id).toBe(CERTS.upload);
      const after = await get(CERTS.upload);
      expect(after.Result).toMatchObject({ Name: 'replaced', CommonName: 'upload.example.com', CreateTime: before.Result.CreateTime });
      expect(after.Result.UpdateTime).not.toBe(before.Result.UpdateTime);
      expectEsaValuesOf(after.Result, ecLeaf.certificatePem);
      expect(await ids()).toEqual([CERTS.upload, CERTS.free, CERTS.cas]);
    });

    it('refuses to update an id the site does not have', async () => {
      await refused('SetCertificate', { SiteId: SITE, Type: 'upload', Id: 'babadeadbeef', ...pemsOf(ecLeaf) }, 'Certificate.NotFound', 404);
      await refused('SetCertificate', { SiteId: DEMO.sites.cname, Type: 'upload', Id: CERTS.upload, ...pemsOf(ecLeaf) }, 'Certificate.NotFound', 404);
    });

    it('refuses a private key that does not belong to the certificate', async () => {
      await refused('SetCertificate', { SiteId: SITE, Type: 'upload', Certificate: ecLeaf.certificatePem, PrivateKey: makeKey('ec') }, 'CertificateNotMatchPrivateKey');
    });

    it('refuses a missing, malformed or encrypted certificate or key with InvalidParameter saying which', async () => {
      const encrypted = execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:secret'], { input: ecLeaf.privateKeyPem, encoding: 'utf8' });
      const cases: Array<[Record<string, string>, string]> = [
        [{ PrivateKey: ecLeaf.privateKeyPem }, 'Certificate'],
        [{ Certificate: ecLeaf.certificatePem }, 'PrivateKey'],
        [{ Certificate: 'not a certificate', PrivateKey: ecLeaf.privateKeyPem }, 'Certificate'],
        [{ Certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', PrivateKey: ecLeaf.privateKeyPem }, 'Certificate'],
        [{ Certificate: '\u0000\u0001\u00fe\ud7ff'.repeat(50), PrivateKey: '\u0007\u00ff'.repeat(50) }, 'Certificate'],
        [{ Certificate: ecLeaf.certificatePem, PrivateKey: 'junk' }, 'PrivateKey'],
        [{ Certificate: ecLeaf.certificatePem, PrivateKey: encrypted }, 'encrypted'],
      ];
      for (const [pems, mentioned] of cases) {
        const error = await refused('SetCertificate', { SiteId: SITE, Type: 'upload', ...pems }, 'InvalidParameter');
        expect(error.message).toContain(mentioned);
      }
    });

    it('refuses a missing or unknown Type with InvalidParameter', async () => {
      await refused('SetCertificate', { SiteId: SITE, ...pemsOf(ecLeaf) }, 'InvalidParameter');
      await refused('SetCertificate', { SiteId: SITE, Type: 'keyless', ...pemsOf(ecLeaf) }, 'InvalidParameter');
    });

    it('answers MissingSiteId and InvalidParameter.SiteId for the site in the form body', async () => {
      await refused('SetCertificate', { Type: 'upload', ...pemsOf(ecLeaf) }, 'MissingSiteId');
      await refused('SetCertificate', { SiteId: '42', Type: 'upload', ...pemsOf(ecLeaf) }, 'InvalidParameter.SiteId');
    });

    it('takes a certificate from Certificate Management Service by CasId', async () => {
      const { Id } = await esa.call<{ Id: string }>('SetCertificate', { SiteId: SITE, Type: 'cas', CasId: DEMO.casCertificates.wildcard, Region: 'cn-hangzhou' });
      const body = await get(Id);
      expect(body.Result).toMatchObject({ Type: 'cas', CasId: DEMO.casCertificates.wildcard, Name: '*.example.com', SAN: '*.example.com,example.com', Region: 'cn-hangzhou' });
      expectEsaValuesOf(body.Result, body.Certificate ?? '');
    });

    it('refuses a missing, unknown or other-region CasId with InvalidParameter', async () => {
      await refused('SetCertificate', { SiteId: SITE, Type: 'cas' }, 'InvalidParameter');
      await refused('SetCertificate', { SiteId: SITE, Type: 'cas', CasId: '99999999' }, 'InvalidParameter');
      await refused('SetCertificate', { SiteId: SITE, Type: 'cas', CasId: DEMO.casCertificates.www, Region: 'cn-shanghai' }, 'InvalidParameter');
    });
  });

  describe('bad input', () => {
    const junk = String.fromCharCode(...Array.from({ length: 400 }, (_, i) => 1 + ((i * 7919) % 0xd7fe)));
    const actions = ['GetCertificate', 'ListCertificates', 'SetCertificate', 'DeleteCertificate', 'ApplyCertificate'];
    const values: Array<[string, string]> = [
      ['binary junk', junk],
      ['a negative number', '-1'],
      ['a fraction', '1.5'],
      ['an exponent', '1e3'],
      ['a number past 2^53', '99999999999999999999'],
    ];

    it.each(values)('answers %s in every parameter of every action with a 4xx and changes nothing', async (_case, value) => {
      const params = Object.fromEntries(
        ['SiteId', 'Id', 'Type', 'Name', 'Certificate', 'PrivateKey', 'CasId', 'Region', 'Domains', 'Keyword', 'PageNumber', 'PageSize', 'ValidOnly'].map((name) => [name, value]),
      );
      const before = await everything();
      for (const action of actions) {
        for (const sent of [params, { ...params, SiteId: SITE }]) {
          const { statusCode, code } = await esa.fail(action, sent);
          expect({ action, clientError: statusCode >= 400 && statusCode < 500, code }).toEqual({ action, clientError: true, code: expect.any(String) });
        }
      }
      expect(await everything()).toEqual(before);
    });

    it('answers junk with the documented code once the site is right', async () => {
      await refused('GetCertificate', { SiteId: SITE, Id: junk }, 'Certificate.NotFound', 404);
      await refused('ListCertificates', { SiteId: SITE, PageSize: junk }, 'InvalidParameter');
      await refused('SetCertificate', { SiteId: SITE, Type: junk }, 'InvalidParameter');
      await refused('SetCertificate', { SiteId: SITE, Type: 'upload', Certificate: junk, PrivateKey: junk }, 'InvalidParameter');
      await refused('SetCertificate', { SiteId: SITE, Type: 'cas', CasId: junk }, 'InvalidParameter');
      await refused('DeleteCertificate', { SiteId: SITE, Id: junk }, 'Certificate.NotFound', 404);
      await refused('ApplyCertificate', { SiteId: SITE, Domains: junk }, 'InvalidParameter.Domains');
      await refused('ApplyCertificate', { SiteId: SITE, Domains: 'www.example.com', Type: junk }, 'InvalidParameter.Type');
    });
  });

  describe('DeleteCertificate', () => {
    it('deletes a certificate and answers with its id and site', async () => {
      const body = await esa.call('DeleteCertificate', { SiteId: SITE, Id: CERTS.cas });
      expect(body).toMatchObject({ Id: CERTS.cas, SiteId: 1234567890123, SiteName: 'example.com' });
      await expect(esa.fail('GetCertificate', { SiteId: SITE, Id: CERTS.cas })).resolves.toMatchObject({ code: 'Certificate.NotFound' });
      expect(await ids()).toEqual([CERTS.upload, CERTS.free]);
      await expect(esa.fail('DeleteCertificate', { SiteId: SITE, Id: CERTS.cas })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
    });

    it('answers the same codes as GetCertificate and leaves the certificates alone', async () => {
      await refused('DeleteCertificate', { Id: CERTS.upload }, 'MissingSiteId');
      await refused('DeleteCertificate', { SiteId: 'abc', Id: CERTS.upload }, 'InvalidParameter.SiteId');
      await refused('DeleteCertificate', { SiteId: SITE }, 'Id.MissingParameter');
      await refused('DeleteCertificate', { SiteId: SITE, Id: 'unknown' }, 'Certificate.NotFound', 404);
      await refused('DeleteCertificate', { SiteId: DEMO.sites.cname, Id: CERTS.upload }, 'Certificate.NotFound', 404);
    });
  });
});

function pemsOf(pair: TestCertificate): Record<string, string> {
  return { Certificate: pair.certificatePem, PrivateKey: pair.privateKeyPem };
}
