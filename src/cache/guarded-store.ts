import { type CacheObserver } from './cache-observer';
import { type KeyValueStore, type KeyWithLease, type LeasedWrite, type ReadOrLease } from './key-value-store';

export class StoreUnavailable extends Error {}

export interface GuardOptions {
  /** Longest wait for any store operation before it counts as failed. */
  timeoutMs: number;
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker skips the store before letting one probe through. */
  openMs: number;
}

/**
 * Puts a deadline on every store operation and a circuit breaker around the store: while Redis is
 * down or slow, calls fail at once (callers treat that as a miss) instead of each waiting out a
 * timeout; after `openMs` one call probes, and its success closes the breaker again.
 */
export class GuardedStore {
  private failures = 0;
  private openedAt?: number;
  private probing = false;

  constructor(
    readonly store: KeyValueStore,
    private readonly options: GuardOptions,
    private readonly observer: CacheObserver,
    private readonly now: () => number = Date.now,
  ) {}

  getMany(keys: readonly string[]): Promise<Array<string | undefined>> {
    return this.guard('getMany', () => this.store.getMany(keys));
  }

  /** Counted as `getMany`: it is the cache's read, with the leases of its misses taken in the same trip. */
  getOrLease(keys: readonly KeyWithLease[], token: string, ttlMs: number, now: number): Promise<ReadOrLease[]> {
    return this.guard('getMany', () => this.store.getOrLease(keys, token, ttlMs, now));
  }

  setUnderLease(writes: readonly LeasedWrite[]): Promise<boolean[]> {
    return this.guard('setUnderLease', () => this.store.setUnderLease(writes));
  }

  releaseLeases(leaseKeys: readonly string[], token: string): Promise<void> {
    return this.guard('releaseLeases', () => this.store.releaseLeases(leaseKeys, token));
  }

  acquireLeases(leaseKeys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    return this.guard('acquireLeases', () => this.store.acquireLeases(leaseKeys, token, ttlMs));
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return this.guard('set', () => this.store.set(key, value, ttlMs));
  }

  delete(keys: readonly string[]): Promise<void> {
    return this.guard('delete', () => this.store.delete(keys));
  }

  increment(key: string, ttlMs: number, by = 1): Promise<number> {
    return this.guard('increment', () => this.store.increment(key, ttlMs, by));
  }

  ping(): Promise<void> {
    return this.guard('ping', () => this.store.ping());
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  private async guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) throw new StoreUnavailable('the cache store is skipped while its breaker is open');
    if (state === 'half-open') this.probing = true;
    try {
      const result = await withTimeout(work(), this.options.timeoutMs);
      if (this.openedAt !== undefined) this.observer.breaker('closed');
      this.failures = 0;
      this.openedAt = undefined;
      return result;
    } catch (error) {
      this.failures += 1;
      this.observer.storeFailed(operation, error as Error);
      if (state === 'half-open' || this.failures >= this.options.failureThreshold) {
        this.openedAt = this.now();
        this.observer.breaker('open');
      }
      throw error;
    } finally {
      if (state === 'half-open') this.probing = false;
    }
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(`the cache store did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
