/**
 * The emulated cloud's notion of "now". Tests move it forward to see certificates expire or pending
 * validations complete without sleeping. Signature timestamps are checked against real time instead,
 * since clients sign with the host's clock.
 */
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
