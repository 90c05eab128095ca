import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { checkFreeCertificateDomains, DOMAIN_LIMITS } from '../../../src/domain/validation/free-certificate-domains';
import { checkRegionId, checkSiteId, checkValidityDays } from '../../../src/domain/validation/identifiers';
import { checkCertificateAndKey, checkCsr } from '../../../src/domain/validation/pem-checks';
import { makeCertificate, makeCsr, makeKey, type KeyFormat, type KeyType } from '../../helpers/openssl';

/** What `work` threw, as the fields a caller sees; fails when it did not throw a GatewayError. */
function refusal(work: () => unknown) {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    const refused = error as GatewayError;
    return { code: refused.code, category: refused.category, httpStatus: refused.httpStatus, provider: refused.details.provider, action: refused.details.action, message: refused.message };
  }
  throw new Error('Expected a refusal, but the input was accepted.');
}

const names = (count: number, wildcard = false) => Array.from({ length: count }, (_, index) => `${wildcard ? '*.' : ''}host${index}.example.com`);

describe('free certificate domains', () => {
  it.each([
    ['lets_encrypt', 50],
    ['digicert_single', 10],
    ['digicert_wildcard', 1],
  ] as const)('accept up to the documented %s limit of %i domains and refuse one more', (type, limit) => {
    const wildcard = type === 'digicert_wildcard';
    expect(checkFreeCertificateDomains(names(limit, wildcard), type)).toHaveLength(limit);
    expect(DOMAIN_LIMITS[type]).toBe(limit);
    expect(refusal(() => checkFreeCertificateDomains(names(limit + 1, wildcard), type))).toMatchObject({
      code: 'InvalidParameter.Domains',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'ESA',
      action: 'ApplyCertificate',
      message: expect.stringContaining(`at most ${limit}`),
    });
  });

  it('counts a domain named twice once, after trimming and folding ASCII case', () => {
    const domains = [...names(50), ' HOST0.Example.COM ', 'host1.example.com'];
    expect(checkFreeCertificateDomains(domains, 'lets_encrypt')).toEqual(names(50));
  });

  it('keeps the order the caller gave', () => {
    expect(checkFreeCertificateDomains(['b.example.com', '*.example.com', 'a.example.com'], 'lets_encrypt')).toEqual(['b.example.com', '*.example.com', 'a.example.com']);
  });

  it.each([
    ['a single label', 'localhost'],
    ['a leading hyphen', '-www.example.com'],
    ['a trailing hyphen', 'www-.example.com'],
    ['an underscore', 'my_host.example.com'],
    ['an empty label', 'www..example.com'],
    ['a nested wildcard', '*.*.example.com'],
    ['a wildcard inside', 'www.*.example.com'],
    ['a numeric top-level label', '192.168.0.1'],
    ['a space', 'www example.com'],
    ['a URL', 'https://www.example.com'],
    ['a 64-character label', `${'a'.repeat(64)}.example.com`],
    ['more than 253 characters', `${Array.from({ length: 50 }, () => 'abcd').join('.')}.example.com`],
    ['a Kelvin sign that case folding would turn into k', 'www.\u212Aey.example.com'],
    ['a dotless i', 'www.\u0131nfo.example.com'],
    ['an empty string', ''],
  ])('refuse a domain with %s, naming it', (_name, domain) => {
    expect(refusal(() => checkFreeCertificateDomains(['ok.example.com', domain], 'lets_encrypt'))).toMatchObject({
      code: 'InvalidParameter.Domains',
      provider: 'ESA',
      action: 'ApplyCertificate',
      message: expect.stringContaining(`"${domain.trim().slice(0, 100)}"`),
    });
  });

  it('refuse an empty list', () => {
    expect(refusal(() => checkFreeCertificateDomains([], 'digicert_single'))).toMatchObject({ code: 'InvalidParameter.Domains' });
  });

  it('report a malformed domain before counting, as ESA does', () => {
    const refused = refusal(() => checkFreeCertificateDomains([...names(60), 'bad_name.example.com'], 'lets_encrypt'));
    expect(refused.message).toContain('bad_name.example.com');
  });
});

