import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  ActivateClientCertificateDocument,
  CertificateDocument,
  CreateClientCertificateDocument,
  DeleteCertificateDocument,
  RevokeClientCertificateDocument,
  SiteWithCertificatesDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, REQUEST_ID } from '../../helpers/answers';
import { freshGatewayPerTest, type TestGateway } from '../../helpers/gateway';
import { makeCsr } from '../../helpers/openssl';
import { opensslValues, reportedValues } from '../../helpers/x509-values';

const SITE = DEMO.sites.example;
/** The SubjectPublicKeyInfo of a certificate, or of the public half of a private key PEM. */
const spki = (source: X509Certificate | string) =>
  (source instanceof X509Certificate ? source.publicKey : createPublicKey(source)).export({ type: 'spki', format: 'der' });

describe('ESA client certificates', () => {
  const env = freshGatewayPerTest();
  let gateway: TestGateway;
  beforeEach(() => ({ gateway } = env));

  it("signs the CSR's own public key, returning no private key", async () => {
    const csr = makeCsr({ commonName: 'mobile-app.example.com', dnsNames: ['mobile-app.example.com', 'api-client.example.com'], organization: 'Example Inc' });

    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, csr: csr.csrPem, validityDays: 30 } });

    expect(answer.errors).toBeUndefined();
    const created = answer.data?.createClientCertificate;
    expect(created?.privateKey).toBeNull();
    expectNothingLeaks(answer.text);
    const certificatePem = created?.certificate.certificatePem ?? '';
    expect(spki(new X509Certificate(certificatePem))).toEqual(spki(csr.privateKeyPem));
    expect(created?.certificate).toMatchObject({
      provider: 'ESA',
      kind: 'CLIENT',
      accountId: 'default',
      siteId: SITE,
      upstreamStatus: 'active',
      commonName: 'mobile-app.example.com',
      issuer: 'DCDN CA',
      issuerCommonName: 'ESA Client CA',
      caCertificateId: DEMO.clientAuthority,
      validityDays: 30,
    });
    expect(reportedValues(created?.certificate as NonNullable<typeof created>['certificate'])).toEqual(opensslValues(certificatePem));
    expect([...(created?.certificate.subjectAlternativeNames ?? [])].sort()).toEqual(['api-client.example.com', 'mobile-app.example.com']);
  });

  it.each([512, 1024])('refuses a CSR with a %i-bit RSA key as InvalidParameter before calling ESA', async (bits) => {
    const csr = makeCsr({ commonName: 'weak.example.com', keyType: 'rsa', rsaBits: bits });
    await env.emulator.admin('DELETE', 'stats');

    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, csr: csr.csrPem, validityDays: 30 } });

    expect(answer.data).toBeNull();
    expect(onlyError(answer)).toMatchObject({
      message: `The specified parameter is invalid. The CSR's RSA key has ${bits} bits; at least 2048 are required.`,
      extensions: { code: 'InvalidParameter', category: 'BAD_USER_INPUT', httpStatus: 400, provider: 'ESA', action: 'CreateClientCertificate', retryable: false },
    });
    expect(await env.emulator.stats()).toEqual({});
    expectNothingLeaks(answer.text);
  });

  it('signs a CSR with a 2048-bit RSA key', async () => {
    const csr = makeCsr({ commonName: 'strong.example.com', keyType: 'rsa', rsaBits: 2048 });

    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, csr: csr.csrPem, validityDays: 30 } });

    expect(answer.errors).toBeUndefined();
    expect(spki(new X509Certificate(answer.data?.createClientCertificate.certificate.certificatePem ?? ''))).toEqual(spki(csr.privateKeyPem));
  });

  it.each([
    ['ECDSA', 'ec', { namedCurve: 'prime256v1' }],
    ['RSA', 'rsa', { modulusLength: 2048 }],
  ] as const)('generates an %s key pair and hands its PKCS#8 private key over once', async (keyAlgorithm, keyType, details) => {
    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm, validityDays: 365 } });

    const created = answer.data?.createClientCertificate;
    expect(created?.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+\n-----END PRIVATE KEY-----\n?$/);
    const privateKey = createPrivateKey(created?.privateKey ?? '');
    expect(privateKey.asymmetricKeyType).toBe(keyType);
    expect(privateKey.asymmetricKeyDetails).toMatchObject(details);
    const certificate = new X509Certificate(created?.certificate.certificatePem ?? '');
    expect(certificate.checkPrivateKey(privateKey)).toBe(true);
    expect(created?.certificate).toMatchObject({ kind: 'CLIENT', status: 'ISSUED', upstreamStatus: 'active', validityDays: 365, publicKeyAlgorithm: keyAlgorithm });

    const later = await gateway.execute(CertificateDocument, { id: created?.certificate.id ?? '' });
    expect(later.data?.certificate?.fingerprintSha256).toBe(created?.certificate.fingerprintSha256);
    expect(later.text).not.toContain('PRIVATE KEY');
    const listed = await gateway.execute(SiteWithCertificatesDocument, { id: SITE });
    expect(listed.data?.site?.certificates.nodes.map((entry) => entry.id)).toContain(created?.certificate.id);
    expect(listed.text).not.toContain('PRIVATE KEY');
  });

  it('revokes, activates, revokes again and deletes a client certificate, refusing to delete it while active', async () => {
    const created = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'ECDSA', validityDays: 90 } });
    const id = created.data?.createClientCertificate.certificate.id ?? '';
    /** The normalised status and the cloud's own word for it. */
    const status = async () => {
      const certificate = (await gateway.execute(CertificateDocument, { id })).data?.certificate;
      return [certificate?.status, certificate?.upstreamStatus];
    };

    const refused = await gateway.execute(DeleteCertificateDocument, { id });
    expect(refused.data).toBeNull();
    expect(onlyError(refused)).toMatchObject({
      path: ['deleteCertificate'],
      extensions: {
        code: 'Certificate.StatusError',
        category: 'BAD_USER_INPUT',
        httpStatus: 400,
        provider: 'ESA',
        action: 'DeleteClientCertificate',
        requestId: REQUEST_ID,
        retryable: false,
      },
    });
    expect(await status()).toEqual(['ISSUED', 'active']);

    expect((await gateway.execute(RevokeClientCertificateDocument, { id })).data?.revokeClientCertificate).toEqual({ id, status: 'REVOKED', upstreamStatus: 'revoked' });
    expect(await status()).toEqual(['REVOKED', 'revoked']);
    expect((await gateway.execute(ActivateClientCertificateDocument, { id })).data?.activateClientCertificate).toEqual({ id, status: 'ISSUED', upstreamStatus: 'active' });
    expect(await status()).toEqual(['ISSUED', 'active']);
    expect((await gateway.execute(RevokeClientCertificateDocument, { id })).data?.revokeClientCertificate).toEqual({ id, status: 'REVOKED', upstreamStatus: 'revoked' });

    expect((await gateway.execute(DeleteCertificateDocument, { id })).data?.deleteCertificate).toEqual({ id, deleted: true });
    const gone = await gateway.execute(CertificateDocument, { id });
    expect(gone.data?.certificate).toBeNull();
    expect(onlyError(gone).extensions).toMatchObject({ code: 'Certificate.NotFound', category: 'NOT_FOUND', httpStatus: 404, action: 'GetClientCertificate' });
  });

  it('refuses to activate a certificate that is already active, with Certificate.StatusError', async () => {
    const id = (await gateway.execute(SiteWithCertificatesDocument, { id: SITE })).data?.site?.certificates.nodes.find((entry) => entry.kind === 'CLIENT')?.id ?? '';

    const answer = await gateway.execute(ActivateClientCertificateDocument, { id });

    expect(onlyError(answer).extensions).toEqual({
      code: 'Certificate.StatusError',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'ESA',
      action: 'ActivateClientCertificate',
      requestId: REQUEST_ID,
      retryable: false,
    });
  });
});
