/** What the cache reports, for metrics and logs. */
export interface CacheObserver {
  hits(count: number): void;
  misses(count: number): void;
  staleServed(count: number): void;
  /** Misses answered by another request's fetch (same process) or another instance's (lease). */
  coalesced(count: number, across: 'process' | 'instances'): void;
  storeFailed(operation: string, error: Error): void;
  breaker(state: 'closed' | 'open' | 'half-open'): void;
}

export const SILENT_OBSERVER: CacheObserver = {
  hits: () => undefined,
  misses: () => undefined,
  staleServed: () => undefined,
  coalesced: () => undefined,
  storeFailed: () => undefined,
  breaker: () => undefined,
};