describe('site, region and validity checks', () => {
  it('read a site id with surrounding blanks as the id', () => {
    expect(checkSiteId(' 1234567890123 ')).toBe('1234567890123');
    expect(checkSiteId('9007199254740991')).toBe('9007199254740991');
  });

  it.each(['', '   '])('refuse the site id %j as MissingSiteId', (siteId) => {
    expect(refusal(() => checkSiteId(siteId, 'CreateClientCertificate'))).toEqual({
      code: 'MissingSiteId',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'ESA',
      action: 'CreateClientCertificate',
      message: 'Required parameter SiteId missing. Specify SiteId and try again.',
    });
  });

  it.each(['abc', '-1', '1.5', '12e3', '0x1f', '12345678901234567', '9007199254740993'])('refuse the site id %j as InvalidParameter.SiteId', (siteId) => {
    expect(refusal(() => checkSiteId(siteId, 'GetSite'))).toMatchObject({ code: 'InvalidParameter.SiteId', category: 'BAD_USER_INPUT', provider: 'ESA', action: 'GetSite' });
  });

  it.each(['cn-hangzhou', 'cn-shanghai', 'ap-southeast-1', 'us-west-1', 'cn-shanghai-finance-1'])('accept the region %s', (region) => {
    expect(checkRegionId(region)).toBe(region);
  });

  it.each(['', 'hangzhou', 'CN-HANGZHOU', 'cn_hangzhou', 'cn-', 'cn-hangzhou/../x', 'cn-hangzhou '])('refuse the region %j as an SLB InvalidParameter', (region) => {
    expect(refusal(() => checkRegionId(region, 'DescribeServerCertificates'))).toMatchObject({
      code: 'InvalidParameter',
      category: 'BAD_USER_INPUT',
      provider: 'SLB',
      action: 'DescribeServerCertificates',
    });
  });

  it.each([1, 365, 3650])('accept %i validity days', (days) => {
    expect(checkValidityDays(days)).toBe(days);
  });

  it.each([0, -1, 3651, 4000, 1.5, Number.NaN])('refuse %d validity days as InvalidParameter', (days) => {
    expect(refusal(() => checkValidityDays(days))).toMatchObject({ code: 'InvalidParameter', provider: 'ESA', action: 'CreateClientCertificate' });
  });
});

