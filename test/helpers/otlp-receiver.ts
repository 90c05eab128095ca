import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as the receiver got it, the same whichever protocol carried it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: Array<{ name: string; attributes: Record<string, unknown> }>;
  status: { code: number; message: string };
  resource: Record<string, unknown>;
}

/**
 * A real OTLP/HTTP trace receiver on a free loopback port: POST /v1/traces in `http/json` or
 * `http/protobuf` (gzip or not), answered as a collector answers (200, an empty
 * ExportTraceServiceResponse). Protobuf bodies are decoded field by field against the OTLP protos
 * (opentelemetry-proto, opentelemetry/proto/collector/trace/v1/trace_service.proto and
 * trace/v1/trace.proto); a body that does not decode to the end is refused 400 and counted.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** The content type of every export received, in order. */
  readonly exports: string[] = [];
  /** Exports that were not well-formed. */
  readonly malformed: string[] = [];
  private server?: Server;
  endpoint = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const type = request.headers['content-type'] ?? '';
        let body = Buffer.concat(chunks);
        try {
          if (request.url !== '/v1/traces' || request.method !== 'POST') throw new Error(`${request.method} ${request.url}`);
          if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          const spans = type.startsWith('application/json') ? fromJson(JSON.parse(body.toString('utf8')) as JsonRequest) : fromProtobuf(body);
          this.exports.push(type);
          this.spans.push(...spans);
          response.writeHead(200, { 'content-type': type });
          response.end(type.startsWith('application/json') ? '{}' : Buffer.alloc(0));
        } catch (error) {
          this.malformed.push(`${type}: ${(error as Error).message}`);
          response.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The spans of one trace. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((span) => span.traceId === traceId);
  }

  /** Waits until `ready` holds of the spans received (they come in batches), or fails after `timeoutMs`. */
  async waitFor(ready: (spans: ReceivedSpan[]) => boolean, timeoutMs = 5_000): Promise<ReceivedSpan[]> {
    for (let waited = 0; !ready(this.spans); waited += 20) {
      if (waited >= timeoutMs) throw new Error(`the spans expected did not arrive; got ${this.spans.map((span) => span.name).join(', ') || 'none'}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.spans;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

// --- OTLP/JSON (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding): ids in hex.

interface JsonValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonValue[] };
}
type JsonAttributes = Array<{ key: string; value: JsonValue }> | undefined;
interface JsonRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: JsonAttributes };
    scopeSpans?: Array<{
      spans?: Array<{
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: JsonAttributes;
        events?: Array<{ name: string; attributes?: JsonAttributes }>;
        status?: { code?: number; message?: string };
      }>;
    }>;
  }>;
}

function fromJson(request: JsonRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((resourceSpans) => {
    const resource = jsonAttributes(resourceSpans.resource?.attributes);
    return (resourceSpans.scopeSpans ?? []).flatMap((scope) =>
      (scope.spans ?? []).map((span) => ({
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        attributes: jsonAttributes(span.attributes),
        events: (span.events ?? []).map((event) => ({ name: event.name, attributes: jsonAttributes(event.attributes) })),
        status: { code: span.status?.code ?? 0, message: span.status?.message ?? '' },
        resource,
      })),
    );
  });
}

function jsonAttributes(attributes: JsonAttributes): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, jsonValue(value)]));
}

function jsonValue(value: JsonValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(jsonValue);
  return undefined;
}

// --- OTLP/protobuf: the wire format (https://protobuf.dev/programming-guides/encoding/), read strictly.

interface Field {
  number: number;
  /** A varint or fixed number, or the bytes of a length-delimited field. */
  value: bigint | Buffer;
}

/** Every field of a message, in order; throws on a truncated field or an unknown wire type. */
function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= buffer.length || shift > 63n) throw new Error('a truncated varint');
      const byte = buffer[at++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  const take = (length: number): Buffer => {
    if (at + length > buffer.length) throw new Error('a field runs past the end of its message');
    const slice = buffer.subarray(at, at + length);
    at += length;
    return slice;
  };
  while (at < buffer.length) {
    const key = varint();
    const number = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (number === 0) throw new Error('field number 0');
    if (wire === 0) out.push({ number, value: varint() });
    else if (wire === 1) out.push({ number, value: take(8).readBigUInt64LE() });
    else if (wire === 2) out.push({ number, value: take(Number(varint())) });
    else if (wire === 5) out.push({ number, value: BigInt(take(4).readUInt32LE()) });
    else throw new Error(`wire type ${wire}`);
  }
  return out;
}

const bytesOf = (list: Field[], number: number): Buffer[] =>
  list.filter((field) => field.number === number).map((field) => {
    if (!Buffer.isBuffer(field.value)) throw new Error(`field ${number} is not length-delimited`);
    return field.value;
  });
const firstBytes = (list: Field[], number: number): Buffer | undefined => bytesOf(list, number)[0];
const numberOf = (list: Field[], number: number): bigint | undefined => {
  const value = list.find((field) => field.number === number)?.value;
  if (Buffer.isBuffer(value)) throw new Error(`field ${number} is not a number`);
  return value;
};

/** ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; } */
function fromProtobuf(body: Buffer): ReceivedSpan[] {
  return bytesOf(fields(body), 1).flatMap((resourceSpansBytes) => {
    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    const resourceSpans = fields(resourceSpansBytes);
    const resourceBytes = firstBytes(resourceSpans, 1);
    const resource = protoAttributes(resourceBytes ? fields(resourceBytes) : [], 1);
    // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
    return bytesOf(resourceSpans, 2).flatMap((scopeBytes) => bytesOf(fields(scopeBytes), 2).map((spanBytes) => protoSpan(fields(spanBytes), resource)));
  });
}

/** Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, attributes 9, events 11, status 15. */
function protoSpan(span: Field[], resource: Record<string, unknown>): ReceivedSpan {
  const hex = (number: number) => firstBytes(span, number)?.toString('hex') ?? '';
  const traceId = hex(1);
  const spanId = hex(2);
  if (traceId.length !== 32 || spanId.length !== 16) throw new Error(`a span with trace id "${traceId}" and span id "${spanId}"`);
  // Status { string message = 2; StatusCode code = 3; }
  const statusBytes = firstBytes(span, 15);
  const status = statusBytes ? fields(statusBytes) : [];
  return {
    traceId,
    spanId,
    parentSpanId: hex(4),
    name: firstBytes(span, 5)?.toString('utf8') ?? '',
    kind: Number(numberOf(span, 6) ?? 0n),
    attributes: protoAttributes(span, 9),
    // Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; }
    events: bytesOf(span, 11).map((eventBytes) => {
      const event = fields(eventBytes);
      return { name: firstBytes(event, 2)?.toString('utf8') ?? '', attributes: protoAttributes(event, 3) };
    }),
    status: { code: Number(numberOf(status, 3) ?? 0n), message: firstBytes(status, 2)?.toString('utf8') ?? '' },
    resource,
  };
}

/** KeyValue { string key = 1; AnyValue value = 2; } under field `number` of a message. */
function protoAttributes(message: Field[], number: number): Record<string, unknown> {
  return Object.fromEntries(
    bytesOf(message, number).map((keyValueBytes) => {
      const keyValue = fields(keyValueBytes);
      const value = firstBytes(keyValue, 2);
      return [firstBytes(keyValue, 1)?.toString('utf8') ?? '', value ? protoValue(fields(value)) : undefined];
    }),
  );
}

/** AnyValue: string 1, bool 2, int 3, double 4, ArrayValue { repeated AnyValue values = 1; } 5, bytes 7. */
function protoValue(value: Field[]): unknown {
  const field = value[0];
  if (!field) return undefined;
  switch (field.number) {
    case 1:
      return (field.value as Buffer).toString('utf8');
    case 2:
      return field.value === 1n;
    case 3:
      return Number(BigInt.asIntN(64, field.value as bigint));
    case 4: {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(field.value as bigint);
      return bytes.readDoubleLE();
    }
    case 5:
      return bytesOf(fields(field.value as Buffer), 1).map((item) => protoValue(fields(item)));
    case 7:
      return (field.value as Buffer).toString('base64');
    default:
      throw new Error(`AnyValue field ${field.number}`);
  }
}
