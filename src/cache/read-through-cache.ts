import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, type ErrorProvider } from '../domain/errors/gateway-error';
import { type Fetched } from '../domain/ports';
import { SPAN } from '../telemetry/span-attributes';
import { type Span, type Tracing } from '../telemetry/tracing';
import { type CacheKey } from './cache-keys';
import { type CacheObserver } from './cache-observer';
import { type CachePolicy } from './cache-policy';
import { type Codec } from './certificate-codec';
import { type GuardedStore } from './guarded-store';
import { type LeasedWrite } from './key-value-store';
import { ALL_KEYS, type InvalidationBus } from './invalidation-bus';
import { type LocalTier } from './local-tier';

export interface EntrySpec<T> {
  codec: Codec<T>;
  ttlMs(value: T, now: number): number;
  /** Errors worth remembering briefly: a documented not-found, never anything transient. */
  cacheable?(error: GatewayError): boolean;
}

export interface ReadThroughOptions {
  /** How long a fetch may hold a key's lease: at least one upstream deadline. */
  leaseMs: number;
  /** How long to wait for another instance's fetch before fetching too. */
  waitMs: number;
  pollMs: number;
  /** When tracing is on: a span per lookup, saying which tier answered each key. */
  tracing?: Tracing;
}

/** What is stored: when it stops being fresh, and the value or the (not-found) error. */
interface Envelope {
  f: number;
  v?: unknown;
  e?: { code: string; message: string; httpStatus: number; provider: ErrorProvider; action?: string; requestId?: string };
}

interface Decoded<T> {
  fresh: boolean;
  freshUntil: number;
  slot: Fetched<T>;
}

/**
 * Hears what each read was answered from, passed with the read by the request that makes it: the
 * answer cache keeps an answer only when every key in it came from a fresh copy, and only until the
 * first of them expires.
 */
export interface ReadTracker {
  fresh(key: string, freshUntil: number): void;
  /** A key answered any other way: fetched, waited for, or a stale copy. */
  unsettled(): void;
}

export interface ReadThroughTiers {
  /** Decoded copies in process memory, in front of the store. */
  local?: LocalTier;
  /** Tells every instance (this one first) which keys changed. */
  bus?: InvalidationBus;
}

type Slots<T> = Map<number, Fetched<T>>;

/**
 * The shared read-through cache. For a batch of keys: fresh copies in process memory (the local tier,
 * when there is one) answer first; then one round trip reads the rest and takes the leases of those
 * not fresh; fresh entries answer; the misses are fetched once per process (concurrent requests join
 * the fetch in flight) and once across instances (a Redis lease with a token: the holder fetches and
 * writes under the lease, answering without waiting for the write; the others wait for its value
 * and fall back to fetching themselves if it never comes). A copy is kept past its fresh life and
 * served when the cloud fails with a retryable error. A store failure is a miss, never an error.
 */
export class ReadThroughCache {
  private readonly inflight = new Map<string, Promise<Fetched<unknown>>>();

  constructor(
    private readonly store: GuardedStore,
    private readonly policy: CachePolicy,
    private readonly observer: CacheObserver,
    private readonly options: ReadThroughOptions,
    private readonly now: () => number = Date.now,
    private readonly tiers: ReadThroughTiers = {},
  ) {
    // A fetch begun before a change must not answer reads made after it, here or on another instance.
    tiers.bus?.listen((changed) => {
      if (changed === ALL_KEYS) this.inflight.clear();
      else for (const key of changed) this.inflight.delete(key);
    });
  }

  getMany<T>(
    keys: readonly CacheKey[],
    spec: EntrySpec<T>,
    fetch: (indexes: number[]) => Promise<Fetched<T>[]>,
    tracker?: ReadTracker,
  ): Promise<Fetched<T>[]> {
    // Not async itself: with tracing off a lookup costs no promise more than it did without tracing.
    const { tracing } = this.options;
    return tracing ? this.tracedLookup(tracing, keys, spec, fetch, tracker) : this.lookup(keys, spec, fetch, tracker);
  }

  /** A lookup under its own span; the cloud calls made for its misses are the span's children. */
  private async tracedLookup<T>(
    tracing: Tracing,
    keys: readonly CacheKey[],
    spec: EntrySpec<T>,
    fetch: (indexes: number[]) => Promise<Fetched<T>[]>,
    tracker?: ReadTracker,
  ): Promise<Fetched<T>[]> {
    const span = tracing.span('cache lookup', { [SPAN.cacheKeys]: keys.length });
    try {
      return await tracing.within(span, () => this.lookup(keys, spec, fetch, tracker, new LookupTrace(span, this.store.store.kind, tracing)));
    } finally {
      span.end();
    }
  }

