import { read, type ActionTable } from '../action';
import { type CertificateQuotaType } from '../plans';
import { quotaReport } from './certificate-quota.model';
import { EsaErrors } from './esa-errors';
import { requireSite } from './esa-params';

const TYPES: readonly CertificateQuotaType[] = ['free', 'paid'];

/**
 * GetCertificateQuota (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificatequota):
 * SiteId and Type, both required; the answer's `SiteUsage[].SiteId` is a string although `SiteId`
 * is a number everywhere else, as the SDK models it. The page shows only `free` as a Type; `paid`,
 * for uploaded and CAS certificates, is the emulator's name for the other pool. A quota here
 * belongs to one site, so `SiteCount` is 1.
 */
export const certificateQuotaActions: ActionTable = {
  GetCertificateQuota: read(({ params, account }) => {
    const site = requireSite(account, params);
    const type = params.optional('Type')?.trim();
    if (type === undefined) throw EsaErrors.invalidParameter('Type is required: free or paid.');
    if (!(TYPES as readonly string[]).includes(type)) throw EsaErrors.invalidParameter('Type must be free or paid.');
    const report = quotaReport(account, site, type as CertificateQuotaType);
    return {
      Type: report.type,
      Quota: report.quota,
      QuotaUsage: report.usage,
      SiteCount: 1,
      SiteUsage: [{ SiteId: site.id, SiteName: site.name, SiteUsage: report.usage }],
    };
  }),
};
