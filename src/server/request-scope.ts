import { AsyncLocalStorage } from 'node:async_hooks';

export interface UpstreamCall {
  product: string;
  action: string;
  outcome: string;
  requestId?: string;
  ms: number;
}

/** What belongs to one HTTP request wherever its work runs: its id, and the cloud calls it made. */
export interface RequestScope {
  requestId: string;
  upstream: UpstreamCall[];
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
