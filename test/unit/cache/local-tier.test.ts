import { CacheKeys } from '../../../src/cache/cache-keys';
import { SILENT_OBSERVER } from '../../../src/cache/cache-observer';
import { CachePolicy } from '../../../src/cache/cache-policy';
import { certificateCodec } from '../../../src/cache/certificate-codec';
import { GuardedStore } from '../../../src/cache/guarded-store';
import { LocalTier } from '../../../src/cache/local-tier';
import { type KeyWithLease, type ReadOrLease } from '../../../src/cache/key-value-store';
import { MemoryStore } from '../../../src/cache/memory-store';
import { ReadThroughCache, type EntrySpec, type ReadTracker } from '../../../src/cache/read-through-cache';
import { type Certificate, type CertificateRef } from '../../../src/domain/certificate';
import { SwitchableBus } from '../../helpers/switchable-bus';

const ref = (nativeId: string): CertificateRef => ({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId });
const key = (nativeId: string) => CacheKeys.certificate(ref(nativeId)).key;
const policy = new CachePolicy({ maxTtlMs: 60_000, pendingTtlMs: 5_000, negativeTtlMs: 10_000, staleForMs: 3_600_000 });
const spec: EntrySpec<Certificate> = { codec: certificateCodec, ttlMs: (value, now) => policy.certificateTtl(value, now) };

/** A MemoryStore that counts the keys read from it. */
class CountingStore extends MemoryStore {
  reads = 0;
  override async getMany(keys: readonly string[]): Promise<Array<string | undefined>> {
    this.reads += keys.length;
    return super.getMany(keys);
  }
  override async getOrLease(keys: readonly KeyWithLease[], token: string, ttlMs: number, now: number): Promise<ReadOrLease[]> {
    this.reads += keys.length;
    return super.getOrLease(keys, token, ttlMs, now);
  }
}

/** The cache answers before its write to the store has landed; the local tier keeps the value once it has. */
const writesLanded = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: { maxEntries?: number; maxAgeMs?: number } = {}) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => now;
  const bus = new SwitchableBus();
  const store = new CountingStore(10_000, clock);
  const local = new LocalTier(bus, { maxEntries: options.maxEntries ?? 100, maxAgeMs: options.maxAgeMs ?? 60_000 }, clock);
  const seen: string[] = [];
  const tracker: ReadTracker = { fresh: (k, until) => seen.push(`fresh ${k} ${until - now}`), unsettled: () => seen.push('unsettled') };
  const guard = new GuardedStore(store, { timeoutMs: 200, failureThreshold: 3, openMs: 1_000 }, SILENT_OBSERVER, clock);
  const cache = new ReadThroughCache(guard, policy, SILENT_OBSERVER, { leaseMs: 2_000, waitMs: 1_000, pollMs: 5 }, clock, { local, bus });
  const fetched: string[] = [];
  let release: (() => void) | undefined;
  const read = async (ids: string[], status = 'OK', hold = false) => {
    const slots = await cache.getMany(ids.map((id) => CacheKeys.certificate(ref(id))), spec, async (indexes) => {
      fetched.push(...indexes.map((index) => ids[index] as string));
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      return indexes.map((index) => ({ ref: ref(ids[index] as string), status, subjectAlternativeNames: [], domainValidations: [] }));
    }, tracker);
    await writesLanded();
    return slots;
  };
  return { bus, store, local, cache, read, fetched, seen, clock, advance: (ms: number) => (now += ms), release: () => release?.() };
}

