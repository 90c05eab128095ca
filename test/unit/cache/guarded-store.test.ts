import { type CacheObserver, SILENT_OBSERVER } from '../../../src/cache/cache-observer';
import { GuardedStore, StoreUnavailable } from '../../../src/cache/guarded-store';
import { type KeyValueStore } from '../../../src/cache/key-value-store';

/** A store of our own port whose health the test controls, counting what reaches it. */
function controllableStore() {
  const state = { healthy: false, slow: false, calls: 0 };
  const answer = <T>(value: T) => {
    state.calls += 1;
    if (state.slow) return new Promise<T>(() => undefined);
    return state.healthy ? Promise.resolve(value) : Promise.reject(new Error('ECONNREFUSED'));
  };
  const store: KeyValueStore = {
    kind: 'redis',
    getMany: (keys) => answer(keys.map(() => undefined)),
    getOrLease: (keys) => answer(keys.map(() => ({ value: undefined, leased: true }))),
    setUnderLease: (writes) => answer(writes.map(() => true)),
    acquireLeases: (keys) => answer(keys.map(() => true)),
    releaseLeases: () => answer(undefined),
    increment: () => answer(1),
    set: () => answer(undefined),
    delete: () => answer(undefined),
    ping: () => answer(undefined),
    ready: async () => state.healthy,
    close: async () => undefined,
  };
  return { state, store };
}

describe('the guarded cache store', () => {
  let now = 0;
  const states: string[] = [];
  const observer: CacheObserver = { ...SILENT_OBSERVER, breaker: (state) => states.push(state) };

  beforeEach(() => {
    now = 0;
    states.length = 0;
  });

  it('opens after repeated failures and then skips the store without calling it', async () => {
    const { state, store } = controllableStore();
    const guarded = new GuardedStore(store, { timeoutMs: 50, failureThreshold: 3, openMs: 1_000 }, observer, () => now);
    for (let i = 0; i < 3; i += 1) await expect(guarded.getMany(['k'])).rejects.toThrow('ECONNREFUSED');
    expect(guarded.state).toBe('open');
    await expect(guarded.getMany(['k'])).rejects.toBeInstanceOf(StoreUnavailable);
    expect(state.calls).toBe(3);
    expect(states).toEqual(['open']);
  });

  it('lets one probe through after the open period and closes when it succeeds', async () => {
    const { state, store } = controllableStore();
    const guarded = new GuardedStore(store, { timeoutMs: 50, failureThreshold: 1, openMs: 1_000 }, observer, () => now);
    await expect(guarded.ping()).rejects.toThrow();
    now = 1_000;
    state.healthy = true;
    await expect(guarded.getMany(['k'])).resolves.toEqual([undefined]);
    expect(guarded.state).toBe('closed');
    expect(states).toEqual(['open', 'closed']);
  });

  it('reopens at once when the probe fails', async () => {
    const { store } = controllableStore();
    const guarded = new GuardedStore(store, { timeoutMs: 50, failureThreshold: 1, openMs: 1_000 }, observer, () => now);
    await expect(guarded.ping()).rejects.toThrow();
    now = 1_000;
    await expect(guarded.ping()).rejects.toThrow();
    expect(guarded.state).toBe('open');
  });

  it('counts a store that does not answer in time as failed', async () => {
    const { state, store } = controllableStore();
    state.slow = true;
    const guarded = new GuardedStore(store, { timeoutMs: 20, failureThreshold: 5, openMs: 1_000 }, observer, () => now);
    await expect(guarded.getMany(['k'])).rejects.toThrow('did not answer within 20 ms');
  });
});
