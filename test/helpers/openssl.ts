import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test certificates made by the openssl CLI: an implementation independent of the code under test,
 * so the values the emulator reports can be checked against what openssl itself computes.
 */

export type KeyType = 'rsa' | 'ec';
/** PKCS#8 `PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`. */
export type KeyFormat = 'pkcs8' | 'traditional';

export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

export interface CertificateOptions {
  commonName: string;
  dnsNames?: string[];
  keyType?: KeyType;
  keyFormat?: KeyFormat;
  /** Validity in days from now (default 365). */
  days?: number;
  /** Explicit validity, `YYYYMMDDHHMMSSZ`: lets a test make an already expired certificate. */
  startDate?: string;
  endDate?: string;
  /** Signed by this CA instead of self-signed. */
  issuer?: TestCertificate;
  organization?: string;
}

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

function withDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'cert-test-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A new key; RSA keys have `rsaBits` bits (default 2048). */
export function makeKey(type: KeyType = 'ec', format: KeyFormat = 'pkcs8', rsaBits = 2048): string {
  const pkcs8 =
    type === 'rsa'
      ? openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${rsaBits}`])
      : openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
  if (format === 'pkcs8') return pkcs8;
  return type === 'rsa' ? openssl(['rsa', '-traditional'], pkcs8) : openssl(['ec'], pkcs8);
}

/** A certificate (self-signed, or signed by `issuer`) and its key, made by `openssl ca`. */
export function makeCertificate(options: CertificateOptions): TestCertificate {
  const privateKeyPem = makeKey(options.keyType ?? 'ec', options.keyFormat ?? 'pkcs8');
  return withDir((dir) => {
    const path = (name: string) => join(dir, name);
    writeFileSync(path('key.pem'), privateKeyPem);
    writeFileSync(path('index.txt'), '');
    const names = options.dnsNames ?? [];
    writeFileSync(
      path('ca.cnf'),
      [
        '[ca]',
        'default_ca = test',
        '[test]',
        `database = ${path('index.txt')}`,
        `new_certs_dir = ${dir}`,
        `serial = ${path('serial')}`,
        'default_md = sha256',
        'policy = anything',
        'unique_subject = no',
        'copy_extensions = none',
        'email_in_dn = no',
        '[anything]',
        'commonName = supplied',
        'organizationName = optional',
        '[ext]',
        options.issuer ? 'basicConstraints = critical,CA:FALSE' : 'basicConstraints = critical,CA:TRUE',
        ...(names.length ? [`subjectAltName = ${names.map((name) => `DNS:${name}`).join(',')}`] : []),
        '[req]',
        'distinguished_name = dn',
        '[dn]',
      ].join('\n'),
    );
    const subject = `/CN=${options.commonName}${options.organization ? `/O=${options.organization}` : ''}`;
    openssl(['req', '-new', '-key', path('key.pem'), '-subj', subject, '-out', path('req.csr'), '-config', path('ca.cnf')]);
    const signer = options.issuer
      ? (() => {
          writeFileSync(path('issuer.pem'), options.issuer.certificatePem);
          writeFileSync(path('issuer-key.pem'), options.issuer.privateKeyPem);
          return ['-cert', path('issuer.pem'), '-keyfile', path('issuer-key.pem')];
        })()
      : ['-selfsign', '-keyfile', path('key.pem')];
    const validity =
      options.startDate && options.endDate ? ['-startdate', options.startDate, '-enddate', options.endDate] : ['-days', String(options.days ?? 365)];
    writeFileSync(path('serial'), `1${Array.from({ length: 31 }, () => Math.floor(Math.random() * 16).toString(16)).join('')}\n`);
    openssl([
      'ca', '-batch', '-notext', '-config', path('ca.cnf'), '-extensions', 'ext', '-in', path('req.csr'), '-out', path('cert.pem'),
      '-md', 'sha256', ...signer, ...validity,
    ]);
    return { certificatePem: openssl(['x509', '-in', path('cert.pem')]), privateKeyPem };
  });
}

export interface TestCsr {
  csrPem: string;
  privateKeyPem: string;
}

export function makeCsr(options: { commonName: string; dnsNames?: string[]; keyType?: KeyType; rsaBits?: number; organization?: string }): TestCsr {
  const privateKeyPem = makeKey(options.keyType ?? 'ec', 'pkcs8', options.rsaBits);
  return withDir((dir) => {
    writeFileSync(join(dir, 'key.pem'), privateKeyPem);
    const san = options.dnsNames?.length ? ['-addext', `subjectAltName=${options.dnsNames.map((name) => `DNS:${name}`).join(',')}`] : [];
    const subject = `/CN=${options.commonName}${options.organization ? `/O=${options.organization}` : ''}`;
    const csrPem = openssl(['req', '-new', '-key', join(dir, 'key.pem'), '-subj', subject, ...san]);
    return { csrPem, privateKeyPem };
  });
}

/** What openssl reports about a certificate, in the formats the cloud APIs use. */
export interface OpensslFacts {
  commonName: string;
  issuerCommonName: string;
  issuerOrganization?: string;
  serialNumber: string;
  fingerprintSha256: string;
  fingerprintSha1: string;
  notBefore: string;
  notAfter: string;
  dnsNames: string[];
  /** openssl's name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`. */
  signatureAlgorithm: string;
}

