import { type IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { CommonErrors } from './emulator-error';
import { MAX_PARAMETER_LENGTH } from './params';

/** Bodies above this are refused unread: the largest legitimate call carries a few PEM blocks. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface DecodedRequest {
  query: Map<string, string>;
  /** Form body parameters (signed by the v2 scheme). */
  formParams: Map<string, string>;
  /** JSON body parameters, flattened to strings. */
  jsonParams: Map<string, string>;
  rawBody: Buffer;
}

export async function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw CommonErrors.requestTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw CommonErrors.requestTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Decodes query string and body. Malformed input is a documented 400, never a crash. */
export function decodeRequest(request: IncomingMessage, rawQuery: string, rawBody: Buffer): DecodedRequest {
  const query = toMap(parseQuery(rawQuery));
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let formParams = new Map<string, string>();
  let jsonParams = new Map<string, string>();
  if (rawBody.length > 0) {
    if (contentType === 'application/json') {
      jsonParams = flattenJson(rawBody);
    } else if (contentType === 'application/x-www-form-urlencoded' || contentType === '') {
      formParams = toMap(parseQuery(rawBody.toString('utf8')));
    } else {
      throw CommonErrors.invalidParameter(`The content type "${contentType}" is not supported; use form or JSON.`);
    }
  }
  for (const [name, value] of [...query, ...formParams, ...jsonParams]) {
    if (value.length > MAX_PARAMETER_LENGTH) {
      throw CommonErrors.invalidParameter(`The parameter "${name.slice(0, 64)}" is longer than ${MAX_PARAMETER_LENGTH} characters.`);
    }
  }
  return { query, formParams, jsonParams, rawBody };
}

function toMap(parsed: NodeJS.Dict<string | string[]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (value === undefined) continue;
    // A repeated parameter is ambiguous; the first value wins, as the signers never repeat one.
    map.set(key, Array.isArray(value) ? (value[0] ?? '') : value);
  }
  return map;
}

/** `{"a":{"b":1},"L":[x]}` -> `a.b=1`, `L.1=x`, the flattening the SDKs use for form bodies. */
function flattenJson(rawBody: Buffer): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw CommonErrors.invalidParameter('The request body is not valid JSON.');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw CommonErrors.invalidParameter('The JSON request body must be an object.');
  }
  const map = new Map<string, string>();
  const visit = (prefix: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, index) => visit(`${prefix}.${index + 1}`, item));
    else if (typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(prefix ? `${prefix}.${key}` : key, item);
    else map.set(prefix, String(value));
  };
  visit('', parsed);
  return map;
}
