import { type IncomingMessage } from 'node:http';
import { type HTTPGraphQLResponse } from '@apollo/server';
import { SPAN } from '../telemetry/span-attributes';
import { markFailed, type Span, type Tracing } from '../telemetry/tracing';
import { type Answer } from './pipeline/exchange';
import { type CheckedOperation } from './pipeline/operations';

/**
 * The spans of the transport: one per /graphql request (the caller's `traceparent` honoured) and one
 * per GraphQL operation. They name the method, the path, the operation and the documented codes of
 * the errors answered, never the query text, its variables or a header: those may hold PEM blocks,
 * keys and the caller's API key.
 */
export function startRequestSpan(tracing: Tracing, request: IncomingMessage, method: string, requestId: string): Span {
  return tracing.serverSpan(`${method} /graphql`, request.headers, { [SPAN.httpMethod]: method, [SPAN.urlPath]: '/graphql', [SPAN.requestId]: requestId });
}

/** Ends a request's span with its status; an answer of errors marks it failed with their codes. */
export function endRequestSpan(span: Span, answer: Answer, failed: boolean, operationName: string | undefined): void {
  span.setAttribute(SPAN.httpStatus, answer.status);
  if (operationName) span.setAttribute(SPAN.operationName, operationName);
  if (failed) markFailed(span, errorCodes(answer.body));
  span.end();
}

/** Runs one operation under its span, named as the semantic conventions name it: `query Certificate`. */
export async function traceOperation(
  tracing: Tracing,
  checked: CheckedOperation | undefined,
  work: () => Promise<HTTPGraphQLResponse>,
): Promise<HTTPGraphQLResponse> {
  const kind = checked && !checked.refused ? checked.kind : undefined;
  const name = checked && !checked.refused ? checked.name : undefined;
  const span = tracing.span(kind ? `${kind}${name ? ` ${name}` : ''}` : 'GraphQL operation', {
    ...(kind ? { [SPAN.operationType]: kind } : {}),
    ...(name ? { [SPAN.operationName]: name } : {}),
  });
  try {
    const result = await tracing.within(span, work);
    // Apollo Server writes `errors` first: only an answer starting with them is parsed.
    if (result.body.kind === 'complete' && result.body.string.startsWith('{"errors":')) markFailed(span, errorCodes(result.body.string));
    return result;
  } catch (error) {
    markFailed(span, 'INTERNAL_SERVER_ERROR');
    throw error;
  } finally {
    span.end();
  }
}

/** The documented codes of an answer's errors (a batch's too), in order, without repeats. */
export function errorCodes(body: Buffer | string): string[] {
  type Entry = { errors?: Array<{ extensions?: { code?: unknown } }> };
  const codes = new Set<string>();
  try {
    const parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as Entry | Entry[];
    for (const part of Array.isArray(parsed) ? parsed : [parsed]) {
      for (const error of part?.errors ?? []) if (typeof error.extensions?.code === 'string') codes.add(error.extensions.code);
    }
  } catch {
    // Not JSON: no code to tell.
  }
  return [...codes];
}