export function opensslFacts(pem: string): OpensslFacts {
  const field = (args: string[]) => openssl(['x509', '-noout', ...args], pem).trim();
  const rdn = (text: string, key: string) => new RegExp(`(?:^|,)${key}=((?:\\\\,|[^,])*)`).exec(text)?.[1]?.replace(/\\,/g, ',');
  const subject = field(['-subject', '-nameopt', 'RFC2253']).replace(/^subject=/, '');
  const issuer = field(['-issuer', '-nameopt', 'RFC2253']).replace(/^issuer=/, '');
  const iso = (text: string) => new Date(text.replace(/^not(Before|After)=/, '')).toISOString().replace(/\.000Z$/, 'Z');
  const san = /X509v3 Subject Alternative Name:[^\n]*\n\s*([^\n]+)/.exec(openssl(['x509', '-noout', '-text'], pem))?.[1] ?? '';
  const issuerOrganization = rdn(issuer, 'O');
  return {
    commonName: rdn(subject, 'CN') ?? '',
    issuerCommonName: rdn(issuer, 'CN') ?? '',
    ...(issuerOrganization === undefined ? {} : { issuerOrganization }),
    serialNumber: field(['-serial']).replace(/^serial=/, '').toLowerCase().replace(/^0+(?=.)/, ''),
    fingerprintSha256: field(['-fingerprint', '-sha256']).replace(/^.*=/, '').replace(/:/g, '').toLowerCase(),
    fingerprintSha1: field(['-fingerprint', '-sha1']).replace(/^.*=/, '').toLowerCase(),
    notBefore: iso(field(['-startdate'])),
    notAfter: iso(field(['-enddate'])),
    dnsNames: san
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4)),
    signatureAlgorithm: /Signature Algorithm: (\S+)/.exec(openssl(['x509', '-noout', '-text'], pem))?.[1] ?? '',
  };
}

/** openssl's check that `certificatePem` chains to `rootPem` (through the chain's own intermediates). */
export function opensslVerifies(chainPem: string, rootPem: string): boolean {
  return withDir((dir) => {
    const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
    writeFileSync(join(dir, 'leaf.pem'), blocks[0] ?? '');
    writeFileSync(join(dir, 'untrusted.pem'), blocks.slice(1).join('\n') || (blocks[0] ?? ''));
    writeFileSync(join(dir, 'root.pem'), rootPem);
    try {
      openssl(['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'untrusted.pem'), join(dir, 'leaf.pem')]);
      return true;
    } catch {
      return false;
    }
  });
}
