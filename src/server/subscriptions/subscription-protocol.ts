import { type IncomingMessage } from 'node:http';
import { createSourceEventStream, execute, GraphQLError, specifiedRules, validate, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { CloseCode, type ServerOptions } from 'graphql-ws';
import { type WebSocket } from 'ws';
import { Access } from '../../domain/access';
import { GatewayError } from '../../domain/errors/gateway-error';
import { type GatewayContext } from '../../schema/context';
import { type ApiKeyRing } from '../auth/api-keys';
import { refusal } from '../errors/error-answer';
import { type DocumentReader } from '../limits/document-reader';
import { type OperationLimits } from '../limits/operation-cost';
import { type RateLimiter } from '../limits/rate-limiter';
import { headerText } from '../pipeline/exchange';
import { checkOperation, WEBSOCKET } from '../pipeline/operations';

/** What one websocket connection holds: its socket and upgrade request, and once `connection_init` is accepted, who it is. */
export interface Connection {
  [key: string]: unknown;
  socket: WebSocket;
  request: IncomingMessage;
  access?: Access;
  /** The key's non-reversible name (rate limiting); absent while callers' keys are off. */
  callerId?: string;
}

export interface SubscriptionProtocolOptions {
  schema: GraphQLSchema;
  /** Callers' keys (API_KEYS); absent, every connection may subscribe to everything. */
  keys?: ApiKeyRing;
  /** Each subscribe message spends one request of the key's budget, as an HTTP request does. */
  limiter?: RateLimiter;
  reader: DocumentReader;
  limits: OperationLimits;
  /** A context as an HTTP request gets one: fresh loaders and clock for the caller's access. */
  context: (access: Access) => GatewayContext;
  /** The gateway's error formatter (apollo.ts): the same codes and masking as over HTTP. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** Subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

/**
 * The graphql-ws server's hooks. `connection_init` carries `{"authorization": "Bearer <key>"}`: a
 * missing or unknown key closes the connection 4401, a key without certificates:read 4403. Each
 * subscribe message goes through the HTTP front's checks (document-reader, limits, scope) and
 * graphql-js validation; only subscriptions are served here. Each event is then executed with a
 * context of its own, as if it were a request: a subscription that lives for days neither reads
 * "now" from the day it began nor keeps its loaders' memo that long.
 */
export function subscriptionProtocol(options: SubscriptionProtocolOptions): ServerOptions<Record<string, unknown>, Connection> {
  const { schema, keys, limiter } = options;
  const format = (errors: readonly GraphQLError[]) => errors.map((error) => options.formatError(error.toJSON(), error));
  return {
    schema,
    onConnect: (ctx) => {
      if (!keys) {
        ctx.extra.access = Access.unrestricted();
        return true;
      }
      const offered = ctx.connectionParams?.authorization;
      // A client that can set headers on the upgrade request may send the key there instead.
      const caller = keys.identify(typeof offered === 'string' ? offered : headerText(ctx.extra.request.headers.authorization));
      if (!caller) {
        ctx.extra.socket.close(CloseCode.Unauthorized, 'A valid API key is required: connection_init {"authorization":"Bearer <key>"}.');
        return false;
      }
      if (!caller.access.can('certificates:read')) {
        ctx.extra.socket.close(CloseCode.Forbidden, 'This API key lacks the certificates:read scope.');
        return false;
      }
      ctx.extra.access = caller.access;
      ctx.extra.callerId = caller.id;
      return true;
    },
    onSubscribe: async (ctx, _id, payload) => {
      const access = ctx.extra.access ?? Access.unrestricted();
      // graphql-ws has reserved this one already.
      if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
        return refused(refusal('BAD_REQUEST', `A connection holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions.`));
      }
      if (limiter && ctx.extra.callerId) {
        const decision = await limiter.check(ctx.extra.callerId);
        if (!decision.allowed) {
          return refused(new GatewayError('Throttling.User', 'Request was denied due to user flow control: too many requests for this API key.', { provider: 'GATEWAY', httpStatus: 429 }));
        }
      }
      const checked = checkOperation(payload, { reader: options.reader, limits: options.limits, method: WEBSOCKET, access });
      if (checked.refused) return refused(checked.refused);
      const invalid = validate(schema, checked.document, specifiedRules);
      if (invalid.length) return invalid.map((error) => coded(error, 'GRAPHQL_VALIDATION_FAILED'));
      return {
        schema,
        document: checked.document,
        operationName: payload.operationName ?? null,
        variableValues: payload.variables ?? null,
        contextValue: options.context(access),
      };
    },
    subscribe: (args) => eachEventAlone(args, () => options.context((args.contextValue as GatewayContext).access)),
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors as readonly GraphQLError[]) } : undefined),
    onError: (_ctx, _id, _payload, errors) => format(errors),
  };
}

/**
 * graphql-js's `subscribe`, except that each event is executed with a fresh context. Ending the
 * stream (the client completes, or disconnects) ends the source at once, even while it waits.
 */
async function eachEventAlone(args: ExecutionArgs, context: () => GatewayContext): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) {
    // Variables that do not fit the operation: the caller's input, not a fault of ours.
    return { errors: (stream.errors ?? []).map((error) => (error.originalError ? error : coded(error, 'BAD_USER_INPUT'))) };
  }
  const source = stream[Symbol.asyncIterator]();
  const done = { value: undefined, done: true } as const;
  const results: AsyncIterableIterator<ExecutionResult> = {
    [Symbol.asyncIterator]: () => results,
    next: async () => {
      const next = await source.next();
      if (next.done) return done;
      return { value: await execute({ ...args, rootValue: next.value, contextValue: context() }), done: false };
    },
    return: async () => {
      await source.return?.();
      return done;
    },
    throw: async (error: unknown) => {
      await source.return?.();
      throw error;
    },
  };
  return results;
}

function refused(error: GatewayError): GraphQLError[] {
  return [new GraphQLError(error.message, { originalError: error })];
}

/** graphql-js's own error, carrying the gateway's code (and keeping its locations). */
function coded(error: GraphQLError, code: 'GRAPHQL_VALIDATION_FAILED' | 'BAD_USER_INPUT'): GraphQLError {
  return new GraphQLError(error.message, { ...(error.nodes ? { nodes: error.nodes } : {}), originalError: refusal(code, error.message) });
}
