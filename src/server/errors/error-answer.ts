import { GatewayError } from '../../domain/errors/gateway-error';
import { ERROR_CATALOGUE, type ErrorCode } from '../../domain/errors/error-catalogue';
import { redactPem } from '../../domain/redaction';
import { type Answer } from '../pipeline/exchange';

/** The extensions every error answer carries (the error shape of the gateway's contract). */
export interface ErrorExtensions {
  [key: string]: unknown;
  code: string;
  category: string;
  httpStatus: number;
  provider: string;
  action?: string;
  requestId?: string;
  retryable: boolean;
}

export interface ErrorEntry {
  message: string;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  path?: ReadonlyArray<string | number>;
  extensions: ErrorExtensions;
}

/** A GatewayError as the caller sees it: its message (PEM blocks never leave) and its extensions. */
export function errorEntry(error: GatewayError, where: Pick<ErrorEntry, 'locations' | 'path'> = {}): ErrorEntry {
  return {
    message: redactPem(error.message),
    ...(where.locations ? { locations: where.locations } : {}),
    ...(where.path ? { path: where.path } : {}),
    extensions: {
      code: error.code,
      category: error.category,
      httpStatus: error.httpStatus,
      provider: error.details.provider,
      ...(error.details.action ? { action: error.details.action } : {}),
      ...(error.details.requestId ? { requestId: error.details.requestId } : {}),
      retryable: error.retryable,
    },
  };
}

/** A refusal the gateway makes itself, with the catalogue's message unless a more precise one is given. */
export function refusal(code: ErrorCode, message: string = ERROR_CATALOGUE[code].message): GatewayError {
  return new GatewayError(code, message, { provider: 'GATEWAY' });
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/**
 * The media type of an answer, as Apollo Server chooses it: `application/graphql-response+json` when
 * the caller prefers it, else `application/json` (the legacy type, and the answer to no preference).
 */
export function answerType(accept: string): string {
  if (!accept) return JSON_TYPE;
  let json = -1;
  let graphql = -1;
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = Number(parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='))?.slice(2) ?? 1);
    const weight = Number.isFinite(q) ? q : 0;
    if (range === 'application/graphql-response+json') graphql = Math.max(graphql, weight);
    else if (range === 'application/json') json = Math.max(json, weight);
    else if (range === 'application/*' || range === '*/*') {
      json = Math.max(json, weight);
      graphql = Math.max(graphql, weight);
    }
  }
  return graphql > json ? GRAPHQL_RESPONSE_TYPE : JSON_TYPE;
}

/** Codes of a request whose document (or its variables) is at fault, rather than the transport. */
const DOCUMENT_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND']);

/**
 * GraphQL over HTTP: a client that accepts only `application/json` gets 200 for a document that does
 * not parse or validate (older clients take any 4xx for a transport failure; the error is in the
 * body); `application/graphql-response+json` clients get the 4xx. Either way the error's own status
 * stays in its extensions.
 */
export function statusFor(errors: readonly ErrorEntry[], status: number, mediaType: string): number {
  if (mediaType !== JSON_TYPE || status !== 400) return status;
  return errors.length > 0 && errors.every((error) => DOCUMENT_ERROR_CODES.has(error.extensions.code)) ? 200 : status;
}

/**
 * Every error answer of the HTTP front is made here: the errors in the contract's shape, the status
 * negotiated for the caller's media type (unless `status` is given), and any headers the refusal
 * needs (Retry-After, Allow...).
 */
export function errorAnswer(
  errors: GatewayError | readonly ErrorEntry[],
  options: { accept?: string; status?: number; headers?: ReadonlyArray<readonly [string, string]> } = {},
): Answer {
  const entries = errors instanceof GatewayError ? [errorEntry(errors)] : errors;
  const mediaType = answerType(options.accept ?? '');
  const status = options.status ?? statusFor(entries, entries[0]?.extensions.httpStatus ?? 500, mediaType);
  return { status, headers: [['content-type', mediaType], ...(options.headers ?? [])], body: JSON.stringify({ errors: entries }) };
}
