import { createPrivateKey } from 'node:crypto';
import { parseCertificate } from '../../../src/emulator/pki/certificate-facts';
import { PemError } from '../../../src/emulator/pki/pem';
import { keyMatchesPublicKey, parsePrivateKey } from '../../../src/emulator/pki/private-key';
import { makeCertificate, makeKey } from '../../helpers/openssl';

describe('reading private keys', () => {
  it.each([
    ['RSA', 'PKCS#1', 'rsa', 'traditional', 'RSA PRIVATE KEY'],
    ['RSA', 'PKCS#8', 'rsa', 'pkcs8', 'PRIVATE KEY'],
    ['EC', 'SEC1', 'ec', 'traditional', 'EC PRIVATE KEY'],
    ['EC', 'PKCS#8', 'ec', 'pkcs8', 'PRIVATE KEY'],
  ] as const)('reads %s keys in %s PEM and matches them to their certificate only', (_algorithm, _format, keyType, keyFormat, label) => {
    const own = makeCertificate({ commonName: 'key.test', keyType, keyFormat });
    const other = makeCertificate({ commonName: 'other.test', keyType });
    expect(own.privateKeyPem).toContain(`BEGIN ${label}`);
    const key = parsePrivateKey(own.privateKeyPem);
    expect(keyMatchesPublicKey(key, parseCertificate(own.certificatePem).publicKeyDer)).toBe(true);
    expect(keyMatchesPublicKey(key, parseCertificate(other.certificatePem).publicKeyDer)).toBe(false);
  });

  it('accepts openssl ecparam output, whose key follows an EC PARAMETERS block', () => {
    const sec1 = makeKey('ec', 'traditional');
    const withParameters = `-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n${sec1}`;
    expect(parsePrivateKey(withParameters).asymmetricKeyType).toBe('ec');
  });

  it('refuses an encrypted key as encrypted, not as malformed', () => {
    const encrypted = createPrivateKey(makeKey('ec')).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect(() => parsePrivateKey(encrypted)).toThrow(expect.objectContaining({ reason: 'encrypted' }));
  });

  it.each([
    ['empty input', ' ', 'empty'],
    ['a certificate instead of a key', makeCertificate({ commonName: 'c' }).certificatePem, 'malformed'],
    ['a key block of junk', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'malformed'],
  ])('refuses %s', (_name, input, reason) => {
    expect(() => parsePrivateKey(input)).toThrow(PemError);
    expect(() => parsePrivateKey(input)).toThrow(expect.objectContaining({ reason }));
  });
});
