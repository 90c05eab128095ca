import { type Certificate, type CertificateRef, type CertificateUsage, type RegionKey } from '../domain/certificate';
import { type InventoryUpdates } from '../domain/ports';
import { encodeCertificateId } from '../domain/global-id';
import { entryOf, sameEntry, type InventoryEntry } from './inventory-entry';
import { parseSource, Sources } from './sources';
import { type InventoryChange, type InventoryStore, type SourceStatus } from './inventory-store';
import { InventoryView } from './inventory-view';
import { within } from './within';

export interface InventoryStatus {
  complete: boolean;
  certificates: number;
  lastSweepFinishedAt?: Date;
  sources: SourceStatus[];
}

/**
 * The inventory of this instance: the shared index's entries in a view it can query in memory, kept
 * current by applying every numbered change the store publishes (its own writes included), and
 * loaded whole again when a number is missed. Writes go to the store, never to the view directly, so
 * every instance sees the same sequence.
 */
/** How long a change on its way is waited for before the whole index is loaded instead. */
const CATCH_UP_MS = 500;

/** Facts read from a certificate's PEM, which a list of the same certificate may leave out. */
const X509_FACTS = ['fingerprintSha256', 'fingerprintSha1', 'serialNumber', 'issuer', 'issuerCommonName', 'notBefore', 'signatureAlgorithm', 'publicKeyAlgorithm', 'validityDays'] as const;

/** The error a site's source carries once its account no longer lists it. */
export const SITE_GONE = 'The site is no longer listed.';

export class Inventory implements InventoryUpdates {
  readonly view = new InventoryView();
  private version = 0;
  private readonly sources = new Map<string, SourceStatus>();
  private lastSweepFinishedAt?: string;
  private loading?: Promise<void>;
  private readonly listeners: Array<() => void> = [];
  private readonly waiters = new Set<() => void>();

  constructor(private readonly store: InventoryStore) {}

  async start(): Promise<void> {
    this.store.listen(
      (change) => this.applyChange(change),
      () => void this.reload(),
    );
    await this.reload();
  }

  /** Hears every change applied here (the answer cache drops what it kept from the inventory). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * The certificates a mutation made or changed, in the index at once (on every instance as the change
   * arrives). A mutation's answer does not say where a certificate is served: it keeps the usages the
   * index holds.
   */
  async upsert(certificates: readonly Certificate[], _change?: string): Promise<void> {
    if (certificates.length === 0) return;
    const upserts = certificates.map((certificate) => entryOf(this.withHeld(certificate), Sources.of(certificate.ref)));
    await this.store.write({ upserts, removals: [], sources: [] });
  }

  async remove(refs: readonly CertificateRef[]): Promise<void> {
    if (refs.length === 0) return;
    await this.store.write({ upserts: [], removals: refs.map((ref) => encodeCertificateId(ref)), sources: [] });
  }

  async unsettle(touched: { accountId: string; siteId?: string; regionId?: string }): Promise<void> {
    const { accountId } = touched;
    const names = [touched.siteId && Sources.site({ accountId, siteId: touched.siteId }), touched.regionId && Sources.region({ accountId, regionId: touched.regionId })].filter(
      (name): name is string => !!name,
    );
    const since = new Date().toISOString();
    const sources = names.map((name) => ({ ...(this.sources.get(name) ?? { name, certificates: 0 }), unsettledSince: since }));
    if (sources.length) await this.store.write({ upserts: [], removals: [], sources });
  }

  /** Whether the index can answer for this source's list: read at least once, and nothing unknown sent to it since. */
  settled(source: string): boolean {
    const status = this.sources.get(source);
    return status?.lastSuccessAt !== undefined && status.unsettledSince === undefined && status.error === undefined;
  }

  /**
   * A source's list as just read from the cloud, into the index: the difference from what it holds,
   * the source's status refreshed (and settled, when the read began after it was unsettled).
   */
  async refresh(source: string, certificates: readonly Certificate[], readSince: Date): Promise<void> {
    const { upserts, removals } = this.difference(source, certificates, readSince.getTime());
    const previous = this.sources.get(source);
    const stillUnsettled = previous?.unsettledSince !== undefined && Date.parse(previous.unsettledSince) > readSince.getTime();
    const status: SourceStatus = {
      name: source,
      certificates: certificates.length,
      lastSuccessAt: new Date().toISOString(),
      ...(stillUnsettled && previous?.unsettledSince ? { unsettledSince: previous.unsettledSince } : {}),
    };
    await this.store.write({ upserts, removals, sources: [status] });
    await this.caughtUp();
  }

  /**
   * What writing a source's list as just read changes in the index: the entries new or changed
   * (`before`: what the index held of each), and the ids the list no longer has. A list that does not
   * say where its certificates are served (usages undefined: a certificate list read alone) keeps the
   * usages the index holds; only a read of the usages (the sweep's) changes them. An entry written
   * after the read began (`readSince`, epoch ms: a mutation's, while the list was on its way) is newer
   * than the list: it is neither changed nor removed by it.
   */
  difference(
    source: string,
    certificates: readonly Certificate[],
    readSince = Number.POSITIVE_INFINITY,
  ): { upserts: InventoryEntry[]; removals: string[]; before: Map<string, InventoryEntry> } {
    const before = this.entriesOf(source);
    const gone = new Map(before);
    const newer = (id: string) => (this.view.appliedAt(id) ?? 0) >= readSince;
    const upserts: InventoryEntry[] = [];
    for (const certificate of certificates) {
      const entry = entryOf(this.withHeld(certificate), source);
      const held = gone.get(entry.id);
      gone.delete(entry.id);
      if (held && newer(entry.id)) continue;
      if (!held || !sameEntry(held, entry)) upserts.push(entry);
    }
    return { upserts, removals: [...gone.keys()].filter((id) => !newer(id)), before };
  }

