import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { type ProviderName } from '../certificate';
import { GatewayError } from '../errors/gateway-error';

const MAX_PEM_LENGTH = 64 * 1024;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY_BLOCK = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

/**
 * Checks of uploaded PEM that the cloud documents as refusals, done here with Node's crypto so a
 * bad upload never costs a call. The error texts never contain the PEM itself.
 */
export function checkCertificateAndKey(certificatePem: string, privateKeyPem: string, provider: ProviderName, action: string): void {
  const certificate = parseCertificate(certificatePem, provider, action);
  const key = parseKey(privateKeyPem, provider, action);
  if (!certificate.checkPrivateKey(key)) throw GatewayError.refused('CertificateNotMatchPrivateKey', provider, undefined, action);
}

export function parseCertificate(pem: string, provider: ProviderName, action: string): X509Certificate {
  const block = pem.length <= MAX_PEM_LENGTH ? CERTIFICATE_BLOCK.exec(pem)?.[0] : undefined;
  try {
    if (block) return new X509Certificate(block);
  } catch {
    // Falls through to the refusal below.
  }
  const detail =
    provider === 'SLB' ? 'The specified parameter ServerCertificate format is error.' : 'The certificate is not a PEM X.509 certificate.';
  throw GatewayError.refused(provider === 'SLB' ? 'KeyFormatError' : 'InvalidParameter', provider, detail, action);
}

function parseKey(pem: string, provider: ProviderName, action: string): KeyObject {
  if (/ENCRYPTED/.test(pem)) {
    if (provider === 'SLB') throw GatewayError.refused('PrivateKeyEncryption', provider, 'The private key must not be encrypted.', action);
    throw GatewayError.refused('InvalidParameter', provider, 'The private key must not be encrypted.', action);
  }
  const block = pem.length <= MAX_PEM_LENGTH ? KEY_BLOCK.exec(pem)?.[0] : undefined;
  try {
    if (block) return createPrivateKey(block);
  } catch {
    // Falls through to the refusal below.
  }
  throw GatewayError.refused('InvalidParameter', provider, 'The private key is not a PEM private key.', action);
}

/** A CSR must at least be a PEM certificate request; ESA verifies its signature. */
export function checkCsrShape(csr: string): void {
  if (csr.length > MAX_PEM_LENGTH || !/-----BEGIN (NEW )?CERTIFICATE REQUEST-----\s*[A-Za-z0-9+/=\s]+-----END (NEW )?CERTIFICATE REQUEST-----/.test(csr)) {
    throw GatewayError.refused('InvalidParameter', 'ESA', 'The CSR is not a PEM certificate request.', 'CreateClientCertificate');
  }
}
