import { type CertificateRef, type RegionKey, type SiteKey } from '../domain/certificate';
import { isRegionId } from '../domain/validation/identifiers';

/**
 * The lists the index is read from, each named once for the whole estate: every account's site list,
 * each of its ESA sites and each of its SLB regions. A name is `account/label`, where the label is
 * what a person reads (`ESA site 1234567890123`, `SLB cn-hangzhou`); account ids never hold '/'.
 */
export const Sources = {
  sites: (accountId: string) => `${accountId}/ESA sites`,
  /** The account's region list (DescribeRegions). */
  regions: (accountId: string) => `${accountId}/SLB regions`,
  site: (site: SiteKey) => `${site.accountId}/ESA site ${site.siteId}`,
  region: (region: RegionKey) => `${region.accountId}/SLB ${region.regionId}`,
  /** The source a certificate's list is read from. */
  of: (ref: CertificateRef) => (ref.provider === 'ESA' ? Sources.site(ref) : Sources.region(ref)),
};

export interface SourceName {
  accountId: string;
  label: string;
  siteId?: string;
  regionId?: string;
}

/** What a source's name says: its account, its label, and the site or region it lists. */
export function parseSource(name: string): SourceName {
  const slash = name.indexOf('/');
  const accountId = slash < 0 ? '' : name.slice(0, slash);
  const label = name.slice(slash + 1);
  const siteId = /^ESA site (\d+)$/.exec(label)?.[1];
  // `SLB regions` is the region list, not a region: only a region id names one.
  const region = /^SLB (\S+)$/.exec(label)?.[1];
  const regionId = region !== undefined && isRegionId(region) ? region : undefined;
  return { accountId, label, ...(siteId ? { siteId } : {}), ...(regionId ? { regionId } : {}) };
}
