import { type IncomingHttpHeaders } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, defaultTextMapGetter, defaultTextMapSetter, trace, type Attributes, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { SPAN } from './span-attributes';
import { type SamplerName, type TracingSettings } from './tracing-settings';

export { SpanKind, type Span };

/**
 * The gateway's spans, over the OpenTelemetry SDK. There is one only while tracing is on: the code on
 * a request's path holds `Tracing | undefined` and, when it is undefined, starts no span, enters no
 * context and reads no trace header. Nothing is registered globally (no global tracer provider,
 * context manager or propagator), so gateways with different settings can share a process.
 *
 * The active span travels in the context manager's AsyncLocalStorage, as telemetry does in
 * `server/request-scope.ts`: a cloud call made deep in a DataLoader batch becomes the child of the
 * operation (or cache lookup) that caused it without every layer passing it along.
 */
export class Tracing {
  private readonly tracer;
  private readonly contexts = new AsyncLocalStorageContextManager();
  private readonly propagator = new W3CTraceContextPropagator();

  constructor(private readonly provider: TracerProvider) {
    this.tracer = provider.getTracer('certificate-gateway');
  }

  /**
   * The span of an incoming request: the child of the caller's W3C `traceparent` (and `tracestate`)
   * when it carries a valid one, so the default parent-based sampler follows the caller's decision;
   * a new trace otherwise.
   */
  serverSpan(name: string, headers: IncomingHttpHeaders, attributes: Attributes): Span {
    const parent = headers.traceparent === undefined ? ROOT_CONTEXT : this.propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    return this.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  }

  /** A span under the active one. */
  span(name: string, attributes?: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span {
    return this.tracer.startSpan(name, { kind, ...(attributes ? { attributes } : {}) }, this.contexts.active());
  }

  /** Runs `work` with `span` active: the spans started inside it, synchronously or later, are its children. */
  within<T>(span: Span, work: () => T): T {
    return this.contexts.with(trace.setSpan(this.contexts.active(), span), work);
  }

  /** The active span, if any. */
  active(): Span | undefined {
    return trace.getSpan(this.contexts.active());
  }

  /** `traceparent` (and `tracestate`) naming `span` as the parent, for an outgoing request. */
  headersFor(span: Span): Record<string, string> {
    const headers: Record<string, string> = {};
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return headers;
  }

  /**
   * Runs background work (an inventory sweep) as a trace of its own: a root span whatever is active,
   * failed with the error's code when the work throws.
   */
  async background<T>(name: string, work: () => Promise<T>): Promise<T> {
    const span = this.tracer.startSpan(name, { root: true }, ROOT_CONTEXT);
    try {
      return await this.contexts.with(trace.setSpan(ROOT_CONTEXT, span), work);
    } catch (error) {
      const { code } = error as { code?: unknown };
      markFailed(span, typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR');
      throw error;
    } finally {
      span.end();
    }
  }

  /** Sends what is still batched and stops. */
  shutdown(): Promise<void> {
    return this.provider.shutdown();
  }
}

/** Tracing as the settings say, or undefined when they say it is off. */
export function startTracing(settings: TracingSettings | undefined): Tracing | undefined {
  if (!settings) return undefined;
  // Both exporters read OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION themselves; the URL is ours.
  const exporter = settings.protocol === 'http/json' ? new JsonExporter({ url: settings.url }) : new ProtobufExporter({ url: settings.url });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: samplerFor(settings.sampler, settings.samplerRatio),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: settings.scheduleDelayMs })],
  });
  return new Tracing(provider);
}

function samplerFor(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}

/** Marks a span failed with the documented code (never the message, which may quote the caller). */
export function markFailed(span: Span, codes: string | readonly string[]): void {
  const list = typeof codes === 'string' ? [codes] : codes;
  const first = list[0] ?? 'INTERNAL_SERVER_ERROR';
  span.setAttribute(SPAN.errorType, first);
  if (list.length > 1) span.setAttribute(SPAN.errorCodes, [...list]);
  span.setStatus({ code: SpanStatusCode.ERROR, message: first });
}

/** The ids an access-log line carries, so a line leads to its trace. */
export function traceIds(span: Span): { trace_id: string; span_id: string } {
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}
