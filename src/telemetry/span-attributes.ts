import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';

/**
 * The attribute names the gateway's spans carry: OpenTelemetry's semantic conventions where one fits
 * (https://opentelemetry.io/docs/specs/semconv/), the gateway's own otherwise. Values are ids, names,
 * counts and outcomes only: never a query text, variables, a header, a PEM, a key or a signature.
 */
export const SPAN = {
  httpMethod: ATTR_HTTP_REQUEST_METHOD,
  httpStatus: ATTR_HTTP_RESPONSE_STATUS_CODE,
  urlPath: ATTR_URL_PATH,
  errorType: ATTR_ERROR_TYPE,
  serverAddress: ATTR_SERVER_ADDRESS,
  requestId: 'gateway.request_id',
  // https://opentelemetry.io/docs/specs/semconv/graphql/graphql-spans/
  operationName: 'graphql.operation.name',
  operationType: 'graphql.operation.type',
  /** The documented codes of the errors an answer carries, in order, without repeats. */
  errorCodes: 'gateway.error.codes',
  // https://opentelemetry.io/docs/specs/semconv/rpc/rpc-spans/
  rpcSystem: 'rpc.system',
  rpcService: 'rpc.service',
  rpcMethod: 'rpc.method',
  upstreamProduct: 'upstream.product',
  upstreamAction: 'upstream.action',
  /** 1 for the first try, 2 for the first retry... */
  upstreamAttempt: 'upstream.attempt',
  /** ok, error, timeout or unreachable (as in the access log). */
  upstreamOutcome: 'upstream.outcome',
  /** The RequestId the cloud gave the attempt. */
  upstreamRequestId: 'upstream.request_id',
  /** How long the call waited for a slot under the product's rate limit. */
  rateLimitWaitMs: 'upstream.rate_limit.wait_ms',
  /** On a request's span: `replayed` when a kept answer was sent as it was, `miss` when one was looked for. */
  answerCache: 'cache.answer',
  /** memory (decoded values), or the shared store: redis, or memory without REDIS_URL. */
  cacheTier: 'cache.tier',
  /** hit, miss; for the read-through cache: memory, store, coalesced, stale, fetched, or mixed. */
  cacheOutcome: 'cache.outcome',
  cacheKeys: 'cache.keys',
  cacheMemoryHits: 'cache.hits.memory',
  cacheStoreHits: 'cache.hits.store',
  cacheCoalesced: 'cache.coalesced',
  cacheStaleServed: 'cache.stale_served',
  cacheFetched: 'cache.fetched',
} as const;
