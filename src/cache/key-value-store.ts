/**
 * The shared cache's storage: Redis (or Redis Cluster) across gateway instances, or an in-process
 * LRU when none is configured. Operations are batch-shaped so a DataLoader batch costs one round trip.
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  /** One value per key, in order; undefined when absent. */
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
  /**
   * getMany, and in the same round trip the lease of every key whose value is absent or not fresh at
   * `now`, taken as acquireLeases takes it: a read that misses needs no second trip for its lease.
   * Fresh is judged by the value's leading `{"f":<ms>` (see freshUntil). Per key, in order: the value,
   * and whether the lease was taken (undefined where the value was fresh and no lease was tried).
   */
  getOrLease(keys: readonly KeyWithLease[], token: string, ttlMs: number, now: number): Promise<ReadOrLease[]>;
  /**
   * Writes each entry only while its lease key still holds the writer's token, then drops the lease:
   * a holder whose lease expired (or was taken away by an invalidation) cannot overwrite what came after.
   * Returns, per entry, whether it was written.
   */
  setUnderLease(entries: readonly LeasedWrite[]): Promise<boolean[]>;
  /** Drops the leases still held with `token` (a holder that has nothing to write lets waiters go). */
  releaseLeases(leaseKeys: readonly string[], token: string): Promise<void>;
  /** Takes each lease that is free (SET NX PX); true where taken. */
  acquireLeases(leaseKeys: readonly string[], token: string, ttlMs: number): Promise<boolean[]>;
  /** Writes one value that expires after `ttlMs`, whatever was there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /** Adds `by` to a counter that expires `ttlMs` after it was created; returns the new count. */
  increment(key: string, ttlMs: number, by: number): Promise<number>;
  ping(): Promise<void>;
  /** Waits up to `timeoutMs` for the store to be usable; false when it is not (the gateway starts anyway). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface KeyWithLease {
  key: string;
  leaseKey: string;
}

export interface ReadOrLease {
  value: string | undefined;
  leased: boolean | undefined;
}

export interface LeasedWrite extends KeyWithLease {
  token: string;
  value: string;
  ttlMs: number;
}

/**
 * Until when a stored value is fresh: the number its envelope starts with (read-through-cache.ts
 * writes `{"f":<ms>,...}`); undefined for anything else. The Redis store's script reads it the same way.
 */
export function freshUntil(value: string): number | undefined {
  const until = Number(/^\{"f":([\d.eE+-]+)/.exec(value)?.[1] ?? NaN);
  return Number.isNaN(until) ? undefined : until;
}
