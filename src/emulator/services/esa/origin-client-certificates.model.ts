import { type Account } from '../../state/account';
import { type OriginClientCertificateRecord, type SiteRecord, type StoredCertificate } from '../../state/records';
import { esaCertificateId } from '../ids';
import { acceptUpload, type UploadErrors } from '../key-pair-upload';
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
  const certificate = acceptUpload(request.certificatePem, request.privateKeyPem, UPLOAD_ERRORS);
  // The upload doc lists Certificate.StatusError ("The status of the certificate is invalid"): an
  // expired certificate is the one status an upload can have that makes it unusable.
  if (isExpired(certificate, now)) throw EsaErrors.certificateStatusError(`The certificate expired at ${certificate.facts.notAfter}.`);
  const record: OriginClientCertificateRecord = {
    id: esaCertificateId(),
    siteId: site.id,
    name: name ?? certificate.facts.commonName,
    certificate,
    createdAt: now.getTime(),
    updatedAt: now.getTime(),
  };
  account.originClientCertificates.set(record.id, record);
  account.touch();
  return record;
}

/** The upload doc's error table: CertificateNotMatchPrivateKey for a foreign key, InvalidParameter otherwise. */
const UPLOAD_ERRORS: UploadErrors = {
  certificateMissing: (message) => EsaErrors.invalidParameter(`Certificate: ${message}`),
  certificateMalformed: (message) => EsaErrors.invalidParameter(`Certificate: ${message}`),
  keyMissing: (message) => EsaErrors.invalidParameter(`PrivateKey: ${message}`),
  keyMalformed: (message) => EsaErrors.invalidParameter(`PrivateKey: ${message}`),
  keyEncrypted: (message) => EsaErrors.invalidParameter(`PrivateKey: ${message}`),
  mismatch: () => EsaErrors.certificateNotMatchPrivateKey(),
};

function isExpired(certificate: StoredCertificate, now: Date): boolean {
  return Date.parse(certificate.facts.notAfter) <= now.getTime();
}

export function originClientCertificateStatus(record: OriginClientCertificateRecord, now: Date): OriginClientCertificateStatus {
  return isExpired(record.certificate, now) ? 'Expired' : 'OK';
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
