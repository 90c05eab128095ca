import { SILENT_OBSERVER } from '../../../src/cache/cache-observer';
import { GuardedStore } from '../../../src/cache/guarded-store';
import { MemoryStore } from '../../../src/cache/memory-store';
import { RateLimiter } from '../../../src/server/limits/rate-limiter';

/** The in-process store (the one used without Redis), counting the increments that reach it. */
class CountingStore extends MemoryStore {
  increments = 0;
  down = false;
  override async increment(key: string, ttlMs: number, by: number): Promise<number> {
    if (this.down) throw new Error('connection refused');
    this.increments += 1;
    return super.increment(key, ttlMs, by);
  }
}

function instances(perMinute: number, count = 1) {
  let now = Date.parse('2026-01-01T00:00:10Z');
  const clock = () => now;
  const store = new CountingStore(1_000, clock);
  const guard = new GuardedStore(store, { timeoutMs: 200, failureThreshold: 1_000, openMs: 1_000 }, SILENT_OBSERVER, clock);
  const limiters = Array.from({ length: count }, () => new RateLimiter(guard, perMinute, clock));
  return { store, limiters, advance: (ms: number) => (now += ms) };
}

async function admitted(limiter: RateLimiter, requests: number, caller = 'key-a'): Promise<number> {
  const decisions = await Promise.all(Array.from({ length: requests }, () => limiter.check(caller)));
  return decisions.filter((decision) => decision.allowed).length;
}

describe('the per-key rate limit', () => {
  it('lets a small limit through exactly, counting every request in the store, and says when to retry', async () => {
    const { store, limiters } = instances(5);
    const [limiter] = limiters as [RateLimiter];
    for (let i = 0; i < 5; i += 1) expect((await limiter.check('key-a')).allowed).toBe(true);
    const refused = await limiter.check('key-a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 50 });
    // The sixth learned the limit was reached; later ones are refused without asking.
    await limiter.check('key-a');
    expect(store.increments).toBe(6);
    expect((await limiter.check('key-b')).allowed).toBe(true);
  });

  it('shares the limit between instances', async () => {
    const { limiters } = instances(5, 2);
    const [first, second] = limiters as [RateLimiter, RateLimiter];
    expect(await admitted(first, 3)).toBe(3);
    expect(await admitted(second, 3)).toBe(2);
    expect(await admitted(first, 1)).toBe(0);
  });

  it('reserves a large limit in blocks of 1%, one store call per block, and never lets more through', async () => {
    const { store, limiters } = instances(1_000);
    const [limiter] = limiters as [RateLimiter];
    expect(await admitted(limiter, 1_200)).toBe(1_000);
    // 100 blocks of 10, and one more that found the limit reached.
    expect(store.increments).toBe(101);
  });

  it('loses at most an unspent block per instance when several share a large limit', async () => {
    const { limiters } = instances(1_000, 3);
    let total = 0;
    for (let round = 0; round < 50; round += 1) for (const limiter of limiters) total += await admitted(limiter, 10);
    expect(total).toBeLessThanOrEqual(1_000);
    expect(total).toBeGreaterThanOrEqual(1_000 - 3 * 10);
  });

  it('makes concurrent requests that find the budget empty wait for one reservation', async () => {
    const { store, limiters } = instances(1_000);
    const [limiter] = limiters as [RateLimiter];
    expect(await admitted(limiter, 10)).toBe(10);
    expect(store.increments).toBe(1);
  });

  it('starts again with the next window', async () => {
    const { limiters, advance } = instances(5);
    const [limiter] = limiters as [RateLimiter];
    expect(await admitted(limiter, 6)).toBe(5);
    advance(60_000);
    expect(await admitted(limiter, 6)).toBe(5);
  });

  it('keeps a limit, counted on its own, while the store is down', async () => {
    const { store, limiters } = instances(5);
    const [limiter] = limiters as [RateLimiter];
    expect(await admitted(limiter, 2)).toBe(2);
    store.down = true;
    expect(await admitted(limiter, 6)).toBe(3);
  });
});
