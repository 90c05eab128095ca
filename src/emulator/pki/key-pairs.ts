import { generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

export type KeyAlgorithm = 'RSA' | 'ECDSA';

export interface GeneratedKeyPair {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo, DER. */
  publicKeyDer: ArrayBuffer;
}

/** RSA 2048 or ECDSA P-256, the two key types ESA generates for client certificates. */
export async function generateKeys(algorithm: KeyAlgorithm): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } =
    algorithm === 'RSA'
      ? await generate('rsa', { modulusLength: 2048 })
      : await generate('ec', { namedCurve: 'P-256' });
  return { privateKey, publicKeyDer: toArrayBuffer(publicKey.export({ type: 'spki', format: 'der' })) };
}

export function pkcs8Pem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** WebCrypto wants an ArrayBuffer of exactly the key's bytes, not a view into Node's pool. */
export function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
