import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { parseConfig, type GatewayConfig } from '../../src/config';
import { type ApiKeySpec } from '../../src/server/auth/api-keys';
import { type ErrorExtensions } from './answers';

/** The request options that present `key` as the gateway expects it. */
export function bearer(key: string): { headers: Record<string, string> } {
  return { headers: { authorization: `Bearer ${key}` } };
}

/** Callers' keys read the way an operator gives them: `API_KEYS` JSON through parseConfig. */
export function apiKeysFromEnv(keys: readonly ApiKeySpec[]): ApiKeySpec[] {
  return parseConfig({ API_KEYS: JSON.stringify(keys) }).apiKeys;
}

/** Settings of a gateway deployed with NODE_ENV=production and callers' keys. */
export function productionSettings(keys: readonly ApiKeySpec[], more: Partial<GatewayConfig> = {}): Partial<GatewayConfig> {
  return { production: true, introspection: false, apiKeys: apiKeysFromEnv(keys), ...more };
}

/** The extensions of an error the gateway itself made. */
export function gatewayError(code: string, category: string, httpStatus: number, retryable = false): ErrorExtensions {
  return { code, category, httpStatus, provider: 'GATEWAY', retryable };
}

/** An operation whose answer and variables a test does not type: several in one table, or written inline. */
export type AnyOperation = TypedDocumentNode<unknown, Record<string, unknown>>;

/** A document written inline, for operations the typed set does not hold (aliases, nesting). */
export function untyped(source: string): AnyOperation {
  return parse(source) as unknown as AnyOperation;
}

/** A raw HTTP answer, for requests the typed helper cannot send. */
export interface RawAnswer {
  status: number;
  headers: Headers;
  text: string;
}

export async function send(url: string, init: RequestInit = {}): Promise<RawAnswer> {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}
