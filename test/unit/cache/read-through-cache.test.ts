import { CacheKeys } from '../../../src/cache/cache-keys';
import { SILENT_OBSERVER, type CacheObserver } from '../../../src/cache/cache-observer';
import { CachePolicy } from '../../../src/cache/cache-policy';
import { CertificateCache } from '../../../src/cache/certificate-cache';
import { certificateCodec } from '../../../src/cache/certificate-codec';
import { GuardedStore } from '../../../src/cache/guarded-store';
import { type KeyValueStore } from '../../../src/cache/key-value-store';
import { MemoryStore } from '../../../src/cache/memory-store';
import { ReadThroughCache, type EntrySpec } from '../../../src/cache/read-through-cache';
import { type Certificate, type CertificateRef, type SiteKey } from '../../../src/domain/certificate';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { type Fetched } from '../../../src/domain/ports';

const ref = (nativeId: string): CertificateRef => ({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId });
const certificate = (nativeId: string, status = 'OK'): Certificate => ({
  ref: ref(nativeId),
  status,
  subjectAlternativeNames: [],
  domainValidations: [],
  notAfter: new Date(Date.now() + 86_400_000),
});
const policy = new CachePolicy({ maxTtlMs: 60_000, pendingTtlMs: 5_000, negativeTtlMs: 10_000, staleForMs: 3_600_000 });
const spec: EntrySpec<Certificate> = {
  codec: certificateCodec,
  ttlMs: (value, now) => policy.certificateTtl(value, now),
  cacheable: (error) => error.code === 'Certificate.NotFound',
};
const guard = (store: KeyValueStore, observer: CacheObserver = SILENT_OBSERVER) =>
  new GuardedStore(store, { timeoutMs: 200, failureThreshold: 3, openMs: 1_000 }, observer);
const cacheOn = (store: KeyValueStore, now: () => number = Date.now, observer: CacheObserver = SILENT_OBSERVER) =>
  new ReadThroughCache(guard(store, observer), policy, observer, { leaseMs: 2_000, waitMs: 1_000, pollMs: 5 }, now);

/** A fetch that counts what it was asked and answers after a turn of the event loop. */
function countingFetch(answer: (id: string) => Fetched<Certificate> = (id) => certificate(id)) {
  const asked: string[] = [];
  const fetch = async (refs: CertificateRef[]) => {
    asked.push(...refs.map((r) => r.nativeId));
    await new Promise((resolve) => setTimeout(resolve, 10));
    return refs.map((r) => answer(r.nativeId));
  };
  return { asked, fetch };
}

const read = (cache: ReadThroughCache, ids: string[], fetch: (refs: CertificateRef[]) => Promise<Fetched<Certificate>[]>) => {
  const refs = ids.map(ref);
  return cache.getMany(refs.map(CacheKeys.certificate), spec, (indexes) => fetch(indexes.map((index) => refs[index] as CertificateRef)));
};

