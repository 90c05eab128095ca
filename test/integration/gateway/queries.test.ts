import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  ApplyCertificateIdsDocument,
  CertificateDocument,
  EsaCertificateDocument,
  NodesDocument,
  NodesWithPemDocument,
  ServerCertificatesDocument,
  SiteWithCertificatesDocument,
  SitesDocument,
  UploadServerCertificateDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { errorAt, onlyError, REQUEST_ID } from '../../helpers/answers';
import { type TestEmulator } from '../../helpers/emulator';
import { freshGatewayPerTest, startTestGateway, type TestGateway } from '../../helpers/gateway';
import { untyped } from '../../helpers/callers';
import { certificatesOf } from '../../helpers/nodes';
import { makeCertificate } from '../../helpers/openssl';
import { opensslValues, reportedValues, slbValues, slbValuesOf } from '../../helpers/x509-values';

const SITE = DEMO.sites.example;
const DAY_MS = 86_400_000;
const esaId = (kind: 'EDGE' | 'CLIENT' | 'ORIGIN_CLIENT', nativeId: string, siteId: string = SITE) =>
  encodeCertificateId({ provider: 'ESA', kind, accountId: 'default', siteId, nativeId });

describe('certificate queries', () => {
  const env = freshGatewayPerTest();
  let emulator: TestEmulator;
  let gateway: TestGateway;
  beforeEach(() => ({ emulator, gateway } = env));

  /**
   * A gateway that keeps no certificate being issued in its cache. A free certificate application
   * reads what it made into the inventory, and that read is cached for a few seconds as Applying;
   * tests that read the certificate again once ESA has moved it on use this one.
   */
  async function withoutPendingCache(test: (gateway: TestGateway) => Promise<void>): Promise<void> {
    const own = await startTestGateway(emulator, { cachePendingTtlMs: 0 });
    try {
      await test(own);
    } finally {
      await own.stop();
    }
  }

  /** The demo site's certificates as its site lists them: every ESA kind, ids issued by the gateway. */
  async function demoSiteCertificates() {
    const answer = await gateway.execute(SiteWithCertificatesDocument, { id: SITE });
    expect(answer.errors).toBeUndefined();
    return answer.data?.site?.certificates.nodes ?? [];
  }

  it('reports every X.509 value of each ESA kind exactly as openssl reads it from the PEM the answer carries', async () => {
    const listed = await demoSiteCertificates();
    expect(listed.map((certificate) => certificate.kind).sort()).toEqual(['CLIENT', 'EDGE', 'EDGE', 'EDGE', 'ORIGIN_CLIENT']);

    for (const { id, kind } of listed) {
      const answer = await gateway.execute(CertificateDocument, { id });
      const certificate = answer.data?.certificate;
      expect(answer.errors).toBeUndefined();
      expect(certificate?.certificatePem).toContain('-----BEGIN CERTIFICATE-----');
      expect({ kind, ...reportedValues(certificate as NonNullable<typeof certificate>) }).toEqual({
        kind,
        ...opensslValues(certificate?.certificatePem ?? ''),
      });
    }
  });

  it('describes each demo certificate by its provider, kind, site and upstream status', async () => {
    const byNativeId = async (kind: 'EDGE' | 'CLIENT' | 'ORIGIN_CLIENT', nativeId: string) =>
      (await gateway.execute(CertificateDocument, { id: esaId(kind, nativeId) })).data?.certificate;

    expect(await byNativeId('EDGE', DEMO.edgeCertificates.cas)).toMatchObject({
      provider: 'ESA',
      kind: 'EDGE',
      accountId: 'default',
      siteId: SITE,
      siteName: 'example.com',
      type: 'cas',
      casId: DEMO.casCertificates.www,
      upstreamStatus: 'OK',
      commonName: 'www.example.com',
    });
    expect(await byNativeId('EDGE', DEMO.edgeCertificates.free)).toMatchObject({
      type: 'free',
      upstreamStatus: 'OK',
      issuer: "Let's Encrypt",
      validityDays: 90,
      domainValidations: [expect.objectContaining({ type: 'HTTP', status: 'verified' })],
    });
    expect(await byNativeId('CLIENT', DEMO.clientCertificate)).toMatchObject({
      kind: 'CLIENT',
      upstreamStatus: 'active',
      issuer: 'DCDN CA',
      caCertificateId: DEMO.clientAuthority,
    });
    expect(await byNativeId('ORIGIN_CLIENT', DEMO.originClientCertificate)).toMatchObject({
      kind: 'ORIGIN_CLIENT',
      name: 'origin-mtls',
      upstreamStatus: 'OK',
      commonName: 'esa-origin-client.example.com',
    });
  });

  it('reports an SLB server certificate as openssl reads the PEM that was uploaded, SLB itself returning no PEM', async () => {
    const uploaded = makeCertificate({ commonName: 'shop.example.com', dnsNames: ['shop.example.com', 'cart.example.com'], keyType: 'rsa' });
    const upload = await gateway.execute(UploadServerCertificateDocument, {
      input: { regionId: 'cn-shanghai', serverCertificate: uploaded.certificatePem, privateKey: uploaded.privateKeyPem, name: 'shop-cert' },
    });
    const id = upload.data?.uploadServerCertificate.id ?? '';

    const answer = await gateway.execute(CertificateDocument, { id });
    const certificate = answer.data?.certificate;
    expect(certificate).toMatchObject({ id, provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-shanghai', siteId: null, name: 'shop-cert', certificatePem: null });
    expect(slbValues(certificate as NonNullable<typeof certificate>)).toEqual(slbValuesOf(uploaded.certificatePem));
  });

  it('round-trips every listed id: certificate(id) fetches the very certificate the list named', async () => {
    const esa = await demoSiteCertificates();
    const slb = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou' })).data?.serverCertificates ?? [];
    expect(slb).toHaveLength(2);

    for (const listed of [...esa, ...slb]) {
      const fetched = (await gateway.execute(CertificateDocument, { id: listed.id })).data?.certificate;
      expect({ id: fetched?.id, kind: fetched?.kind, nativeId: fetched?.nativeId }).toEqual({ id: listed.id, kind: listed.kind, nativeId: listed.nativeId });
    }
  });

  it('answers nodes(ids:) in the order asked, with null and an error by path for a junk id and for an unknown one', async () => {
    const [server] = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' })).data?.serverCertificates ?? [];
    const ids = [
      server?.id ?? '',
      'not-an-id',
      esaId('EDGE', DEMO.edgeCertificates.upload),
      esaId('EDGE', 'baba00000000000000000000000000ff'),
      esaId('CLIENT', DEMO.clientCertificate),
    ];

    const answer = await gateway.execute(NodesDocument, { ids });
    const certificates = certificatesOf(answer.data?.nodes);

    expect(certificates.map((certificate) => certificate?.id ?? null)).toEqual([ids[0], null, ids[2], null, ids[4]]);
    expect(certificates.map((certificate) => certificate?.kind ?? null)).toEqual(['SERVER', null, 'EDGE', null, 'CLIENT']);
    expect(answer.errors).toHaveLength(2);
    expect(errorAt(answer, ['nodes', 1]).extensions).toEqual({
      code: 'InvalidParameter',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'GATEWAY',
      retryable: false,
    });
    expect(errorAt(answer, ['nodes', 3]).extensions).toEqual({
      code: 'Certificate.NotFound',
      category: 'NOT_FOUND',
      httpStatus: 404,
      provider: 'ESA',
      action: 'GetCertificate',
      requestId: REQUEST_ID,
      retryable: false,
    });
  });

  it('serves an ESA site certificate by its ESA id exactly as certificate(id) serves it', async () => {
    const byEsaId = await gateway.execute(EsaCertificateDocument, { siteId: SITE, id: DEMO.edgeCertificates.upload });
    const byGlobalId = await gateway.execute(CertificateDocument, { id: esaId('EDGE', DEMO.edgeCertificates.upload) });

    expect(byEsaId.errors).toBeUndefined();
    expect(byEsaId.data?.esaCertificate).toEqual(byGlobalId.data?.certificate);
    expect(byEsaId.data?.esaCertificate).toMatchObject({ nativeId: DEMO.edgeCertificates.upload, commonName: 'static.example.com', name: 'static-example-com' });
  });

  it('lists the four demo sites with their names, status and access type', async () => {
    const answer = await gateway.execute(SitesDocument);

    expect(answer.data?.sites).toEqual([
      { id: DEMO.sites.example, name: 'example.com', status: 'active', accessType: 'NS' },
      { id: DEMO.sites.cname, name: 'cname-example.com', status: 'active', accessType: 'CNAME' },
      { id: DEMO.sites.pending, name: 'pending-example.com', status: 'pending', accessType: 'NS' },
      { id: DEMO.sites.basic, name: 'basic-example.com', status: 'active', accessType: 'NS' },
    ]);
  });

  it('lists a site with its edge, client and origin client certificates', async () => {
    const answer = await gateway.execute(SiteWithCertificatesDocument, { id: SITE });

    expect(answer.data?.site).toMatchObject({ id: SITE, name: 'example.com' });
    const pairs = (answer.data?.site?.certificates.nodes ?? []).map((certificate) => [certificate.kind, certificate.nativeId]);
    expect(pairs.sort()).toEqual(
      [
        ['CLIENT', DEMO.clientCertificate],
        ['EDGE', DEMO.edgeCertificates.cas],
        ['EDGE', DEMO.edgeCertificates.free],
        ['EDGE', DEMO.edgeCertificates.upload],
        ['ORIGIN_CLIENT', DEMO.originClientCertificate],
      ].sort(),
    );
  });

  it('lists the certificates of a site whose plan lacks the client certificate features instead of failing on them', async () => {
    const own = makeCertificate({ commonName: 'www.basic-example.com', dnsNames: ['www.basic-example.com'] });
    const upload = await gateway.execute(UploadSiteCertificateDocument, {
      input: { siteId: DEMO.sites.basic, certificate: own.certificatePem, privateKey: own.privateKeyPem },
    });

    const answer = await gateway.execute(SiteWithCertificatesDocument, { id: DEMO.sites.basic });

    expect(answer.errors).toBeUndefined();
    expect(answer.data?.site?.certificates.nodes).toEqual([
      {
        id: upload.data?.uploadSiteCertificate.id,
        kind: 'EDGE',
        nativeId: upload.data?.uploadSiteCertificate.nativeId,
        commonName: 'www.basic-example.com',
        status: 'ISSUED',
        upstreamStatus: 'OK',
      },
    ]);
    expect(answer.data?.site?.certificates.totalCount).toBe(1);
  });

  it('answers an unknown site with null and SiteNotFound from ESA', async () => {
    const answer = await gateway.execute(SiteWithCertificatesDocument, { id: '9999999999999' });

    expect(answer.data?.site).toBeNull();
    expect(onlyError(answer)).toMatchObject({
      path: ['site'],
      extensions: { code: 'SiteNotFound', category: 'NOT_FOUND', httpStatus: 400, provider: 'ESA', action: 'GetSite', requestId: REQUEST_ID, retryable: false },
    });
  });

  it('lists the server certificates of each region, and only the asked ones when ids are given', async () => {
    const hangzhou = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou' })).data?.serverCertificates ?? [];
    const shanghai = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' })).data?.serverCertificates ?? [];
    expect(hangzhou.map((certificate) => [certificate.name, certificate.commonName, certificate.regionId])).toEqual([
      ['www-example-com', 'www.example.com', 'cn-hangzhou'],
      ['wildcard-example-com', '*.example.com', 'cn-hangzhou'],
    ]);
    expect(shanghai.map((certificate) => [certificate.name, certificate.subjectAlternativeNames])).toEqual([
      ['api-example-com', ['api.example.com', 'api2.example.com']],
      // The one the demo's cn-shanghai HTTPS listener serves.
      ['api-listener-example-com', ['api.example.com']],
    ]);

    const wildcard = hangzhou[1]?.nativeId ?? '';
    const filtered = await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou', ids: [wildcard, 'no-such-certificate'] });
    expect(filtered.data?.serverCertificates.map((certificate) => certificate.nativeId)).toEqual([wildcard]);
    expect(filtered.data?.serverCertificates[0]).toMatchObject({ isAliCloudCertificate: true, aliCloudCertificateId: DEMO.casCertificates.wildcard });
  });

  it('computes daysUntilExpiry as the whole days left before notAfter', async () => {
    const before = Date.now();
    const answer = await gateway.execute(CertificateDocument, { id: esaId('EDGE', DEMO.edgeCertificates.free) });
    const after = Date.now();
    const notAfter = Date.parse(answer.data?.certificate?.notAfter ?? '');

    const candidates = new Set([Math.floor((notAfter - before) / DAY_MS), Math.floor((notAfter - after) / DAY_MS)]);
    expect(candidates).toContain(answer.data?.certificate?.daysUntilExpiry);
    expect(answer.data?.certificate?.daysUntilExpiry).toBeGreaterThan(0);
  });

  it('reports a certificate that the emulated clock issued in the past as EXPIRED (the cloud saying Expired), with negative daysUntilExpiry', async () => {
    await withoutPendingCache(async (own) => {
      await emulator.admin('POST', 'clock', { advanceSeconds: -200 * 86_400 });
      const applied = await own.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: ['old.example.com'] } });
      await emulator.admin('POST', 'validations/complete', { siteId: SITE });
      await emulator.admin('POST', 'clock', { advanceSeconds: 200 * 86_400 });

      const answer = await own.execute(CertificateDocument, { id: applied.data?.applyCertificate.applications[0]?.certificateId ?? '' });
      const certificate = answer.data?.certificate;
      const expected = Math.floor((Date.parse(certificate?.notAfter ?? '') - Date.now()) / DAY_MS);

      expect(certificate?.status).toBe('EXPIRED');
      expect(certificate?.upstreamStatus).toBe('Expired');
      expect(Date.parse(certificate?.notAfter ?? '')).toBeLessThan(Date.now());
      expect([expected, expected + 1]).toContain(certificate?.daysUntilExpiry);
      expect(certificate?.daysUntilExpiry).toBeLessThan(-100);
    });
  });

  it('reports an uploaded certificate that expired years ago as EXPIRED (the cloud saying Expired), with negative daysUntilExpiry', async () => {
    const expired = makeCertificate({ commonName: 'legacy.example.com', dnsNames: ['legacy.example.com'], startDate: '20200101000000Z', endDate: '20210101000000Z' });
    const upload = await gateway.execute(UploadSiteCertificateDocument, {
      input: { siteId: SITE, certificate: expired.certificatePem, privateKey: expired.privateKeyPem },
    });

    const certificate = (await gateway.execute(CertificateDocument, { id: upload.data?.uploadSiteCertificate.id ?? '' })).data?.certificate;

    const expected = Math.floor((Date.parse('2021-01-01T00:00:00Z') - Date.now()) / DAY_MS);
    expect(certificate).toMatchObject({ status: 'EXPIRED', upstreamStatus: 'Expired', notAfter: '2021-01-01T00:00:00.000Z', validityDays: 366 });
    expect([expected, expected + 1]).toContain(certificate?.daysUntilExpiry);
  });

  it('reads twenty ids naming ten distinct edge certificates, their PEM asked, with at most ten GetCertificate calls', async () => {
    await withoutPendingCache(async (own) => {
      const domains = Array.from({ length: 10 }, (_, index) => `batch${index}.example.com`);
      const applied = await own.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains } });
      const ids = applied.data?.applyCertificate.applications.map((application) => application.certificateId) ?? [];
      expect(new Set(ids).size).toBe(10);
      await emulator.admin('DELETE', 'stats');

      const asked = [...ids, ...ids];
      // The inventory holds no PEM: asking for it sends every certificate to the cloud, through the batching loader.
      const answer = await own.execute(NodesWithPemDocument, { ids: asked });

      expect(answer.errors).toBeUndefined();
      expect(certificatesOf(answer.data?.nodes).map((certificate) => certificate?.id)).toEqual(asked);
      const stats = await emulator.stats();
      expect(stats['ESA.GetCertificate']).toBeGreaterThan(0);
      expect(stats['ESA.GetCertificate']).toBeLessThanOrEqual(10);
    });
  });

  it('reads three server certificates of one region from the cloud with one DescribeServerCertificates call', async () => {
    const ids: string[] = [];
    for (const name of ['first', 'second', 'third']) {
      const pair = makeCertificate({ commonName: `${name}.example.com`, dnsNames: [`${name}.example.com`] });
      const upload = await gateway.execute(UploadServerCertificateDocument, {
        input: { regionId: 'cn-hangzhou', serverCertificate: pair.certificatePem, privateKey: pair.privateKeyPem },
      });
      ids.push(upload.data?.uploadServerCertificate.id ?? '');
    }
    await emulator.admin('DELETE', 'stats');

    // certificate(id:) reads through the loaders and the cache (nodes(ids:) answers from the inventory).
    const answer = await gateway.execute(
      untyped('query Three($a: ID!, $b: ID!, $c: ID!) { a: certificate(id: $a) { commonName } b: certificate(id: $b) { commonName } c: certificate(id: $c) { commonName } }'),
      { a: ids[2], b: ids[0], c: ids[1] },
    );

    expect(answer.data).toEqual({ a: { commonName: 'third.example.com' }, b: { commonName: 'first.example.com' }, c: { commonName: 'second.example.com' } });
    expect(await emulator.stats()).toEqual({ 'SLB.DescribeServerCertificates': 1 });
  });
});
