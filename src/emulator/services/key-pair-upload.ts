import { parseCertificate, type ParsedCertificate } from '../pki/certificate-facts';
import { PemError } from '../pki/pem';
import { keyMatchesPublicKey, parsePrivateKey } from '../pki/private-key';
import { type StoredCertificate } from '../state/records';

export type UploadProblem =
  | 'certificateMissing'
  | 'keyMissing'
  | 'certificateMalformed'
  | 'keyMalformed'
  | 'keyEncrypted'
  | 'mismatch';

/** Why an uploaded certificate + key pair is refused; each product words it with its own codes. */
export class UploadRejected extends Error {
  constructor(
    readonly problem: UploadProblem,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRejected';
  }
}

export interface AcceptedUpload {
  certificate: StoredCertificate;
  parsed: ParsedCertificate;
}

/**
 * Checks an uploaded certificate and private key: both present, both parse, the key unencrypted and
 * the private half of the certificate's public key. The key is used for the check and then dropped:
 * nothing here keeps it.
 */
export function acceptUpload(certificatePem: string | undefined, privateKeyPem: string | undefined): AcceptedUpload {
  if (certificatePem === undefined) throw new UploadRejected('certificateMissing', 'The certificate is empty.');
  if (privateKeyPem === undefined) throw new UploadRejected('keyMissing', 'The private key is empty.');
  let parsed: ParsedCertificate;
  try {
    parsed = parseCertificate(certificatePem);
  } catch (error) {
    if (error instanceof PemError) throw new UploadRejected('certificateMalformed', error.message);
    throw error;
  }
  let matches: boolean;
  try {
    matches = keyMatchesPublicKey(parsePrivateKey(privateKeyPem), parsed.publicKeyDer);
  } catch (error) {
    if (error instanceof PemError) throw new UploadRejected(error.reason === 'encrypted' ? 'keyEncrypted' : 'keyMalformed', error.message);
    throw error;
  }
  if (!matches) throw new UploadRejected('mismatch', 'The private key does not belong to the certificate.');
  return { certificate: { pem: parsed.chainPem, facts: parsed.facts }, parsed };
}