  /**
   * The certificate with what the index holds for its id and the read did not say: its usages, and
   * the X.509 facts read from its PEM once (a list read alone gives fewer; a certificate id names one
   * X.509 certificate, whose facts never change).
   */
  private withHeld(certificate: Certificate): Certificate {
    const held = this.view.get(encodeCertificateId(certificate.ref))?.certificate;
    if (!held) return certificate;
    const kept: Partial<Certificate> = {};
    for (const field of X509_FACTS) if (certificate[field] === undefined && held[field] !== undefined) Object.assign(kept, { [field]: held[field] });
    if (certificate.usages === undefined && held.usages !== undefined) kept.usages = held.usages;
    return Object.keys(kept).length ? { ...certificate, ...kept } : certificate;
  }

  write(change: Omit<InventoryChange, 'version'>): Promise<number> {
    return this.store.write(change);
  }

  /** The entries a source holds now, by id. */
  entriesOf(source: string): Map<string, InventoryEntry> {
    return this.view.entriesOf(source);
  }

  /** How one source fared when last read; undefined when it never was. */
  source(name: string): SourceStatus | undefined {
    return this.sources.get(name);
  }

  sourceNames(): string[] {
    return [...this.sources.keys()];
  }

  /** The accounts whose sweeps listed this ESA site. */
  accountsOfSite(siteId: string): string[] {
    const accounts: string[] = [];
    for (const [name, status] of this.sources) {
      const source = parseSource(name);
      if (source.siteId === siteId && status.lastSuccessAt !== undefined && !status.error?.startsWith(SITE_GONE)) accounts.push(source.accountId);
    }
    return accounts;
  }

  /**
   * Resolves once this view holds every change written before the call: a change made through
   * another instance shows in the next request here, even when its message is still on the way. One
   * small read of the store; when it cannot answer, the view as it is.
   */
  async caughtUp(): Promise<void> {
    let latest: number;
    try {
      latest = await this.store.version();
    } catch {
      return;
    }
    // A lower number than this view's: the index was emptied and counts again from the start.
    if (latest < this.version) return this.reload(true);
    if (latest === this.version) return;
    const arrived = new Promise<void>((resolve) => {
      const check = () => {
        if (this.version < latest) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), CATCH_UP_MS).unref());
    if ((await Promise.race([arrived, late])) === 'late') await this.reload();
  }

  /** Resolves once a sweep has finished (on any instance) since `after` (epoch ms). */
  swept(after = 0): Promise<void> {
    const done = () => this.lastSweepFinishedAt !== undefined && Date.parse(this.lastSweepFinishedAt) >= after;
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }

  status(): InventoryStatus {
    const sources = [...this.sources.values()].sort((a, b) => a.name.localeCompare(b.name));
    return {
      complete: this.lastSweepFinishedAt !== undefined && sources.every((source) => source.error === undefined),
      certificates: this.view.size,
      ...(this.lastSweepFinishedAt ? { lastSweepFinishedAt: new Date(this.lastSweepFinishedAt) } : {}),
      sources,
    };
  }

  /** A region's usages as just read, onto the certificates the index holds for it; answers those whose usages changed. */
  async setUsages(region: RegionKey, usages: ReadonlyMap<string, readonly CertificateUsage[]>): Promise<Certificate[]> {
    const changed: InventoryEntry[] = [];
    for (const entry of this.entriesOf(Sources.region(region)).values()) {
      const now = [...(usages.get(entry.certificate.ref.nativeId) ?? [])];
      if (JSON.stringify(entry.certificate.usages ?? []) === JSON.stringify(now)) continue;
      changed.push({ ...entry, certificate: { ...entry.certificate, usages: now } });
    }
    if (changed.length) await this.store.write({ upserts: changed, removals: [], sources: [] });
    return changed.map((entry) => entry.certificate);
  }

  async close(): Promise<void> {
    await within(2_000, this.store.close());
  }

  private applyChange(change: InventoryChange): void {
    if (change.version === this.version) return;
    if (change.version !== this.version + 1 || this.loading) {
      void this.reload(change.version < this.version);
      return;
    }
    this.version = change.version;
    this.view.apply(change.upserts, change.removals);
    for (const source of change.sources) this.sources.set(source.name, source);
    for (const name of change.droppedSources ?? []) this.sources.delete(name);
    if (change.sweepFinishedAt) this.lastSweepFinishedAt = change.sweepFinishedAt;
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
    for (const waiter of [...this.waiters]) waiter();
  }

  /**
   * Loads the whole index; changes that arrive meanwhile are caught up by the load itself. A snapshot
   * older than the view is kept only when the index was emptied since (`reset`).
   */
  private reload(reset = false): Promise<void> {
    this.loading ??= (async () => {
      try {
        const snapshot = await this.store.load();
        if (snapshot.version < this.version && !reset) return;
        this.version = snapshot.version;
        this.view.replaceAll(snapshot.entries);
        this.sources.clear();
        for (const source of snapshot.sources) this.sources.set(source.name, source);
        if (snapshot.lastSweepFinishedAt) this.lastSweepFinishedAt = snapshot.lastSweepFinishedAt;
        this.changed();
      } catch {
        // Redis away: the view keeps what it has; the next (re)subscription loads again.
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