  private async lookup<T>(
    keys: readonly CacheKey[],
    spec: EntrySpec<T>,
    fetch: (indexes: number[]) => Promise<Fetched<T>[]>,
    tracker?: ReadTracker,
    traced?: LookupTrace,
  ): Promise<Fetched<T>[]> {
    const { local } = this.tiers;
    const generation = local?.generation ?? 0;
    const results: Fetched<T>[] = new Array(keys.length);
    const remote: number[] = [];
    keys.forEach((key, index) => {
      const entry = local?.get(key.key);
      if (entry) {
        results[index] = entry.value as Fetched<T>;
        tracker?.fresh(key.key, entry.freshUntil);
      } else remote.push(index);
    });
    if (remote.length === 0) {
      this.observer.hits(keys.length);
      traced?.settled({ memory: keys.length });
      return results;
    }

    const stale = new Map<number, T>();
    // One round trip: the values, and the leases of those that are absent or no longer fresh.
    const token = randomUUID();
    const storeRead = traced?.storeRead(remote.length);
    const stored = await this.attempt(() => this.store.getOrLease(remote.map((index) => keys[index] as CacheKey), token, this.options.leaseMs, this.now()));
    storeRead?.end();
    const missing: number[] = [];
    // What the read said of each key's lease, by key index.
    // Undefined when the read itself failed: the store is not asked again for this request.
    const taken: Array<boolean | undefined> | undefined = stored ? new Array(keys.length) : undefined;
    // A lease the read took for a key this request will not fetch (the entry decodes as fresh after
    // all, or a fetch in this process has it) is let go at once, so no other instance waits on it.
    const unused: string[] = [];
    remote.forEach((index, position) => {
      const key = keys[index] as CacheKey;
      const read = stored?.[position];
      if (taken) taken[index] = read?.leased;
      const decoded = this.decode(read?.value, spec);
      if (decoded?.fresh) {
        results[index] = decoded.slot;
        local?.set(key.key, decoded.slot, decoded.freshUntil, generation);
        tracker?.fresh(key.key, decoded.freshUntil);
        if (read?.leased) unused.push(key.leaseKey);
      } else {
        if (decoded && !(decoded.slot instanceof Error)) stale.set(index, decoded.slot);
        missing.push(index);
      }
    });
    this.observer.hits(keys.length - missing.length);
    if (missing.length) tracker?.unsettled();

    // No await between looking for a fetch in flight and registering ours: concurrent requests in
    // this process see each other's.
    const owned: number[] = [];
    const joined: Array<Promise<void>> = [];
    for (const index of missing) {
      const running = this.inflight.get((keys[index] as CacheKey).key);
      if (!running) owned.push(index);
      else {
        joined.push(running.then((slot) => void (results[index] = slot as Fetched<T>)));
        if (taken?.[index]) unused.push((keys[index] as CacheKey).leaseKey);
      }
    }
    if (unused.length) void this.attempt(() => this.store.releaseLeases(unused, token));
    const counts = traced && { memory: keys.length - remote.length, store: remote.length - missing.length, coalesced: joined.length, fetched: owned.length };
    if (missing.length === 0) {
      traced?.settled(counts ?? {});
      return results;
    }
    if (joined.length) this.observer.coalesced(joined.length, 'process');
    if (owned.length) {
      this.observer.misses(owned.length);
      const work = this.load(keys, owned, spec, fetch, stale, generation, token, taken);
      const mine = owned.map((index) => {
        const slot = work.then((slots) => slots.get(index) as Fetched<unknown>);
        this.inflight.set((keys[index] as CacheKey).key, slot);
        return [index, slot] as const;
      });
      try {
        const slots = await work;
        for (const index of owned) results[index] = slots.get(index) as Fetched<T>;
      } finally {
        for (const [index, slot] of mine) {
          const key = (keys[index] as CacheKey).key;
          if (this.inflight.get(key) === slot) this.inflight.delete(key);
        }
      }
    }
    await Promise.all(joined);
    traced?.settled(counts ?? {});
    return results;
  }

  /**
   * Forgets keys everywhere, leases included, so a fetch begun before the change cannot write after it
   * nor answer a later read; then tells every instance to drop its local copies and fetches in flight
   * (`publish` drops this one's first).
   */
  async invalidate(keys: readonly CacheKey[]): Promise<void> {
    for (const key of keys) this.inflight.delete(key.key);
    await this.attempt(() => this.store.delete(keys.flatMap((key) => [key.key, key.leaseKey])));
    const { bus } = this.tiers;
    if (bus) await this.attempt(() => bus.publish(keys.map((key) => key.key)));
  }

