import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { makeCertificate, makeCsr, opensslFacts, opensslVerifies } from '../../helpers/openssl';

type Body = Record<string, unknown>;
type Created = Body & { Id: string; Certificate: string; PrivateKey?: string; CACertificateId: string };
type Got = Body & { Certificate: string; Result: Body };
type Listed = Body & { TotalCount: number; Result: Body[] };

const SITE = DEMO.sites.example;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY_MS = 86_400_000;
/** openssl's names for the signature algorithms, in the Go naming ESA answers with. */
const SIGNATURE_NAMES: Record<string, string> = { sha256WithRSAEncryption: 'SHA256-RSA', 'ecdsa-with-SHA256': 'ECDSA-SHA256' };

/** The SubjectPublicKeyInfo of a certificate, or of the public half of a private key. */
const spki = (source: string | KeyObject) =>
  (typeof source === 'string' ? new X509Certificate(source).publicKey : createPublicKey(source)).export({ type: 'spki', format: 'der' });
const authorityKeyId = (pem: string) =>
  execFileSync('openssl', ['x509', '-noout', '-ext', 'authorityKeyIdentifier'], { input: pem, encoding: 'utf8' }).split('\n').slice(1).join('').trim();

/** Flips one bit of the CSR's last DER byte, which lies inside its signature. */
function tamperedSignature(csrPem: string): string {
  const der = Buffer.from(csrPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}

/** A valid CSR whose subject carries an organisation and no CN. */
function csrWithoutCommonName(): string {
  const args = ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/O=Example Inc'];
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

describe.each(['v3', 'v2'] as const)('ESA client certificates over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;
  const list = () => esa.call<Listed>('ListClientCertificates', { SiteId: SITE, PageSize: 500 });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it('issues a certificate for a CSR, with every reported value matching openssl', async () => {
    const names = ['client.example.com', 'api.example.com'];
    const csr = makeCsr({ commonName: 'client.example.com', dnsNames: names, organization: 'Example Inc', keyType: 'rsa' });
    const body = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr.csrPem, ValidityDays: 365 });
    const facts = opensslFacts(body.Certificate);
    expect(body).not.toHaveProperty('PrivateKey');
    expect(body).toMatchObject({
      Id: expect.stringMatching(/^[0-9a-f]{32}$/),
      Status: 'active',
      CommonName: facts.commonName,
      NotBefore: facts.notBefore,
      NotAfter: facts.notAfter,
      Issuer: facts.issuerOrganization,
      SerialNumber: facts.serialNumber,
      FingerprintSha256: facts.fingerprintSha256,
      SignatureAlgorithm: SIGNATURE_NAMES[facts.signatureAlgorithm],
      ValidityDays: 365,
      CACertificateId: DEMO.clientAuthority,
    });
    expect([facts.commonName, facts.issuerOrganization, facts.dnsNames]).toEqual(['client.example.com', 'DCDN CA', names]);
    expect(Date.parse(facts.notAfter) - Date.parse(facts.notBefore)).toBe(365 * DAY_MS);
    const leaf = new X509Certificate(body.Certificate);
    expect(leaf.subject).toContain('O=Example Inc');
    expect(leaf.keyUsage).toEqual([CLIENT_AUTH]);
    expect(spki(body.Certificate)).toEqual(spki(createPrivateKey(csr.privateKeyPem)));
  });

  it('reports the certificate identically in Get and List, as openssl reads it', async () => {
    const csr = makeCsr({ commonName: 'device-7.example.com', dnsNames: ['device-7.example.com'] });
    const created = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr.csrPem, ValidityDays: 30 });
    const got = await esa.call<Got>('GetClientCertificate', { SiteId: SITE, Id: created.Id });
    const facts = opensslFacts(got.Certificate);
    expect(got).toMatchObject({ SiteId: Number(SITE), SiteName: 'example.com', Status: 'active', Certificate: created.Certificate });
    expect(got.Result).toEqual({
      Id: created.Id,
      Name: 'device-7.example.com',
      Type: 'dcdn',
      Status: 'active',
      CommonName: facts.commonName,
      SAN: facts.dnsNames.join(','),
      Issuer: facts.issuerOrganization,
      SerialNumber: facts.serialNumber,
      FingerprintSha256: facts.fingerprintSha256,
      PubkeyAlgorithm: 'ECDSA',
      SignatureAlgorithm: SIGNATURE_NAMES[facts.signatureAlgorithm],
      NotBefore: facts.notBefore,
      NotAfter: facts.notAfter,
      CreateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      UpdateTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      CACertificateId: DEMO.clientAuthority,
    });
    const listed = await list();
    expect(listed).toMatchObject({ SiteId: Number(SITE), SiteName: 'example.com', PageNumber: 1, PageSize: 500, TotalCount: 2 });
    expect(listed.Result.map((item) => item.Id)).toEqual([DEMO.clientCertificate, created.Id]);
    expect(listed.Result[1]).toEqual(got.Result);
    const second = await esa.call<Listed>('ListClientCertificates', { SiteId: SITE, PageNumber: 2, PageSize: 1 });
    expect([second.TotalCount, second.Result.map((item) => item.Id)]).toEqual([2, [created.Id]]);
  });

  it.each([
    { label: 'an RSA 2048 key without PkeyType', pkeyType: undefined, keyType: 'rsa', details: { modulusLength: 2048 } },
    { label: 'an RSA 2048 key for PkeyType RSA', pkeyType: 'RSA', keyType: 'rsa', details: { modulusLength: 2048 } },
    { label: 'an ECDSA P-256 key for PkeyType ECDSA', pkeyType: 'ECDSA', keyType: 'ec', details: { namedCurve: 'prime256v1' } },
  ])('generates $label and returns it once, as PKCS#8', async ({ pkeyType, keyType, details }) => {
    const created = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, PkeyType: pkeyType, ValidityDays: 90 });
    expect(created.PrivateKey).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(created.PrivateKey ?? '');
    expect(key.asymmetricKeyType).toBe(keyType);
    expect(key.asymmetricKeyDetails).toMatchObject(details);
    expect(spki(created.Certificate)).toEqual(spki(key));
    // The Common Name of a generated key's certificate is the certificate's own Id.
    expect(opensslFacts(created.Certificate).commonName).toBe(created.Id);
    const later = JSON.stringify([await esa.call('GetClientCertificate', { SiteId: SITE, Id: created.Id }), await list()]);
    expect(later).not.toContain('PRIVATE KEY');
    expect(later).toContain(created.Id);
  });

  it('signs every certificate of the account with the same CA', async () => {
    const csr = makeCsr({ commonName: 'a.example.com' }).csrPem;
    const fromCsr = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr, ValidityDays: 10 });
    const generated = await esa.call<Created>('CreateClientCertificate', { SiteId: DEMO.sites.cname, PkeyType: 'ECDSA', ValidityDays: 10 });
    const demo = await esa.call<Got>('GetClientCertificate', { SiteId: SITE, Id: DEMO.clientCertificate });
    const certificates = [fromCsr.Certificate, generated.Certificate, demo.Certificate];
    expect(new Set(certificates.map((pem) => new X509Certificate(pem).issuer)).size).toBe(1);
    expect(new Set(certificates.map(authorityKeyId)).size).toBe(1);
    expect(authorityKeyId(fromCsr.Certificate)).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(generated.CACertificateId).toBe(fromCsr.CACertificateId);
  });

  it('revokes, re-activates and deletes a certificate, refusing each step in the wrong state', async () => {
    const csr = makeCsr({ commonName: 'x.example.com' }).csrPem;
    const { Id } = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr, ValidityDays: 5 });
    const reference = { Id, SiteId: Number(SITE), SiteName: 'example.com' };
    const status = async () => (await esa.call<Got>('GetClientCertificate', { SiteId: SITE, Id })).Status;
    const statusError = { code: 'Certificate.StatusError', statusCode: 400 };

    await expect(esa.fail('ActivateClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject(statusError);
    await expect(esa.fail('DeleteClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject(statusError);
    await expect(esa.call('RevokeClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject(reference);
    expect(await status()).toBe('revoked');
    await expect(esa.fail('RevokeClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject(statusError);
    await expect(esa.call('ActivateClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject(reference);
    expect(await status()).toBe('active');
    await esa.call('RevokeClientCertificate', { SiteId: SITE, Id });
    await expect(esa.call('DeleteClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject(reference);
    await expect(esa.fail('GetClientCertificate', { SiteId: SITE, Id })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
    expect((await list()).Result.map((item) => item.Id)).toEqual([DEMO.clientCertificate]);
  });

  it('answers the documented site and plan errors, and Certificate.NotFound for an id not of the site', async () => {
    const csr = makeCsr({ commonName: 'c.example.com' }).csrPem;
    const create = (siteId?: string) => esa.fail('CreateClientCertificate', { SiteId: siteId, CSR: csr, ValidityDays: 10 });
    await expect(create()).resolves.toMatchObject({ code: 'MissingSiteId', statusCode: 400 });
    await expect(create('999')).resolves.toMatchObject({ code: 'InvalidParameter.SiteId', statusCode: 400 });
    await expect(create('not-a-number')).resolves.toMatchObject({ code: 'InvalidParameter.SiteId', statusCode: 400 });
    await expect(create(DEMO.sites.basic)).resolves.toMatchObject({ code: 'QuotaCheckFailed.Function', statusCode: 400 });
    for (const action of ['GetClientCertificate', 'RevokeClientCertificate', 'ActivateClientCertificate', 'DeleteClientCertificate']) {
      await expect(esa.fail(action, { SiteId: SITE, Id: 'babadeadbeef' })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
      await expect(esa.fail(action, { SiteId: DEMO.sites.cname, Id: DEMO.clientCertificate })).resolves.toMatchObject({ code: 'Certificate.NotFound' });
      await expect(esa.fail(action, { SiteId: SITE })).resolves.toMatchObject({ code: 'Id.MissingParameter', statusCode: 400 });
      await expect(esa.fail(action, { Id: DEMO.clientCertificate })).resolves.toMatchObject({ code: 'MissingSiteId' });
    }
    await expect(esa.fail('ListClientCertificates', { SiteId: '999' })).resolves.toMatchObject({ code: 'InvalidParameter.SiteId' });
  });

  it('refuses bad ValidityDays, PkeyType and CSR values with InvalidParameter and stores nothing', async () => {
    const before = await list();
    const csr = makeCsr({ commonName: 'v.example.com', keyType: 'rsa' }).csrPem;
    type Refusal = [Record<string, string | number | undefined>, string];
    const refusals: Refusal[] = [
      [{ CSR: csr }, 'ValidityDays'],
      ...[0, 3651, '1.5', '-3', 'abc', '9'.repeat(40)].map((days): Refusal => [{ CSR: csr, ValidityDays: days }, 'ValidityDays']),
      [{ PkeyType: 'DSA', ValidityDays: 10 }, 'PkeyType'],
      [{ PkeyType: 'ED25519', CSR: csr, ValidityDays: 10 }, 'PkeyType'],
      [{ CSR: 'not a CSR', ValidityDays: 10 }, 'CSR'],
      [{ CSR: Buffer.from(Array.from({ length: 512 }, (_v, i) => (i * 37) % 256)).toString('latin1'), ValidityDays: 10 }, 'CSR'],
      [{ CSR: `-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(100_000)}\n-----END CERTIFICATE REQUEST-----\n`, ValidityDays: 10 }, 'CSR'],
      [{ CSR: makeCertificate({ commonName: 'cert.example.com' }).certificatePem, ValidityDays: 10 }, 'CSR'],
      [{ CSR: tamperedSignature(csr), ValidityDays: 10 }, 'signature'],
      [{ CSR: csrWithoutCommonName(), ValidityDays: 10 }, 'Common Name'],
    ];
    for (const [params, detail] of refusals) {
      const error = await esa.fail('CreateClientCertificate', { SiteId: SITE, ...params });
      const seen = { code: error.code, statusCode: error.statusCode, namesTheValue: error.message.includes(detail) };
      expect(seen).toEqual({ code: 'InvalidParameter', statusCode: 400, namesTheValue: true });
    }
    expect(await list()).toEqual({ ...before, RequestId: expect.any(String) });
  });

  it.each([512, 1024])('refuses a CSR with a %i-bit RSA key with InvalidParameter and signs nothing', async (bits) => {
    const before = await list();
    const csr = makeCsr({ commonName: 'weak.example.com', keyType: 'rsa', rsaBits: bits }).csrPem;

    const error = await esa.fail('CreateClientCertificate', { SiteId: SITE, CSR: csr, ValidityDays: 30 });

    expect({ code: error.code, statusCode: error.statusCode }).toEqual({ code: 'InvalidParameter', statusCode: 400 });
    expect(error.data?.Message).toContain(`RSA key has ${bits} bits`);
    expect(await list()).toEqual({ ...before, RequestId: expect.any(String) });
  });

  it('signs a CSR with a 2048-bit RSA key, the least it accepts', async () => {
    const csr = makeCsr({ commonName: 'strong.example.com', keyType: 'rsa', rsaBits: 2048 });
    const body = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr.csrPem, ValidityDays: 30 });
    expect(spki(body.Certificate)).toEqual(spki(createPrivateKey(csr.privateKeyPem)));
  });

  it('accepts the ValidityDays bounds of 1 and 3650 days', async () => {
    const csr = makeCsr({ commonName: 'bounds.example.com' }).csrPem;
    for (const days of [1, 3650]) {
      const body = await esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr, ValidityDays: days });
      const facts = opensslFacts(body.Certificate);
      expect([body.ValidityDays, Date.parse(facts.notAfter) - Date.parse(facts.notBefore)]).toEqual([days, days * DAY_MS]);
    }
  });
});

interface SavedAuthority {
  certificatePem: string;
  privateKeyPem: string;
}
interface SavedState {
  authorities: Record<string, SavedAuthority>;
  accounts: Record<string, Body & { clientAuthority?: { id: string; authority: SavedAuthority } }>;
}
const readState = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as SavedState;

function savedClientAuthority(file: string): { id: string; authority: SavedAuthority } {
  const authority = readState(file).accounts['emulator-key']?.clientAuthority;
  if (!authority) throw new Error('the state file holds no client CA');
  return authority;
}

describe('the ESA client CA, as kept in the state file', () => {
  let stateFile: string;
  beforeEach(() => {
    stateFile = join(mkdtempSync(join(tmpdir(), 'client-ca-')), 'state.json');
  });
  afterEach(() => rmSync(dirname(stateFile), { recursive: true, force: true }));

  it('issues certificates that openssl verifies against the account CA, and keeps generated keys out of state', async () => {
    const emulator = await startTestEmulator({ stateFile });
    try {
      const created = await new AlibabaTestClient(emulator, 'ESA').call<Created>('CreateClientCertificate', { SiteId: SITE, ValidityDays: 365 });
      const ca = savedClientAuthority(stateFile);
      expect(ca.id).toBe(created.CACertificateId);
      expect(opensslVerifies(created.Certificate, ca.authority.certificatePem)).toBe(true);
      const impostor = makeCertificate({ commonName: 'ESA Client CA', organization: 'DCDN CA' });
      expect(opensslVerifies(created.Certificate, impostor.certificatePem)).toBe(false);

      const text = readFileSync(stateFile, 'utf8');
      const keyLines = (created.PrivateKey ?? '').split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
      expect(keyLines.length).toBeGreaterThan(10);
      expect(keyLines.filter((line) => text.includes(line))).toEqual([]);
      // Only CA keys are kept: the client CA's and the issuing intermediates' (BEGIN and END line each).
      const caKeys = 1 + Object.keys(readState(stateFile).authorities).length;
      expect(text.split('PRIVATE KEY-----').length - 1).toBe(2 * caKeys);
    } finally {
      await emulator.stop();
    }
  });

  it('creates the CA on first use, exactly once when first uses arrive together', async () => {
    const first = await startTestEmulator({ stateFile });
    await new AlibabaTestClient(first, 'ESA').call('ListSites');
    await first.stop();
    const document = readState(stateFile);
    const account = document.accounts['emulator-key'] ?? {};
    delete account.clientAuthority;
    account.clientCertificates = [];
    writeFileSync(stateFile, JSON.stringify(document));

    const second = await startTestEmulator({ stateFile });
    try {
      const esa = new AlibabaTestClient(second, 'ESA');
      const csrs = ['one', 'two', 'three'].map((name) => makeCsr({ commonName: `${name}.example.com` }).csrPem);
      const created = await Promise.all(csrs.map((csr) => esa.call<Created>('CreateClientCertificate', { SiteId: SITE, CSR: csr, ValidityDays: 30 })));
      const ca = savedClientAuthority(stateFile);
      expect(ca.id).toMatch(/^[0-9a-f]{32}$/);
      expect(ca.id).not.toBe(DEMO.clientAuthority);
      expect(created.map((body) => body.CACertificateId)).toEqual([ca.id, ca.id, ca.id]);
      expect(created.map((body) => opensslVerifies(body.Certificate, ca.authority.certificatePem))).toEqual([true, true, true]);
      const caFacts = opensslFacts(ca.authority.certificatePem);
      expect([caFacts.commonName, caFacts.issuerOrganization, created[0]?.Issuer]).toEqual(['ESA Client CA', 'DCDN CA', 'DCDN CA']);
      expect(createPrivateKey(ca.authority.privateKeyPem).asymmetricKeyDetails).toMatchObject({ modulusLength: 2048 });
    } finally {
      await second.stop();
    }
  });
});
