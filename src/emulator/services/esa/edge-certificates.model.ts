import { DAY_MS } from '../../pki/time-format';
import { type Account } from '../../state/account';
import { type EdgeCertificateRecord, type SiteRecord, type StoredCertificate } from '../../state/records';
import { type ServiceEnvironment } from '../action';
import { esaCertificateId } from '../ids';
import { acceptUpload, type UploadErrors } from '../key-pair-upload';
import { requireQuotaRoom } from './certificate-quota.model';
import { EsaErrors } from './esa-errors';

/** What ListCertificates documents for `Result[].Status` (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-listcertificates), less `Issued`, which it reports as OK. */
export type EdgeCertificateStatus = 'OK' | 'Expiring' | 'Expired' | 'Applying' | 'ApplyFailed' | 'Canceled';

/** The ESA console flags a certificate as expiring 30 days ahead. */
const EXPIRING_WITHIN_MS = 30 * DAY_MS;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const DEFAULT_REGION = 'cn-hangzhou';

/** A lifecycle state, or, once a certificate exists, what the emulated clock makes of its dates. */
export function certificateStatus(record: EdgeCertificateRecord, nowMs: number): EdgeCertificateStatus {
  if (record.state !== 'Issued') return record.state;
  const notAfter = Date.parse(record.certificate?.facts.notAfter ?? '');
  // An issued record without a readable end date cannot be served, so it counts as expired.
  if (!(nowMs < notAfter)) return 'Expired';
  return notAfter - nowMs <= EXPIRING_WITHIN_MS ? 'Expiring' : 'OK';
}

/** Issued and not yet expired: what `ValidOnly` keeps and what blocks a second free application. */
export function isValid(record: EdgeCertificateRecord, nowMs: number): boolean {
  const status = certificateStatus(record, nowMs);
  return status === 'OK' || status === 'Expiring';
}

/** A certificate of this site; one of another site is as unknown as one that never existed. */
export function requireCertificate(account: Account, site: SiteRecord, id: string): EdgeCertificateRecord {
  const record = account.edgeCertificates.get(id);
  if (!record || record.siteId !== site.id) throw EsaErrors.certificateNotFound();
  return record;
}

export function siteCertificates(account: Account, siteId: string): EdgeCertificateRecord[] {
  return [...account.edgeCertificates.values()].filter((record) => record.siteId === siteId);
}

export interface CertificateFilter {
  /** Case-insensitive substring of the name, the Common Name or any SAN. */
  keyword?: string;
  validOnly: boolean;
  nowMs: number;
}

export function findCertificates(account: Account, site: SiteRecord, filter: CertificateFilter): EdgeCertificateRecord[] {
  const keyword = filter.keyword?.trim().toLowerCase();
  return siteCertificates(account, site.id).filter(
    (record) => (keyword === undefined || matches(record, keyword)) && (!filter.validOnly || isValid(record, filter.nowMs)),
  );
}

function matches(record: EdgeCertificateRecord, keyword: string): boolean {
  const facts = record.certificate?.facts;
  const names = [record.name, facts?.commonName ?? '', ...(facts?.subjectAlternativeNames ?? [])];
  return names.some((name) => name.toLowerCase().includes(keyword));
}

/** SetCertificate's form body, as sent. */
export interface SetCertificateInput {
  type?: string;
  id?: string;
  name?: string;
  certificate?: string;
  privateKey?: string;
  casId?: string;
  region?: string;
}

interface CertificateContent {
  certificate: StoredCertificate;
  region: string;
  casId?: string;
}

/**
 * Adds a certificate to the site, or with `id` replaces the content of one it has (the update path
 * Terraform's provider uses), keeping the id. The uploaded private key is checked and dropped.
 */
export function setCertificate(account: Account, env: ServiceEnvironment, site: SiteRecord, input: SetCertificateInput): EdgeCertificateRecord {
  const type = input.type?.trim();
  if (type !== 'upload' && type !== 'cas') throw EsaErrors.invalidParameter('Type must be upload or cas.');
  const existing = input.id === undefined ? undefined : requireCertificate(account, site, input.id.trim());
  const content = type === 'upload' ? uploadedContent(input) : casContent(account, input);
  // Replacing the content of an uploaded or CAS certificate takes no new slot of the paid pool.
  if (existing === undefined || existing.type === 'free') requireQuotaRoom(account, site, 'paid', 1);
  const facts = content.certificate.facts;
  const now = env.clock.nowMs();
  const record: EdgeCertificateRecord = {
    id: existing?.id ?? esaCertificateId(),
    siteId: site.id,
    name: input.name?.trim() || facts.commonName || facts.subjectAlternativeNames[0] || 'certificate',
    type,
    state: 'Issued',
    region: content.region,
    ...(content.casId === undefined ? {} : { casId: content.casId }),
    certificate: content.certificate,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  // Setting an existing key keeps its place in the Map, so an update does not move it in lists.
  account.edgeCertificates.set(record.id, record);
  account.touch();
  return record;
}

/** SetCertificate documents no codes of its own for a bad upload; InvalidParameter says which part is wrong. */
const UPLOAD_ERRORS: UploadErrors = {
  certificateMissing: () => EsaErrors.invalidParameter('Certificate is required for Type upload.'),
  keyMissing: () => EsaErrors.invalidParameter('PrivateKey is required for Type upload.'),
  certificateMalformed: (message) => EsaErrors.invalidParameter(`Certificate: ${message}`),
  keyMalformed: (message) => EsaErrors.invalidParameter(`PrivateKey: ${message}`),
  keyEncrypted: () => EsaErrors.invalidParameter('PrivateKey: the private key is encrypted; upload it without a passphrase.'),
  mismatch: () => EsaErrors.certificateNotMatchPrivateKey(),
};

function uploadedContent(input: SetCertificateInput): CertificateContent {
  const region = input.region?.trim() ?? DEFAULT_REGION;
  if (!REGION.test(region)) throw EsaErrors.invalidParameter('Region is not a region id.');
  return { certificate: acceptUpload(input.certificate, input.privateKey, UPLOAD_ERRORS), region };
}

function casContent(account: Account, input: SetCertificateInput): CertificateContent {
  const casId = input.casId?.trim();
  if (casId === undefined) throw EsaErrors.invalidParameter('CasId is required for Type cas.');
  const cas = account.casCertificates.get(casId);
  if (!cas) throw EsaErrors.invalidParameter(`CasId ${casId} is not a certificate in Certificate Management Service.`);
  const region = input.region?.trim();
  if (region !== undefined && region !== cas.region) throw EsaErrors.invalidParameter(`CasId ${casId} is not in region ${region}.`);
  return { certificate: cas.certificate, region: cas.region, casId: cas.id };
}

/** Removes a certificate; for a free certificate still applying, this is what cancels the application. */
export function deleteCertificate(account: Account, site: SiteRecord, id: string): EdgeCertificateRecord {
  const record = requireCertificate(account, site, id);
  account.edgeCertificates.delete(record.id);
  account.touch();
  return record;
}
