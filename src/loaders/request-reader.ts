import DataLoader from 'dataloader';
import { type Certificate, type CertificateRef } from '../domain/certificate';
import { type CertificateReader } from '../domain/certificate-reader';
import { encodeCertificateId } from '../domain/global-id';
import { type EsaProvider, type SlbProvider } from '../domain/ports';
import { type Site } from '../domain/site';

/**
 * One request's reads: DataLoaders batch the keys a GraphQL operation asks for in one tick and memoise
 * them for the rest of the request. They are never shared between requests (the shared cache is a
 * separate tier). Batch functions keep DataLoader's contract: one result per key, in key order, an
 * Error in the slot of a key that failed.
 */
export class RequestReader implements CertificateReader {
  private readonly certificates: DataLoader<CertificateRef, Certificate, string>;
  private readonly siteById: DataLoader<string, Site>;
  private readonly certificatesOfSite: DataLoader<string, Certificate[]>;
  private readonly certificatesOfRegion: DataLoader<string, Certificate[]>;
  private allSites?: Promise<Site[]>;

  constructor(
    private readonly esa: EsaProvider,
    private readonly slb: SlbProvider,
  ) {
    this.certificates = new DataLoader((refs) => this.loadCertificates(refs), { cacheKeyFn: encodeCertificateId });
    this.siteById = new DataLoader<string, Site>((ids) => esa.getSites(ids));
    this.certificatesOfSite = new DataLoader((ids) => settle(ids.map((id) => esa.listSiteCertificates(id))));
    this.certificatesOfRegion = new DataLoader((regions) => settle(regions.map((region) => slb.describeServerCertificates(region))));
  }

  certificate(ref: CertificateRef): Promise<Certificate> {
    return this.certificates.load(ref);
  }

  sites(): Promise<Site[]> {
    this.allSites ??= this.esa.listSites().then((sites) => {
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

  forget(ref?: CertificateRef): void {
    if (ref) this.certificates.clear(ref);
    else this.certificates.clearAll();
    this.certificatesOfSite.clearAll();
    this.certificatesOfRegion.clearAll();
    this.allSites = undefined;
  }

  /** Splits the batch by provider, one provider call each, and puts the answers back in key order. */
  private async loadCertificates(refs: readonly CertificateRef[]): Promise<Array<Certificate | Error>> {
    const slots: Array<Certificate | Error> = new Array(refs.length);
    const byProvider = { ESA: [] as number[], SLB: [] as number[] };
    refs.forEach((ref, index) => byProvider[ref.provider].push(index));
    await Promise.all(
      (['ESA', 'SLB'] as const).map(async (name) => {
        const indexes = byProvider[name];
        if (indexes.length === 0) return;
        const provider = name === 'ESA' ? this.esa : this.slb;
        try {
          const results = await provider.getCertificates(indexes.map((index) => refs[index] as CertificateRef));
          indexes.forEach((index, position) => (slots[index] = results[position] ?? new Error('The provider answered fewer results than asked.')));
        } catch (error) {
          for (const index of indexes) slots[index] = error as Error;
        }
      }),
    );
    return slots;
  }
}

async function settle<T>(work: Array<Promise<T>>): Promise<Array<T | Error>> {
  const settled = await Promise.allSettled(work);
  return settled.map((result) => (result.status === 'fulfilled' ? result.value : (result.reason as Error)));
}
