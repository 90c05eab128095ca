import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { type GatewayContext } from '../../schema/context';
import { type AnswerCache } from '../answers/answer-cache';
import { JSON_TYPE, answerType, errorAnswer, statusFor, type ErrorEntry } from '../errors/error-answer';
import { type GatewayMetrics } from '../metrics';
import { traceOperation } from '../request-spans';
import { type Tracing } from '../../telemetry/tracing';
import { headerText, type Answer, type Exchange, type OperationRequest, type Stage } from './exchange';
import { type CheckedOperation } from './operations';

export interface ExecuteOptions {
  apollo: ApolloServer<GatewayContext>;
  /** The request's context: its reader (and recorder), the caller's access, the clock. Made once, shared by a batch. */
  context: (exchange: Exchange) => Promise<GatewayContext>;
  answers?: AnswerCache;
  metrics: GatewayMetrics;
  /** Runs once the operations are checked: the persisted queries that passed are registered. */
  checked?: (exchange: Exchange) => void;
  /** When tracing is on: a span per operation, under the request's. */
  tracing?: Tracing;
}

/**
 * Runs what passed the checks through Apollo Server (validation, execution, its error formatting), one
 * operation at a time; a batch's answers are put together in order, a refused operation's error in
 * its place. A query answered without errors from fresh cached values only is kept for replay.
 */
export function execute(options: ExecuteOptions): Stage {
  return async (exchange: Exchange) => {
    options.checked?.(exchange);
    let context: Promise<GatewayContext> | undefined;
    const contextOnce = () => (context ??= options.context(exchange));
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(exchange.request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const execute = (httpGraphQLRequest: HTTPGraphQLRequest) => options.apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: contextOnce });
    const { tracing } = options;
    const run = (httpGraphQLRequest: HTTPGraphQLRequest, verdict?: CheckedOperation) =>
      tracing ? traceOperation(tracing, verdict, () => execute(httpGraphQLRequest)) : execute(httpGraphQLRequest);

    const operations = exchange.operations;
    // Nothing for the checks (the Sandbox page, a body that is not JSON): Apollo answers as it would.
    if (!operations) return toAnswer(await run({ method: exchange.method, headers, search: exchange.search, body: bodyText(exchange) }));

    const accept = headerText(exchange.request.headers.accept);
    const checked = exchange.checked ?? [];
    if (!exchange.batched) {
      const only = checked[0] as Extract<CheckedOperation, { refused?: undefined }>;
      const answer = legacyStatus(await toAnswer(await run(requestFor(exchange.method, headers, operations[0] as OperationRequest), only)));
      if (exchange.recorder && exchange.answerKey && options.answers && only.kind === 'query') keep(options, exchange, answer, await contextOnce());
      return answer;
    }
    const parts = await Promise.all(
      operations.map(async (operation, index) => {
        const verdict = checked[index];
        if (verdict?.refused) return JSON.parse(errorAnswer(verdict.refused).body as string) as { errors: ErrorEntry[] };
        const result = await run(requestFor(exchange.method, headers, operation), verdict);
        return JSON.parse(await bodyOf(result)) as unknown;
      }),
    );
    // A batch's answer is 200: each operation's outcome, refusals included, is in its own entry.
    const mediaType = answerType(accept);
    return { status: statusFor([], 200, mediaType), headers: [['content-type', mediaType]], body: JSON.stringify(parts) };
  };
}

/** One operation as Apollo Server takes it: the checked text (a persisted query's included), without the persisted-query extension. */
function requestFor(method: string, headers: HeaderMap, operation: OperationRequest): HTTPGraphQLRequest {
  const { query, operationName, variables, extensions } = operation;
  const carried = extensions && Object.keys(extensions).length ? extensions : undefined;
  if (method === 'GET') {
    const search = new URLSearchParams();
    if (query !== undefined) search.set('query', query);
    if (operationName) search.set('operationName', operationName);
    if (variables) search.set('variables', JSON.stringify(variables));
    if (carried) search.set('extensions', JSON.stringify(carried));
    return { method, headers, search: search.toString(), body: undefined };
  }
  return { method, headers, search: '', body: { query, ...(operationName ? { operationName } : {}), ...(variables ? { variables } : {}), ...(carried ? { extensions: carried } : {}) } };
}

/**
 * Apollo Server answers a document that fails validation 400 whatever the caller accepts; an
 * `application/json` client gets 200 instead, as for the gateway's own refusals (error-answer.ts).
 */
function legacyStatus(answer: Answer): Answer {
  if (answer.status !== 400) return answer;
  const mediaType = answer.headers.find(([name]) => name === 'content-type')?.[1] ?? '';
  try {
    const { errors } = JSON.parse(String(answer.body)) as { errors?: ErrorEntry[] };
    if (errors) answer.status = statusFor(errors, answer.status, mediaType.startsWith('application/json') ? JSON_TYPE : mediaType);
  } catch {
    // Not an answer of errors: left as it is.
  }
  return answer;
}

function bodyText(exchange: Exchange): unknown {
  if (!exchange.body || exchange.body.length === 0) return undefined;
  return exchange.body.toString('utf8');
}

async function bodyOf(result: HTTPGraphQLResponse): Promise<string> {
  if (result.body.kind === 'complete') return result.body.string;
  let text = '';
  for await (const chunk of result.body.asyncIterator) text += chunk;
  return text;
}

function toAnswer(result: HTTPGraphQLResponse): Promise<Answer> | Answer {
  const headers = [...result.headers] as Array<[string, string]>;
  const status = result.status ?? 200;
  if (result.body.kind === 'complete') return { status, headers, body: result.body.string };
  return bodyOf(result).then((body) => ({ status, headers, body }));
}

/**
 * Apollo Server writes a result's fields in the order errors, data, extensions: an answer has
 * errors exactly when it starts with them. Only an answer without errors, made from fresh cached
 * values only (no cloud call), is kept.
 */
function keep(options: ExecuteOptions, exchange: Exchange, answer: Answer, context: GatewayContext): void {
  const body = Buffer.from(answer.body);
  answer.body = body;
  if (answer.status !== 200 || exchange.upstream.length > 0 || body.subarray(0, 10).toString('latin1') === '{"errors":') return;
  const stored = { status: 200, headers: answer.headers, body, operationName: exchange.operationName ?? 'anonymous' };
  if (options.answers?.record(exchange.answerKey as string, exchange.recorder!, context.clock.validUntil, stored)) options.metrics.answerCache('kept');
}
