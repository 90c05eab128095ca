import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { checkSize, pemBlocks, PemError } from './pem';

const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

/**
 * Reads an unencrypted private key in PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1
 * (`EC PRIVATE KEY`) PEM. `openssl ecparam -genkey` output (an `EC PARAMETERS` block first) is accepted.
 */
export function parsePrivateKey(pem: string): KeyObject {
  checkSize(pem, 'privateKey');
  const blocks = pemBlocks(pem);
  if (blocks.some((block) => block.label === 'ENCRYPTED PRIVATE KEY' || block.headers.some((h) => /ENCRYPTED/.test(h)))) {
    throw new PemError('privateKey', 'encrypted', 'The private key is encrypted.');
  }
  const block = blocks.find((candidate) => KEY_LABELS.has(candidate.label));
  if (!block) throw new PemError('privateKey', 'malformed', 'The private key is not a PEM private key block.');
  try {
    return createPrivateKey({ key: block.text, format: 'pem' });
  } catch {
    throw new PemError('privateKey', 'malformed', 'The private key could not be parsed.');
  }
}

/** True when `key` is the private half of the public key `publicKeyDer` (SPKI, DER). */
export function keyMatchesPublicKey(key: KeyObject, publicKeyDer: Buffer): boolean {
  const derived = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return derived.equals(publicKeyDer);
}
