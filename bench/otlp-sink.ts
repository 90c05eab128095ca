import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

export interface SinkCounts {
  /** POST /v1/traces requests received (each one ExportTraceServiceRequest). */
  exports: number;
  spans: number;
  bytes: number;
  /** Bodies that were not OTLP/protobuf trace exports. */
  malformed: number;
}

/**
 * The local collector of the traced throughput runs: an OTLP/HTTP protobuf endpoint on a free
 * loopback port that takes every export, counts its spans (walking ExportTraceServiceRequest ->
 * ResourceSpans -> ScopeSpans without decoding the spans themselves, so it costs the bench process,
 * which is also the load generator, as little as it can) and answers 200 as a collector does.
 */
export class OtlpSink {
  readonly counts: SinkCounts = { exports: 0, spans: 0, bytes: 0, malformed: 0 };
  private server?: Server;
  endpoint = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        this.counts.bytes += body.length;
        const spans = request.url === '/v1/traces' && request.headers['content-type'] === 'application/x-protobuf' ? countSpans(body) : undefined;
        if (spans === undefined) {
          this.counts.malformed += 1;
          response.writeHead(400).end();
          return;
        }
        this.counts.exports += 1;
        this.counts.spans += spans;
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

/** Spans in an ExportTraceServiceRequest: resource_spans = 1, its scope_spans = 2, their spans = 2. Undefined if it does not parse. */
function countSpans(body: Buffer): number | undefined {
  try {
    let spans = 0;
    for (const resourceSpans of messages(body, 1)) for (const scopeSpans of messages(resourceSpans, 2)) spans += [...messages(scopeSpans, 2)].length;
    return spans;
  } catch {
    return undefined;
  }
}

/** The length-delimited fields numbered `field` of a protobuf message; other fields are skipped. */
function* messages(buffer: Buffer, field: number): Generator<Buffer> {
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= buffer.length || shift > 49) throw new Error('truncated');
      const byte = buffer[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < buffer.length) {
    const key = varint();
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (at + length > buffer.length) throw new Error('truncated');
      if (Math.floor(key / 8) === field) yield buffer.subarray(at, at + length);
      at += length;
    } else throw new Error(`wire type ${wire}`);
  }
  if (at !== buffer.length) throw new Error('truncated');
}
