import { type IncomingMessage } from 'node:http';
import { type Caller } from '../auth/api-keys';
import { type AnswerRecorder } from '../answers/answer-recorder';
import { type UpstreamCall } from '../request-scope';
import { type CheckedOperation } from './operations';

/** One GraphQL operation as the caller sent it; a batch holds several. */
export interface OperationRequest {
  query?: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

/** What ends a request: written to the socket as it is. */
export interface Answer {
  status: number;
  headers: ReadonlyArray<readonly [string, string]>;
  body: Buffer | string;
}

/**
 * One GraphQL request on its way through the stages: what the caller sent and what each stage
 * learnt of it. A stage reads what the stages before it set, and sets what it finds out.
 */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly requestId: string;
  /** GET or POST (anything else never reaches the stages). */
  readonly method: string;
  /** The query string, without the `?`. */
  readonly search: string;
  /** The request body, read whole (POST). */
  body?: Buffer;
  /** Who is calling; undefined while callers' keys are off. */
  caller?: Caller;
  /** The answer cache's key for this request, when its answer may be kept. */
  answerKey?: string;
  /** Hears what the request read, when its answer may be kept. */
  recorder?: AnswerRecorder;
  /** The operations, once the request is read: one, or a batch. */
  operations?: OperationRequest[];
  batched?: boolean;
  /** Operations whose query text is to be kept as a persisted query once checked (by index). */
  register?: number[];
  /** Each operation's document and kind once checked, or the error it was refused with. */
  checked?: CheckedOperation[];
  /** The name the request's metrics use. */
  operationName?: string;
  /** The cloud calls made for this request, for its access-log line. */
  readonly upstream: UpstreamCall[];
}

/** A stage answers to end the request, or returns undefined to hand it on. */
export type Stage = (exchange: Exchange) => Answer | undefined | Promise<Answer | undefined>;

/** Runs the stages in order until one answers. A stage that answers synchronously costs no promise. */
export async function runStages(stages: readonly Stage[], exchange: Exchange): Promise<Answer> {
  for (const stage of stages) {
    const outcome = stage(exchange);
    const answer = outcome instanceof Promise ? await outcome : outcome;
    if (answer) return answer;
  }
  throw new Error('No stage answered the request.');
}

export function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
