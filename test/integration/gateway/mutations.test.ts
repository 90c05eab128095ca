import { DEMO } from '../../../src/emulator/state/demo';
import {
  CertificateDocument,
  DeleteCertificateDocument,
  RenameCertificateDocument,
  ServerCertificatesDocument,
  SiteWithCertificatesDocument,
  UploadOriginClientCertificateDocument,
  UploadServerCertificateDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, pemBlock, REQUEST_ID } from '../../helpers/answers';
import { freshGatewayPerTest, type TestGateway } from '../../helpers/gateway';
import { makeCertificate, opensslFacts, type KeyFormat, type KeyType } from '../../helpers/openssl';
import { opensslValues, reportedValues, slbValues, slbValuesOf } from '../../helpers/x509-values';

const SITE = DEMO.sites.example;

describe('certificate mutations', () => {
  const env = freshGatewayPerTest();
  let gateway: TestGateway;
  beforeEach(() => ({ gateway } = env));

  const siteCertificates = async (siteId: string) => (await gateway.execute(SiteWithCertificatesDocument, { id: siteId })).data?.site?.certificates.nodes ?? [];
  const siteCertificateIds = async (siteId: string) => (await siteCertificates(siteId)).map((certificate) => certificate.id);
  const demoOriginClientId = async () => (await siteCertificates(SITE)).find((certificate) => certificate.kind === 'ORIGIN_CLIENT')?.id ?? '';

  it.each<[string, KeyType, KeyFormat]>([
    ['an RSA PKCS#1 key', 'rsa', 'traditional'],
    ['an EC SEC1 key', 'ec', 'traditional'],
    ['an RSA PKCS#8 key', 'rsa', 'pkcs8'],
    ['an EC PKCS#8 key', 'ec', 'pkcs8'],
  ])('uploads a site certificate with %s and reports it as openssl reads it', async (_name, keyType, keyFormat) => {
    const own = makeCertificate({ commonName: 'static2.example.com', dnsNames: ['static2.example.com', 'img.example.com'], keyType, keyFormat, organization: 'Example Inc' });

    const answer = await gateway.execute(UploadSiteCertificateDocument, {
      input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'static2' },
    });

    const certificate = answer.data?.uploadSiteCertificate;
    expect(answer.errors).toBeUndefined();
    expect(certificate).toMatchObject({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: SITE, siteName: 'example.com', name: 'static2', type: 'upload', status: 'ISSUED', upstreamStatus: 'OK' });
    expect(reportedValues(certificate as NonNullable<typeof certificate>)).toEqual(opensslValues(own.certificatePem));
    expect(opensslFacts(certificate?.certificatePem ?? '').fingerprintSha256).toBe(opensslFacts(own.certificatePem).fingerprintSha256);
    expectNothingLeaks(answer.text);
    expect(await siteCertificateIds(SITE)).toContain(certificate?.id);
  });

  it('attaches a site certificate from Certificate Management Service by its casId', async () => {
    const answer = await gateway.execute(UploadSiteCertificateDocument, { input: { siteId: DEMO.sites.cname, casId: DEMO.casCertificates.wildcard } });

    const certificate = answer.data?.uploadSiteCertificate;
    expect(certificate).toMatchObject({ kind: 'EDGE', siteId: DEMO.sites.cname, type: 'cas', casId: DEMO.casCertificates.wildcard, upstreamStatus: 'OK', commonName: '*.example.com' });
    expect(reportedValues(certificate as NonNullable<typeof certificate>)).toEqual(opensslValues(certificate?.certificatePem ?? ''));
    expect(await siteCertificateIds(DEMO.sites.cname)).toEqual([certificate?.id]);
  });

  it('uploads an origin client certificate and reports it as openssl reads it, now and when read back', async () => {
    const ca = makeCertificate({ commonName: 'Example Origin CA', organization: 'Example Inc' });
    const client = makeCertificate({ commonName: 'esa-to-origin.example.com', dnsNames: ['esa-to-origin.example.com'], issuer: ca, keyType: 'rsa', keyFormat: 'traditional' });

    const answer = await gateway.execute(UploadOriginClientCertificateDocument, {
      input: { siteId: SITE, certificate: client.certificatePem, privateKey: client.privateKeyPem, name: 'origin-2' },
    });

    const uploaded = answer.data?.uploadOriginClientCertificate;
    expect(answer.errors).toBeUndefined();
    expect(uploaded).toMatchObject({ provider: 'ESA', kind: 'ORIGIN_CLIENT', accountId: 'default', siteId: SITE, name: 'origin-2', status: 'ISSUED', upstreamStatus: 'OK' });
    expect(reportedValues(uploaded as NonNullable<typeof uploaded>)).toEqual(opensslValues(client.certificatePem));
    expectNothingLeaks(answer.text);

    const readBack = (await gateway.execute(CertificateDocument, { id: uploaded?.id ?? '' })).data?.certificate;
    expect(readBack).toMatchObject({ id: uploaded?.id, kind: 'ORIGIN_CLIENT', name: 'origin-2', status: 'ISSUED', upstreamStatus: 'OK', issuerCommonName: 'Example Origin CA' });
    expect(reportedValues(readBack as NonNullable<typeof readBack>)).toEqual(opensslValues(client.certificatePem));
    expect(pemBlock(readBack?.certificatePem ?? '', 0).trim()).toBe(client.certificatePem.trim());
  });

  it('uploads a server certificate by PEM into a region and a resource group', async () => {
    const own = makeCertificate({ commonName: 'lb.example.com', dnsNames: ['lb.example.com', 'lb2.example.com'], keyType: 'rsa', keyFormat: 'traditional' });

    const answer = await gateway.execute(UploadServerCertificateDocument, {
      input: { regionId: 'cn-hangzhou', serverCertificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'lb-cert', resourceGroupId: 'rg-acfmtest0000009' },
    });

    const certificate = answer.data?.uploadServerCertificate;
    expect(certificate).toMatchObject({
      provider: 'SLB',
      kind: 'SERVER',
      accountId: 'default',
      regionId: 'cn-hangzhou',
      name: 'lb-cert',
      resourceGroupId: 'rg-acfmtest0000009',
      isAliCloudCertificate: false,
      aliCloudCertificateId: null,
      certificatePem: null,
    });
    expect(slbValues(certificate as NonNullable<typeof certificate>)).toEqual(slbValuesOf(own.certificatePem));
    expectNothingLeaks(answer.text);
    const listed = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou' })).data?.serverCertificates ?? [];
    expect(listed.map((entry) => entry.id)).toContain(certificate?.id);
  });

  it('uploads a server certificate from Certificate Management Service by its id', async () => {
    const answer = await gateway.execute(UploadServerCertificateDocument, {
      input: { regionId: 'cn-shanghai', aliCloudCertificateId: DEMO.casCertificates.shop, aliCloudCertificateName: 'shop-from-cas' },
    });

    expect(answer.errors).toBeUndefined();
    expect(answer.data?.uploadServerCertificate).toMatchObject({
      kind: 'SERVER',
      regionId: 'cn-shanghai',
      isAliCloudCertificate: true,
      aliCloudCertificateId: DEMO.casCertificates.shop,
      aliCloudCertificateName: 'shop-from-cas',
      commonName: 'shop.example.net',
      subjectAlternativeNames: ['shop.example.net'],
    });
  });

  it('renames a server certificate, and later reads show the new name', async () => {
    const [first] = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' })).data?.serverCertificates ?? [];

    const renamed = await gateway.execute(RenameCertificateDocument, { id: first?.id ?? '', name: 'api.example.com-2025' });

    expect(renamed.data?.renameCertificate).toEqual({ id: first?.id, name: 'api.example.com-2025' });
    expect((await gateway.execute(CertificateDocument, { id: first?.id ?? '' })).data?.certificate?.name).toBe('api.example.com-2025');
    const listed = (await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' })).data?.serverCertificates ?? [];
    // The region's other certificate (the one its listener serves) keeps its name.
    expect(listed.map((entry) => entry.name)).toEqual(['api-listener-example-com', 'api.example.com-2025']);
  });

  describe('deleting', () => {
    const cases: Array<[string, () => Promise<string>, Record<string, unknown>]> = [
      [
        'an uploaded edge certificate',
        async () => {
          const own = makeCertificate({ commonName: 'gone.example.com', dnsNames: ['gone.example.com'] });
          const upload = await gateway.execute(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem } });
          return upload.data?.uploadSiteCertificate.id ?? '';
        },
        { provider: 'ESA', action: 'GetCertificate' },
      ],
      [
        'the demo origin client certificate',
        demoOriginClientId,
        { provider: 'ESA', action: 'GetSiteOriginClientCertificate' },
      ],
      [
        'a demo server certificate',
        async () => ((await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' })).data?.serverCertificates ?? [])[0]?.id ?? '',
        { provider: 'SLB', action: 'DescribeServerCertificates' },
      ],
    ];

    it.each(cases)('removes %s, after which certificate(id) answers Certificate.NotFound', async (_name, create, where) => {
      const id = await create();
      expect((await gateway.execute(CertificateDocument, { id })).data?.certificate?.id).toBe(id);

      const deleted = await gateway.execute(DeleteCertificateDocument, { id });

      expect(deleted.data?.deleteCertificate).toEqual({ id, deleted: true });
      const after = await gateway.execute(CertificateDocument, { id });
      expect(after.data?.certificate).toBeNull();
      expect(onlyError(after).extensions).toEqual({
        code: 'Certificate.NotFound',
        category: 'NOT_FOUND',
        httpStatus: 404,
        requestId: REQUEST_ID,
        retryable: false,
        ...where,
      });
    });

    it('removes a deleted certificate from its site list', async () => {
      const origin = await demoOriginClientId();
      await gateway.execute(DeleteCertificateDocument, { id: origin });
      const remaining = await siteCertificateIds(SITE);
      expect(remaining).toHaveLength(4);
      expect(remaining).not.toContain(origin);
    });
  });
});
