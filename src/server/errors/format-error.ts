import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { type ErrorCode } from '../../domain/errors/error-catalogue';
import { GatewayError } from '../../domain/errors/gateway-error';
import { redactPem } from '../../domain/redaction';
import { errorEntry } from './error-answer';

/** Apollo's own request errors, as the gateway's codes (they share the names). */
const APOLLO_CODES: Record<string, ErrorCode> = {
  [ApolloServerErrorCode.GRAPHQL_PARSE_FAILED]: 'GRAPHQL_PARSE_FAILED',
  [ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED]: 'GRAPHQL_VALIDATION_FAILED',
  [ApolloServerErrorCode.BAD_USER_INPUT]: 'BAD_USER_INPUT',
  [ApolloServerErrorCode.BAD_REQUEST]: 'BAD_REQUEST',
  [ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE]: 'OPERATION_RESOLUTION_FAILURE',
  [ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND]: 'PERSISTED_QUERY_NOT_FOUND',
};

/**
 * The parser descends once per nesting level, so a document nested a few thousand levels deep runs
 * out of stack while parsing; Apollo reports that RangeError as a parse failure with the engine's text.
 */
export const NESTED_TOO_DEEPLY = 'Syntax Error: the document is nested too deeply to parse.';

function rootCause(error: unknown): unknown {
  let cause = error;
  for (let hops = 0; cause instanceof GraphQLError && cause.originalError && hops < 5; hops++) cause = cause.originalError;
  return cause;
}

/**
 * Every error that comes out of executing an operation leaves through here: a GatewayError becomes
 * its documented code and the contract's extensions (the same entry the HTTP front's refusals use);
 * Apollo's request errors keep their codes with a category; anything else is a fault of ours and is
 * masked (in production the message too). No stack traces.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, options: { production: boolean }): GraphQLFormattedError {
  // Resolver errors arrive wrapped with a path; errors raised while checking the request arrive as a
  // GraphQLError whose original error is the GatewayError.
  const unwrapped = unwrapResolverError(error);
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
  const where = { ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };
  if (original instanceof GatewayError) return errorEntry(original, where);
  const code = APOLLO_CODES[String(formatted.extensions?.code ?? '')];
  if (code) {
    const message = code === 'GRAPHQL_PARSE_FAILED' && rootCause(error) instanceof RangeError ? NESTED_TOO_DEEPLY : formatted.message;
    return errorEntry(new GatewayError(code, message, { provider: 'GATEWAY' }), where);
  }
  const message = options.production ? 'Internal server error' : redactPem(formatted.message);
  return errorEntry(new GatewayError('INTERNAL_SERVER_ERROR', message, { provider: 'GATEWAY' }), formatted.path ? { path: formatted.path } : {});
}
