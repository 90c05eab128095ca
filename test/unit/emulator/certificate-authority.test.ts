import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '../../../src/emulator/pki/certificate-facts';
import { verifyCsr } from '../../../src/emulator/pki/csr';
import { IssuingAuthorities } from '../../../src/emulator/pki/issuing-authorities';
import { generateKeys } from '../../../src/emulator/pki/key-pairs';
import { makeCsr, opensslFacts } from '../../helpers/openssl';

/** openssl verify with the issuing intermediate as the trust anchor. */
function opensslVerifiesAgainst(leafPem: string, anchorPem: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ca-test-'));
  try {
    writeFileSync(join(dir, 'anchor.pem'), anchorPem);
    writeFileSync(join(dir, 'leaf.pem'), leafPem);
    return execFileSync('openssl', ['verify', '-partial_chain', '-CAfile', join(dir, 'anchor.pem'), join(dir, 'leaf.pem')], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the emulated issuing authorities', () => {
  const authorities = new IssuingAuthorities();
  const now = new Date();

  it.each(['lets_encrypt', 'digicert'] as const)('issue %s leaves that openssl verifies against the intermediate', async (name) => {
    const authority = await authorities.get(name, now);
    const keys = await generateKeys('ECDSA');
    const leaf = await authority.issue({
      subject: { commonName: 'www.issued.test' },
      dnsNames: ['www.issued.test', 'issued.test'],
      publicKeyDer: keys.publicKeyDer,
      notBefore: now,
      validityDays: 90,
      usage: 'server',
    });
    expect(opensslVerifiesAgainst(leaf, authority.chainPem)).toContain('OK');
    const facts = opensslFacts(leaf);
    expect(facts.dnsNames).toEqual(['www.issued.test', 'issued.test']);
    expect(parseCertificate(leaf).facts.validityDays).toBe(90);
  });

  it('creates each authority once, however many ask at the same time', async () => {
    const fresh = new IssuingAuthorities();
    const [a, b] = await Promise.all([fresh.get('lets_encrypt', now), fresh.get('lets_encrypt', now)]);
    expect(a).toBe(b);
    expect(Object.keys(fresh.snapshot())).toEqual(['lets_encrypt']);
  });

  it('comes back from a snapshot with the same certificates', async () => {
    const first = await authorities.get('digicert', now);
    const restored = await new IssuingAuthorities(authorities.snapshot()).get('digicert', now);
    expect(restored.record.certificatePem).toBe(first.record.certificatePem);
  });
});

describe('verifying certificate signing requests', () => {
  it('reads the subject, the SANs and the public key of a CSR openssl made', async () => {
    const csr = makeCsr({ commonName: 'client.csr.test', organization: 'CSR Org', dnsNames: ['a.csr.test', 'b.csr.test'] });
    const verified = await verifyCsr(csr.csrPem);
    expect(verified).toMatchObject({ commonName: 'client.csr.test', organization: 'CSR Org', dnsNames: ['a.csr.test', 'b.csr.test'] });
  });

  it('refuses a CSR whose signature does not verify', async () => {
    const csr = makeCsr({ commonName: 'tampered.csr.test' });
    const lines = csr.csrPem.split('\n');
    // Flip a character inside the signed subject name: the structure still parses, the signature fails.
    const index = lines.findIndex((line) => line.length === 64);
    const line = lines[index] as string;
    lines[index] = line.slice(0, 40) + (line[40] === 'A' ? 'B' : 'A') + line.slice(41);
    await expect(verifyCsr(lines.join('\n'))).rejects.toMatchObject({ reason: expect.stringMatching(/badSignature|malformed/) });
  });

  it('refuses text that is not a CSR', async () => {
    await expect(verifyCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n')).rejects.toMatchObject({ reason: 'malformed' });
    await expect(verifyCsr('nothing')).rejects.toMatchObject({ reason: 'malformed' });
  });
});
