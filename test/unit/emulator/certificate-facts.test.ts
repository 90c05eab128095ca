import { parseCertificate } from '../../../src/emulator/pki/certificate-facts';
import { PemError } from '../../../src/emulator/pki/pem';
import { makeCertificate, opensslFacts } from '../../helpers/openssl';

describe('reading facts from a certificate', () => {
  const ca = makeCertificate({ commonName: 'Facts Test CA', organization: 'Facts Org', keyType: 'rsa' });
  const leaves = {
    'an ECDSA leaf signed by an RSA CA': makeCertificate({ commonName: 'www.facts.test', dnsNames: ['www.facts.test', 'facts.test'], issuer: ca }),
    'a self-signed RSA certificate': makeCertificate({ commonName: 'rsa.facts.test', keyType: 'rsa', days: 30 }),
  };

  it.each(Object.entries(leaves))('reports what openssl reports for %s', (_name, certificate) => {
    const { facts } = parseCertificate(certificate.certificatePem);
    const reference = opensslFacts(certificate.certificatePem);
    expect(facts).toMatchObject({
      commonName: reference.commonName,
      subjectAlternativeNames: reference.dnsNames,
      issuerCommonName: reference.issuerCommonName,
      issuer: reference.issuerOrganization ?? reference.issuerCommonName,
      serialNumber: reference.serialNumber,
      fingerprintSha256: reference.fingerprintSha256,
      fingerprintSha1: reference.fingerprintSha1,
      notBefore: reference.notBefore,
      notAfter: reference.notAfter,
    });
    expect(facts.fingerprintSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(facts.fingerprintSha1).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
  });

  it('names algorithms the way ESA does', () => {
    expect(parseCertificate(leaves['an ECDSA leaf signed by an RSA CA'].certificatePem).facts).toMatchObject({
      signatureAlgorithm: 'SHA256-RSA',
      publicKeyAlgorithm: 'ECDSA',
    });
    const ecSigned = makeCertificate({ commonName: 'ec.facts.test' });
    expect(parseCertificate(ecSigned.certificatePem).facts).toMatchObject({ signatureAlgorithm: 'ECDSA-SHA256', publicKeyAlgorithm: 'ECDSA' });
    expect(parseCertificate(leaves['a self-signed RSA certificate'].certificatePem).facts).toMatchObject({ publicKeyAlgorithm: 'RSA', validityDays: 30 });
  });

  it('takes the first certificate of a chain as the leaf and keeps the chain', () => {
    const leaf = leaves['an ECDSA leaf signed by an RSA CA'].certificatePem;
    const parsed = parseCertificate(`${leaf}\n${ca.certificatePem}`);
    expect(parsed.facts.commonName).toBe('www.facts.test');
    expect(parsed.chainPem.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it.each([
    ['empty input', '', 'empty'],
    ['text without a PEM block', 'hello', 'malformed'],
    ['a PEM block of junk', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', 'malformed'],
    ['a key instead of a certificate', makeCertificate({ commonName: 'k' }).privateKeyPem, 'malformed'],
    ['more than 64 KiB', 'A'.repeat(70 * 1024), 'tooLarge'],
  ])('refuses %s with a PemError', (_name, input, reason) => {
    expect(() => parseCertificate(input)).toThrow(PemError);
    expect(() => parseCertificate(input)).toThrow(expect.objectContaining({ reason }));
  });
});

describe('reading a certificate whose framing is fine but whose content is not', () => {
  it('refuses every single-byte corruption as malformed, never with another error', () => {
    const der = Buffer.from(
      makeCertificate({ commonName: 'corrupt.test', dnsNames: ['corrupt.test'] })
        .certificatePem.replace(/-----[^-]+-----/g, '')
        .replace(/\s/g, ''),
      'base64',
    );
    let refused = 0;
    for (let offset = 0; offset < der.length; offset += 3) {
      const corrupted = Buffer.from(der);
      corrupted[offset] = (corrupted[offset] ?? 0) ^ 0x01;
      const pem = `-----BEGIN CERTIFICATE-----\n${corrupted.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
      try {
        parseCertificate(pem);
      } catch (error) {
        expect(error).toBeInstanceOf(PemError);
        refused += 1;
      }
    }
    // Some flips land in bytes no parser checks (signature bits, serial); many must be refused.
    expect(refused).toBeGreaterThan(10);
  });
});
