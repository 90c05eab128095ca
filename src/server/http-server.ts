import { HeaderMap, type ApolloServer } from '@apollo/server';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Duplex } from 'node:stream';
import { ERROR_CATALOGUE, type ErrorCode } from '../domain/errors/error-catalogue';
import { type GatewayContext } from '../schema/context';
import { type ApiKeyRing, type Caller } from './auth/api-keys';
import { type RateLimiter } from './limits/rate-limiter';
import { type Logger } from './logger';
import { type GatewayMetrics } from './metrics';
import { runInRequestScope, type RequestScope } from './request-scope';
import { type ResponseCache, type StoredAnswer } from './response-cache';

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

export interface HttpServerOptions {
  apollo: ApolloServer<GatewayContext>;
  /** `caller` is undefined when callers' keys are off. */
  context: (request: IncomingMessage, caller: Caller | undefined) => Promise<GatewayContext>;
  /** Callers' keys; absent = no authentication. */
  keys?: ApiKeyRing;
  rateLimiter?: RateLimiter;
  maxBatch: number;
  readiness: () => Promise<Readiness>;
  metrics: GatewayMetrics;
  maxBodyBytes: number;
  logger: Logger;
  /** Whole answers to repeated queries; absent = every request is executed. */
  responses?: ResponseCache;
}

export interface GatewayHttpServer {
  server: Server;
  /** Stops accepting connections and resolves once in-flight requests have answered (or `timeoutMs` passed). */
  drain(timeoutMs: number): Promise<{ drained: boolean; abandoned: number }>;
}

/** A caller's request id is kept when it is a sane token; anything else gets a fresh one. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

class PayloadTooLarge extends Error {}

/**
 * The gateway's HTTP front on bare `node:http`: Apollo Server's own HTTP handling for /graphql (GET
 * queries, POST, its status codes and CSRF rules), plus the operational routes. No framework between
 * the socket and Apollo: nothing to pay for on every request.
 */
export function createHttpServer(options: HttpServerOptions): GatewayHttpServer {
  let inFlight = 0;
  const idle: Array<() => void> = [];
  const server = createServer((request, response) => {
    const offered = request.headers['x-request-id'];
    const scope: RequestScope = { requestId: typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID(), upstream: [] };
    response.setHeader('x-request-id', scope.requestId);
    inFlight += 1;
    const started = process.hrtime.bigint();
    response.once('close', () => {
      inFlight -= 1;
      if (request.url?.startsWith('/graphql') && options.logger.isLevelEnabled('info')) {
        options.logger.info(
          {
            requestId: scope.requestId,
            method: request.method,
            path: request.url.split('?')[0],
            status: response.statusCode,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            upstream: scope.upstream,
          },
          'request',
        );
      }
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    });
    runInRequestScope(scope, () =>
      route(request, response, options, scope).catch((error: unknown) => {
        options.logger.error({ requestId: scope.requestId, error: (error as Error).message }, 'request failed outside GraphQL');
        if (!response.headersSent) refuse(response, 'INTERNAL_SERVER_ERROR', 'Internal server error');
        else response.destroy(error as Error);
      }),
    );
  });
  server.on('clientError', answerClientError);
  return {
    server,
    drain: async (timeoutMs) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        const finished = new Promise<void>((resolve) => idle.push(resolve));
        const timedOut = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
        await Promise.race([finished, timedOut]);
      }
      const abandoned = inFlight;
      server.closeAllConnections();
      await closed;
      return { drained: abandoned === 0, abandoned };
    },
  };
}

async function route(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions, scope: RequestScope): Promise<void> {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  switch (path) {
    case '/graphql':
      return graphql(request, response, options, scope, queryAt < 0 ? '' : url.slice(queryAt + 1));
    case '/healthz':
      return json(response, 200, { status: 'ok' });
    case '/readyz': {
      const readiness = await options.readiness();
      return json(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks });
    }
    case '/metrics': {
      const text = await options.metrics.registry.metrics();
      response.writeHead(200, { 'content-type': options.metrics.registry.contentType });
      response.end(text);
      return;
    }
    default:
      return json(response, 404, { error: `No route ${path}. Try /graphql.` });
  }
}

