import { freshUntil, type KeyValueStore, type KeyWithLease, type LeasedWrite, type ReadOrLease } from './key-value-store';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * In-process store with the same contract as Redis (TTL, leases), bounded by entry count with
 * least-recently-used eviction: what a single instance uses when REDIS_URL is not set.
 */
export class MemoryStore implements KeyValueStore {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async getMany(keys: readonly string[]): Promise<Array<string | undefined>> {
    return keys.map((key) => this.read(key));
  }

  async getOrLease(keys: readonly KeyWithLease[], token: string, ttlMs: number, now: number): Promise<ReadOrLease[]> {
    return keys.map(({ key, leaseKey }) => {
      const value = this.read(key);
      if (value !== undefined && (freshUntil(value) ?? -Infinity) > now) return { value, leased: undefined };
      return { value, leased: this.takeLease(leaseKey, token, ttlMs) };
    });
  }

  async setUnderLease(writes: readonly LeasedWrite[]): Promise<boolean[]> {
    return writes.map((write) => {
      if (this.read(write.leaseKey) !== write.token) return false;
      this.entries.delete(write.leaseKey);
      this.write(write.key, write.value, write.ttlMs);
      return true;
    });
  }

  async releaseLeases(leaseKeys: readonly string[], token: string): Promise<void> {
    for (const leaseKey of leaseKeys) if (this.read(leaseKey) === token) this.entries.delete(leaseKey);
  }

  async acquireLeases(leaseKeys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    return leaseKeys.map((leaseKey) => this.takeLease(leaseKey, token, ttlMs));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.write(key, value, ttlMs);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.entries.delete(key);
  }

  async increment(key: string, ttlMs: number, by: number): Promise<number> {
    const current = this.read(key);
    const count = (current === undefined ? 0 : Number(current)) + by;
    const expiresAt = current === undefined ? this.now() + ttlMs : (this.entries.get(key)?.expiresAt ?? this.now() + ttlMs);
    this.write(key, String(count), expiresAt - this.now());
    return count;
  }

  async ping(): Promise<void> {}

  async ready(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private takeLease(leaseKey: string, token: string, ttlMs: number): boolean {
    if (this.read(leaseKey) !== undefined) return false;
    this.write(leaseKey, token, ttlMs);
    return true;
  }

  private read(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the recency order the eviction below relies on.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  private write(key: string, value: string, ttlMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
