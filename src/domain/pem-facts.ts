import { X509Certificate } from 'node:crypto';
import { type Certificate } from './certificate';

const DAY_MS = 86_400_000;
const LEAF = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const MEMO_LIMIT = 512;

/** The values a PEM certificate states about itself, in the formats the providers report them. */
export interface PemFacts {
  commonName?: string;
  subjectAlternativeNames: string[];
  issuerCommonName?: string;
  /** Lowercase hex, as ESA reports it. */
  serialNumber: string;
  /** Lowercase hex without separators, as ESA reports it. */
  fingerprintSha256: string;
  /** Lowercase colon-separated hex, as SLB reports it. */
  fingerprintSha1: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days from notBefore to notAfter, rounded down, as ESA counts ValidityDays. */
  validityDays: number;
  /** `RSA`, `ECDSA`, `Ed25519`, as ESA names them. */
  publicKeyAlgorithm?: string;
}

const KEY_ALGORITHMS: Record<string, string> = { rsa: 'RSA', 'rsa-pss': 'RSA', ec: 'ECDSA', ed25519: 'Ed25519' };

const memo = new Map<string, PemFacts | null>();

/**
 * The certificate with the X.509 values its cloud answer left out taken from the certificate itself:
 * ESA's Get actions return the PEM but no SHA-1 fingerprint or validity, its client and origin client
 * answers no issuer CN, and its create and upload answers no SANs or key algorithm. Values the cloud
 * did report are kept as given. `pem` defaults to the certificate's own; an upload answer passes the
 * PEM that was uploaded.
 */
export function withPemFacts(certificate: Certificate, pem: string | undefined = certificate.certificatePem): Certificate {
  const facts = pem === undefined ? null : pemFacts(pem);
  if (facts === null) return certificate;
  const filled: Certificate = {
    ...certificate,
    // The PEM the facts were read from is the certificate's, when the cloud's answer left it out.
    certificatePem: certificate.certificatePem ?? pem,
    commonName: certificate.commonName ?? facts.commonName,
    subjectAlternativeNames: certificate.subjectAlternativeNames.length > 0 ? certificate.subjectAlternativeNames : facts.subjectAlternativeNames,
    issuerCommonName: certificate.issuerCommonName ?? facts.issuerCommonName,
    serialNumber: certificate.serialNumber ?? facts.serialNumber,
    fingerprintSha256: certificate.fingerprintSha256 ?? facts.fingerprintSha256,
    fingerprintSha1: certificate.fingerprintSha1 ?? facts.fingerprintSha1,
    notBefore: certificate.notBefore ?? facts.notBefore,
    notAfter: certificate.notAfter ?? facts.notAfter,
    validityDays: certificate.validityDays ?? facts.validityDays,
    publicKeyAlgorithm: certificate.publicKeyAlgorithm ?? facts.publicKeyAlgorithm,
  };
  // Like the providers' certificates: absent values are absent keys, never `undefined` ones.
  return Object.fromEntries(Object.entries(filled).filter(([, value]) => value !== undefined)) as unknown as Certificate;
}

/** What the first certificate of `pem` states, or null when it holds none that parses. Memoised by PEM. */
export function pemFacts(pem: string): PemFacts | null {
  const leaf = LEAF.exec(pem)?.[0];
  if (leaf === undefined) return null;
  const known = memo.get(leaf);
  if (known !== undefined) return known;
  const facts = readFacts(leaf);
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(leaf, facts);
  return facts;
}

function readFacts(leaf: string): PemFacts | null {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(leaf);
  } catch {
    return null;
  }
  const notBefore = new Date(certificate.validFrom);
  const notAfter = new Date(certificate.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) return null;
  const commonName = attribute(certificate.subject, 'CN');
  const issuerCommonName = attribute(certificate.issuer, 'CN');
  const publicKeyAlgorithm = KEY_ALGORITHMS[certificate.publicKey.asymmetricKeyType ?? ''];
  return {
    ...(commonName === undefined ? {} : { commonName }),
    subjectAlternativeNames: dnsNames(certificate.subjectAltName),
    ...(issuerCommonName === undefined ? {} : { issuerCommonName }),
    serialNumber: certificate.serialNumber.toLowerCase().replace(/^0+(?=.)/, ''),
    fingerprintSha256: certificate.fingerprint256.replace(/:/g, '').toLowerCase(),
    fingerprintSha1: certificate.fingerprint.toLowerCase(),
    notBefore,
    notAfter,
    validityDays: Math.floor((notAfter.getTime() - notBefore.getTime()) / DAY_MS),
    ...(publicKeyAlgorithm === undefined ? {} : { publicKeyAlgorithm }),
  };
}

/** One attribute of Node's multi-line distinguished name (`CN=x\nO=y`), its escapes undone. */
function attribute(name: string, key: string): string | undefined {
  const line = name.split('\n').find((entry) => entry.startsWith(`${key}=`));
  return line === undefined ? undefined : line.slice(key.length + 1).replace(/\\(.)/g, '$1');
}

/** DNS and IP entries of Node's `DNS:a, IP Address:1.2.3.4` rendering, in order. */
function dnsNames(subjectAltName: string | undefined): string[] {
  if (subjectAltName === undefined) return [];
  return subjectAltName.split(', ').flatMap((entry) => {
    if (entry.startsWith('DNS:')) return [entry.slice(4)];
    if (entry.startsWith('IP Address:')) return [entry.slice(11)];
    return [];
  });
}
