/**
 * The shared cache's storage: Redis (or Redis Cluster) across gateway instances, or an in-process
 * LRU when none is configured. Operations are batch-shaped so a DataLoader batch costs one round trip.
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  /** One value per key, in order; undefined when absent. */
  getMany(keys: readonly string[]): Promise<Array<string | undefined>>;
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
  delete(keys: readonly string[]): Promise<void>;
  /** Adds `by` to a counter that expires `ttlMs` after it was created; returns the new count. */
  increment(key: string, ttlMs: number, by: number): Promise<number>;
  ping(): Promise<void>;
  /** Waits up to `timeoutMs` for the store to be usable; false when it is not (the gateway starts anyway). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface LeasedWrite {
  key: string;
  leaseKey: string;
  token: string;
  value: string;
  ttlMs: number;
}
