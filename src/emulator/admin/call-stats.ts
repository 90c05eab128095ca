/** Calls per `Product.Action` since the last reset: what tests count upstream traffic with. */
export class CallStats {
  private readonly calls = new Map<string, number>();

  record(product: string, action: string): void {
    const key = `${product}.${action}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  reset(): void {
    this.calls.clear();
  }

  snapshot(): { calls: Record<string, number>; total: number } {
    const calls = Object.fromEntries([...this.calls].sort(([a], [b]) => a.localeCompare(b)));
    return { calls, total: [...this.calls.values()].reduce((sum, n) => sum + n, 0) };
  }
}
