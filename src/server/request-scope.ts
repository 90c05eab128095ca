import { AsyncLocalStorage } from 'node:async_hooks';

export interface UpstreamCall {
  product: string;
  action: string;
  outcome: string;
  requestId?: string;
  ms: number;
}

/**
 * What telemetry needs of the HTTP request a piece of work belongs to: its id and the list its cloud
 * calls are written to, for its access-log line. Only telemetry travels this way (the RPC client is
 * shared by every request and knows none of them); what decides an answer is passed explicitly.
 */
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
