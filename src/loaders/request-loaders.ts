import DataLoader from 'dataloader';
import { type CertificateCache } from '../cache/certificate-cache';
import { type ReadTracker } from '../cache/read-through-cache';
import { type Certificate, type CertificateRef, type RegionKey, type SiteKey } from '../domain/certificate';
import { type Change, type CertificateReader } from '../domain/certificate-reader';
import { encodeCertificateId } from '../domain/global-id';
import { type GatewayError } from '../domain/errors/gateway-error';
import { type CloudAccounts, type Fetched } from '../domain/ports';
import { withPemFacts } from '../domain/pem-facts';
import { type Site } from '../domain/site';

/**
 * One request's reads: DataLoaders batch the keys a GraphQL operation asks for in one tick and memoise
 * them for the rest of the request; behind them the shared cache (Redis, or in-process) answers what
 * it can in one round trip and the providers the rest. Loaders are never shared between requests.
 * Batch functions keep DataLoader's contract: one result per key, in key order, an Error in the slot
 * of a key that failed.
 */
export class RequestLoaders implements CertificateReader {
  private readonly certificates: DataLoader<CertificateRef, Certificate, string>;
  private readonly siteByKey: DataLoader<SiteKey, Site, string>;
  private readonly certificatesOfSite: DataLoader<SiteKey, Certificate[], string>;
  private readonly certificatesOfRegion: DataLoader<RegionKey, Certificate[], string>;
  private readonly allSites = new Map<string, Promise<Site[]>>();

  /** `tracker` hears what each read was answered from, when the request's answer may be kept. */
  constructor(
    private readonly accounts: CloudAccounts,
    private readonly cache: CertificateCache,
    private readonly tracker?: ReadTracker,
  ) {
    this.certificates = new DataLoader<CertificateRef, Certificate, string>(
      (refs) => cache.certificates(refs, (misses) => this.fetchCertificates(misses), tracker),
      { cacheKeyFn: encodeCertificateId },
    );
    this.siteByKey = new DataLoader<SiteKey, Site, string>((keys) => cache.sites(keys, (misses) => this.fetchSites(misses), tracker), { cacheKeyFn: siteKey });
    this.certificatesOfSite = new DataLoader<SiteKey, Certificate[], string>(
      (keys) => cache.siteCertificates(keys, (key) => accounts.get(key.accountId).esa.listSiteCertificates(key.siteId), tracker),
      { cacheKeyFn: siteKey },
    );
    this.certificatesOfRegion = new DataLoader<RegionKey, Certificate[], string>(
      (keys) => cache.regionCertificates(keys, (key) => accounts.get(key.accountId).slb.describeServerCertificates(key.regionId), tracker),
      { cacheKeyFn: regionKey },
    );
  }

  certificate(ref: CertificateRef): Promise<Certificate> {
    return this.certificates.load(ref);
  }

  sites(accountId: string): Promise<Site[]> {
    let sites = this.allSites.get(accountId);
    if (!sites) {
      sites = this.cache.allSites(accountId, () => this.accounts.get(accountId).esa.listSites(), this.tracker).then((listed) => {
        for (const site of listed) this.siteByKey.prime({ accountId, siteId: site.id }, site);
        return listed;
      });
      this.allSites.set(accountId, sites);
    }
    return sites;
  }

  site(key: SiteKey): Promise<Site> {
    return this.siteByKey.load(key);
  }

  siteCertificates(key: SiteKey): Promise<Certificate[]> {
    return this.certificatesOfSite.load(key);
  }

  regionCertificates(key: RegionKey): Promise<Certificate[]> {
    return this.certificatesOfRegion.load(key);
  }

  async changed(change: Change): Promise<void> {
    const { accountId } = change;
    if (change.ref) this.certificates.clear(change.ref);
    if (change.siteId) this.certificatesOfSite.clear({ accountId, siteId: change.siteId });
    if (change.regionId) this.certificatesOfRegion.clear({ accountId, regionId: change.regionId });
    await this.cache.invalidate(change);
  }

  /** Splits the batch by account and provider, one provider call each, and puts the answers back in key order. */
  private async fetchCertificates(refs: readonly CertificateRef[]): Promise<Fetched<Certificate>[]> {
    const slots: Fetched<Certificate>[] = new Array(refs.length);
    const groups = new Map<string, number[]>();
    refs.forEach((ref, index) => {
      const group = `${ref.accountId}/${ref.provider}`;
      groups.set(group, [...(groups.get(group) ?? []), index]);
    });
    await Promise.all(
      [...groups.values()].map(async (indexes) => {
        const first = refs[indexes[0] as number] as CertificateRef;
        let results: Fetched<Certificate>[];
        try {
          const account = this.accounts.get(first.accountId);
          const provider = first.provider === 'ESA' ? account.esa : account.slb;
          results = await provider.getCertificates(indexes.map((index) => refs[index] as CertificateRef));
        } catch (error) {
          // An account that is not (or no longer) configured fails its own refs only.
          results = indexes.map(() => error as GatewayError);
        }
        // Completed from the PEM once, here, so the cached copy serves every later read as it is.
        indexes.forEach((index, position) => {
          const result = results[position] as Fetched<Certificate>;
          slots[index] = result instanceof Error ? result : withPemFacts(result);
        });
      }),
    );
    return slots;
  }

  private async fetchSites(keys: readonly SiteKey[]): Promise<Fetched<Site>[]> {
    const slots: Fetched<Site>[] = new Array(keys.length);
    const byAccount = new Map<string, number[]>();
    keys.forEach((key, index) => byAccount.set(key.accountId, [...(byAccount.get(key.accountId) ?? []), index]));
    await Promise.all(
      [...byAccount].map(async ([accountId, indexes]) => {
        let results: Fetched<Site>[];
        try {
          results = await this.accounts.get(accountId).esa.getSites(indexes.map((index) => (keys[index] as SiteKey).siteId));
        } catch (error) {
          results = indexes.map(() => error as GatewayError);
        }
        indexes.forEach((index, position) => (slots[index] = results[position] as Fetched<Site>));
      }),
    );
    return slots;
  }
}

const siteKey = (key: SiteKey) => `${key.accountId}/${key.siteId}`;
const regionKey = (key: RegionKey) => `${key.accountId}/${key.regionId}`;
