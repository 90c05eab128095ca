import { X509Certificate as NodeCertificate } from 'node:crypto';
import { x509 } from './x509';
import { checkSize, pemBlocks, PemError } from './pem';
import { DAY_MS, isoSeconds } from './time-format';

/** What the APIs report about a certificate, every value read from the certificate itself. */
export interface CertificateFacts {
  commonName: string;
  subjectAlternativeNames: string[];
  /** Issuer organisation (falls back to the issuer CN), as ESA's `Issuer`. */
  issuer: string;
  issuerCommonName: string;
  /** Lowercase hex, no separators. */
  serialNumber: string;
  /** Lowercase hex, no separators (ESA's `FingerprintSha256`). */
  fingerprintSha256: string;
  /** Lowercase colon-separated hex (SLB's `Fingerprint`). */
  fingerprintSha1: string;
  notBefore: string;
  notAfter: string;
  /** Go crypto/x509 naming, as ESA reports it: `SHA256-RSA`, `ECDSA-SHA256`, ... */
  signatureAlgorithm: string;
  /** `RSA`, `ECDSA` or `Ed25519`. */
  publicKeyAlgorithm: string;
  validityDays: number;
}

export interface ParsedCertificate {
  facts: CertificateFacts;
  /** The leaf certificate alone, normalised PEM. */
  leafPem: string;
  /** Leaf followed by any intermediates, normalised PEM. */
  chainPem: string;
  /** SubjectPublicKeyInfo of the leaf, DER. */
  publicKeyDer: Buffer;
  notAfter: Date;
  notBefore: Date;
}

/** Parses a PEM certificate (or chain; the first block is the leaf). Throws PemError on anything else. */
export function parseCertificate(pem: string): ParsedCertificate {
  checkSize(pem, 'certificate');
  const blocks = pemBlocks(pem).filter((block) => block.label === 'CERTIFICATE');
  const leaf = blocks[0];
  if (!leaf) throw new PemError('certificate', 'malformed', 'The certificate is not a PEM "CERTIFICATE" block.');
  // Parsing is lazy in both libraries: the key and extensions are only decoded when read, so every
  // read happens inside the try. A certificate that frames correctly but holds a broken key is
  // refused like any other malformed one.
  try {
    const node = new NodeCertificate(leaf.text);
    const peculiar = new x509.X509Certificate(leaf.text);
    for (const block of blocks.slice(1)) new NodeCertificate(block.text);
    return {
      facts: describe(node, peculiar),
      leafPem: leaf.text,
      chainPem: blocks.map((block) => block.text).join(''),
      publicKeyDer: node.publicKey.export({ type: 'spki', format: 'der' }),
      notBefore: peculiar.notBefore,
      notAfter: peculiar.notAfter,
    };
  } catch {
    throw new PemError('certificate', 'malformed', 'The certificate could not be parsed as X.509.');
  }
}

function describe(node: NodeCertificate, cert: x509.X509Certificate): CertificateFacts {
  const issuerCommonName = cert.issuerName.getField('CN')[0] ?? '';
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    subjectAlternativeNames: subjectAlternativeNames(cert),
    issuer: cert.issuerName.getField('O')[0] ?? issuerCommonName,
    issuerCommonName,
    serialNumber: node.serialNumber.toLowerCase(),
    fingerprintSha256: node.fingerprint256.replace(/:/g, '').toLowerCase(),
    fingerprintSha1: node.fingerprint.toLowerCase(),
    notBefore: isoSeconds(cert.notBefore),
    notAfter: isoSeconds(cert.notAfter),
    signatureAlgorithm: signatureAlgorithmName(cert.signatureAlgorithm),
    publicKeyAlgorithm: publicKeyAlgorithmName(node.publicKey.asymmetricKeyType),
    // Whole days, rounded down: the ESA docs report a 2023-12-01T02:13:07Z..2024-12-01T02:12:49Z certificate as 365.
    validityDays: Math.floor((cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS),
  };
}

function subjectAlternativeNames(cert: x509.X509Certificate): string[] {
  const extension = cert.getExtension(x509.SubjectAlternativeNameExtension);
  if (!extension) return [];
  return extension.names
    .toJSON()
    .filter((name) => name.type === 'dns' || name.type === 'ip')
    .map((name) => name.value);
}

const HASHES: Record<string, string> = { 'SHA-1': 'SHA1', 'SHA-256': 'SHA256', 'SHA-384': 'SHA384', 'SHA-512': 'SHA512' };

export function signatureAlgorithmName(algorithm: x509.HashedAlgorithm): string {
  const hash = HASHES[algorithm.hash?.name ?? ''] ?? algorithm.hash?.name ?? '';
  switch (algorithm.name) {
    case 'RSASSA-PKCS1-v1_5':
      return `${hash}-RSA`;
    case 'RSA-PSS':
      return `${hash}-RSAPSS`;
    case 'ECDSA':
      return `ECDSA-${hash}`;
    case 'Ed25519':
      return 'Ed25519';
    default:
      return algorithm.name;
  }
}

export function publicKeyAlgorithmName(keyType: string | undefined): string {
  switch (keyType) {
    case 'rsa':
    case 'rsa-pss':
      return 'RSA';
    case 'ec':
      return 'ECDSA';
    case 'ed25519':
      return 'Ed25519';
    default:
      return (keyType ?? 'unknown').toUpperCase();
  }
}
