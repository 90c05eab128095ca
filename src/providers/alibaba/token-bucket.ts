/**
 * Call slots handed out at `ratePerSecond`, with bursts of up to one second's worth. A caller reserves
 * its slot the moment it asks (the balance may go below zero), so waiters are served in arrival order
 * and none is starved by later arrivals. Cockatiel has bulkheads (concurrency) but no rate limiter, and
 * the clouds throttle calls per second (`Throttling`, with the common codes in
 * https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md), so the limit is kept here.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  /** Up to one second's worth of calls may go at once (the burst); then `ratePerSecond`. */
  private readonly burst: number;

  constructor(private readonly ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new RangeError(`A token bucket needs a rate above 0, not ${ratePerSecond}.`);
    this.burst = Math.max(1, ratePerSecond);
    this.tokens = this.burst;
    this.refilledAt = performance.now();
  }

  /**
   * Reserves the next slot and says in how many milliseconds it is the caller's (0: now); the caller
   * waits that long (resilience.ts, which shows the wait in a trace). Undefined, holding no slot, when
   * the slot would come later than `maxWaitMs` from now: the caller's deadline would pass while it waited.
   */
  reserve(maxWaitMs: number): number | undefined {
    const now = performance.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.ratePerSecond) / 1000);
    this.refilledAt = now;
    const waitMs = this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.ratePerSecond;
    if (waitMs > maxWaitMs) return undefined;
    this.tokens -= 1;
    return Math.ceil(waitMs);
  }
}