describe('uploaded certificate and key checks', () => {
  const pairs: Array<[string, KeyType, KeyFormat]> = [
    ['an RSA PKCS#1 key', 'rsa', 'traditional'],
    ['an RSA PKCS#8 key', 'rsa', 'pkcs8'],
    ['an EC SEC1 key', 'ec', 'traditional'],
    ['an EC PKCS#8 key', 'ec', 'pkcs8'],
  ];

  it.each(pairs)('accept a certificate with %s that matches it', (_name, keyType, keyFormat) => {
    const pair = makeCertificate({ commonName: 'www.example.com', keyType, keyFormat });
    const label = { rsa: { traditional: 'RSA PRIVATE KEY', pkcs8: 'PRIVATE KEY' }, ec: { traditional: 'EC PRIVATE KEY', pkcs8: 'PRIVATE KEY' } }[keyType][keyFormat];
    expect(pair.privateKeyPem).toContain(`-----BEGIN ${label}-----`);
    expect(() => checkCertificateAndKey(pair.certificatePem, pair.privateKeyPem, 'ESA', 'SetCertificate')).not.toThrow();
  });

  it('accept a chain whose first certificate matches the key', () => {
    const ca = makeCertificate({ commonName: 'Test CA', organization: 'Test Org' });
    const leaf = makeCertificate({ commonName: 'www.example.com', issuer: ca });
    expect(() => checkCertificateAndKey(leaf.certificatePem + ca.certificatePem, leaf.privateKeyPem, 'SLB', 'UploadServerCertificate')).not.toThrow();
  });

  it.each(['ESA', 'SLB'] as const)('refuse another key than the certificate holds as CertificateNotMatchPrivateKey of %s', (provider) => {
    const pair = makeCertificate({ commonName: 'www.example.com' });
    const refused = refusal(() => checkCertificateAndKey(pair.certificatePem, makeKey('ec'), provider, 'Upload'));
    expect(refused).toMatchObject({ code: 'CertificateNotMatchPrivateKey', category: 'BAD_USER_INPUT', httpStatus: 400, provider, action: 'Upload' });
    expect(refused.message).not.toContain('PRIVATE KEY');
  });

  it('refuse a key of another algorithm than the certificate as a mismatch', () => {
    const pair = makeCertificate({ commonName: 'www.example.com', keyType: 'ec' });
    expect(refusal(() => checkCertificateAndKey(pair.certificatePem, makeKey('rsa'), 'ESA', 'SetCertificate')).code).toBe('CertificateNotMatchPrivateKey');
  });

  const broken: Array<[string, (pem: string) => string]> = [
    ['text that is no PEM', () => 'hello'],
    ['a PEM cut off before its end', (pem) => pem.slice(0, 200)],
    ['a PEM whose body is not DER', () => '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'],
    ['a key where the certificate belongs', () => makeKey('ec')],
  ];

  it.each(broken)('refuse %s as a certificate: InvalidParameter for ESA, SLB\'s own InvalidParameter "format is error" for SLB', (_name, spoil) => {
    const pair = makeCertificate({ commonName: 'www.example.com' });
    const certificate = spoil(pair.certificatePem);
    expect(refusal(() => checkCertificateAndKey(certificate, pair.privateKeyPem, 'ESA', 'SetCertificate'))).toMatchObject({ code: 'InvalidParameter', provider: 'ESA' });
    expect(refusal(() => checkCertificateAndKey(certificate, pair.privateKeyPem, 'SLB', 'UploadServerCertificate'))).toEqual({
      code: 'InvalidParameter',
      category: 'BAD_USER_INPUT',
      httpStatus: 400,
      provider: 'SLB',
      action: 'UploadServerCertificate',
      message: 'The specified parameter ServerCertificate format is error.',
    });
  });

  it('refuse a DER certificate for SLB as SLB does: InvalidParameter "ServerCertificate format is error"', () => {
    const pair = makeCertificate({ commonName: 'www.example.com' });
    const der = new X509Certificate(pair.certificatePem).raw.toString('latin1');
    expect(refusal(() => checkCertificateAndKey(der, pair.privateKeyPem, 'SLB', 'UploadServerCertificate'))).toMatchObject({
      code: 'InvalidParameter',
      message: 'The specified parameter ServerCertificate format is error.',
    });
  });

  it.each([
    ['a PKCS#8 key encrypted with AES', (key: string) => execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:secret'], { input: key, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })],
    ['a traditional key with a Proc-Type header', (key: string) => execFileSync('openssl', ['rsa', '-traditional', '-aes256', '-passout', 'pass:secret'], { input: key, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })],
  ])('refuse %s: PrivateKeyEncryption for SLB, InvalidParameter for ESA', (_name, encrypt) => {
    const pair = makeCertificate({ commonName: 'www.example.com', keyType: 'rsa' });
    const encrypted = encrypt(pair.privateKeyPem);
    expect(encrypted).toContain('ENCRYPTED');
    expect(refusal(() => checkCertificateAndKey(pair.certificatePem, encrypted, 'SLB', 'UploadServerCertificate'))).toMatchObject({
      code: 'PrivateKeyEncryption',
      category: 'BAD_USER_INPUT',
      provider: 'SLB',
    });
    expect(refusal(() => checkCertificateAndKey(pair.certificatePem, encrypted, 'ESA', 'UploadSiteOriginClientCertificate'))).toMatchObject({ code: 'InvalidParameter', provider: 'ESA' });
  });

  it('refuse an encrypted key however it is introduced, by its armour alone', () => {
    const pair = makeCertificate({ commonName: 'www.example.com', keyType: 'rsa' });
    const encrypted = execFileSync('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:secret'], { input: pair.privateKeyPem, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    const introduced = `Key for www.example.com, exported on Monday\n${encrypted}`;
    expect(refusal(() => checkCertificateAndKey(pair.certificatePem, introduced, 'SLB', 'UploadServerCertificate'))).toMatchObject({ code: 'PrivateKeyEncryption', message: 'Key has Encrypted .' });
  });

  it.each([
    ['before the key', (key: string) => `This key is NOT ENCRYPTED, handle it with care\n${key}`],
    ['after the key', (key: string) => `${key}\n# stored ENCRYPTED at rest in the vault\n`],
    ['in a Proc-Type line outside the key block', (key: string) => `Proc-Type: 4,ENCRYPTED\n${key}`],
  ])('accept a plain key with the word ENCRYPTED %s', (_name, surround) => {
    const pair = makeCertificate({ commonName: 'www.example.com', keyType: 'rsa', keyFormat: 'traditional' });
    const key = surround(pair.privateKeyPem);
    expect(key).toContain('ENCRYPTED');
    expect(() => checkCertificateAndKey(pair.certificatePem, key, 'SLB', 'UploadServerCertificate')).not.toThrow();
    expect(() => checkCertificateAndKey(pair.certificatePem, key, 'ESA', 'SetCertificate')).not.toThrow();
  });

  it('refuse a key that does not parse as InvalidParameter, without quoting it', () => {
    const pair = makeCertificate({ commonName: 'www.example.com' });
    const garbled = pair.privateKeyPem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
    const refused = refusal(() => checkCertificateAndKey(pair.certificatePem, garbled, 'ESA', 'SetCertificate'));
    expect(refused.code).toBe('InvalidParameter');
    expect(refused.message).not.toContain('-----');
  });
});

describe('CSR shape check', () => {
  it('accepts a CSR made by openssl', () => {
    expect(() => checkCsr(makeCsr({ commonName: 'client.example.com' }).csrPem)).not.toThrow();
  });

  it.each([
    ['a certificate', () => makeCertificate({ commonName: 'x.example.com' }).certificatePem],
    ['plain text', () => 'please sign me'],
    ['a CSR block holding non-base64 text', () => '-----BEGIN CERTIFICATE REQUEST-----\n<script>\n-----END CERTIFICATE REQUEST-----\n'],
  ])('refuses %s as InvalidParameter of CreateClientCertificate', (_name, make) => {
    expect(refusal(() => checkCsr(make()))).toMatchObject({ code: 'InvalidParameter', provider: 'ESA', action: 'CreateClientCertificate' });
  });
});
