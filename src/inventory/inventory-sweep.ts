import { type Certificate } from '../domain/certificate';
import { GatewayError } from '../domain/errors/gateway-error';
import { type EsaProvider, type SlbProvider } from '../domain/ports';
import { type InventoryEntry } from './inventory-entry';
import { type Inventory } from './inventory';
import { type SourceStatus } from './inventory-store';

/** What one source's read changed: each certificate before and after (absent: new, or gone). */
export interface SourceDelta {
  source: string;
  /** The source had never been read before: everything in it is new to the index, not to the account. */
  firstRead: boolean;
  changes: Array<{ before?: InventoryEntry; after?: InventoryEntry }>;
}

export interface SweepOptions {
  /** SLB regions to read. */
  slbRegions: readonly string[];
  /** Sources read at once (each is one or more list calls, which wait their turn under the rate limit). */
  concurrency: number;
  /** Hears each source the sweep could not read, once per sweep (the metrics count them). */
  sourceFailed?: (source: string) => void;
  /** Hears, once the sweep is written, what it changed (the expiry radar's detection). */
  swept?: (deltas: SourceDelta[]) => Promise<void>;
}

export interface SweepReport {
  sources: number;
  failed: string[];
  upserts: number;
  removals: number;
}

const SITES_SOURCE = 'ESA sites';

/**
 * One pass over every list the account has: ESA's sites, each site's certificate lists (edge, client,
 * origin client; every page), and SLB's server certificates in each region. Each source is written
 * as the difference from what the index holds for it, so a sweep that finds nothing new writes
 * nothing; a source that fails keeps its entries and records its error; a site that is gone takes
 * its certificates with it.
 */
export class InventorySweeper {
  constructor(
    private readonly esa: EsaProvider,
    private readonly slb: SlbProvider,
    private readonly inventory: Inventory,
    private readonly options: SweepOptions,
  ) {}

  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { sources: 0, failed: [], upserts: 0, removals: 0 };
    const now = () => new Date().toISOString();
    const reads: Array<{ name: string; read: () => Promise<Certificate[]> }> = [];

    let siteIds: string[] | undefined;
    try {
      siteIds = (await this.esa.listSites()).map((site) => site.id);
      await this.inventory.write({ upserts: [], removals: [], sources: [{ name: SITES_SOURCE, certificates: siteIds.length, lastSuccessAt: now() }] });
    } catch (error) {
      report.failed.push(SITES_SOURCE);
      await this.recordFailure(SITES_SOURCE, error);
    }
    for (const siteId of siteIds ?? []) reads.push({ name: `ESA site ${siteId}`, read: () => this.esa.listSiteCertificates(siteId) });
    for (const regionId of this.options.slbRegions) reads.push({ name: `SLB ${regionId}`, read: () => this.slb.describeServerCertificates(regionId) });

    // Sites no longer listed: their certificates are gone with them (only when the site list was read).
    if (siteIds) {
      const listed = new Set(siteIds.map((id) => `ESA site ${id}`));
      for (const name of this.inventory.sourceNames()) {
        if (!name.startsWith('ESA site ') || listed.has(name)) continue;
        const held = [...this.inventory.entriesOf(name).keys()];
        report.removals += held.length;
        await this.inventory.write({ upserts: [], removals: held, sources: [{ name, certificates: 0, lastSuccessAt: now(), error: 'The site is no longer listed.' }] });
      }
    }

    const deltas: SourceDelta[] = [];
    let next = 0;
    const worker = async () => {
      while (next < reads.length) {
        const source = reads[next++] as (typeof reads)[number];
        report.sources += 1;
        try {
          const certificates = await source.read();
          const firstRead = this.inventory.source(source.name)?.lastSuccessAt === undefined;
          const { upserts, removals, before: held } = this.inventory.difference(source.name, certificates);
          report.upserts += upserts.length;
          report.removals += removals.length;
          if (upserts.length || removals.length) {
            deltas.push({
              source: source.name,
              firstRead,
              changes: [...upserts.map((after) => ({ after, ...(held.has(after.id) ? { before: held.get(after.id) } : {}) })), ...removals.map((id) => ({ before: held.get(id) }))],
            });
          }
          await this.inventory.write({ upserts, removals, sources: [{ name: source.name, certificates: certificates.length, lastSuccessAt: now() }] });
        } catch (error) {
          report.failed.push(source.name);
          await this.recordFailure(source.name, error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, reads.length) }, worker));
    await this.inventory.write({ upserts: [], removals: [], sources: [], sweepFinishedAt: now() });
    await this.options.swept?.(deltas);
    return report;
  }

  /** The source keeps its entries and its last success; only its error is new. */
  private async recordFailure(name: string, error: unknown): Promise<void> {
    this.options.sourceFailed?.(name);
    const previous = this.inventory.source(name);
    const message = error instanceof GatewayError ? `${error.code}: ${error.message}` : 'The source could not be read.';
    const status: SourceStatus = { name, certificates: previous?.certificates ?? this.inventory.entriesOf(name).size, error: message, ...(previous?.lastSuccessAt ? { lastSuccessAt: previous.lastSuccessAt } : {}) };
    await this.inventory.write({ upserts: [], removals: [], sources: [status] }).catch(() => undefined);
  }
}
