import { ALL_KEYS, type InvalidationBus } from './invalidation-bus';

export interface LocalTierOptions {
  /** Most entries kept; the least recently used goes first. 0 turns the tier off. */
  maxEntries: number;
  /**
   * Longest an entry is served from here, however long it is fresh: the bound on staleness should an
   * invalidation message be lost without the subscription noticing (a half-open connection).
   */
  maxAgeMs: number;
}

interface Entry {
  value: unknown;
  freshUntil: number;
}

/**
 * The first-level cache in front of the shared store: decoded values (frozen, shared by every request
 * that reads them) for as long as they are fresh, at most `maxAgeMs`. Kept only while the
 * invalidation bus is live, and emptied of a key the moment any instance changes it.
 */
export class LocalTier {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly bus: InvalidationBus,
    private readonly options: LocalTierOptions,
    private readonly now: () => number = Date.now,
  ) {
    bus.listen((keys) => {
      if (keys === ALL_KEYS) this.entries.clear();
      else for (const key of keys) this.entries.delete(key);
    });
  }

  /** The generation a read starts in; pass it back to `set`. */
  get generation(): number {
    return this.bus.generation;
  }

  /** A fresh value and until when it is fresh, or undefined. Counts as a use for eviction. */
  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.freshUntil <= this.now() || !this.bus.live) {
      this.entries.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** Keeps a value read or fetched in `generation`, unless something was invalidated since. */
  set(key: string, value: unknown, freshUntil: number, generation: number): void {
    if (this.options.maxEntries === 0 || !this.bus.live || generation !== this.bus.generation) return;
    const until = Math.min(freshUntil, this.now() + this.options.maxAgeMs);
    if (until <= this.now()) return;
    this.entries.delete(key);
    this.entries.set(key, { value: deepFreeze(value), freshUntil: until });
    if (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Values here are shared between requests: nothing may change them after they are kept. */
function deepFreeze<T>(value: T): T {
  // Errors stay as they are: GraphQL wraps them, never changes them.
  if (value === null || typeof value !== 'object' || value instanceof Error || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
