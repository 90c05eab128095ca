import { type GuardedStore } from '../../cache/guarded-store';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the caller's window resets. */
  retryAfterSeconds: number;
}

/** What this instance holds of one caller's budget in the current window. */
interface Budget {
  window: number;
  /** Requests this instance may still let through without asking the store. */
  left: number;
  /** The shared count reached the limit: everything is refused until the window ends. */
  spent: boolean;
  /** The count as last known here (from the store, or counted here while it is unavailable). */
  counted: number;
  /** A reservation under way, which every request that finds nothing left waits for. */
  reserving?: Promise<void>;
}

/**
 * A fixed one-minute window per caller, counted in the shared store so every gateway instance spends
 * the same budget. An instance reserves the caller's requests in blocks of 1% of the limit (one at a
 * time for small limits) and spends them locally, so a busy caller costs one store round trip per
 * block rather than per request. Nothing is let through that was not counted in the store first: across
 * instances the limit is never exceeded, and an instance's unspent block (at most 1%) is all it can
 * refuse early. While the store is unavailable each instance counts on its own: callers keep a limit,
 * only less exact.
 */
export class RateLimiter {
  private readonly budgets = new Map<string, Budget>();
  private readonly block: number;

  constructor(
    private readonly store: GuardedStore,
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.block = Math.max(1, Math.floor(perMinute / 100));
  }

  /** A decision at once while this instance holds some of the caller's budget; a promise when it must reserve more. */
  check(callerId: string): RateDecision | Promise<RateDecision> {
    return this.spend(callerId) ?? this.reserveThenCheck(callerId);
  }

  /** Spends one request of the budget held here; undefined when a reservation is needed first. */
  private spend(callerId: string): RateDecision | undefined {
    const window = Math.floor(this.now() / 60_000);
    let budget = this.budgets.get(callerId);
    if (!budget || budget.window !== window) {
      budget = { window, left: 0, spent: false, counted: 0 };
      this.budgets.set(callerId, budget);
    }
    if (budget.left > 0) {
      budget.left -= 1;
      return this.decision(true, window);
    }
    return budget.spent ? this.decision(false, window) : undefined;
  }

  private async reserveThenCheck(callerId: string): Promise<RateDecision> {
    for (;;) {
      const budget = this.budgets.get(callerId) as Budget;
      const reserving = (budget.reserving ??= this.reserve(callerId, budget));
      await reserving;
      if (budget.reserving === reserving) budget.reserving = undefined;
      const decision = this.spend(callerId);
      if (decision) return decision;
    }
  }

  private async reserve(callerId: string, budget: Budget): Promise<void> {
    let count: number;
    try {
      count = await this.store.increment(`cg:v1:{rate:${callerId}}:${budget.window}`, 61_000, this.block);
    } catch {
      // No shared count: this instance counts for itself, on from what it last knew.
      count = budget.counted + this.block;
    }
    budget.counted = count;
    // The block covers counts count - block + 1 ... count; those within the limit may be spent.
    const usable = Math.max(0, Math.min(this.block, this.perMinute - (count - this.block)));
    budget.left += usable;
    if (usable < this.block) budget.spent = true;
  }

  private decision(allowed: boolean, window: number): RateDecision {
    return { allowed, retryAfterSeconds: Math.ceil(((window + 1) * 60_000 - this.now()) / 1000) };
  }
}
