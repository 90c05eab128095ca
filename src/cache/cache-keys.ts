import { type CertificateRef } from '../domain/certificate';

/**
 * Key layout. The version prefix lets a release that changes what is stored ignore older entries. The
 * `{...}` hash tag keeps a site's (or region's) keys, and each key's lease, in one Redis Cluster slot,
 * so the atomic write-under-lease works there too and a batch from one site is one MGET.
 */
const PREFIX = 'cg:v1';

export interface CacheKey {
  key: string;
  leaseKey: string;
}

function keyed(tag: string, name: string): CacheKey {
  return { key: `${PREFIX}:{${tag}}:${name}`, leaseKey: `${PREFIX}:{${tag}}:lease:${name}` };
}

function scopeTag(ref: CertificateRef): string {
  return ref.provider === 'ESA' ? `esa:${ref.siteId}` : `slb:${ref.regionId}`;
}

export const CacheKeys = {
  certificate: (ref: CertificateRef) => keyed(scopeTag(ref), `cert:${ref.kind}:${ref.nativeId}`),
  sites: () => keyed('esa', 'sites'),
  site: (siteId: string) => keyed(`esa:${siteId}`, 'site'),
  siteCertificates: (siteId: string) => keyed(`esa:${siteId}`, 'certificates'),
  regionCertificates: (regionId: string) => keyed(`slb:${regionId}`, 'certificates'),
  /** A persisted query's text, by the SHA-256 of that text (automatic persisted queries). */
  persistedQuery: (sha256: string) => `${PREFIX}:apq:${sha256}`,
  /** The pub/sub channel on which instances tell each other which keys changed (invalidation-bus.ts). */
  invalidations: `${PREFIX}:invalidations`,
};
