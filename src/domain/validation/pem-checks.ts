import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { type ProviderName } from '../certificate';
import { GatewayError } from '../errors/gateway-error';

const MAX_PEM_LENGTH = 64 * 1024;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY_BLOCK = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

type Refusal = 'certificateFormat' | 'keyFormat' | 'keyEncrypted' | 'mismatch';

/**
 * How each cloud words the refusals below. SLB's are the verbatim codes and messages of its
 * certificate error table ("The specified parameter ServerCertificate format is error.", "Key has
 * Encrypted ." ...), the ones SLB itself answers, so an upload refused here reads exactly as one the
 * cloud refuses; see https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate
 * (its error table lists InvalidParameter for a pair that fails validation).
 */
const REFUSALS: Record<ProviderName, Record<Refusal, (action: string) => GatewayError>> = {
  SLB: {
    certificateFormat: (action) => GatewayError.refusedAs('InvalidParameter', 'SLB', 'The specified parameter ServerCertificate format is error.', action),
    keyFormat: (action) => GatewayError.refusedAs('InvalidParameter', 'SLB', 'The specified parameter key format is error.', action),
    keyEncrypted: (action) => GatewayError.refusedAs('PrivateKeyEncryption', 'SLB', 'Key has Encrypted .', action),
    mismatch: (action) => GatewayError.refusedAs('CertificateNotMatchPrivateKey', 'SLB', 'Certificate and key does not match.', action),
  },
  ESA: {
    certificateFormat: (action) => GatewayError.refused('InvalidParameter', 'ESA', 'The certificate is not a PEM X.509 certificate.', action),
    keyFormat: (action) => GatewayError.refused('InvalidParameter', 'ESA', 'The private key is not a PEM private key.', action),
    keyEncrypted: (action) => GatewayError.refused('InvalidParameter', 'ESA', 'The private key must not be encrypted.', action),
    mismatch: (action) => GatewayError.refused('CertificateNotMatchPrivateKey', 'ESA', undefined, action),
  },
};

/**
 * Checks of uploaded PEM that the cloud documents as refusals, done here with Node's crypto so a
 * bad upload never costs a call. The error texts never contain the PEM itself.
 */
export function checkCertificateAndKey(certificatePem: string, privateKeyPem: string, provider: ProviderName, action: string): void {
  const certificate = parseCertificate(certificatePem, provider, action);
  const key = parseKey(privateKeyPem, provider, action);
  if (!certificate.checkPrivateKey(key)) throw REFUSALS[provider].mismatch(action);
}

export function parseCertificate(pem: string, provider: ProviderName, action: string): X509Certificate {
  const block = pem.length <= MAX_PEM_LENGTH ? CERTIFICATE_BLOCK.exec(pem)?.[0] : undefined;
  try {
    if (block) return new X509Certificate(block);
  } catch {
    // Falls through to the refusal below.
  }
  throw REFUSALS[provider].certificateFormat(action);
}

function parseKey(pem: string, provider: ProviderName, action: string): KeyObject {
  if (pem.length > MAX_PEM_LENGTH) throw REFUSALS[provider].keyFormat(action);
  if (isEncryptedKey(pem)) throw REFUSALS[provider].keyEncrypted(action);
  const block = KEY_BLOCK.exec(pem)?.[0];
  try {
    if (block) return createPrivateKey(block);
  } catch {
    // Falls through to the refusal below.
  }
  throw REFUSALS[provider].keyFormat(action);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;
/** The RFC 1421 header an OpenSSL "traditional" encrypted key carries (`openssl rsa -aes256`). */
const PROC_TYPE_ENCRYPTED = /^Proc-Type:[ \t]*4,[ \t]*ENCRYPTED[ \t]*\r?$/m;

/**
 * An encrypted key is told by its armour: a PKCS#8 `ENCRYPTED PRIVATE KEY` block, or a traditional key
 * block whose headers say `Proc-Type: 4,ENCRYPTED`. The word anywhere else (a note around the key, a
 * comment) says nothing about the key.
 */
function isEncryptedKey(pem: string): boolean {
  for (const [, label = '', body = ''] of pem.matchAll(PEM_BLOCK)) {
    if (label === 'ENCRYPTED PRIVATE KEY') return true;
    if (label.endsWith('PRIVATE KEY') && PROC_TYPE_ENCRYPTED.test(body)) return true;
  }
  return false;
}

/**
 * The least RSA modulus signed: keys below 2048 bits can be factored with public means, and the
 * CA/Browser Forum Baseline Requirements (section 6.1.5) have not allowed them since 2013. ESA's own
 * generated client keys are RSA 2048 or ECDSA P-256.
 */
export const MIN_RSA_BITS = 2048;

const CSR_BLOCK = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----\s*([A-Za-z0-9+/=\s]+)-----END (NEW )?CERTIFICATE REQUEST-----/;

/**
 * A CSR must be a PEM certificate request whose key ESA would sign: an RSA key of at least 2048 bits,
 * or another algorithm Node can read. ESA verifies the request's signature itself.
 */
export function checkCsr(csr: string): void {
  const body = csr.length <= MAX_PEM_LENGTH ? CSR_BLOCK.exec(csr)?.[2] : undefined;
  const key = body === undefined ? undefined : csrPublicKey(Buffer.from(body.replace(/\s+/g, ''), 'base64'));
  if (!key) throw GatewayError.refused('InvalidParameter', 'ESA', 'The CSR is not a PEM certificate request.', 'CreateClientCertificate');
  const bits = key.asymmetricKeyType === 'rsa' ? (key.asymmetricKeyDetails?.modulusLength ?? 0) : undefined;
  if (bits !== undefined && bits < MIN_RSA_BITS) {
    throw GatewayError.refused('InvalidParameter', 'ESA', `The CSR's RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required.`, 'CreateClientCertificate');
  }
}

/**
 * The subject public key of a PKCS#10 request (RFC 2986): CertificationRequest is a SEQUENCE whose first
 * element, CertificationRequestInfo, holds version, subject and subjectPKInfo in that order. Node reads
 * the SubjectPublicKeyInfo; it has no reader for the request itself.
 */
function csrPublicKey(der: Buffer): KeyObject | undefined {
  try {
    const request = derElement(der, 0, 0x30);
    const info = derElement(der, request.contentStart, 0x30);
    const version = derElement(der, info.contentStart, 0x02);
    const subject = derElement(der, version.end, 0x30);
    const spki = derElement(der, subject.end, 0x30);
    return createPublicKey({ key: der.subarray(spki.start, spki.end), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

interface DerElement {
  start: number;
  contentStart: number;
  end: number;
}

/** One DER tag-length-value at `start`, which must carry `tag`; throws when it does not fit. */
function derElement(der: Buffer, start: number, tag: number): DerElement {
  if (der[start] !== tag) throw new RangeError('unexpected DER tag');
  const first = der[start + 1];
  if (first === undefined) throw new RangeError('truncated DER');
  let length = first;
  let contentStart = start + 2;
  if (first & 0x80) {
    const octets = first & 0x7f;
    if (octets < 1 || octets > 3) throw new RangeError('unsupported DER length');
    length = 0;
    for (let i = 0; i < octets; i += 1) length = length * 256 + (der[contentStart + i] ?? Number.NaN);
    contentStart += octets;
  }
  const end = contentStart + length;
  if (!Number.isInteger(end) || end > der.length) throw new RangeError('truncated DER');
  return { start, contentStart, end };
}
