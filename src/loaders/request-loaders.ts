import DataLoader from 'dataloader';
import { type CertificateCache } from '../cache/certificate-cache';
import { type ReadTracker } from '../cache/read-through-cache';
import { type Certificate, type CertificateRef } from '../domain/certificate';
import { type Change, type CertificateReader } from '../domain/certificate-reader';
import { encodeCertificateId } from '../domain/global-id';
import { type EsaProvider, type Fetched, type SlbProvider } from '../domain/ports';
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
  private readonly siteById: DataLoader<string, Site>;
  private readonly certificatesOfSite: DataLoader<string, Certificate[]>;
  private readonly certificatesOfRegion: DataLoader<string, Certificate[]>;
  private allSites?: Promise<Site[]>;

  /** `tracker` hears what each read was answered from, when the request's answer may be kept. */
  constructor(
    private readonly esa: EsaProvider,
    private readonly slb: SlbProvider,
    private readonly cache: CertificateCache,
    private readonly tracker?: ReadTracker,
  ) {
    this.certificates = new DataLoader<CertificateRef, Certificate, string>(
      (refs) => cache.certificates(refs, (misses) => this.fetchCertificates(misses), tracker),
      { cacheKeyFn: encodeCertificateId },
    );
    this.siteById = new DataLoader<string, Site>((ids) => cache.sites(ids, (misses) => esa.getSites(misses), tracker));
    this.certificatesOfSite = new DataLoader<string, Certificate[]>((ids) => cache.siteCertificates(ids, (id) => esa.listSiteCertificates(id), tracker));
    this.certificatesOfRegion = new DataLoader<string, Certificate[]>((regions) =>
      cache.regionCertificates(regions, (region) => slb.describeServerCertificates(region), tracker),
    );
  }

  certificate(ref: CertificateRef): Promise<Certificate> {
    return this.certificates.load(ref);
  }

  sites(): Promise<Site[]> {
    this.allSites ??= this.cache.allSites(() => this.esa.listSites(), this.tracker).then((sites) => {
      for (const site of sites) this.siteById.prime(site.id, site);
      return sites;
    });
    return this.allSites;
  }

  site(siteId: string): Promise<Site> {
    return this.siteById.load(siteId);
  }

  siteCertificates(siteId: string): Promise<Certificate[]> {
    return this.certificatesOfSite.load(siteId);
  }

  regionCertificates(regionId: string): Promise<Certificate[]> {
    return this.certificatesOfRegion.load(regionId);
  }

  async changed(change: Change): Promise<void> {
    if (change.ref) this.certificates.clear(change.ref);
    if (change.siteId) this.certificatesOfSite.clear(change.siteId);
    if (change.regionId) this.certificatesOfRegion.clear(change.regionId);
    await this.cache.invalidate(change);
  }

  /** Splits the batch by provider, one provider call each, and puts the answers back in key order. */
  private async fetchCertificates(refs: readonly CertificateRef[]): Promise<Fetched<Certificate>[]> {
    const slots: Fetched<Certificate>[] = new Array(refs.length);
    const byProvider = { ESA: [] as number[], SLB: [] as number[] };
    refs.forEach((ref, index) => byProvider[ref.provider].push(index));
    await Promise.all(
      (['ESA', 'SLB'] as const).map(async (name) => {
        const indexes = byProvider[name];
        if (indexes.length === 0) return;
        const provider = name === 'ESA' ? this.esa : this.slb;
        const results = await provider.getCertificates(indexes.map((index) => refs[index] as CertificateRef));
        // Completed from the PEM once, here, so the cached copy serves every later read as it is.
        indexes.forEach((index, position) => {
          const result = results[position] as Fetched<Certificate>;
          slots[index] = result instanceof Error ? result : withPemFacts(result);
        });
      }),
    );
    return slots;
  }
}
