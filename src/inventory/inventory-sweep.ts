import { type Certificate } from '../domain/certificate';
import { GatewayError } from '../domain/errors/gateway-error';
import { type CloudAccount } from '../domain/ports';
import { sameEntry, type InventoryEntry } from './inventory-entry';
import { SITE_GONE, type Inventory } from './inventory';
import { type SourceStatus } from './inventory-store';
import { parseSource, Sources } from './sources';
import { preciseNow } from './inventory-view';

/** What one source's read changed: each certificate before and after (absent: new, or gone). */
export interface SourceDelta {
  source: string;
  /** The source had never been read before: everything in it is new to the index, not to the account. */
  firstRead: boolean;
  changes: Array<{ before?: InventoryEntry; after?: InventoryEntry }>;
}

/** An account the sweep reads; without `slbRegions`, SLB is read in every region DescribeRegions lists. */
export interface SweptAccount extends CloudAccount {
  slbRegions?: readonly string[];
}

export interface SweepOptions {
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

type SourceRead = { name: string; read: () => Promise<Certificate[]> };

const now = () => new Date().toISOString();

/**
 * One pass over every list of every account: ESA's sites, each site's certificate lists (edge,
 * client, origin client; every page), and SLB's server certificates in each of the account's regions.
 * Each source is written as the difference from what the index holds for it, so a sweep that finds
 * nothing new writes nothing; a source that fails keeps its entries and records its error; a site
 * that is gone takes its certificates with it. An account that cannot be read at all (its role
 * cannot be assumed) fails its own sources only.
 */
export class InventorySweeper {
  constructor(
    private readonly accounts: readonly SweptAccount[],
    private readonly inventory: Inventory,
    private readonly options: SweepOptions,
  ) {}

  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { sources: 0, failed: [], upserts: 0, removals: 0 };
    await this.dropUnconfigured(report);
    const reads = (await Promise.all(this.accounts.map((account) => this.sourcesOf(account, report)))).flat();

    const deltas: SourceDelta[] = [];
    let next = 0;
    const worker = async () => {
      while (next < reads.length) {
        const source = reads[next++] as (typeof reads)[number];
        report.sources += 1;
        try {
          const readSince = preciseNow();
          const certificates = await source.read();
          const firstRead = this.inventory.source(source.name)?.lastSuccessAt === undefined;
          const { upserts, removals, before: held } = this.inventory.difference(source.name, certificates, readSince);
          report.upserts += upserts.length;
          report.removals += removals.length;
          const changes = [
            ...upserts.flatMap((after) => {
              const before = held.get(after.id);
              if (before && onlyUsagesLearned(before, after)) return [];
              return [{ after, ...(before ? { before } : {}) }];
            }),
            ...removals.map((id) => ({ before: held.get(id) })),
          ];
          if (changes.length) deltas.push({ source: source.name, firstRead, changes });
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

  /** An account's sources: its sites (after removing the ones gone) and its regions. */
  private async sourcesOf(account: SweptAccount, report: SweepReport): Promise<SourceRead[]> {
    const sitesSource = Sources.sites(account.id);
    const regionsSource = Sources.regions(account.id);
    const [sites, regions] = await Promise.all([
      account.esa.listSites().then(
        (listed) => listed.map((site) => site.id),
        async (error: unknown) => {
          report.failed.push(sitesSource);
          await this.recordFailure(sitesSource, error);
          return undefined;
        },
      ),
      account.slbRegions
        ? Promise.resolve(account.slbRegions)
        : account.slb.describeRegions().then(
            async (listed) => {
              await this.inventory.write({ upserts: [], removals: [], sources: [{ name: regionsSource, certificates: listed.length, lastSuccessAt: now() }] });
              return listed;
            },
            async (error: unknown) => {
              report.failed.push(regionsSource);
              await this.recordFailure(regionsSource, error);
              // The regions read before are read again: their entries stay current, or report the trouble.
              return this.knownSources(account.id).flatMap((source) => source.regionId ?? []);
            },
          ),
    ]);
    const reads: SourceRead[] = [];
    if (sites) {
      await this.inventory.write({ upserts: [], removals: [], sources: [{ name: sitesSource, certificates: sites.length, lastSuccessAt: now() }] });
      // Sites no longer listed: their certificates are gone with them (only when the site list was read).
      const listed = new Set(sites);
      for (const source of this.knownSources(account.id)) {
        if (source.siteId === undefined || listed.has(source.siteId)) continue;
        const held = [...this.inventory.entriesOf(source.name).keys()];
        if (held.length === 0 && this.inventory.source(source.name)?.error === SITE_GONE) continue;
        report.removals += held.length;
        await this.inventory.write({ upserts: [], removals: held, sources: [{ name: source.name, certificates: 0, lastSuccessAt: now(), error: SITE_GONE }] });
      }
      for (const siteId of sites) reads.push({ name: Sources.site({ accountId: account.id, siteId }), read: () => account.esa.listSiteCertificates(siteId) });
    }
    for (const regionId of regions) reads.push({ name: Sources.region({ accountId: account.id, regionId }), read: () => regionWithUsages(account, regionId) });
    return reads;
  }

  /**
   * Sources of no configured account (one removed from ACCOUNTS, or named before sources carried
   * their account) are read by nobody: their certificates leave the index and their statuses go.
   */
  private async dropUnconfigured(report: SweepReport): Promise<void> {
    const configured = new Set(this.accounts.map((account) => account.id));
    const orphans = this.inventory.sourceNames().filter((name) => !configured.has(parseSource(name).accountId));
    const entries = [...this.inventory.view.entries()].filter((entry) => !configured.has(entry.accountId) || !entry.source.includes('/'));
    if (orphans.length === 0 && entries.length === 0) return;
    report.removals += entries.length;
    await this.inventory.write({ upserts: [], removals: entries.map((entry) => entry.id), sources: [], droppedSources: orphans });
  }

  private knownSources(accountId: string) {
    return this.inventory
      .sourceNames()
      .map((name) => ({ name, ...parseSource(name) }))
      .filter((source) => source.accountId === accountId);
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

/**
 * A region's certificates, each with where it is served (an empty list when nothing serves it): the
 * region's one DescribeServerCertificates beside the read of its listeners and their domain
 * extensions. Either failing fails the region's source, which then keeps its entries and usages.
 */
async function regionWithUsages(account: SweptAccount, regionId: string): Promise<Certificate[]> {
  // Each read is its own async call, so one that throws at once never leaves the other's failure unheard.
  const [certificates, usages] = await Promise.all([
    (async () => account.slb.describeServerCertificates(regionId))(),
    (async () => account.slb.describeCertificateUsages(regionId))(),
  ]);
  return certificates.map((certificate) => ({ ...certificate, usages: usages.get(certificate.ref.nativeId) ?? [] }));
}

/**
 * A certificate whose usages were never read before and whose facts are as they were: its usages
 * are new to the index, not to the account, so nothing happened to it (no event is due).
 */
function onlyUsagesLearned(before: InventoryEntry, after: InventoryEntry): boolean {
  if (before.certificate.usages !== undefined) return false;
  const { usages: _usages, ...facts } = after.certificate;
  return sameEntry(before, { ...after, certificate: facts });
}
