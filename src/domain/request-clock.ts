/**
 * The one "now" of a request, against which every time-dependent value in its answer is computed
 * (days until expiry...). Whatever computes such a value says until when it holds, so an answer kept
 * for reuse is not served past the moment one of its values would have come out differently.
 */
export class RequestClock {
  private earliestChange = Infinity;

  constructor(readonly now: Date) {}

  /** A value computed from `now` stays the same until `at` (epoch ms, exclusive). */
  holdsUntil(at: number): void {
    if (at < this.earliestChange) this.earliestChange = at;
  }

  /** When the first time-dependent value of the answer changes; Infinity when none depends on time. */
  get validUntil(): number {
    return this.earliestChange;
  }
}
