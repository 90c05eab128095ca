import { encodeCertificateId } from '../../../src/domain/global-id';
import { COMMON_CODES, ESA_CODES, SLB_CODES } from '../../../src/domain/errors/documented-codes';
import { ERROR_CATALOGUE } from '../../../src/domain/errors/error-catalogue';
import { DEMO } from '../../../src/emulator/state/demo';
import { PLAN_PRESETS } from '../../../src/emulator/services/plans';
import {
  ApplyCertificateIdsDocument,
  CertificateDocument,
  CreateClientCertificateDocument,
  EsaCertificateDocument,
  ServerCertificatesDocument,
  UploadOriginClientCertificateDocument,
  UploadServerCertificateDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, REQUEST_ID, type ErrorExtensions } from '../../helpers/answers';
import { type TestEmulator } from '../../helpers/emulator';
import { freshGatewayPerTest, type GraphQLAnswer, type TestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';

const SITE = DEMO.sites.example;

describe('documented errors the cloud answers', () => {
  const env = freshGatewayPerTest();
  let emulator: TestEmulator;
  let gateway: TestGateway;
  beforeEach(() => ({ emulator, gateway } = env));

  const upstream = (code: string, provider: 'ESA' | 'SLB', action: string): ErrorExtensions => {
    const spec = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
    return { code, category: spec.category, httpStatus: spec.httpStatus, provider, action, requestId: REQUEST_ID, retryable: spec.retryable };
  };

  /** The answer's one error, with the extensions the cloud's answer gives, after exactly one call of `action`. */
  async function expectUpstreamError(answer: GraphQLAnswer<unknown>, field: string, extensions: ErrorExtensions): Promise<void> {
    expect(onlyError(answer)).toMatchObject({ path: [field] });
    expect(onlyError(answer).extensions).toEqual(extensions);
    expect((await emulator.stats())[`${extensions.provider}.${extensions.action}`]).toBe(1);
    expectNothingLeaks(answer.text);
  }

  const apply = (siteId: string, domains: string[]) => gateway.execute(ApplyCertificateIdsDocument, { input: { siteId, domains } });

  it('answers an application for an unknown site with SiteNotFound', async () => {
    await expectUpstreamError(await apply('9999999999999', ['www.example.com']), 'applyCertificate', upstream('SiteNotFound', 'ESA', 'ApplyCertificate'));
  });

  it('answers an application on a site not yet activated with SiteNotActivated', async () => {
    await expectUpstreamError(await apply(DEMO.sites.pending, ['www.pending-example.com']), 'applyCertificate', upstream('SiteNotActivated', 'ESA', 'ApplyCertificate'));
  });

  it.each([
    ['a domain that is not under the site', SITE, ['www.example.org'], 'do not belong to the current website'],
    ['a wildcard on a site with CNAME access', DEMO.sites.cname, ['*.cname-example.com'], 'CNAME mode does not support wildcard'],
    ['a domain that already has a free certificate', SITE, ['blog.example.com'], 'already submitted a certificate application'],
    ['a wildcard in a single-domain DigiCert application', SITE, ['*.example.com'], 'not a valid domain name'],
  ])('answers an application for %s with InvalidParameter.Domains', async (_name, siteId, domains, message) => {
    const type = message === 'not a valid domain name' ? 'DIGICERT_SINGLE' : 'LETS_ENCRYPT';
    const answer = await gateway.execute(ApplyCertificateIdsDocument, { input: { siteId, domains, type } });

    await expectUpstreamError(answer, 'applyCertificate', upstream('InvalidParameter.Domains', 'ESA', 'ApplyCertificate'));
    expect(onlyError(answer).message).toContain(message);
  });

  it("answers QuotaExceeded once a site's free certificates fill its plan's quota", async () => {
    const quota = PLAN_PRESETS.basic.freeCertificateQuota;
    const filled = await apply(DEMO.sites.basic, Array.from({ length: quota }, (_, index) => `host${index}.basic-example.com`));
    expect(filled.data?.applyCertificate.totalCount).toBe(quota);
    await emulator.admin('DELETE', 'stats');

    await expectUpstreamError(await apply(DEMO.sites.basic, ['one-more.basic-example.com']), 'applyCertificate', upstream('QuotaExceeded', 'ESA', 'ApplyCertificate'));
  });

  it('answers an origin client certificate on a plan without the feature with QuotaCheckFailed.Function', async () => {
    const pair = makeCertificate({ commonName: 'origin.basic-example.com' });
    const answer = await gateway.execute(UploadOriginClientCertificateDocument, {
      input: { siteId: DEMO.sites.basic, certificate: pair.certificatePem, privateKey: pair.privateKeyPem },
    });
    await expectUpstreamError(answer, 'uploadOriginClientCertificate', upstream('QuotaCheckFailed.Function', 'ESA', 'UploadSiteOriginClientCertificate'));
  });

  it('answers a client certificate on a plan without the feature with QuotaCheckFailed.Function', async () => {
    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: DEMO.sites.basic, keyAlgorithm: 'ECDSA', validityDays: 30 } });
    await expectUpstreamError(answer, 'createClientCertificate', upstream('QuotaCheckFailed.Function', 'ESA', 'CreateClientCertificate'));
  });

  it('answers an expired origin client certificate with Certificate.StatusError', async () => {
    const expired = makeCertificate({ commonName: 'old-origin.example.com', startDate: '20200101000000Z', endDate: '20210101000000Z' });
    const answer = await gateway.execute(UploadOriginClientCertificateDocument, { input: { siteId: SITE, certificate: expired.certificatePem, privateKey: expired.privateKeyPem } });
    await expectUpstreamError(answer, 'uploadOriginClientCertificate', upstream('Certificate.StatusError', 'ESA', 'UploadSiteOriginClientCertificate'));
  });

  it.each([
    ['an edge', 'EDGE', 'GetCertificate'],
    ['a client', 'CLIENT', 'GetClientCertificate'],
    ['an origin client', 'ORIGIN_CLIENT', 'GetSiteOriginClientCertificate'],
  ] as const)('answers %s certificate that does not exist with null and Certificate.NotFound', async (_name, kind, action) => {
    const answer = await gateway.execute(CertificateDocument, { id: encodeCertificateId({ provider: 'ESA', kind, accountId: 'default', siteId: SITE, nativeId: 'baba0000000000000000000000000000' }) });

    expect(answer.data?.certificate).toBeNull();
    await expectUpstreamError(answer, 'certificate', upstream('Certificate.NotFound', 'ESA', action));
  });

  it('answers a server certificate that does not exist with null and Certificate.NotFound, SLB having no code of its own', async () => {
    const answer = await gateway.execute(CertificateDocument, { id: encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: 'no-such-certificate' }) });

    expect(answer.data?.certificate).toBeNull();
    await expectUpstreamError(answer, 'certificate', { ...upstream('Certificate.NotFound', 'SLB', 'DescribeServerCertificates'), httpStatus: 404 });
  });

  it('answers a certificate of a site id no site has with InvalidParameter.SiteId', async () => {
    const answer = await gateway.execute(EsaCertificateDocument, { siteId: '9999999999999', id: DEMO.edgeCertificates.upload });
    await expectUpstreamError(answer, 'esaCertificate', upstream('InvalidParameter.SiteId', 'ESA', 'GetCertificate'));
  });

  it('answers a region SLB does not have with InvalidRegionId.NotFound, for reads and uploads alike', async () => {
    await expectUpstreamError(
      await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-beijing' }),
      'serverCertificates',
      upstream('InvalidRegionId.NotFound', 'SLB', 'DescribeServerCertificates'),
    );
    await expectUpstreamError(
      await gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-beijing', aliCloudCertificateId: DEMO.casCertificates.shop } }),
      'uploadServerCertificate',
      upstream('InvalidRegionId.NotFound', 'SLB', 'UploadServerCertificate'),
    );
  });

  describe('every catalogued code, as the cloud would answer it', () => {
    const esaCodes = [...new Set<string>([...ESA_CODES, ...COMMON_CODES])];
    const slbCodes = [...new Set<string>([...SLB_CODES, 'InternalError', 'ServiceUnavailable', 'Throttling', 'SignatureDoesNotMatch'])];

    const inject = async (product: 'ESA' | 'SLB', action: string, code: string) => {
      const spec = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
      const added = await emulator.admin('POST', 'faults', { product, action, status: spec.httpStatus, code, message: spec.message });
      expect(added.status).toBe(201);
    };

    it.each(esaCodes)('carries ESA %s to the caller with its category, status and retryable flag', async (code) => {
      await inject('ESA', 'ApplyCertificate', code);
      const answer = await apply(SITE, ['www.example.com']);
      await expectUpstreamError(answer, 'applyCertificate', upstream(code, 'ESA', 'ApplyCertificate'));
      expect(onlyError(answer).message).toBe(ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].message);
    });

    it.each(slbCodes)('carries SLB %s to the caller with its category, status and retryable flag', async (code) => {
      await inject('SLB', 'UploadServerCertificate', code);
      const answer = await gateway.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', aliCloudCertificateId: DEMO.casCertificates.www } });
      await expectUpstreamError(answer, 'uploadServerCertificate', upstream(code, 'SLB', 'UploadServerCertificate'));
    });
  });
});
