import { type GuardedStore } from '../../cache/guarded-store';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the caller's window resets. */
  retryAfterSeconds: number;
}

/**
 * A fixed one-minute window per caller, counted in the shared store so every gateway instance
 * spends the same budget. While the store is unavailable each instance counts on its own: callers
 * keep a limit, only less exact.
 */
export class RateLimiter {
  private readonly local = new Map<string, { window: number; count: number }>();

  constructor(
    private readonly store: GuardedStore,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  async check(callerId: string): Promise<RateDecision> {
    const now = this.now();
    const window = Math.floor(now / 60_000);
    const retryAfterSeconds = Math.ceil(((window + 1) * 60_000 - now) / 1000);
    let count: number;
    try {
      count = await this.store.increment(`cg:v1:{rate:${callerId}}:${window}`, 61_000);
    } catch {
      const entry = this.local.get(callerId);
      count = entry && entry.window === window ? entry.count + 1 : 1;
      this.local.set(callerId, { window, count });
    }
    return { allowed: count <= this.perMinute, retryAfterSeconds };
  }
}
