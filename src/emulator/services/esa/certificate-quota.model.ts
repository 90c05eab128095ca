import { type Account } from '../../state/account';
import { type EdgeCertificateRecord, type SiteRecord } from '../../state/records';
import { certificateQuota, type CertificateQuotaType } from '../plans';
import { EsaErrors } from './esa-errors';

export interface QuotaReport {
  type: CertificateQuotaType;
  quota: number;
  usage: number;
}

/**
 * Whether a certificate takes a slot of the `type` pool. A free certificate does while it is applying
 * or issued, expired or not; an uploaded or CAS certificate does until it is deleted. A certificate
 * that has expired keeps its slot, which is why deleting expired certificates frees quota.
 */
export function holdsQuota(record: EdgeCertificateRecord, type: CertificateQuotaType): boolean {
  if (type === 'free') return record.type === 'free' && (record.state === 'Applying' || record.state === 'Issued');
  return record.type === 'upload' || record.type === 'cas';
}

export function quotaReport(account: Account, site: SiteRecord, type: CertificateQuotaType): QuotaReport {
  let usage = 0;
  for (const record of account.edgeCertificates.values()) if (record.siteId === site.id && holdsQuota(record, type)) usage += 1;
  return { type, quota: certificateQuota(site.plan, type), usage };
}

/**
 * Refuses adding `count` certificates to a full pool. ApplyCertificate documents `QuotaExceeded`
 * (403, "The quota is exceeded.") for free certificates
 * (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-applycertificate);
 * SetCertificate documents no quota code, so an upload over the paid quota gets the same one.
 */
export function requireQuotaRoom(account: Account, site: SiteRecord, type: CertificateQuotaType, count: number): void {
  const { quota, usage } = quotaReport(account, site, type);
  if (usage + count > quota) throw EsaErrors.quotaExceeded();
}
