import { ALL_KEYS, type InvalidationBus } from '../../cache/invalidation-bus';
import { AnswerRecorder } from './answer-recorder';

export interface AnswerCacheOptions {
  /** Bytes of answers kept at most (bodies and keys); the least recently used go first. 0 turns it off. */
  maxBytes: number;
  /** Larger answers, or request bodies, are never kept. */
  maxEntryBytes: number;
  /** Longest an answer is kept, however long what it was made from stays fresh. */
  maxAgeMs: number;
}

export interface StoredAnswer {
  status: number;
  headers: ReadonlyArray<readonly [string, string]>;
  /** The encoded bytes, written as they are. */
  body: Buffer;
  operationName: string;
}

interface Entry {
  answer: StoredAnswer;
  expiresAt: number;
  keys: readonly string[];
  bytes: number;
  /** Served since it was kept or last spared by eviction (the second chance of the CLOCK policy). */
  used: boolean;
}

/**
 * Whole answers to repeated queries, so a cached read skips parsing, validation, execution and
 * serialisation. An answer is keyed by everything that decides it (the caller, the request's content
 * type and accepted types, its exact body) and kept only when every value in it came from a fresh
 * cache entry; it lives until the first of those entries stops being fresh or a time-dependent value
 * in it would change, and is dropped, on every instance, as soon as any of those entries is
 * invalidated. Only while the invalidation bus is live, as for the local tier. Bounded in bytes.
 */
export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  /** Cache key -> the answers that read it. */
  private readonly dependents = new Map<string, Set<string>>();
  private bytes = 0;
  /** Changes heard other than through the bus (the inventory's): a request that ran across one keeps nothing. */
  private epoch = 0;

  constructor(
    private readonly bus: InvalidationBus,
    private readonly options: AnswerCacheOptions,
    private readonly now: () => number = Date.now,
  ) {
    bus.listen((keys) => {
      if (keys === ALL_KEYS) this.clear();
      else for (const key of keys) for (const answerKey of this.dependents.get(key) ?? []) this.remove(answerKey);
    });
  }

  /** The key of a request worth looking up, or undefined when its kind is never kept. */
  keyOf(caller: string, contentType: string, accept: string, body: Buffer): string | undefined {
    if (this.options.maxBytes === 0 || body.length > this.options.maxEntryBytes) return undefined;
    return `${caller}\n${contentType}\n${accept}\n${body.toString('latin1')}`;
  }

  /** The answer kept for this key, if it is still good. */
  lookup(key: string): StoredAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now() || !this.bus.live) {
      this.remove(key);
      return undefined;
    }
    entry.used = true;
    return entry.answer;
  }

  /** Starts listening to what a request that may be kept reads. */
  recorder(): AnswerRecorder {
    return new AnswerRecorder(this.bus.generation, this.epoch);
  }

  /**
   * Keeps a query's answer if what it was made from allows it and nothing was invalidated while it
   * ran; `validUntil` is when its first time-dependent value changes (the request's clock says).
   */
  record(key: string, recorder: AnswerRecorder, validUntil: number, answer: StoredAnswer): boolean {
    const until = recorder.reusableUntil(validUntil);
    if (until === undefined || !this.bus.live || recorder.generation !== this.bus.generation || recorder.epoch !== this.epoch) return false;
    const now = this.now();
    const expiresAt = Math.min(until, now + this.options.maxAgeMs);
    if (expiresAt <= now || answer.body.length > this.options.maxEntryBytes) return false;
    const bytes = key.length + answer.body.length;
    this.remove(key);
    const keys = [...recorder.keys];
    this.entries.set(key, { answer, expiresAt, keys, bytes, used: false });
    this.bytes += bytes;
    for (const dependency of keys) {
      const set = this.dependents.get(dependency);
      if (set) set.add(key);
      else this.dependents.set(dependency, new Set([key]));
    }
    this.evict();
    return true;
  }

  /**
   * Oldest first, but an answer served since it was kept (or last spared) gets a second chance at the
   * back of the line: about least-recently-used, without reordering on every hit.
   */
  private evict(): void {
    while (this.bytes > this.options.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, Entry];
      if (entry.used) {
        entry.used = false;
        this.entries.delete(oldest);
        this.entries.set(oldest, entry);
      } else this.remove(oldest);
    }
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    for (const dependency of entry.keys) {
      const set = this.dependents.get(dependency);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(dependency);
    }
  }

  /** Drops the answers made from these keys, as an invalidation on the bus would. */
  forget(keys: readonly string[]): void {
    this.epoch += 1;
    for (const key of keys) for (const answerKey of this.dependents.get(key) ?? []) this.remove(answerKey);
  }

  private clear(): void {
    this.entries.clear();
    this.dependents.clear();
    this.bytes = 0;
  }
}
