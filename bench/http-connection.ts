import { connect, type Socket } from 'node:net';

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/**
 * One keep-alive HTTP/1.1 connection that sends prepared request bytes and parses the answer itself.
 * node:http's client costs several times more CPU per request than this, and the load generator
 * shares a core with Redis and the emulator; the less it spends, the less it skews what it measures.
 * One request at a time (no pipelining), as a browser or another service would send them.
 */
export class HttpConnection {
  private pending: Buffer = Buffer.alloc(0);
  private waiting?: { resolve: (answer: HttpAnswer) => void; reject: (error: Error) => void };
  private closedWith?: Error;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static open(host: string, port: number): Promise<HttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new HttpConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  get usable(): boolean {
    return this.closedWith === undefined;
  }

  send(request: Buffer): Promise<HttpAnswer> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (this.waiting) return Promise.reject(new Error('one request at a time on a connection'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.closedWith ??= new Error('closed');
    this.socket.destroy();
  }

  private fail(error: Error): void {
    this.closedWith ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }

  private receive(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const parsed = parseAnswer(this.pending);
    if (parsed === undefined) return;
    this.pending = this.pending.subarray(parsed.consumed);
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting.resolve(parsed.answer);
    else this.fail(new Error('the server answered a request that was not sent'));
  }
}

/** A complete answer at the start of `data` and how many bytes it took, or undefined if more is needed. */
export function parseAnswer(data: Buffer): { answer: HttpAnswer; consumed: number } | undefined {
  const headerEnd = data.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = data.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headerEnd + HEADER_END.length;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const end = bodyStart + Number(length[1]);
    if (data.length < end) return undefined;
    return { answer: { status, body: data.subarray(bodyStart, end) }, consumed: end };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) return parseChunked(data, bodyStart, status);
  throw new Error(`an answer without content-length or chunked framing: ${head.split('\r\n')[0]}`);
}

function parseChunked(data: Buffer, start: number, status: number): { answer: HttpAnswer; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = data.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.toString('latin1', at, lineEnd), 16);
    const chunkStart = lineEnd + CRLF.length;
    // The last chunk is followed by an empty trailer section: one more CRLF.
    const chunkEnd = chunkStart + size + CRLF.length;
    if (data.length < chunkEnd) return undefined;
    if (size === 0) return { answer: { status, body: Buffer.concat(parts) }, consumed: chunkEnd };
    parts.push(data.subarray(chunkStart, chunkStart + size));
    at = chunkEnd;
  }
}

/** The bytes of a POST with a JSON body, prepared once and sent as often as needed. */
export function jsonPost(url: URL, body: string, headers: Record<string, string> = {}): Buffer {
  const payload = Buffer.from(body, 'utf8');
  const head =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\n` +
    `host: ${url.host}\r\n` +
    'content-type: application/json\r\n' +
    'accept: application/json\r\n' +
    Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('') +
    `content-length: ${payload.length}\r\n` +
    'connection: keep-alive\r\n\r\n';
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}
