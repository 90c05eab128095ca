import { type Certificate, type CertificateRef, type RegionKey, type SiteKey } from '../domain/certificate';
import { type Change } from '../domain/certificate-reader';
import { type GatewayError } from '../domain/errors/gateway-error';
import { type Fetched } from '../domain/ports';
import { type Site } from '../domain/site';
import { CacheKeys, type CacheKey } from './cache-keys';
import { type CachePolicy } from './cache-policy';
import { certificateCodec, certificateListCodec, siteCodec, siteListCodec } from './certificate-codec';
import { type EntrySpec, type ReadThroughCache, type ReadTracker } from './read-through-cache';

const NOT_FOUND = new Set(['Certificate.NotFound', 'SiteNotFound']);

/** The gateway's reads, cached: certificates, sites and the per-site and per-region lists. */
export class CertificateCache {
  private readonly certificate: EntrySpec<Certificate>;
  private readonly certificateList: EntrySpec<Certificate[]>;
  private readonly site: EntrySpec<Site>;
  private readonly siteList: EntrySpec<Site[]>;

  constructor(
    private readonly cache: ReadThroughCache,
    policy: CachePolicy,
  ) {
    const cacheable = (error: GatewayError) => NOT_FOUND.has(error.code);
    this.certificate = { codec: certificateCodec, ttlMs: (value, now) => policy.certificateTtl(value, now), cacheable };
    this.certificateList = { codec: certificateListCodec, ttlMs: (value, now) => policy.listTtl(value, now) };
    this.site = { codec: siteCodec, ttlMs: () => policy.defaultTtl, cacheable };
    this.siteList = { codec: siteListCodec, ttlMs: () => policy.defaultTtl };
  }

  certificates(
    refs: readonly CertificateRef[],
    fetch: (refs: CertificateRef[]) => Promise<Fetched<Certificate>[]>,
    tracker?: ReadTracker,
  ): Promise<Fetched<Certificate>[]> {
    return this.cache.getMany(refs.map(CacheKeys.certificate), this.certificate, (indexes) => fetch(indexes.map((index) => refs[index] as CertificateRef)), tracker);
  }

  sites(keys: readonly SiteKey[], fetch: (keys: SiteKey[]) => Promise<Fetched<Site>[]>, tracker?: ReadTracker): Promise<Fetched<Site>[]> {
    return this.cache.getMany(keys.map(CacheKeys.site), this.site, (indexes) => fetch(indexes.map((index) => keys[index] as SiteKey)), tracker);
  }

  /** One account's sites. */
  allSites(accountId: string, fetch: () => Promise<Site[]>, tracker?: ReadTracker): Promise<Site[]> {
    return this.one(CacheKeys.sites(accountId), this.siteList, fetch, tracker);
  }

  /** The lists of several sites in one store round trip; each miss fetched on its own (the cloud lists one site per call). */
  siteCertificates(sites: readonly SiteKey[], fetch: (site: SiteKey) => Promise<Certificate[]>, tracker?: ReadTracker): Promise<Fetched<Certificate[]>[]> {
    return this.lists(sites, CacheKeys.siteCertificates, fetch, tracker);
  }

  regionCertificates(regions: readonly RegionKey[], fetch: (region: RegionKey) => Promise<Certificate[]>, tracker?: ReadTracker): Promise<Fetched<Certificate[]>[]> {
    return this.lists(regions, CacheKeys.regionCertificates, fetch, tracker);
  }

  invalidate(change: Change): Promise<void> {
    const keys: CacheKey[] = [];
    const { accountId } = change;
    if (change.ref) keys.push(CacheKeys.certificate(change.ref));
    if (change.siteId) keys.push(CacheKeys.siteCertificates({ accountId, siteId: change.siteId }));
    if (change.regionId) keys.push(CacheKeys.regionCertificates({ accountId, regionId: change.regionId }));
    return this.cache.invalidate(keys);
  }

  private lists<Key>(
    ids: readonly Key[],
    keyOf: (id: Key) => CacheKey,
    fetch: (id: Key) => Promise<Certificate[]>,
    tracker: ReadTracker | undefined,
  ): Promise<Fetched<Certificate[]>[]> {
    return this.cache.getMany(
      ids.map(keyOf),
      this.certificateList,
      (indexes) => Promise.all(indexes.map((index) => fetch(ids[index] as Key).catch((error: unknown) => error as GatewayError))),
      tracker,
    );
  }

  private async one<T>(key: CacheKey, spec: EntrySpec<T>, fetch: () => Promise<T>, tracker: ReadTracker | undefined): Promise<T> {
    const [slot] = await this.cache.getMany(
      [key],
      spec,
      async () => {
        try {
          return [await fetch()];
        } catch (error) {
          return [error as GatewayError];
        }
      },
      tracker,
    );
    if (slot instanceof Error) throw slot;
    return slot as T;
  }
}
