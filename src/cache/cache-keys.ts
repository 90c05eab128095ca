import { type CertificateRef, type RegionKey, type SiteKey } from '../domain/certificate';

/**
 * Key layout. The version prefix lets a release that changes what is stored ignore older entries. The
 * `{...}` hash tag keeps a site's (or region's) keys, and each key's lease, in one Redis Cluster slot,
 * so the atomic write-under-lease works there too and a batch from one site is one MGET. Every tag
 * names the account, so no entry of one account can answer for another.
 */
const PREFIX = 'cg:v1';

export interface CacheKey {
  key: string;
  leaseKey: string;
}

function keyed(tag: string, name: string): CacheKey {
  return { key: `${PREFIX}:{${tag}}:${name}`, leaseKey: `${PREFIX}:{${tag}}:lease:${name}` };
}

const siteTag = (site: SiteKey) => `esa:${site.accountId}:${site.siteId}`;
const regionTag = (region: RegionKey) => `slb:${region.accountId}:${region.regionId}`;

function scopeTag(ref: CertificateRef): string {
  return ref.provider === 'ESA' ? siteTag(ref) : regionTag(ref);
}

export const CacheKeys = {
  certificate: (ref: CertificateRef) => keyed(scopeTag(ref), `cert:${ref.kind}:${ref.nativeId}`),
  sites: (accountId: string) => keyed(`esa:${accountId}`, 'sites'),
  site: (site: SiteKey) => keyed(siteTag(site), 'site'),
  siteCertificates: (site: SiteKey) => keyed(siteTag(site), 'certificates'),
  regionCertificates: (region: RegionKey) => keyed(regionTag(region), 'certificates'),
  /** A persisted query's text, by the SHA-256 of that text (automatic persisted queries). */
  persistedQuery: (sha256: string) => `${PREFIX}:apq:${sha256}`,
  /** The lease that lets one instance at a time run a piece of work (exclusive-runs.ts). */
  exclusive: (name: string) => `${PREFIX}:exclusive:${name}`,
  /** The pub/sub channel on which instances tell each other which keys changed (invalidation-bus.ts). */
  invalidations: `${PREFIX}:invalidations`,
};
