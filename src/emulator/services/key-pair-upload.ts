import { parseCertificate, type ParsedCertificate } from '../pki/certificate-facts';
import { PemError } from '../pki/pem';
import { keyMatchesPublicKey, parsePrivateKey } from '../pki/private-key';
import { type EmulatorError } from '../protocol/emulator-error';
import { type StoredCertificate } from '../state/records';

export type UploadProblem =
  | 'certificateMissing'
  | 'keyMissing'
  | 'certificateMalformed'
  | 'keyMalformed'
  | 'keyEncrypted'
  | 'mismatch';

/** How a product words each refusal: its own documented code and message. */
export type UploadErrors = Record<UploadProblem, (message: string) => EmulatorError>;

/**
 * Checks an uploaded certificate and private key: both present, both parse, the key unencrypted and
 * the private half of the certificate's public key; a refusal is thrown as the product words it. The
 * key is used for the check and then dropped: nothing here keeps it.
 */
export function acceptUpload(certificatePem: string | undefined, privateKeyPem: string | undefined, errors: UploadErrors): StoredCertificate {
  if (certificatePem === undefined) throw errors.certificateMissing('The certificate is empty.');
  if (privateKeyPem === undefined) throw errors.keyMissing('The private key is empty.');
  let parsed: ParsedCertificate;
  try {
    parsed = parseCertificate(certificatePem);
  } catch (error) {
    if (error instanceof PemError) throw errors.certificateMalformed(error.message);
    throw error;
  }
  let matches: boolean;
  try {
    matches = keyMatchesPublicKey(parsePrivateKey(privateKeyPem), parsed.publicKeyDer);
  } catch (error) {
    if (error instanceof PemError) throw errors[error.reason === 'encrypted' ? 'keyEncrypted' : 'keyMalformed'](error.message);
    throw error;
  }
  if (!matches) throw errors.mismatch('The private key does not belong to the certificate.');
  return { pem: parsed.chainPem, facts: parsed.facts };
}