describe('the read-through cache', () => {
  it('fetches misses once and answers hits from the store', async () => {
    const cache = cacheOn(new MemoryStore());
    const { asked, fetch } = countingFetch();
    await read(cache, ['a', 'b'], fetch);
    const again = await read(cache, ['a', 'b', 'c'], fetch);
    expect(asked).toEqual(['a', 'b', 'c']);
    expect(again.map((slot) => (slot as Certificate).ref.nativeId)).toEqual(['a', 'b', 'c']);
  });

  it('reads and takes the leases of its misses in one store call, then stores what it fetched in another', async () => {
    const memory = new MemoryStore();
    const calls: string[] = [];
    const counted = new Proxy(memory, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver) as unknown;
        return typeof value === 'function' ? (...args: unknown[]) => (calls.push(String(name)), (value as (...a: unknown[]) => unknown).apply(target, args)) : value;
      },
    });
    const cache = cacheOn(counted);
    const { asked, fetch } = countingFetch();
    expect((await read(cache, ['a'], fetch))[0]).toMatchObject({ ref: { nativeId: 'a' } });
    expect(calls).toEqual(['getOrLease', 'setUnderLease']);
    expect((await read(cache, ['a'], fetch))[0]).toMatchObject({ ref: { nativeId: 'a' } });
    expect(calls).toEqual(['getOrLease', 'setUnderLease', 'getOrLease']);
    expect(asked).toEqual(['a']);
  });

  it('reads the lists of several sites in one store call, and fetches only the missing ones', async () => {
    const store = new MemoryStore();
    const reads = jest.spyOn(store, 'getOrLease');
    const lists = new CertificateCache(cacheOn(store), policy);
    const listed: string[] = [];
    const list = async ({ siteId }: SiteKey) => {
      listed.push(siteId);
      if (siteId === 'gone') throw new GatewayError('SiteNotFound', 'no such site', { provider: 'ESA', httpStatus: 404 });
      return [certificate(`of-${siteId}`)];
    };
    const site = (siteId: string): SiteKey => ({ accountId: 'default', siteId });
    await lists.siteCertificates([site('s1')], list);
    const answers = await lists.siteCertificates([site('s1'), site('s2'), site('gone')], list);
    expect(reads).toHaveBeenCalledTimes(2);
    expect(listed).toEqual(['s1', 's2', 'gone']);
    expect((answers[1] as Certificate[])[0]?.ref.nativeId).toBe('of-s2');
    expect(answers[2]).toMatchObject({ code: 'SiteNotFound' });
  });

  it("keeps each account's entries apart: the same site and the same certificate in two accounts are two reads", async () => {
    const lists = new CertificateCache(cacheOn(new MemoryStore()), policy);
    const listed: string[] = [];
    const list = async ({ accountId, siteId }: SiteKey) => {
      listed.push(`${accountId}/${siteId}`);
      return [certificate(`of-${accountId}`)];
    };
    const [ours, theirs] = await lists.siteCertificates(
      [
        { accountId: 'default', siteId: '1234567890123' },
        { accountId: 'shop', siteId: '1234567890123' },
      ],
      list,
    );
    expect(listed).toEqual(['default/1234567890123', 'shop/1234567890123']);
    expect([(ours as Certificate[])[0]?.ref.nativeId, (theirs as Certificate[])[0]?.ref.nativeId]).toEqual(['of-default', 'of-shop']);
    expect(CacheKeys.certificate({ ...ref('a'), accountId: 'shop' }).key).not.toBe(CacheKeys.certificate(ref('a')).key);
    expect(CacheKeys.sites('shop').key).not.toBe(CacheKeys.sites('default').key);
    expect(CacheKeys.regionCertificates({ accountId: 'shop', regionId: 'cn-hangzhou' }).key).not.toBe(CacheKeys.regionCertificates({ accountId: 'default', regionId: 'cn-hangzhou' }).key);
  });

  it('joins concurrent requests for the same key in one process onto one fetch', async () => {
    const cache = cacheOn(new MemoryStore());
    const { asked, fetch } = countingFetch();
    await Promise.all(Array.from({ length: 20 }, () => read(cache, ['a', 'b'], fetch)));
    expect(asked.sort()).toEqual(['a', 'b']);
  });

  it('lets one instance fetch under the lease while another waits for the value it writes', async () => {
    const shared = new MemoryStore();
    const instances = [cacheOn(shared), cacheOn(shared)];
    const { asked, fetch } = countingFetch();
    const answers = await Promise.all(instances.map((cache) => read(cache, ['a'], fetch)));
    expect(asked).toEqual(['a']);
    expect(answers.map(([slot]) => (slot as Certificate).ref.nativeId)).toEqual(['a', 'a']);
  });

  it('keeps a late lease holder from overwriting what an invalidation cleared', async () => {
    const store = new MemoryStore();
    const cache = cacheOn(store);
    const key = CacheKeys.certificate(ref('a'));
    let release!: () => void;
    const slow = async (refs: CertificateRef[]) => {
      await new Promise<void>((resolve) => (release = resolve));
      return refs.map((r) => certificate(r.nativeId, 'OK'));
    };
    const pending = read(cache, ['a'], slow);
    await new Promise((resolve) => setImmediate(resolve));
    await cache.invalidate([key]);
    release();
    await pending;
    expect(await store.getMany([key.key])).toEqual([undefined]);
  });

  it('does not let a read made after an invalidation join a fetch begun before it', async () => {
    const cache = cacheOn(new MemoryStore());
    const key = CacheKeys.certificate(ref('a'));
    let release: (() => void) | undefined;
    const before = async (refs: CertificateRef[]) => {
      await new Promise<void>((resolve) => (release = resolve));
      return refs.map((r) => certificate(r.nativeId, 'before'));
    };
    const pending = read(cache, ['a'], before);
    // Until the first fetch is under way (and so in flight for others to join).
    while (!release) await new Promise((resolve) => setImmediate(resolve));
    await cache.invalidate([key]);
    const after = read(cache, ['a'], async (refs) => refs.map((r) => certificate(r.nativeId, 'after')));
    // The later read has looked for a fetch in flight by now; only then does the earlier one end.
    await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(((await pending)[0] as Certificate).status).toBe('before');
    expect(((await after)[0] as Certificate).status).toBe('after');
  });

  it('remembers a documented not-found, but never a transient failure', async () => {
    const cache = cacheOn(new MemoryStore());
    const notFound = new GatewayError('Certificate.NotFound', 'gone', { provider: 'ESA', httpStatus: 404 });
    const unavailable = new GatewayError('ServiceUnavailable', 'down', { provider: 'ESA', httpStatus: 503 });
    const { asked, fetch } = countingFetch((id) => (id === 'gone' ? notFound : unavailable));
    await read(cache, ['gone', 'flaky'], fetch);
    const [gone, flaky] = await read(cache, ['gone', 'flaky'], fetch);
    expect(asked).toEqual(['gone', 'flaky', 'flaky']);
    expect(gone).toMatchObject({ code: 'Certificate.NotFound', category: 'NOT_FOUND' });
    expect(flaky).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
  });

  it('serves the stale copy when the refetch fails with a retryable error, and counts it', async () => {
    let now = Date.now();
    const stale = jest.fn();
    const cache = cacheOn(new MemoryStore(10_000, () => now), () => now, { ...SILENT_OBSERVER, staleServed: stale });
    await read(cache, ['a'], countingFetch().fetch);
    now += 120_000;
    const unavailable = new GatewayError('ServiceUnavailable', 'down', { provider: 'ESA', httpStatus: 503 });
    const [slot] = await read(cache, ['a'], countingFetch(() => unavailable).fetch);
    expect((slot as Certificate).ref.nativeId).toBe('a');
    expect(stale).toHaveBeenCalledWith(1);
    const invalid = new GatewayError('InvalidParameter', 'no', { provider: 'ESA', httpStatus: 400 });
    const [refused] = await read(cache, ['a'], countingFetch(() => invalid).fetch);
    expect(refused).toBe(invalid);
  });

  it('answers from the cloud when the store fails, every time', async () => {
    const broken: KeyValueStore = {
      kind: 'redis',
      getMany: () => Promise.reject(new Error('connection refused')),
      getOrLease: () => Promise.reject(new Error('connection refused')),
      setUnderLease: () => Promise.reject(new Error('connection refused')),
      acquireLeases: () => Promise.reject(new Error('connection refused')),
      releaseLeases: () => Promise.reject(new Error('connection refused')),
      increment: () => Promise.reject(new Error('connection refused')),
      set: () => Promise.reject(new Error('connection refused')),
      delete: () => Promise.reject(new Error('connection refused')),
      ping: () => Promise.reject(new Error('connection refused')),
      ready: async () => false,
      close: async () => undefined,
    };
    const cache = cacheOn(broken);
    const { asked, fetch } = countingFetch();
    for (let i = 0; i < 3; i += 1) expect((await read(cache, ['a'], fetch))[0]).toMatchObject({ status: 'OK' });
    expect(asked).toEqual(['a', 'a', 'a']);
  });
});
