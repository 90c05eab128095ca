import { X509Certificate } from 'node:crypto';
import { DEMO } from '../../../src/emulator/state/demo';
import { ApplyCertificateDocument, ApplyCertificateIdsDocument, CertificateDocument, SiteWithCertificatesDocument } from '../../generated/graphql';
import { pemBlock, pemBlockCount } from '../../helpers/answers';
import { type TestEmulator } from '../../helpers/emulator';
import { freshGatewayPerTest, type TestGateway } from '../../helpers/gateway';
import { opensslValues, reportedValues } from '../../helpers/x509-values';

const SITE = DEMO.sites.example;

describe('free certificates', () => {
  // A certificate being issued is otherwise cached for a few seconds as Applying; these tests read
  // it again right after ESA issued it.
  const env = freshGatewayPerTest({ cachePendingTtlMs: 0 });
  let emulator: TestEmulator;
  let gateway: TestGateway;
  beforeEach(() => ({ emulator, gateway } = env));

  /** Completes domain validation of the site's pending applications and reads the certificate back. */
  async function issuedCertificate(id: string) {
    const completed = await emulator.admin<{ completed: string[] }>('POST', 'validations/complete', { siteId: SITE });
    expect(completed.body.completed.length).toBeGreaterThan(0);
    const answer = await gateway.execute(CertificateDocument, { id });
    expect(answer.errors).toBeUndefined();
    return answer.data?.certificate as NonNullable<NonNullable<typeof answer.data>['certificate']>;
  }

  /** The leaf of a chain is signed by the certificate after it. */
  function expectRealChain(chainPem: string): void {
    expect(pemBlockCount(chainPem)).toBeGreaterThanOrEqual(2);
    const leaf = new X509Certificate(pemBlock(chainPem, 0));
    const issuer = new X509Certificate(pemBlock(chainPem, 1));
    expect(leaf.checkIssued(issuer)).toBe(true);
    expect(leaf.verify(issuer.publicKey)).toBe(true);
  }

  it("applies for Let's Encrypt certificates by default, each resolving through its link as PENDING (the cloud saying Applying) with its validation record", async () => {
    const answer = await gateway.execute(ApplyCertificateDocument, { input: { siteId: SITE, domains: ['www.example.com', '*.example.com'] } });

    expect(answer.errors).toBeUndefined();
    const payload = answer.data?.applyCertificate;
    expect(payload).toMatchObject({ siteName: 'example.com', totalCount: 2 });
    expect(payload?.applications.map((application) => [application.domain, application.status])).toEqual([
      ['www.example.com', 'Applying'],
      ['*.example.com', 'Applying'],
    ]);
    for (const application of payload?.applications ?? []) expect(application.certificate?.id).toBe(application.certificateId);
    const [host, wildcard] = payload?.applications ?? [];
    expect(host?.certificate).toMatchObject({
      status: 'PENDING',
      upstreamStatus: 'Applying',
      domainValidations: [{ type: 'HTTP', key: expect.stringMatching(/^http:\/\/www\.example\.com\/\.well-known\/acme-challenge\/[\w-]+$/), value: expect.any(String), status: 'pending' }],
    });
    expect(wildcard?.certificate).toMatchObject({
      status: 'PENDING',
      upstreamStatus: 'Applying',
      domainValidations: [{ type: 'DNS', key: '_acme-challenge.example.com', value: expect.any(String), status: 'pending' }],
    });
  });

  it('lists an application on its site while it is being validated', async () => {
    const applied = await gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: ['shop.example.com'] } });
    const id = applied.data?.applyCertificate.applications[0]?.certificateId;

    const listed = await gateway.execute(SiteWithCertificatesDocument, { id: SITE });

    expect(listed.data?.site?.certificates.nodes.find((certificate) => certificate.id === id)).toMatchObject({ kind: 'EDGE', status: 'PENDING', upstreamStatus: 'Applying' });
  });

  it("reads back an issued Let's Encrypt certificate with a real chain whose values openssl confirms", async () => {
    const applied = await gateway.execute(ApplyCertificateDocument, { input: { siteId: SITE, domains: ['www.example.com'], type: 'LETS_ENCRYPT' } });
    const id = applied.data?.applyCertificate.applications[0]?.certificateId ?? '';

    const certificate = await issuedCertificate(id);

    expect(certificate).toMatchObject({ id, kind: 'EDGE', type: 'free', status: 'ISSUED', upstreamStatus: 'OK', commonName: 'www.example.com', subjectAlternativeNames: ['www.example.com'], issuer: "Let's Encrypt", validityDays: 90 });
    expect(certificate.domainValidations.map((validation) => validation.status)).toEqual(['verified']);
    expectRealChain(certificate.certificatePem ?? '');
    expect(reportedValues(certificate)).toEqual(opensslValues(certificate.certificatePem ?? ''));
  });

  it.each([
    ['DIGICERT_SINGLE', 'api.example.com', ['api.example.com'], '_dnsauth.api.example.com'],
    ['DIGICERT_WILDCARD', '*.example.com', ['*.example.com', 'example.com'], '_dnsauth.example.com'],
  ] as const)('issues a %s certificate for %s: RSA, a year long, validated by a DNS record', async (type, domain, names, record) => {
    const applied = await gateway.execute(ApplyCertificateDocument, { input: { siteId: SITE, domains: [domain], type } });
    const application = applied.data?.applyCertificate.applications[0];
    expect(application?.certificate?.domainValidations).toEqual([{ type: 'DNS', key: record, value: expect.any(String), status: 'pending' }]);

    const certificate = await issuedCertificate(application?.certificateId ?? '');

    expect(certificate).toMatchObject({ commonName: domain, publicKeyAlgorithm: 'RSA', validityDays: 365, issuer: 'DigiCert Inc', status: 'ISSUED', upstreamStatus: 'OK' });
    expect([...certificate.subjectAlternativeNames].sort()).toEqual([...names].sort());
    expectRealChain(certificate.certificatePem ?? '');
    expect(reportedValues(certificate)).toEqual(opensslValues(certificate.certificatePem ?? ''));
  });

  it('reports a failed domain validation with its apply code and message, and no certificate', async () => {
    const applied = await gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: ['cdn.example.com'] } });
    const id = applied.data?.applyCertificate.applications[0]?.certificateId ?? '';
    const nativeId = (await gateway.execute(CertificateDocument, { id })).data?.certificate?.nativeId;
    await emulator.admin('POST', 'validations/complete', { siteId: SITE, id: nativeId, outcome: 'failed' });

    const certificate = (await gateway.execute(CertificateDocument, { id })).data?.certificate;

    expect(certificate).toMatchObject({ status: 'FAILED', upstreamStatus: 'ApplyFailed', applyCode: 1, applyMessage: 'domain validation failed', certificatePem: null, daysUntilExpiry: null });
    expect(certificate?.domainValidations.map((validation) => validation.status)).toEqual(['failed']);
  });

  it('applies once for a domain the caller named twice in different case and spacing', async () => {
    const answer = await gateway.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains: [' Static3.Example.COM ', 'static3.example.com'] } });

    expect(answer.data?.applyCertificate.totalCount).toBe(1);
    expect(answer.data?.applyCertificate.applications.map((application) => application.domain)).toEqual(['static3.example.com']);
  });
});
