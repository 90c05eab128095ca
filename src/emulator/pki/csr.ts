import { createPublicKey } from 'node:crypto';
import { x509 } from './x509';
import { checkSize, pemBlocks, PemError } from './pem';

export interface VerifiedCsr {
  commonName: string;
  organization?: string;
  dnsNames: string[];
  /** SubjectPublicKeyInfo, DER. */
  publicKeyDer: ArrayBuffer;
}

/** Parses a PKCS#10 request and verifies its self-signature (proof that the requester holds the key). */
export async function verifyCsr(pem: string): Promise<VerifiedCsr> {
  checkSize(pem, 'csr');
  const block = pemBlocks(pem).find((candidate) => candidate.label === 'CERTIFICATE REQUEST' || candidate.label === 'NEW CERTIFICATE REQUEST');
  if (!block) throw new PemError('csr', 'malformed', 'The CSR is not a PEM "CERTIFICATE REQUEST" block.');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(block.text.replace(/NEW CERTIFICATE REQUEST/g, 'CERTIFICATE REQUEST'));
  } catch {
    throw new PemError('csr', 'malformed', 'The CSR could not be parsed.');
  }
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    throw new PemError('csr', 'unsupported', 'The CSR uses an unsupported key or signature algorithm.');
  }
  if (!valid) throw new PemError('csr', 'badSignature', 'The CSR signature does not verify.');
  checkKeySize(csr.publicKey.rawData);
  const san = csr.extensions.find((extension) => extension instanceof x509.SubjectAlternativeNameExtension);
  const organization = csr.subjectName.getField('O')[0];
  return {
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    ...(organization === undefined ? {} : { organization }),
    dnsNames: san ? san.names.toJSON().filter((name) => name.type === 'dns').map((name) => name.value) : [],
    publicKeyDer: csr.publicKey.rawData,
  };
}

/**
 * The least RSA modulus the CA signs. RSA keys under 2048 bits can be factored with public means and
 * no public CA has signed them since 2013 (CA/Browser Forum Baseline Requirements, section 6.1.5); the
 * keys ESA generates itself are RSA 2048 or ECDSA P-256.
 */
export const MIN_RSA_BITS = 2048;

function checkKeySize(spkiDer: ArrayBuffer): void {
  const key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType === 'rsa' && bits < MIN_RSA_BITS) {
    throw new PemError('csr', 'unsupported', `The CSR's RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are required.`);
  }
}
