/**
 * Remembers signature nonces for at least `windowMs`, so a replay inside the accepted clock skew is
 * refused. Two generations rotate every window: memory stays proportional to the request rate, and
 * every nonce is held for between one and two windows.
 */
export class NonceRegistry {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotatedAt: number;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rotatedAt = now();
  }

  /** Records the nonce; false when it was seen already. */
  claim(accessKeyId: string, nonce: string): boolean {
    const time = this.now();
    if (time - this.rotatedAt >= this.windowMs) {
      this.previous = time - this.rotatedAt >= 2 * this.windowMs ? new Set() : this.current;
      this.current = new Set();
      this.rotatedAt = time;
    }
    const key = `${accessKeyId}\u0000${nonce}`;
    if (this.current.has(key) || this.previous.has(key)) return false;
    this.current.add(key);
    return true;
  }
}
