import { type IncomingMessage } from 'node:http';
import { errorAnswer, refusal } from '../errors/error-answer';
import { headerText, type Exchange, type Stage } from './exchange';

/**
 * How much of a body that is already refused is still read and thrown away before the connection is
 * closed. Closing a socket whose peer is still sending makes the peer's kernel see a reset before it
 * reads the answer (Node's own fetch reports EPIPE instead of the 413); reading on, as servers'
 * lingering close does, lets it finish sending and read the 413. Past this, the connection is cut.
 */
const DISCARD_LIMIT = 16 * 1024 * 1024;

/** Reads a POST body whole, up to `maxBytes`; a larger one is answered 413 once the client has stopped sending. */
export function readBody(maxBytes: number): Stage {
  const tooLarge = () =>
    errorAnswer(refusal('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`), { headers: [['connection', 'close']] });
  return async (exchange: Exchange) => {
    if (exchange.method !== 'POST') return undefined;
    const { request } = exchange;
    const declared = Number(headerText(request.headers['content-length']) || 0);
    if (declared > maxBytes) {
      await discard(request, 0);
      return tooLarge();
    }
    const body = await collect(request, maxBytes);
    if (body === undefined) return tooLarge();
    exchange.body = body;
    return undefined;
  };
}

/** The body, or undefined once it passed `maxBytes` (the rest is then discarded). */
function collect(request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', reject);
      chunks.length = 0;
      void discard(request, size).then(() => resolve(undefined));
    };
    const onEnd = () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}

/** Reads and drops the rest of a refused body; resolves when the client is done, or has sent too much. */
function discard(request: IncomingMessage, alreadyRead: number): Promise<void> {
  return new Promise((resolve) => {
    if (request.readableEnded) return resolve();
    let size = alreadyRead;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DISCARD_LIMIT) {
        request.removeAllListeners('data');
        resolve();
      }
    });
    request.once('end', () => resolve());
    request.once('error', () => resolve());
    request.once('close', () => resolve());
    request.resume();
  });
}
