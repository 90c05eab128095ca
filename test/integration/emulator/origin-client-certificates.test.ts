import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { makeCertificate, makeKey, opensslFacts, type KeyFormat, type KeyType, type TestCertificate } from '../../helpers/openssl';

type Body = Record<string, unknown>;
type Uploaded = Body & { Id: string };
type Got = Body & { Certificate: string; Result: Body };
type Listed = Body & { TotalCount: number; Result: Body[] };

const SITE = DEMO.sites.example;
/** openssl's names for the signature algorithms, in the Go naming ESA answers with. */
const SIGNATURE_NAMES: Record<string, string> = { sha256WithRSAEncryption: 'SHA256-RSA', 'ecdsa-with-SHA256': 'ECDSA-SHA256' };
const encrypted = (keyPem: string) =>
  execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:secret'], { input: keyPem, encoding: 'utf8' });

describe.each(['v3', 'v2'] as const)('ESA site origin client certificates over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;
  let originCa: TestCertificate;
  let client: TestCertificate;
  const list = () => esa.call<Listed>('ListSiteOriginClientCertificates', { SiteId: SITE });
  const pair = (certificate: TestCertificate) => ({ Certificate: certificate.certificatePem, PrivateKey: certificate.privateKeyPem });
  const upload = (certificate: TestCertificate, extra: Record<string, string> = {}) =>
    esa.call<Uploaded>('UploadSiteOriginClientCertificate', { SiteId: SITE, ...pair(certificate), ...extra });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
    originCa = makeCertificate({ commonName: 'Example Origin CA', organization: 'Example Origin Inc' });
    client = makeCertificate({ commonName: 'esa.example.com', dnsNames: ['esa.example.com', 'edge.example.com'], issuer: originCa });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it.each([
    ['rsa', 'traditional', 'RSA PRIVATE KEY'],
    ['rsa', 'pkcs8', 'PRIVATE KEY'],
    ['ec', 'traditional', 'EC PRIVATE KEY'],
    ['ec', 'pkcs8', 'PRIVATE KEY'],
  ] as Array<[KeyType, KeyFormat, string]>)('accepts a certificate with an %s key in %s form (%s) and reports it as openssl reads it', async (keyType, keyFormat, label) => {
    const certificate = makeCertificate({ commonName: 'origin-client.example.com', issuer: originCa, keyType, keyFormat, days: 200 });
    expect(certificate.privateKeyPem.startsWith(`-----BEGIN ${label}-----`)).toBe(true);
    const body = await upload(certificate, { Name: 'origin-mtls-2' });
    const facts = opensslFacts(certificate.certificatePem);
    expect(body).toEqual({
      RequestId: expect.any(String),
      Id: expect.stringMatching(/^[0-9a-f]{32}$/),
      Status: 'OK',
      CommonName: facts.commonName,
      NotBefore: facts.notBefore,
      NotAfter: facts.notAfter,
      Issuer: facts.issuerOrganization,
      SerialNumber: facts.serialNumber,
      FingerprintSha256: facts.fingerprintSha256,
      SignatureAlgorithm: SIGNATURE_NAMES[facts.signatureAlgorithm],
      ValidityDays: 200,
    });
    expect([facts.issuerOrganization, facts.signatureAlgorithm]).toEqual(['Example Origin Inc', 'ecdsa-with-SHA256']);
  });

  it('reports the uploaded certificate identically in Get and List, without its key', async () => {
    const { Id } = await upload(client, { Name: 'edge-to-origin' });
    const got = await esa.call<Got>('GetSiteOriginClientCertificate', { SiteId: SITE, Id });
    const facts = opensslFacts(got.Certificate);
    expect(facts.fingerprintSha256).toBe(opensslFacts(client.certificatePem).fingerprintSha256);
    expect(got).toMatchObject({ SiteId: Number(SITE), SiteName: 'example.com', Status: 'OK' });
    expect(got.Result).toEqual({
      Id,
      Name: 'edge-to-origin',
      Type: 'upload',
      Status: 'OK',
      CommonName: facts.commonName,
      SAN: 'esa.example.com,edge.example.com',
      Issuer: facts.issuerOrganization,
      SerialNumber: facts.serialNumber,
      FingerprintSha256: facts.fingerprintSha256,
      PubkeyAlgorithm: 'ECDSA',
      SignatureAlgorithm: SIGNATURE_NAMES[facts.signatureAlgorithm],
      NotBefore: facts.notBefore,
      NotAfter: facts.notAfter,
      CreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      UpdateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    const listed = await list();
    expect(listed).toMatchObject({ SiteId: Number(SITE), SiteName: 'example.com', PageNumber: 1, PageSize: 20, TotalCount: 2 });
    expect(listed.Result.map((item) => item.Id)).toEqual([DEMO.originClientCertificate, Id]);
    expect(listed.Result[1]).toEqual(got.Result);
    expect(JSON.stringify([got, listed])).not.toContain('PRIVATE KEY');
  });

  it('names the certificate after its Common Name when no Name is given', async () => {
    const { Id } = await upload(client);
    await expect(esa.call<Got>('GetSiteOriginClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject({ Result: { Name: 'esa.example.com' } });
  });

  it('reports Expired once the emulator clock passes NotAfter', async () => {
    const { Id } = await upload(makeCertificate({ commonName: 'short.example.com', issuer: originCa, days: 2 }));
    await emulator.admin('POST', 'clock', { advanceSeconds: 3 * 86_400 });
    await expect(esa.call<Got>('GetSiteOriginClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject({ Status: 'Expired', Result: { Status: 'Expired' } });
    expect((await list()).Result.map((item) => item.Status)).toEqual(['OK', 'Expired']);
  });

  it('deletes a certificate so Get answers Certificate.NotFound', async () => {
    const { Id } = await upload(client);
    await expect(esa.call('DeleteSiteOriginClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject({ Id, SiteId: Number(SITE), SiteName: 'example.com' });
    await expect(esa.fail('GetSiteOriginClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
    await expect(esa.fail('DeleteSiteOriginClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject({ code: 'Certificate.NotFound' });
    expect((await list()).Result.map((item) => item.Id)).toEqual([DEMO.originClientCertificate]);
  });

  it('refuses every bad upload with its documented code and stores nothing', async () => {
    const before = await list();
    const other = makeCertificate({ commonName: 'other.example.com', issuer: originCa });
    const expired = makeCertificate({ commonName: 'old.example.com', issuer: originCa, startDate: '20200101000000Z', endDate: '20210101000000Z' });
    const refusals: Array<[Record<string, string | undefined>, string, string?]> = [
      [{ SiteId: undefined }, 'MissingSiteId'],
      [{ SiteId: '999' }, 'InvalidParameter.SiteId'],
      [{ SiteId: DEMO.sites.basic }, 'QuotaCheckFailed.Function'],
      [{ PrivateKey: other.privateKeyPem }, 'CertificateNotMatchPrivateKey'],
      [{ PrivateKey: makeKey('rsa', 'traditional') }, 'CertificateNotMatchPrivateKey'],
      [pair(expired), 'Certificate.StatusError', '2021-01-01T00:00:00Z'],
      [{ Certificate: undefined }, 'InvalidParameter', 'Certificate'],
      [{ PrivateKey: undefined }, 'InvalidParameter', 'PrivateKey'],
      [{ Certificate: 'not a certificate' }, 'InvalidParameter', 'Certificate'],
      [{ Certificate: Buffer.from(Array.from({ length: 600 }, (_v, i) => (i * 53) % 256)).toString('latin1') }, 'InvalidParameter', 'Certificate'],
      [{ Certificate: `-----BEGIN CERTIFICATE-----\n${'A'.repeat(100_000)}\n-----END CERTIFICATE-----\n` }, 'InvalidParameter', 'Certificate'],
      [{ PrivateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }, 'InvalidParameter', 'PrivateKey'],
      [{ PrivateKey: encrypted(client.privateKeyPem) }, 'InvalidParameter', 'encrypted'],
      [{ Name: 'n'.repeat(256) }, 'InvalidParameter', 'Name'],
    ];
    for (const [params, code, detail] of refusals) {
      const error = await esa.fail('UploadSiteOriginClientCertificate', { SiteId: SITE, ...pair(client), ...params });
      const seen = { code: error.code, statusCode: error.statusCode, namesTheValue: error.message.includes(detail ?? '') };
      expect(seen).toEqual({ code, statusCode: 400, namesTheValue: true });
    }
    expect(await list()).toEqual({ ...before, RequestId: expect.any(String) });
  });

  it('answers the documented site errors and Certificate.NotFound for an id not of the site', async () => {
    for (const action of ['GetSiteOriginClientCertificate', 'DeleteSiteOriginClientCertificate']) {
      await expect(esa.fail(action, { SiteId: SITE, Id: 'babadeadbeef' })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
      await expect(esa.fail(action, { SiteId: DEMO.sites.cname, Id: DEMO.originClientCertificate })).resolves.toMatchObject({ code: 'Certificate.NotFound' });
      await expect(esa.fail(action, { SiteId: SITE })).resolves.toMatchObject({ code: 'Id.MissingParameter', statusCode: 400 });
      await expect(esa.fail(action, { Id: DEMO.originClientCertificate })).resolves.toMatchObject({ code: 'MissingSiteId', statusCode: 400 });
      await expect(esa.fail(action, { SiteId: 'x1', Id: DEMO.originClientCertificate })).resolves.toMatchObject({ code: 'InvalidParameter.SiteId' });
    }
    await expect(esa.fail('ListSiteOriginClientCertificates', { SiteId: '999' })).resolves.toMatchObject({ code: 'InvalidParameter.SiteId' });
    await expect(esa.fail('ListSiteOriginClientCertificates', { SiteId: SITE, PageSize: 0 })).resolves.toMatchObject({ code: 'InvalidParameter' });
    await expect(esa.call('GetSiteOriginClientCertificate', { SiteId: SITE, Id: DEMO.originClientCertificate })).resolves.toHaveProperty('Status', 'OK');
  });
});

describe('site origin client certificates in the state file', () => {
  it('keeps the uploaded certificate and never its private key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'origin-client-'));
    const emulator = await startTestEmulator({ stateFile: join(dir, 'state.json') });
    try {
      const certificate = makeCertificate({ commonName: 'kept.example.com', keyType: 'rsa', keyFormat: 'traditional' });
      const { Id } = await new AlibabaTestClient(emulator, 'ESA').call<Uploaded>('UploadSiteOriginClientCertificate', {
        SiteId: SITE,
        Certificate: certificate.certificatePem,
        PrivateKey: certificate.privateKeyPem,
      });
      const text = readFileSync(join(dir, 'state.json'), 'utf8');
      const body = (pem: string) => pem.split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
      expect(text).toContain(Id);
      expect(body(certificate.certificatePem).every((line) => text.includes(line))).toBe(true);
      expect(body(certificate.privateKeyPem).filter((line) => text.includes(line))).toEqual([]);
      expect(text).not.toContain('RSA PRIVATE KEY');
    } finally {
      await emulator.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
