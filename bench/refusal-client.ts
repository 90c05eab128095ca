import { performance } from 'node:perf_hooks';
import { HttpConnection, type HttpAnswer } from './http-connection';

/**
 * How one abusive request ended. `refused`: no data and `errors[0].extensions.code` set, what the
 * gateway must answer; `answered`: data came back, so the document was executed; `uncoded`: errors
 * without a code, or a body that is not GraphQL JSON; `broken`: the connection failed;
 * `timedOut`: no answer within the client's limit (the connection is then closed).
 */
export type Outcome =
  | { kind: 'refused'; status: number; code: string; message: string; ms: number }
  | { kind: 'answered' | 'uncoded'; status: number; message?: string; ms: number }
  | { kind: 'broken'; ms: number }
  | { kind: 'timedOut'; ms: number };

/** Sends `request` and waits at most `timeoutMs`; on a timeout the connection is closed and must not be reused. */
export async function sendWithTimeout(connection: HttpConnection, request: Buffer, timeoutMs: number): Promise<Outcome> {
  const sent = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.close();
  }, timeoutMs);
  try {
    const answer = await connection.send(request);
    return classify(answer, performance.now() - sent);
  } catch {
    return timedOut ? { kind: 'timedOut', ms: performance.now() - sent } : { kind: 'broken', ms: performance.now() - sent };
  } finally {
    clearTimeout(timer);
  }
}

interface GraphqlBody {
  data?: unknown;
  errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>;
}

export function classify(answer: HttpAnswer, ms: number): Outcome {
  let body: GraphqlBody;
  try {
    const parsed: unknown = JSON.parse(answer.body.toString('utf8'));
    if (parsed === null || typeof parsed !== 'object') return { kind: 'uncoded', status: answer.status, message: 'the body is not a JSON object', ms };
    body = parsed as GraphqlBody;
  } catch {
    return { kind: 'uncoded', status: answer.status, message: 'the body is not JSON', ms };
  }
  const first = Array.isArray(body.errors) ? body.errors[0] : undefined;
  const message = typeof first?.message === 'string' ? first.message : undefined;
  const code = first?.extensions?.code;
  if (body.data !== undefined && body.data !== null) return { kind: 'answered', status: answer.status, ...(message === undefined ? {} : { message }), ms };
  if (typeof code === 'string' && code !== '') return { kind: 'refused', status: answer.status, code, message: message ?? '', ms };
  return { kind: 'uncoded', status: answer.status, ...(message === undefined ? {} : { message }), ms };
}

/**
 * Waits until the server answers `GET /healthz` or `timeoutMs` passes: a server whose event loop is
 * blocked accepts the connection (the kernel does) but answers only once it is free again.
 * Resolves with the time of the answer, or undefined.
 */
export async function answeringAgain(url: URL, timeoutMs: number): Promise<number | undefined> {
  let connection: HttpConnection;
  try {
    connection = await HttpConnection.open(url.hostname, Number(url.port));
  } catch {
    return undefined;
  }
  const request = Buffer.from(`GET /healthz HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n\r\n`, 'latin1');
  const outcome = await sendWithTimeout(connection, request, timeoutMs);
  connection.close();
  return outcome.kind === 'timedOut' || outcome.kind === 'broken' ? undefined : performance.now();
}
