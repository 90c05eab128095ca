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
  const san = csr.extensions.find((extension) => extension instanceof x509.SubjectAlternativeNameExtension);
  const organization = csr.subjectName.getField('O')[0];
  return {
    commonName: csr.subjectName.getField('CN')[0] ?? '',
    ...(organization === undefined ? {} : { organization }),
    dnsNames: san ? san.names.toJSON().filter((name) => name.type === 'dns').map((name) => name.value) : [],
    publicKeyDer: csr.publicKey.rawData,
  };
}
