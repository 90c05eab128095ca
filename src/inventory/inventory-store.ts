import { type InventoryEntry } from './inventory-entry';

/** How one source (an ESA site's lists, an SLB region, the list of sites) fared in the last sweep. */
export interface SourceStatus {
  name: string;
  certificates: number;
  lastSuccessAt?: string;
  error?: string;
  /**
   * Set when a change to this source was sent and never answered (its outcome unknown): until the
   * source is read again, its list is read from the cloud rather than trusted from the index.
   */
  unsettledSince?: string;
}

/** A change to the index, numbered: every instance applies them in order. */
export interface InventoryChange {
  version: number;
  upserts: InventoryEntry[];
  removals: string[];
  sources: SourceStatus[];
  /** Sources no longer read at all (an account no longer configured), their statuses gone. */
  droppedSources?: string[];
  /** Set by the write that ends a sweep. */
  sweepFinishedAt?: string;
}

export interface InventorySnapshot {
  version: number;
  entries: InventoryEntry[];
  sources: SourceStatus[];
  lastSweepFinishedAt?: string;
}

/**
 * Where the index lives: Redis, shared by every instance, or this process alone. A write is atomic
 * and numbered, and every instance hears it (its own included) with its entries, so each keeps its
 * view by applying changes; one that missed a number loads the whole index again.
 */
export interface InventoryStore {
  load(): Promise<InventorySnapshot>;
  write(change: Omit<InventoryChange, 'version'>): Promise<number>;
  /** `changed` hears every write in order; `resync` asks for a full load (a gap, a lost subscription). */
  listen(changed: (change: InventoryChange) => void, resync: () => void): void;
  /** The number of the latest write (one small read), so a reader can tell whether it has heard everything. */
  version(): Promise<number>;
  close(): Promise<void>;
}

/** The index of this process alone, without Redis. */
export class MemoryInventoryStore implements InventoryStore {
  private latest = 0;
  private readonly entries = new Map<string, InventoryEntry>();
  private readonly sources = new Map<string, SourceStatus>();
  private lastSweepFinishedAt?: string;
  private listener?: (change: InventoryChange) => void;

  async load(): Promise<InventorySnapshot> {
    return {
      version: this.latest,
      entries: [...this.entries.values()],
      sources: [...this.sources.values()],
      ...(this.lastSweepFinishedAt ? { lastSweepFinishedAt: this.lastSweepFinishedAt } : {}),
    };
  }

  async write(change: Omit<InventoryChange, 'version'>): Promise<number> {
    for (const id of change.removals) this.entries.delete(id);
    for (const entry of change.upserts) this.entries.set(entry.id, entry);
    for (const source of change.sources) this.sources.set(source.name, source);
    for (const name of change.droppedSources ?? []) this.sources.delete(name);
    if (change.sweepFinishedAt) this.lastSweepFinishedAt = change.sweepFinishedAt;
    this.latest += 1;
    this.listener?.({ ...change, version: this.latest });
    return this.latest;
  }

  listen(changed: (change: InventoryChange) => void): void {
    this.listener = changed;
  }

  async version(): Promise<number> {
    return this.latest;
  }

  async close(): Promise<void> {}
}
