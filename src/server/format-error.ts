import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { type ErrorCategory } from '../domain/errors/error-catalogue';
import { GatewayError } from '../domain/errors/gateway-error';

/** What Apollo's own request errors are, in the contract's categories (CONTRACT.md section 5). */
const APOLLO_CODES: Record<string, { category: ErrorCategory; httpStatus: number }> = {
  [ApolloServerErrorCode.GRAPHQL_PARSE_FAILED]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
  [ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
  [ApolloServerErrorCode.BAD_USER_INPUT]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
  [ApolloServerErrorCode.BAD_REQUEST]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
  [ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
  [ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
  [ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED]: { category: 'BAD_USER_INPUT', httpStatus: 400 },
};

/** A PEM block with its line end (plain, or escaped as in a quoted string), or one cut off before its END line. */
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(?:-----END [A-Z0-9 ]+-----(?:\r?\n|(?:\\r)?\\n)?|$)/g;

/**
 * Messages may quote what the caller sent: graphql-js describes a variable it cannot coerce by
 * printing the whole input object, private key included. PEM blocks never leave in a message.
 */
export function redactPem(message: string): string {
  return message.replace(PEM_BLOCK, '[redacted PEM]');
}

/**
 * The parser descends once per nesting level, so a document nested a few thousand levels deep runs
 * out of stack while parsing; Apollo reports that RangeError as a parse failure with the engine's text.
 */
const NESTED_TOO_DEEPLY = 'Syntax Error: the document is nested too deeply to parse.';

function rootCause(error: unknown): unknown {
  let cause = error;
  for (let hops = 0; cause instanceof GraphQLError && cause.originalError && hops < 5; hops++) cause = cause.originalError;
  return cause;
}

/**
 * Every error a caller sees leaves through here: a GatewayError becomes its documented code and the
 * extensions of CONTRACT.md section 5; Apollo's request errors keep their codes with a category;
 * anything else is a fault of ours and is masked (in production the message too). No stack traces.
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown, options: { production: boolean }): GraphQLFormattedError {
  // Resolver errors arrive wrapped with a path; errors raised while checking the request (scopes,
  // limits) arrive as a GraphQLError whose original error is the GatewayError.
  const unwrapped = unwrapResolverError(error);
  const original = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
  if (original instanceof GatewayError) {
    return {
      message: redactPem(original.message),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: original.code,
        category: original.category,
        httpStatus: original.httpStatus,
        provider: original.details.provider,
        ...(original.details.action ? { action: original.details.action } : {}),
        ...(original.details.requestId ? { requestId: original.details.requestId } : {}),
        retryable: original.retryable,
      },
    };
  }
  const code = String(formatted.extensions?.code ?? '');
  const known = APOLLO_CODES[code];
  if (known) {
    return {
      message: code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED && rootCause(error) instanceof RangeError ? NESTED_TOO_DEEPLY : redactPem(formatted.message),
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code, category: known.category, httpStatus: known.httpStatus, provider: 'GATEWAY', retryable: false },
    };
  }
  return {
    message: options.production ? 'Internal server error' : redactPem(formatted.message),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', category: 'INTERNAL_SERVER_ERROR', httpStatus: 500, provider: 'GATEWAY', retryable: false },
  };
}
