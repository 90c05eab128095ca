import { AsyncLocalStorage } from 'node:async_hooks';
import { type AnswerSources } from './response-cache';

export interface UpstreamCall {
  product: string;
  action: string;
  outcome: string;
  requestId?: string;
  ms: number;
}

/**
 * What belongs to one HTTP request wherever its work runs: its id, the cloud calls it made, and, when
 * its answer may be kept for reuse, what that answer is made from.
 */
export interface RequestScope {
  requestId: string;
  upstream: UpstreamCall[];
  sources?: AnswerSources;
}

const storage = new AsyncLocalStorage<RequestScope>();

export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
