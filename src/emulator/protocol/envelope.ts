import { randomUUID } from 'node:crypto';
import { type ServerResponse } from 'node:http';
import { type EmulatorError } from './emulator-error';

export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

/** Every answer is JSON: the Alibaba client turns any other body into a bare SyntaxError. */
export function sendJson(response: ServerResponse, status: number, body: unknown, requestId?: string): void {
  const payload = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...(requestId ? { 'x-acs-request-id': requestId } : {}),
  });
  response.end(payload);
}

/** The cloud's error document: `{ RequestId, HostId, Code, Message, Recommend }`. */
export function errorBody(error: EmulatorError, requestId: string, host: string, product: string): Record<string, string> {
  return {
    RequestId: requestId,
    HostId: host,
    Code: error.code,
    Message: error.message,
    Recommend: `https://next.api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}&product=${product}`,
  };
}
