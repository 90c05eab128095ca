import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Duplex } from 'node:stream';
import { type ErrorCode } from '../domain/errors/error-catalogue';
import { errorAnswer, refusal } from './errors/error-answer';
import { type Logger } from './logger';
import { type GatewayMetrics } from './metrics';
import { runStages, type Answer, type Exchange, type Stage } from './pipeline/exchange';
import { runInRequestScope } from './request-scope';
import { endRequestSpan, startRequestSpan } from './request-spans';
import { traceIds, type Span, type Tracing } from '../telemetry/tracing';

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

export interface HttpServerOptions {
  /** What a request to /graphql goes through, in order (app.ts lists them). */
  stages: readonly Stage[];
  readiness: () => Promise<Readiness>;
  metrics: GatewayMetrics;
  logger: Logger;
  /** When tracing is on: a server span per /graphql request, its ids in the access-log line. */
  tracing?: Tracing;
}

export interface GatewayHttpServer {
  server: Server;
  /** Stops accepting connections and resolves once in-flight requests have answered (or `timeoutMs` passed). */
  drain(timeoutMs: number): Promise<{ drained: boolean; abandoned: number }>;
}

/** A caller's request id is kept when it is a sane token; anything else gets a fresh one. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The gateway's HTTP front on bare `node:http`: /graphql runs the request through its stages (see
 * app.ts for the list), and the operational routes answer beside it. No framework between the socket
 * and the stages: nothing to pay for on every request.
 */
export function createHttpServer(options: HttpServerOptions): GatewayHttpServer {
  let inFlight = 0;
  const idle: Array<() => void> = [];
  const server = createServer((request, response) => {
    const offered = request.headers['x-request-id'];
    const requestId = typeof offered === 'string' && REQUEST_ID.test(offered) ? offered : randomUUID();
    response.setHeader('x-request-id', requestId);
    inFlight += 1;
    response.once('close', () => {
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of idle.splice(0)) resolve();
    });
    route(request, response, requestId, options).catch((error: unknown) => {
      options.logger.error({ requestId, error: (error as Error).message }, 'request failed outside GraphQL');
      if (!response.headersSent) send(response, errorAnswer(refusal('INTERNAL_SERVER_ERROR')));
      else response.destroy(error as Error);
    });
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

async function route(request: IncomingMessage, response: ServerResponse, requestId: string, options: HttpServerOptions): Promise<void> {
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  switch (path) {
    case '/graphql':
      return graphql(request, response, requestId, queryAt < 0 ? '' : url.slice(queryAt + 1), options);
    case '/healthz':
      return json(response, 200, { status: 'ok' });
    case '/readyz': {
      const readiness = await options.readiness();
      return json(response, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', checks: readiness.checks });
    }
    case '/metrics': {
      const body = await options.metrics.scrape();
      response.writeHead(200, { 'content-type': options.metrics.registry.contentType });
      response.end(body);
      return;
    }
    default:
      return send(response, errorAnswer(refusal('NOT_FOUND', `No route ${path}. Try /graphql.`)));
  }
}

async function graphql(request: IncomingMessage, response: ServerResponse, requestId: string, search: string, options: HttpServerOptions): Promise<void> {
  const started = process.hrtime.bigint();
  const method = request.method?.toUpperCase() ?? 'GET';
  const exchange: Exchange = { request, requestId, method, search, upstream: [] };
  let answer: Answer;
  let span: Span | undefined;
  if (method !== 'GET' && method !== 'POST') {
    answer = errorAnswer(refusal('METHOD_NOT_ALLOWED', 'GraphQL is served over GET and POST.'), { headers: [['allow', 'GET, POST']] });
  } else {
    // The cloud calls the request makes are heard through the scope, wherever the work runs; with
    // tracing on, the stages run under the request's span, so every span they start is its child.
    const { tracing } = options;
    const run = () => runStages(options.stages, exchange);
    const requestSpan = tracing && startRequestSpan(tracing, request, method, requestId);
    span = requestSpan;
    answer = await runInRequestScope({ requestId, upstream: exchange.upstream }, tracing && requestSpan ? () => tracing.within(requestSpan, run) : run);
  }
  send(response, answer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = answer.status >= 400 || startsWithErrors(answer.body);
  options.metrics.observeRequest(exchange.operationName ?? 'anonymous', failed ? 'error' : 'ok', seconds);
  if (span) endRequestSpan(span, answer, failed, exchange.operationName);
  if (options.logger.isLevelEnabled('info')) {
    options.logger.info(
      {
        requestId,
        method,
        path: '/graphql',
        status: answer.status,
        operation: exchange.operationName,
        ms: seconds * 1000,
        upstream: exchange.upstream,
        ...(span ? traceIds(span) : undefined),
      },
      'request',
    );
  }
}

/** Apollo Server and the error answers write `errors` first: an answer starting with it holds errors. */
function startsWithErrors(body: Buffer | string): boolean {
  return typeof body === 'string' ? body.startsWith('{"errors":') : body.subarray(0, 10).toString('latin1') === '{"errors":';
}

function send(response: ServerResponse, answer: Answer): void {
  for (const [name, value] of answer.headers) response.setHeader(name, value);
  response.setHeader('content-length', typeof answer.body === 'string' ? Buffer.byteLength(answer.body) : answer.body.length);
  response.statusCode = answer.status;
  response.end(answer.body);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  send(response, { status, headers: [['content-type', 'application/json; charset=utf-8']], body: JSON.stringify(body) });
}

const CLIENT_ERRORS: Record<string, [number, string, ErrorCode]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'REQUEST_HEADER_FIELDS_TOO_LARGE'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST_TIMEOUT'],
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
  const [status, reason, code] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'BAD_REQUEST' as const];
  const answer = errorAnswer(refusal(code, code === 'BAD_REQUEST' ? 'The request is not valid HTTP.' : undefined), { status });
  const body = String(answer.body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