describe('the local tier in front of the shared store', () => {
  it('answers a value it holds without asking the store, and says until when it is fresh', async () => {
    const { store, read, fetched, seen } = setup();
    await read(['a']);
    const readsAfterFetch = store.reads;
    seen.length = 0;
    const [again] = await read(['a']);
    expect((again as Certificate).ref.nativeId).toBe('a');
    expect(store.reads).toBe(readsAfterFetch);
    expect(fetched).toEqual(['a']);
    expect(seen).toEqual([`fresh ${key('a')} 60000`]);
  });

  it('keeps what another instance wrote once it has read it from the store', async () => {
    const first = setup();
    await first.read(['a']);
    // A second instance: its own tier and bus, the same store.
    const bus = new SwitchableBus();
    const local = new LocalTier(bus, { maxEntries: 10, maxAgeMs: 60_000 }, first.clock);
    const guard = new GuardedStore(first.store, { timeoutMs: 200, failureThreshold: 3, openMs: 1_000 }, SILENT_OBSERVER, first.clock);
    const second = new ReadThroughCache(guard, policy, SILENT_OBSERVER, { leaseMs: 2_000, waitMs: 1_000, pollMs: 5 }, first.clock, { local, bus });
    const keys = [CacheKeys.certificate(ref('a'))];
    const nothing = async () => [] as never[];
    const before = first.store.reads;
    await second.getMany(keys, spec, nothing);
    await second.getMany(keys, spec, nothing);
    expect(first.store.reads).toBe(before + 1);
    expect((local.get(key('a'))?.value as Certificate).ref.nativeId).toBe('a');
  });

  it('tells the tracker a read was unsettled when anything had to be fetched', async () => {
    const { read, seen } = setup();
    await read(['a']);
    expect(seen).toEqual(['unsettled']);
  });

  it('drops a key the moment it is invalidated, here or by another instance', async () => {
    const { bus, cache, local, read, fetched, store } = setup();
    await read(['a', 'b', 'c']);
    // Here: gone from the store and from memory, and published.
    await cache.invalidate([CacheKeys.certificate(ref('a'))]);
    expect(bus.published).toEqual([[key('a')]]);
    expect(local.get(key('a'))).toBeUndefined();
    // Elsewhere (that instance deleted it from the store itself): gone from memory, so read from the store.
    bus.receive([key('b')]);
    const before = store.reads;
    await read(['a', 'b', 'c']);
    expect(fetched).toEqual(['a', 'b', 'c', 'a']);
    expect(store.reads).toBe(before + 2);
  });

  it('does not keep what a read fetched when an invalidation came while it ran', async () => {
    const { bus, local, read, release } = setup();
    const reading = read(['a'], 'OK', true);
    await new Promise((resolve) => setImmediate(resolve));
    bus.receive([key('other')]);
    release();
    await reading;
    expect(local.get(key('a'))).toBeUndefined();
  });

  it('keeps nothing while invalidations cannot be heard, and empties itself when they stop', async () => {
    const { bus, local, read, store } = setup();
    await read(['a']);
    expect(local.size).toBe(1);
    bus.drop();
    expect(local.size).toBe(0);
    const before = store.reads;
    await read(['a']);
    expect(store.reads).toBe(before + 1);
    expect(local.size).toBe(0);
    bus.restore();
    await read(['a']);
    expect(local.size).toBe(1);
  });

  it('serves nothing past its freshness, nor past the longest local age', async () => {
    const pending = setup();
    await pending.read(['p'], 'Applying');
    pending.advance(4_999);
    expect(pending.local.get(key('p'))).toBeDefined();
    pending.advance(1);
    expect(pending.local.get(key('p'))).toBeUndefined();

    const capped = setup({ maxAgeMs: 1_000 });
    await capped.read(['a']);
    capped.advance(1_000);
    expect(capped.local.get(key('a'))).toBeUndefined();
  });

  it('holds at most maxEntries, dropping the least recently used', async () => {
    const { local, read } = setup({ maxEntries: 2 });
    await read(['a', 'b']);
    local.get(key('a'));
    await read(['c']);
    expect([key('a'), key('b'), key('c')].map((k) => local.get(k) !== undefined)).toEqual([true, false, true]);
  });

  it('shares frozen values, so one request cannot change what the next one reads', async () => {
    const { read } = setup();
    await read(['a']);
    const [shared] = (await read(['a'])) as Certificate[];
    expect(Object.isFrozen(shared)).toBe(true);
    expect(() => {
      (shared as { status?: string }).status = 'changed';
    }).toThrow(TypeError);
  });
});
