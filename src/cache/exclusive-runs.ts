import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ExclusiveRuns } from '../domain/ports';
import { CacheKeys } from './cache-keys';
import { type GuardedStore } from './guarded-store';

export interface ExclusiveRunOptions {
  /** How long a holder keeps the key at most (a holder that dies frees it then). */
  leaseMs: number;
  /** How long a caller waits for the key before it runs anyway. */
  waitMs: number;
  pollMs: number;
}

/**
 * One holder at a time for a key, across every instance on the shared store: a lease (SET NX PX)
 * taken before the work and released after it. The store only orders the work: when it cannot be
 * reached, or the key is not freed in `waitMs`, the work runs all the same, as it would without it.
 */
export class StoreExclusiveRuns implements ExclusiveRuns {
  constructor(
    private readonly store: GuardedStore,
    private readonly options: ExclusiveRunOptions,
  ) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const leaseKey = CacheKeys.exclusive(key);
    const token = randomUUID();
    const giveUpAt = Date.now() + this.options.waitMs;
    let held = false;
    for (;;) {
      const [taken] = await this.store.acquireLeases([leaseKey], token, this.options.leaseMs).catch(() => [undefined]);
      // Taken, or the store cannot say: either way the work runs now.
      if (taken !== false) {
        held = taken === true;
        break;
      }
      if (Date.now() >= giveUpAt) break;
      await sleep(this.options.pollMs);
    }
    try {
      return await work();
    } finally {
      if (held) await this.store.releaseLeases([leaseKey], token).catch(() => undefined);
    }
  }
}