  /**
   * Fetches the misses this request owns: those whose lease it holds (or that no store could lease)
   * here, while waiting for those another instance is fetching. `taken` is what the read said of each
   * key's lease; a lease it did not try is asked for now. When the read failed (`taken` undefined) the
   * store is not asked again: this request fetches without a lease, as with no store at all.
   */
  private async load<T>(
    keys: readonly CacheKey[],
    owned: number[],
    spec: EntrySpec<T>,
    fetch: (indexes: number[]) => Promise<Fetched<T>[]>,
    stale: Map<number, T>,
    generation: number,
    token: string,
    taken: ReadonlyArray<boolean | undefined> | undefined,
  ): Promise<Slots<T>> {
    const leases = new Map(owned.map((index) => [index, taken?.[index]]));
    const untried = taken ? owned.filter((index) => leases.get(index) === undefined) : [];
    if (untried.length) {
      const acquired = await this.attempt(() =>
        this.store.acquireLeases(
          untried.map((index) => (keys[index] as CacheKey).leaseKey),
          token,
          this.options.leaseMs,
        ),
      );
      untried.forEach((index, position) => leases.set(index, acquired?.[position]));
    }
    // Without a store (down, breaker open) every instance simply fetches for itself.
    const leased = owned.filter((index) => leases.get(index) !== false);
    const elsewhere = owned.filter((index) => leases.get(index) === false);
    const holding = owned.some((index) => leases.get(index) === true);
    const [fetched, waited] = await Promise.all([
      this.fetchAndStore(keys, leased, spec, fetch, stale, generation, holding ? token : undefined),
      this.waitFor(keys, elsewhere, spec, generation),
    ]);
    const slots: Slots<T> = new Map([...fetched, ...waited]);
    const leftover = elsewhere.filter((index) => !waited.has(index));
    if (leftover.length) for (const [index, slot] of await this.fetchAndStore(keys, leftover, spec, fetch, stale, generation)) slots.set(index, slot);
    return slots;
  }

  private async fetchAndStore<T>(
    keys: readonly CacheKey[],
    indexes: number[],
    spec: EntrySpec<T>,
    fetch: (indexes: number[]) => Promise<Fetched<T>[]>,
    stale: Map<number, T>,
    generation: number,
    token?: string,
  ): Promise<Slots<T>> {
    const slots: Slots<T> = new Map();
    if (indexes.length === 0) return slots;
    const answers = await fetch(indexes);
    const now = this.now();
    const writes: Array<{ key: string; leaseKey: string; token: string; value: string; ttlMs: number }> = [];
    // What each write holds, to keep locally once the store has taken it under the lease.
    const written: Array<{ slot: Fetched<T>; freshUntil: number }> = [];
    const unwritten: string[] = [];
    let staleServed = 0;
    indexes.forEach((index, position) => {
      const answer = answers[position] as Fetched<T>;
      const key = keys[index] as CacheKey;
      if (answer instanceof GatewayError) {
        const fallback = stale.get(index);
        if (answer.retryable && fallback !== undefined) {
          staleServed += 1;
          slots.set(index, fallback);
        } else slots.set(index, answer);
        if (token && !answer.retryable && spec.cacheable?.(answer)) {
          const envelope: Envelope = { f: now + this.policy.negativeTtl, e: serializeError(answer) };
          writes.push({ ...key, token, value: JSON.stringify(envelope), ttlMs: this.policy.negativeTtl });
          written.push({ slot: answer, freshUntil: envelope.f });
        } else unwritten.push(key.leaseKey);
        return;
      }
      slots.set(index, answer);
      if (answer instanceof Error) unwritten.push(key.leaseKey);
      if (answer instanceof Error || !token) return;
      const ttl = spec.ttlMs(answer, now);
      writes.push({ ...key, token, value: JSON.stringify({ f: now + ttl, v: spec.codec.encode(answer) } satisfies Envelope), ttlMs: ttl + this.policy.staleFor });
      written.push({ slot: answer, freshUntil: now + ttl });
    });
    if (staleServed) {
      this.observer.staleServed(staleServed);
      const traced = LookupTrace.active(this.options.tracing);
      if (traced) traced.staleServed += staleServed;
    }
    // Sent now, before the caller is answered, but not waited for: the answer does not wait for the
    // write's round trip. This process's later reads queue behind it on the same connection (Redis
    // answers in order); other instances wait on the lease until it lands. What the store took is
    // then kept locally too. A failure is a miss, counted by the guard.
    if (writes.length) {
      void this.attempt(() => this.store.setUnderLease(writes)).then((stored) =>
        stored?.forEach((ok, position) => {
          const entry = written[position] as (typeof written)[number];
          if (ok) this.tiers.local?.set((writes[position] as LeasedWrite).key, entry.slot, entry.freshUntil, generation);
        }),
      );
    }
    if (token && unwritten.length) void this.attempt(() => this.store.releaseLeases(unwritten, token));
    return slots;
  }

