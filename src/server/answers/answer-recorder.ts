import { type ReadTracker } from '../../cache/read-through-cache';

/**
 * What one request's answer was made from, passed down with the request (context -> reader -> cache):
 * the cached keys it read and until when each was fresh, and whether anything came from elsewhere (a
 * fetch, a stale copy). The answer may be kept only when everything came from fresh copies, and only
 * until the first of them, or a time-dependent value computed from the request's clock, changes.
 */
export class AnswerRecorder implements ReadTracker {
  readonly keys = new Set<string>();
  private freshUntil = Infinity;
  private settled = true;

  /** `generation`: the invalidation bus's, when the request began; a later one means something changed meanwhile. */
  constructor(
    readonly generation: number,
    /** The answer cache's count of changes heard otherwise (the inventory's). */
    readonly epoch = 0,
  ) {}

  fresh(key: string, freshUntil: number): void {
    this.keys.add(key);
    if (freshUntil < this.freshUntil) this.freshUntil = freshUntil;
  }

  unsettled(): void {
    this.settled = false;
  }

  /** Until when the answer may be served again (`validUntil`: when its time-dependent values change); undefined when never. */
  reusableUntil(validUntil: number): number | undefined {
    return this.settled ? Math.min(this.freshUntil, validUntil) : undefined;
  }
}
