import { type EmulatorError } from '../../protocol/emulator-error';
import { type Account } from '../../state/account';
import { type OriginClientCertificateRecord, type SiteRecord } from '../../state/records';
import { esaCertificateId } from '../ids';
import { acceptUpload, UploadRejected, type AcceptedUpload } from '../key-pair-upload';
import { EsaErrors } from './esa-errors';

/** The API documents no limit on Name; a bound keeps a stray megabyte out of lists and state. */
const MAX_NAME_LENGTH = 255;

export interface UploadOriginClientCertificateRequest {
  certificatePem: string | undefined;
  privateKeyPem: string | undefined;
  name: string | undefined;
}

/** `OK` (UploadSiteOriginClientCertificate's example) until the certificate's notAfter passes. */
export type OriginClientCertificateStatus = 'OK' | 'Expired';

/**
 * Keeps a certificate and key ESA presents to the site's origin (mTLS towards the origin). The key is
 * checked against the certificate and then dropped: the record holds the certificate alone.
 */
export function uploadOriginClientCertificate(
  account: Account,
  site: SiteRecord,
  request: UploadOriginClientCertificateRequest,
  now: Date,
): OriginClientCertificateRecord {
  if (!site.plan.originClientCertificates) throw EsaErrors.featureNotInPlan();
  const name = request.name?.trim();
  if (name !== undefined && name.length > MAX_NAME_LENGTH) {
    throw EsaErrors.invalidParameter(`Name must be at most ${MAX_NAME_LENGTH} characters.`);
  }
  const upload = checkedUpload(request.certificatePem, request.privateKeyPem);
  // The upload doc lists Certificate.StatusError ("The status of the certificate is invalid"): an
  // expired certificate is the one status an upload can have that makes it unusable.
  if (upload.parsed.notAfter.getTime() <= now.getTime()) {
    throw EsaErrors.certificateStatusError(`The certificate expired at ${upload.certificate.facts.notAfter}.`);
  }
  const record: OriginClientCertificateRecord = {
    id: esaCertificateId(),
    siteId: site.id,
    name: name ?? upload.certificate.facts.commonName,
    certificate: upload.certificate,
    createdAt: now.getTime(),
    updatedAt: now.getTime(),
  };
  account.originClientCertificates.set(record.id, record);
  account.touch();
  return record;
}

function checkedUpload(certificatePem: string | undefined, privateKeyPem: string | undefined): AcceptedUpload {
  try {
    return acceptUpload(certificatePem, privateKeyPem);
  } catch (error) {
    if (error instanceof UploadRejected) throw rejection(error);
    throw error;
  }
}

/** The upload doc's error table: CertificateNotMatchPrivateKey for a foreign key, InvalidParameter otherwise. */
function rejection(error: UploadRejected): EmulatorError {
  switch (error.problem) {
    case 'mismatch':
      return EsaErrors.certificateNotMatchPrivateKey();
    case 'certificateMissing':
    case 'certificateMalformed':
      return EsaErrors.invalidParameter(`Certificate: ${error.message}`);
    case 'keyMissing':
    case 'keyMalformed':
    case 'keyEncrypted':
      return EsaErrors.invalidParameter(`PrivateKey: ${error.message}`);
  }
}

export function originClientCertificateStatus(record: OriginClientCertificateRecord, now: Date): OriginClientCertificateStatus {
  return Date.parse(record.certificate.facts.notAfter) <= now.getTime() ? 'Expired' : 'OK';
}

export function listOriginClientCertificates(account: Account, site: SiteRecord): OriginClientCertificateRecord[] {
  return [...account.originClientCertificates.values()].filter((record) => record.siteId === site.id);
}

/** A certificate of another site is as unknown as one that never existed. */
export function findOriginClientCertificate(account: Account, site: SiteRecord, id: string): OriginClientCertificateRecord {
  const record = account.originClientCertificates.get(id);
  if (!record || record.siteId !== site.id) throw EsaErrors.certificateNotFound();
  return record;
}

export function deleteOriginClientCertificate(account: Account, site: SiteRecord, id: string): OriginClientCertificateRecord {
  const record = findOriginClientCertificate(account, site, id);
  account.originClientCertificates.delete(id);
  account.touch();
  return record;
}
