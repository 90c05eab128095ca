import { type Access } from '../domain/access';
import { siteUsage, type Certificate, type CertificateUsage, type RegionKey } from '../domain/certificate';
import { type RequestClock } from '../domain/request-clock';
import { checkFilter } from './filter-checks';
import { type Inventory, type InventoryStatus } from './inventory';
import { type InventoryEntry } from './inventory-entry';
import { type InventoryFilter, type InventoryOrder, type PageRequest } from './inventory-query';
import { parseSource, Sources } from './sources';

export interface CertificatePage {
  edges: Array<{ cursor: string; id: string; certificate: Certificate }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
}

/**
 * The inventory as one request reads it: only what the caller's key may see (counts included), with
 * the clock of the request (statuses and `expiringWithinDays` are read against it, and it hears when
 * the answer would change). Reading it makes no cloud call.
 */
export interface InventoryReaderOptions {
  /** Days left under which a certificate is EXPIRING. */
  expiringDays: number;
  /** The configured accounts, in order. */
  accounts: ReadonlyArray<{ id: string; name?: string }>;
  /** Hears that the answer was made from the inventory (the answer cache drops it when the inventory changes). */
  readFrom?: () => void;
}

/** How an account fared when its lists were last read. */
export interface AccountHealth {
  id: string;
  name?: string;
  status: 'healthy' | 'unhealthy' | 'unknown';
  error?: string;
}

export class InventoryReader {
  private readonly expiringDays: number;
  private readonly readFrom?: () => void;

  constructor(
    private readonly inventory: Inventory,
    private readonly access: Access,
    private readonly clock: RequestClock,
    private readonly options: InventoryReaderOptions,
  ) {
    this.expiringDays = options.expiringDays;
    if (options.readFrom) this.readFrom = options.readFrom;
  }

  /** Once per request: the view holds every change written before the request began. */
  private current?: Promise<void>;

  private caughtUp(): Promise<void> {
    this.current ??= this.inventory.caughtUp();
    return this.current;
  }

  async certificates(page: PageRequest, filter: InventoryFilter = {}, order?: InventoryOrder): Promise<CertificatePage> {
    const checked = checkFilter(filter);
    await this.caughtUp();
    this.readFrom?.();
    const result = this.clock.read((now) => {
      const found = this.inventory.view.query({
        filter: checked,
        ...(order ? { order } : {}),
        page,
        // An unlimited key sees everything: no check per entry.
        ...(this.access.limited ? { visible: (entry: InventoryEntry) => this.visible(entry) } : {}),
        now,
        expiringDays: this.expiringDays,
      });
      return { value: found, changesAt: found.validUntil };
    });
    return {
      edges: result.edges.map((edge) => ({ cursor: edge.cursor, id: edge.entry.id, certificate: edge.entry.certificate })),
      hasNextPage: result.hasNextPage,
      hasPreviousPage: result.hasPreviousPage,
      totalCount: result.totalCount,
    };
  }

  /** What the index says of one certificate, when it holds it and the caller may see it. */
  async entry(id: string): Promise<InventoryEntry | undefined> {
    await this.caughtUp();
    // The answer depends on the index (what it holds, or that it holds nothing): a change drops it.
    this.readFrom?.();
    const entry = this.inventory.view.get(id);
    return entry && this.visible(entry) ? entry : undefined;
  }

  /**
   * Makes the index fit to answer for one source's list: when it was never read, its last read
   * failed, or a change of unknown outcome was sent to it, the list is read from the cloud (through
   * the request's loaders and the shared cache) and written into the index first.
   */
  async settle(source: string, read: () => Promise<Certificate[]>): Promise<void> {
    await this.caughtUp();
    if (this.inventory.settled(source)) return;
    const since = new Date();
    let certificates: Certificate[];
    try {
      certificates = await read();
    } catch (error) {
      // A list the index has held before is served as it was (its source reports the trouble); one it never held cannot be.
      if (this.inventory.source(source)?.lastSuccessAt !== undefined) return;
      throw error;
    }
    await this.inventory.refresh(source, certificates, since);
  }

  /** Every certificate of one SLB region, from the index, settled first from the cloud when it must be. */
  async regionCertificates(region: RegionKey, read: () => Promise<Certificate[]>): Promise<Certificate[]> {
    const source = Sources.region(region);
    await this.settle(source, read);
    this.readFrom?.();
    return [...this.inventory.entriesOf(source).values()].map((entry) => entry.certificate);
  }

  async status(): Promise<InventoryStatus> {
    await this.caughtUp();
    const status = this.inventory.status();
    // A key limited to some accounts, sites or regions hears only of those sources, and counts only what it sees.
    const sources = status.sources.filter((source) => this.seesSource(source.name));
    let certificates = status.certificates;
    if (sources.length !== status.sources.length) {
      certificates = 0;
      for (const entry of this.inventory.view.entries()) if (this.visible(entry)) certificates += 1;
    }
    return { ...status, sources, certificates };
  }

  /**
   * Where a certificate is served, as the index knows it: at every copy of the same X.509 certificate
   * the caller may see (its ESA sites, its SLB listeners and domain extensions in each region), so a
   * certificate deployed to several places lists them all whichever copy is asked. Undefined when the
   * index does not hold it.
   */
  async usages(id: string): Promise<CertificateUsage[] | undefined> {
    await this.caughtUp();
    const entry = this.inventory.view.get(id);
    if (!entry || !this.visible(entry)) return undefined;
    this.readFrom?.();
    const all = this.inventory.view
      .copiesOf(id)
      .filter((copy) => this.visible(copy))
      .flatMap((copy) => (copy.certificate.ref.provider === 'ESA' ? siteUsage(copy.certificate.ref) : (copy.certificate.usages ?? [])));
    const seen = new Set<string>();
    return all.filter((usage) => {
      const key = JSON.stringify(usage);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /**
   * The accounts this caller may use, each with its health as the last sweep found it: unhealthy when
   * the account's own lists (its sites, its regions) could not be read, with that error (the STS code
   * when its role cannot be assumed).
   */
  async accounts(): Promise<AccountHealth[]> {
    await this.caughtUp();
    this.readFrom?.();
    return this.options.accounts
      .filter((account) => this.access.seesAccount(account.id))
      .map((account) => {
        const own = [this.inventory.source(Sources.sites(account.id)), this.inventory.source(Sources.regions(account.id))].filter((source) => source !== undefined);
        const failed = own.find((source) => source.error !== undefined);
        const status = failed ? 'unhealthy' : own.some((source) => source.lastSuccessAt !== undefined) ? 'healthy' : 'unknown';
        return { id: account.id, ...(account.name ? { name: account.name } : {}), status, ...(failed?.error ? { error: failed.error } : {}) };
      });
  }

  private visible(entry: InventoryEntry): boolean {
    return this.access.sees(entry.certificate.ref);
  }

  private seesSource(name: string): boolean {
    const source = parseSource(name);
    if (!this.access.seesAccount(source.accountId)) return false;
    if (source.siteId) return this.access.seesSite(source.siteId);
    if (source.regionId) return this.access.seesRegion(source.regionId);
    return true;
  }
}
