import { AnswerCache, type StoredAnswer } from '../../../src/server/answers/answer-cache';
import { SwitchableBus } from '../../helpers/switchable-bus';

const START = Date.parse('2026-01-01T00:00:00Z');
const body = (text: string) => Buffer.from(JSON.stringify({ data: { text } }));
const answerOf = (text: string): StoredAnswer => ({ status: 200, headers: [['content-type', 'application/json']], body: body(text), operationName: 'Certificate' });

function setup(options: Partial<{ maxBytes: number; maxEntryBytes: number; maxAgeMs: number }> = {}) {
  let now = START;
  const bus = new SwitchableBus();
  const cache = new AnswerCache(bus, { maxBytes: 1_000_000, maxEntryBytes: 10_000, maxAgeMs: 60_000, ...options }, () => now);
  /** Runs one request that read `reads` (key -> fresh for ms) and answered a query whose values hold for `holdsMs`. */
  const answer = (key: string, reads: Record<string, number>, text = key, holdsMs = Infinity) => {
    const recorder = cache.recorder();
    for (const [read, freshMs] of Object.entries(reads)) recorder.fresh(read, now + freshMs);
    return { recorder, keep: () => cache.record(key, recorder, now + holdsMs, answerOf(text)) };
  };
  return { bus, cache, answer, advance: (ms: number) => (now += ms) };
}

describe('the answer cache', () => {
  it('replays a kept answer until the first entry it was made from stops being fresh', () => {
    const { cache, answer, advance } = setup();
    expect(answer('q', { a: 5_000, b: 60_000 }).keep()).toBe(true);
    expect(cache.lookup('q')?.body).toEqual(body('q'));
    expect(cache.lookup('q')?.operationName).toBe('Certificate');
    advance(4_999);
    expect(cache.lookup('q')).toBeDefined();
    advance(1);
    expect(cache.lookup('q')).toBeUndefined();
  });

  it('replays it no longer than a time-dependent value in it holds, nor than the longest age', () => {
    const timed = setup();
    timed.answer('q', { a: 60_000 }, 'q', 1_000).keep();
    timed.advance(1_000);
    expect(timed.cache.lookup('q')).toBeUndefined();

    const capped = setup({ maxAgeMs: 2_000 });
    capped.answer('q', {}).keep();
    capped.advance(1_999);
    expect(capped.cache.lookup('q')).toBeDefined();
    capped.advance(1);
    expect(capped.cache.lookup('q')).toBeUndefined();
  });

  it('drops exactly the answers that read an invalidated key', () => {
    const { bus, cache, answer } = setup();
    answer('reads a', { a: 60_000 }).keep();
    answer('reads a and b', { a: 60_000, b: 60_000 }).keep();
    answer('reads b', { b: 60_000 }).keep();
    bus.receive(['a']);
    expect(['reads a', 'reads a and b', 'reads b'].map((key) => cache.lookup(key) !== undefined)).toEqual([false, false, true]);
    expect(cache.size.entries).toBe(1);
  });

  it('keeps nothing that had to be fetched, or that ran across an invalidation', () => {
    const { bus, cache, answer } = setup();
    const fetched = answer('fetched', { a: 60_000 });
    fetched.recorder.unsettled();
    expect(fetched.keep()).toBe(false);

    const raced = answer('raced', { a: 60_000 });
    bus.receive(['unrelated']);
    expect(raced.keep()).toBe(false);
    expect(cache.size.entries).toBe(0);
  });

  it('keeps and serves nothing while invalidations cannot be heard', () => {
    const { bus, cache, answer } = setup();
    answer('q', { a: 60_000 }).keep();
    bus.drop();
    expect(cache.lookup('q')).toBeUndefined();
    expect(answer('q', { a: 60_000 }).keep()).toBe(false);
    bus.restore();
    expect(answer('q', { a: 60_000 }).keep()).toBe(true);
  });

  it('tells callers apart, and leaves out requests and answers over the size bound', () => {
    const { cache } = setup({ maxEntryBytes: 100 });
    const request = Buffer.from('{"query":"{ sites { id } }"}');
    expect(cache.keyOf('key-a', 'application/json', '*/*', request)).not.toBe(cache.keyOf('key-b', 'application/json', '*/*', request));
    expect(cache.keyOf('key-a', 'application/json', '*/*', Buffer.alloc(101))).toBeUndefined();
    expect(cache.record('big', cache.recorder(), Infinity, { status: 200, headers: [], body: Buffer.alloc(101), operationName: 'Sites' })).toBe(false);
  });

  it('stays within its bytes, sparing answers served since they were kept', () => {
    const { cache, answer } = setup({ maxBytes: 3 * ('k1'.length + body('k1').length) });
    for (const key of ['k1', 'k2', 'k3']) answer(key, {}).keep();
    cache.lookup('k1');
    answer('k4', {}).keep();
    expect(['k1', 'k2', 'k3', 'k4'].map((key) => cache.lookup(key) !== undefined)).toEqual([true, false, true, true]);
    expect(cache.size.bytes).toBeLessThanOrEqual(3 * ('k1'.length + body('k1').length));
  });
});