async function graphql(request: IncomingMessage, response: ServerResponse, options: HttpServerOptions, scope: RequestScope, search: string): Promise<void> {
  const started = process.hrtime.bigint();
  let raw: Buffer;
  try {
    raw = await readBody(request, options.maxBodyBytes);
  } catch (error) {
    if (error instanceof PayloadTooLarge) {
      response.setHeader('connection', 'close');
      return json(response, 413, transportError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${options.maxBodyBytes} bytes.`));
    }
    throw error;
  }
  // Who is calling is settled before GraphQL sees the request, so a refusal costs nothing upstream.
  // The Sandbox page itself (a browser GET without an operation) needs no key.
  let caller: Caller | undefined;
  const carriesOperation = request.method !== 'GET' || new URLSearchParams(search).has('query');
  if (options.keys && carriesOperation) {
    caller = options.keys.identify(headerText(request.headers.authorization));
    if (!caller) {
      response.setHeader('www-authenticate', 'Bearer');
      return refuse(response, 'UNAUTHENTICATED', 'A valid API key is required: send Authorization: Bearer <key>.');
    }
    const checked = options.rateLimiter?.check(caller.id);
    const decision = checked instanceof Promise ? await checked : checked;
    if (decision && !decision.allowed) {
      response.setHeader('retry-after', String(decision.retryAfterSeconds));
      return refuse(response, 'Throttling.User', 'Request was denied due to user flow control: too many requests for this API key.', 429);
    }
  }

  // A query asked before, by the same caller, in the same bytes: its answer, if still good, as it was.
  // (Only a JSON object's answer is ever kept, so a hit needs no parsing.)
  const { responses } = options;
  const contentType = headerText(request.headers['content-type']);
  const jsonBody = raw.length > 0 && JSON_CONTENT.test(contentType);
  let answerKey = responses && jsonBody && request.method === 'POST' ? responses.keyOf(caller?.id ?? '', contentType, headerText(request.headers.accept), raw) : undefined;
  if (responses && answerKey !== undefined) {
    const kept = responses.get(answerKey);
    if (kept) {
      options.metrics.responseCache('hit');
      options.metrics.observeRequest(kept.operationName, 'ok', Number(process.hrtime.bigint() - started) / 1e9);
      return replay(response, kept);
    }
  }

  let body: unknown = raw.length > 0 ? raw.toString('utf8') : undefined;
  if (jsonBody) {
    try {
      body = JSON.parse(body as string);
    } catch {
      return json(response, 400, transportError(400, 'BAD_REQUEST', 'The request body is not valid JSON.'));
    }
  }
  if (Array.isArray(body) && body.length > options.maxBatch) {
    return refuse(response, 'GRAPHQL_VALIDATION_FAILED', `A batch may hold at most ${options.maxBatch} operations; this one holds ${body.length}.`);
  }
  if (responses && answerKey !== undefined) {
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      options.metrics.responseCache('miss');
      scope.sources = responses.begin();
    } else answerKey = undefined;
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method?.toUpperCase() ?? 'GET', headers, search, body },
    context: () => options.context(request, caller),
  });
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    if (response.statusCode === 400 && isLegacyJsonDocumentError(result.headers.get('content-type'), result.body.string)) response.statusCode = 200;
    // Kept only when nothing in it came from the cloud directly: every value had a fresh cache entry.
    if (responses && answerKey !== undefined && scope.sources && response.statusCode === 200 && scope.upstream.length === 0) {
      const answer = { status: 200, headers: [...result.headers], body: Buffer.from(result.body.string) };
      if (responses.keep(answerKey, scope.sources, answer)) options.metrics.responseCache('kept');
      response.end(answer.body);
      return;
    }
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

const JSON_CONTENT = /^application\/(graphql-response\+)?json\b/i;

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

/** A kept answer, byte for byte: nothing is serialised or encoded again. */
function replay(response: ServerResponse, answer: StoredAnswer): void {
  for (const [name, value] of answer.headers) response.setHeader(name, value);
  response.setHeader('content-length', answer.body.length);
  response.statusCode = answer.status;
  response.end(answer.body);
}

const DOCUMENT_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * GraphQL over HTTP: a client that accepts only `application/json` SHOULD get 200 for a document that
 * does not parse, validate or coerce (the error is in the body; older clients treat 4xx as transport
 * failure). Apollo answers 400; `application/graphql-response+json` clients keep that.
 */
function isLegacyJsonDocumentError(contentType: string | undefined, body: string): boolean {
  if (!contentType?.startsWith('application/json')) return false;
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    return parsed.data === undefined && !!parsed.errors?.length && parsed.errors.every((error) => DOCUMENT_ERROR_CODES.has(error.extensions?.code ?? ''));
  } catch {
    return false;
  }
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    request.resume();
    return Promise.reject(new PayloadTooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new PayloadTooLarge());
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** A refusal made at the HTTP layer, shaped like every other gateway error. */
function refuse(response: ServerResponse, code: ErrorCode, message: string, status = ERROR_CATALOGUE[code].httpStatus): void {
  const spec = ERROR_CATALOGUE[code];
  json(response, status, {
    errors: [{ message, extensions: { code, category: spec.category, httpStatus: status, provider: 'GATEWAY', retryable: spec.retryable } }],
  });
}

/**
 * A request refused before it is GraphQL (its body too large, not JSON): shaped like every other
 * error, with the codes Apollo uses for the same kind of request.
 */
function transportError(status: number, code: 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE', message: string) {
  return { errors: [{ message, extensions: { code, category: 'BAD_USER_INPUT', httpStatus: status, provider: 'GATEWAY', retryable: false } }] };
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request line or headers are larger than this server accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request was not received in time.'],
};

/**
 * A request Node's HTTP parser refuses (a URL or headers over its 16 KiB limit, bytes that are not
 * HTTP) never reaches a handler; Node's own answer is an empty 400 or 431. This one says the same in
 * JSON, as every other answer of the gateway does. The socket is all there is: the answer is raw HTTP.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const answering = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP.'];
  const code = status === 400 ? 'BAD_REQUEST' : reason.toUpperCase().replace(/ /g, '_');
  const body = JSON.stringify({ errors: [{ message, extensions: { code, category: 'BAD_USER_INPUT', httpStatus: status, provider: 'GATEWAY', retryable: false } }] });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