  /**
   * Polls for values another instance is fetching under its lease; returns those that arrived. Stops
   * waiting for a key as soon as its lease is gone without a value (the holder failed or had nothing
   * to write), and for all after `waitMs` worth of polls.
   */
  private async waitFor<T>(keys: readonly CacheKey[], indexes: number[], spec: EntrySpec<T>, generation: number): Promise<Slots<T>> {
    const slots: Slots<T> = new Map();
    let pending = indexes;
    for (let poll = 0; pending.length && poll < Math.ceil(this.options.waitMs / this.options.pollMs); poll += 1) {
      await sleep(this.options.pollMs);
      const entries = pending.map((index) => keys[index] as CacheKey);
      const stored = await this.attempt(() => this.store.getMany([...entries.map((entry) => entry.key), ...entries.map((entry) => entry.leaseKey)]));
      if (!stored) break;
      pending = pending.filter((index, position) => {
        const decoded = this.decode(stored[position], spec);
        if (decoded?.fresh) {
          slots.set(index, decoded.slot);
          this.tiers.local?.set((keys[index] as CacheKey).key, decoded.slot, decoded.freshUntil, generation);
          return false;
        }
        return stored[entries.length + position] !== undefined;
      });
    }
    if (slots.size) {
      this.observer.coalesced(slots.size, 'instances');
      const traced = LookupTrace.active(this.options.tracing);
      if (traced) traced.waited += slots.size;
    }
    return slots;
  }

  private decode<T>(text: string | undefined, spec: EntrySpec<T>): Decoded<T> | undefined {
    if (text === undefined) return undefined;
    try {
      const envelope = JSON.parse(text) as Envelope;
      const fresh = envelope.f > this.now();
      if (envelope.e) return { fresh, freshUntil: envelope.f, slot: new GatewayError(envelope.e.code, envelope.e.message, envelope.e) };
      return { fresh, freshUntil: envelope.f, slot: spec.codec.decode(envelope.v) };
    } catch {
      return undefined;
    }
  }

  /** A store call whose failure means "no cache this time" (the guard has counted it). */
  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch {
      return undefined;
    }
  }
}

/** How many keys of one lookup each tier answered. */
interface TierCounts {
  memory?: number;
  store?: number;
  coalesced?: number;
  fetched?: number;
}

/** The lookup each span stands for, so code running within a lookup can add to its counts. */
const lookups = new WeakMap<Span, LookupTrace>();

/**
 * One lookup's span: how many keys the local tier, the store, another fetch (coalesced) and the cloud
 * (fetched) answered, and the outcome in one word when every key had the same one (`stale` when every
 * fetch failed and a stale copy was served instead).
 */
class LookupTrace {
  /** Keys answered with a stale copy, and keys answered by waiting for another instance's fetch. */
  staleServed = 0;
  waited = 0;

  constructor(
    private readonly span: Span,
    private readonly storeKind: 'redis' | 'memory',
    private readonly tracing: Tracing,
  ) {
    lookups.set(span, this);
  }

  /** The lookup the active span stands for, from code that runs within it. */
  static active(tracing: Tracing | undefined): LookupTrace | undefined {
    const span = tracing?.active();
    return span && lookups.get(span);
  }

  /** The store's round trip, as a child span. */
  storeRead(keys: number): Span {
    return this.tracing.span('cache store read', { [SPAN.cacheTier]: this.storeKind, [SPAN.cacheKeys]: keys });
  }

  settled(counts: TierCounts): void {
    const { memory = 0, store = 0 } = counts;
    const coalesced = (counts.coalesced ?? 0) + this.waited;
    const fetched = (counts.fetched ?? 0) - this.waited - this.staleServed;
    const answered = Object.entries({ memory, store, coalesced, stale: this.staleServed, fetched }).filter(([, count]) => count > 0);
    this.span.setAttributes({
      // The deepest tier the lookup reached.
      [SPAN.cacheTier]: memory === answered.reduce((sum, [, count]) => sum + count, 0) ? 'memory' : this.storeKind,
      [SPAN.cacheOutcome]: answered.length === 1 ? (answered[0] as [string, number])[0] : answered.length === 0 ? 'none' : 'mixed',
      [SPAN.cacheMemoryHits]: memory,
      [SPAN.cacheStoreHits]: store,
      [SPAN.cacheCoalesced]: coalesced,
      [SPAN.cacheStaleServed]: this.staleServed,
      [SPAN.cacheFetched]: fetched,
    });
  }
}

function serializeError(error: GatewayError): NonNullable<Envelope['e']> {
  return {
    code: error.code,
    message: error.message,
    httpStatus: error.httpStatus,
    provider: error.details.provider,
    ...(error.details.action ? { action: error.details.action } : {}),
    ...(error.details.requestId ? { requestId: error.details.requestId } : {}),
  };
}
