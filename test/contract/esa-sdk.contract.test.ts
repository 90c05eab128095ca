import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import Esa, * as $Esa from '@alicloud/esa20240910';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { DEMO } from '../../src/emulator/state/demo';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { makeCertificate, makeCsr, opensslFacts } from '../helpers/openssl';

/**
 * Alibaba's own generated ESA SDK, unmodified, as an independent client of the emulator: it signs
 * with its own core (openapi-core), and its typed models refuse answers of the wrong structure.
 */
describe('the emulator through the generated ESA SDK (@alicloud/esa20240910)', () => {
  let emulator: TestEmulator;
  let esa: Esa;
  const site = Number(DEMO.sites.example);

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new Esa(
      new $OpenApiUtil.Config({
        accessKeyId: 'emulator-key',
        accessKeySecret: 'emulator-secret',
        endpoint: emulator.endpoint,
        protocol: 'http',
        readTimeout: 20_000,
        connectTimeout: 20_000,
      }),
    );
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  const failure = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      return error as { code: string; statusCode: number };
    }
    throw new Error('the call succeeded');
  };

  it('lists and gets sites into its typed models', async () => {
    const sites = await esa.listSites(new $Esa.ListSitesRequest({}));
    expect(sites.statusCode).toBe(200);
    expect(sites.body?.sites?.map((s) => [s.siteId, s.siteName, s.accessType])).toEqual([
      [1234567890123, 'example.com', 'NS'],
      [2345678901234, 'cname-example.com', 'CNAME'],
      [3456789012345, 'pending-example.com', 'NS'],
      [4567890123456, 'basic-example.com', 'NS'],
    ]);
    const one = await esa.getSite(new $Esa.GetSiteRequest({ siteId: site }));
    expect(one.body?.siteModel?.siteName).toBe('example.com');
  });

  it('applies for a free certificate, and reads it back issued with values openssl agrees with', async () => {
    const applied = await esa.applyCertificate(new $Esa.ApplyCertificateRequest({ siteId: site, domains: 'sdk.example.com', type: 'lets_encrypt' }));
    expect(applied.body).toMatchObject({ siteName: 'example.com', totalCount: 1 });
    const id = applied.body?.result?.[0]?.id as string;
    expect(applied.body?.result?.[0]).toMatchObject({ domain: 'sdk.example.com', status: 'Applying' });

    const pending = await esa.getCertificate(new $Esa.GetCertificateRequest({ siteId: site, id }));
    expect(pending.body?.result?.status).toBe('Applying');
    expect(pending.body?.result?.DCV?.[0]).toMatchObject({ type: 'HTTP', status: 'pending' });

    await emulator.admin('POST', 'validations/complete', { siteId: DEMO.sites.example, id });
    const issued = await esa.getCertificate(new $Esa.GetCertificateRequest({ siteId: site, id }));
    const reference = opensslFacts(issued.body?.certificate as string);
    expect(issued.body?.result).toMatchObject({
      status: 'OK',
      type: 'free',
      commonName: reference.commonName,
      SAN: reference.dnsNames.join(','),
      serialNumber: reference.serialNumber,
      fingerprintSha256: reference.fingerprintSha256,
      notBefore: reference.notBefore,
      notAfter: reference.notAfter,
      issuerCN: reference.issuerCommonName,
      issuer: reference.issuerOrganization,
      sigAlg: 'ECDSA-SHA256',
      pubAlg: 'ECDSA',
    });
    const listed = await esa.listCertificates(new $Esa.ListCertificatesRequest({ siteId: site, keyword: 'sdk.example.com' }));
    expect(listed.body?.result?.map((c) => c.id)).toEqual([id]);
  });

  it('uploads a site certificate with SetCertificate and deletes it', async () => {
    const own = makeCertificate({ commonName: 'set.example.com', dnsNames: ['set.example.com'], keyType: 'rsa', keyFormat: 'traditional' });
    const set = await esa.setCertificate(
      new $Esa.SetCertificateRequest({ siteId: site, type: 'upload', name: 'sdk-upload', certificate: own.certificatePem, privateKey: own.privateKeyPem }),
    );
    const id = set.body?.id as string;
    const read = await esa.getCertificate(new $Esa.GetCertificateRequest({ siteId: site, id }));
    expect(read.body?.result).toMatchObject({ name: 'sdk-upload', type: 'upload', fingerprintSha256: opensslFacts(own.certificatePem).fingerprintSha256 });
    await esa.deleteCertificate(new $Esa.DeleteCertificateRequest({ siteId: site, id }));
    await expect(failure(esa.getCertificate(new $Esa.GetCertificateRequest({ siteId: site, id })))).resolves.toMatchObject({
      code: 'Certificate.NotFound',
      statusCode: 404,
    });
  });

  it('creates client certificates from a CSR and from a generated key, and runs their lifecycle', async () => {
    const csr = makeCsr({ commonName: 'sdk-client.example.com' });
    const fromCsr = await esa.createClientCertificate(new $Esa.CreateClientCertificateRequest({ siteId: site, CSR: csr.csrPem, validityDays: 30 }));
    expect(fromCsr.body?.privateKey).toBeFalsy();
    const certificate = new X509Certificate(fromCsr.body?.certificate as string);
    expect(certificate.publicKey.export({ type: 'spki', format: 'der' })).toEqual(createPublicKey(csr.privateKeyPem).export({ type: 'spki', format: 'der' }));
    expect(fromCsr.body).toMatchObject({ commonName: 'sdk-client.example.com', status: 'active', validityDays: '30' });

    const generated = await esa.createClientCertificate(new $Esa.CreateClientCertificateRequest({ siteId: site, pkeyType: 'ECDSA', validityDays: 365 }));
    const key = createPrivateKey(generated.body?.privateKey as string);
    expect(new X509Certificate(generated.body?.certificate as string).checkPrivateKey(key)).toBe(true);

    const id = fromCsr.body?.id as string;
    await esa.revokeClientCertificate(new $Esa.RevokeClientCertificateRequest({ siteId: site, id }));
    expect((await esa.getClientCertificate(new $Esa.GetClientCertificateRequest({ siteId: site, id }))).body?.result?.status).toBe('revoked');
    await esa.activateClientCertificate(new $Esa.ActivateClientCertificateRequest({ siteId: site, id }));
    await expect(failure(esa.deleteClientCertificate(new $Esa.DeleteClientCertificateRequest({ siteId: site, id })))).resolves.toMatchObject({
      code: 'Certificate.StatusError',
    });
    const list = await esa.listClientCertificates(new $Esa.ListClientCertificatesRequest({ siteId: site }));
    expect(list.body?.result?.map((c) => c.id)).toEqual(expect.arrayContaining([id, generated.body?.id]));
  });

  it('uploads an origin client certificate and refuses a key of another certificate', async () => {
    const own = makeCertificate({ commonName: 'origin-sdk.example.com' });
    const other = makeCertificate({ commonName: 'other.example.com' });
    const uploaded = await esa.uploadSiteOriginClientCertificate(
      new $Esa.UploadSiteOriginClientCertificateRequest({ siteId: site, certificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'sdk-origin' }),
    );
    expect(uploaded.body).toMatchObject({ status: 'OK', commonName: 'origin-sdk.example.com', serialNumber: opensslFacts(own.certificatePem).serialNumber });
    const read = await esa.getSiteOriginClientCertificate(new $Esa.GetSiteOriginClientCertificateRequest({ siteId: site, id: uploaded.body?.id }));
    expect(read.body?.result?.name).toBe('sdk-origin');
    const listed = await esa.listSiteOriginClientCertificates(new $Esa.ListSiteOriginClientCertificatesRequest({ siteId: site }));
    expect(listed.body?.totalCount).toBe(2);

    await expect(
      failure(
        esa.uploadSiteOriginClientCertificate(
          new $Esa.UploadSiteOriginClientCertificateRequest({ siteId: site, certificate: own.certificatePem, privateKey: other.privateKeyPem }),
        ),
      ),
    ).resolves.toMatchObject({ code: 'CertificateNotMatchPrivateKey', statusCode: 400 });
    await expect(
      failure(
        esa.uploadSiteOriginClientCertificate(
          new $Esa.UploadSiteOriginClientCertificateRequest({ siteId: Number(DEMO.sites.basic), certificate: own.certificatePem, privateKey: own.privateKeyPem }),
        ),
      ),
    ).resolves.toMatchObject({ code: 'QuotaCheckFailed.Function' });
  });

  it('gets the documented error codes for invalid applications', async () => {
    const apply = (siteId: number, domains: string, type?: string) =>
      failure(esa.applyCertificate(new $Esa.ApplyCertificateRequest({ siteId, domains, ...(type ? { type } : {}) })));
    await expect(apply(999, 'a.example.com')).resolves.toMatchObject({ code: 'SiteNotFound' });
    await expect(apply(Number(DEMO.sites.pending), 'a.pending-example.com')).resolves.toMatchObject({ code: 'SiteNotActivated' });
    await expect(apply(site, 'a.example.com', 'comodo')).resolves.toMatchObject({ code: 'InvalidParameter.Type' });
    await expect(apply(site, 'www.other.org')).resolves.toMatchObject({ code: 'InvalidParameter.Domains' });
    await expect(apply(Number(DEMO.sites.cname), '*.cname-example.com')).resolves.toMatchObject({ code: 'InvalidParameter.Domains' });
  });

  it('is refused with Unauthorized.InvalidToken when it signs with the wrong secret', async () => {
    const wrong = new Esa(new $OpenApiUtil.Config({ accessKeyId: 'emulator-key', accessKeySecret: 'nope', endpoint: emulator.endpoint, protocol: 'http' }));
    await expect(failure(wrong.listSites(new $Esa.ListSitesRequest({})))).resolves.toMatchObject({ code: 'Unauthorized.InvalidToken', statusCode: 403 });
  });
});
