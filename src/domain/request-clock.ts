/** A value computed from a moment, and the first moment it would come out differently (epoch ms; absent: never). */
export interface Timed<T> {
  value: T;
  changesAt?: number;
}

/**
 * The one "now" of a request, against which every time-dependent value in its answer is computed
 * (days until expiry...). The moment itself is private: a value can only be computed through `read`,
 * which registers until when it holds, so an answer kept for reuse is never served past the moment
 * one of its values would have come out differently, and a new time-dependent field cannot forget to say so.
 */
export class RequestClock {
  private earliestChange = Infinity;

  constructor(private readonly now: Date) {}

  read<T>(compute: (now: Date) => Timed<T>): T {
    const { value, changesAt } = compute(this.now);
    if (changesAt !== undefined && changesAt < this.earliestChange) this.earliestChange = changesAt;
    return value;
  }

  /** When the first time-dependent value of the answer changes; Infinity when none depends on time. */
  get validUntil(): number {
    return this.earliestChange;
  }
}
