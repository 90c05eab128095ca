import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { parseConfig, type GatewayConfig } from '../../../src/config';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { createLogger } from '../../../src/server/logger';
import { CertificateDocument, NodesWithPemDocument, RenameCertificateDocument } from '../../generated/graphql';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { OtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver';
import { RecordingProxy } from '../../helpers/recording-proxy';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

const edgeId = (nativeId: string) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example, nativeId });
const CAS = edgeId(DEMO.edgeCertificates.cas);
const UPLOADED = edgeId(DEMO.edgeCertificates.upload);
const ABSENT = edgeId('baba0000000000000000000000000000');
// OTLP span kinds and status codes (opentelemetry-proto, trace/v1/trace.proto).
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** A caller's W3C trace context: a fresh trace id, the caller's span id, sampled. */
function callerContext(): { traceId: string; parentId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, traceparent: `00-${traceId}-${parentId}-01` };
}

/** The settings of a gateway tracing to `receiver`, read from the variables as production reads them. */
function tracingTo(receiver: OtlpReceiver, env: Record<string, string> = {}): Partial<GatewayConfig> {
  const { tracing } = parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '20', ...env });
  return { tracing };
}

const named = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name);
const only = (spans: ReceivedSpan[], name: string) => {
  const found = named(spans, name);
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0] as ReceivedSpan;
};

describe('traces', () => {
  let emulator: TestEmulator;
  let proxy: RecordingProxy;
  let receiver: OtlpReceiver;
  let redis: TestRedis;
  let gateway: TestGateway;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    emulator = await startTestEmulator();
    // Between the gateway and the emulator, to see the trace context the cloud receives.
    proxy = await new RecordingProxy({ url: emulator.url }).start();
    receiver = await new OtlpReceiver().start();
    redis = await startTestRedis();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    gateway = await startTestGateway(
      emulator,
      { esaEndpoint: proxy.endpoint, slbEndpoint: proxy.endpoint, redisUrl: redis.url, logLevel: 'info', ...tracingTo(receiver) },
      { logger: createLogger('info', stream) },
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await redis.stop();
    await receiver.stop();
    await proxy.stop();
    await emulator.stop();
  });

  /** The spans of a trace once its request span (which ends last) has arrived. */
  const requestTrace = async (traceId: string) => {
    await receiver.waitFor((spans) => spans.some((span) => span.traceId === traceId && span.kind === SERVER));
    return receiver.trace(traceId);
  };
  const accessLine = async (requestId: string) => {
    for (let waited = 0; waited < 2_000; waited += 10) {
      const line = lines.find((candidate) => candidate.msg === 'request' && candidate.requestId === requestId);
      if (line) return line;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no access line for ${requestId}`);
  };

  it("joins the caller's trace: the request, the operation, the cache lookup and the cloud call, which carries the trace on", async () => {
    const caller = callerContext();
    const answer = await gateway.execute(CertificateDocument, { id: CAS }, { headers: { traceparent: caller.traceparent, 'x-request-id': 'traced-1' } });
    expect(answer.errors).toBeUndefined();

    const spans = await requestTrace(caller.traceId);
    const request = only(spans, 'POST /graphql');
    expect(request).toMatchObject({ parentSpanId: caller.parentId, kind: SERVER });
    expect(request.attributes).toMatchObject({ 'http.request.method': 'POST', 'url.path': '/graphql', 'http.response.status_code': 200, 'gateway.request_id': 'traced-1' });
    expect(request.resource['service.name']).toBe('certificate-gateway');

    const operation = only(spans, 'query Certificate');
    expect(operation.parentSpanId).toBe(request.spanId);
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'Certificate', 'graphql.operation.type': 'query' });

    const lookup = only(spans, 'cache lookup');
    expect(lookup.parentSpanId).toBe(operation.spanId);
    expect(lookup.attributes).toMatchObject({ 'cache.tier': 'redis', 'cache.outcome': 'fetched', 'cache.keys': 1, 'cache.fetched': 1 });
    expect(only(spans, 'cache store read')).toMatchObject({ parentSpanId: lookup.spanId, attributes: { 'cache.tier': 'redis' } });

    const call = only(spans, 'ESA/GetCertificate');
    expect(call).toMatchObject({ parentSpanId: lookup.spanId, kind: CLIENT });
    expect(call.attributes).toMatchObject({
      'upstream.product': 'ESA',
      'upstream.action': 'GetCertificate',
      'upstream.attempt': 1,
      'upstream.outcome': 'ok',
      'upstream.request_id': expect.stringMatching(/^[0-9A-F-]{36}$/),
    });
    // The cloud's request names the attempt's span as its parent, in the caller's trace.
    const sent = proxy.requests.filter((recorded) => recorded.headers['x-acs-action'] === 'GetCertificate' && String(recorded.headers.traceparent).includes(caller.traceId));
    expect(sent.map((recorded) => recorded.headers.traceparent)).toEqual([`00-${caller.traceId}-${call.spanId}-01`]);

    expect(await accessLine('traced-1')).toMatchObject({ trace_id: caller.traceId, span_id: request.spanId });
  });

  it('says which tier answered a repeated read: process memory, then the answer kept whole', async () => {
    // Fetched (here or by the first test), then kept in memory once the shared cache has taken it; an
    // answer accepted in another media type has not been kept yet.
    for (let read = 0; read < 2; read++) await gateway.execute(CertificateDocument, { id: CAS }, { headers: { accept: 'application/json' } });
    const accept = 'application/graphql-response+json';
    const second = callerContext();
    await gateway.execute(CertificateDocument, { id: CAS }, { headers: { traceparent: second.traceparent, accept } });
    const third = callerContext();
    await gateway.execute(CertificateDocument, { id: CAS }, { headers: { traceparent: third.traceparent, accept } });

    const fromMemory = await requestTrace(second.traceId);
    expect(only(fromMemory, 'cache lookup').attributes).toMatchObject({ 'cache.tier': 'memory', 'cache.outcome': 'memory', 'cache.hits.memory': 1 });
    expect(named(fromMemory, 'ESA/GetCertificate')).toEqual([]);
    expect(only(fromMemory, 'POST /graphql').attributes['cache.answer']).toBe('miss');

    const replayed = await requestTrace(third.traceId);
    expect(only(replayed, 'POST /graphql').attributes['cache.answer']).toBe('replayed');
    expect(replayed.map((span) => span.name)).toEqual(['POST /graphql']);
  });

  it('shows a throttled read and its retry as two attempts of one call', async () => {
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'GetCertificate', status: 400, code: 'Throttling', count: 1 });
    const caller = callerContext();
    try {
      const answer = await gateway.execute(CertificateDocument, { id: UPLOADED }, { headers: { traceparent: caller.traceparent } });
      expect(answer.errors).toBeUndefined();
    } finally {
      await emulator.admin('DELETE', 'faults');
    }

    const spans = await requestTrace(caller.traceId);
    const attempts = named(spans, 'ESA/GetCertificate').sort((a, b) => Number(a.attributes['upstream.attempt']) - Number(b.attributes['upstream.attempt']));
    expect(attempts.map((span) => [span.attributes['upstream.attempt'], span.attributes['upstream.outcome']])).toEqual([
      [1, 'error'],
      [2, 'ok'],
    ]);
    expect(attempts[0]?.status).toEqual({ code: ERROR, message: 'Throttling' });
    expect(attempts[0]?.attributes['error.type']).toBe('Throttling');
    expect(attempts[0]?.attributes['upstream.request_id']).toEqual(expect.any(String));
    expect(new Set(attempts.map((span) => span.parentSpanId))).toEqual(new Set([only(spans, 'cache lookup').spanId]));
  });

  it('shows the wait for a slot under the rate limit toward the cloud', async () => {
    const sweeps = () => named(receiver.spans, 'inventory sweep').length;
    const sweptBefore = sweeps();
    const limited = await startTestGateway(emulator, { upstreamEsaRatePerSecond: 2, ...tracingTo(receiver) });
    try {
      // Its first sweep (at start) spends the ESA slots first; then a burst of two calls goes at once.
      await receiver.waitFor(() => sweeps() > sweptBefore, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const caller = callerContext();
      const answer = await limited.execute(NodesWithPemDocument, { ids: [CAS, UPLOADED, edgeId(DEMO.edgeCertificates.free)] }, { headers: { traceparent: caller.traceparent } });
      expect(answer.errors).toBeUndefined();

      const spans = await requestTrace(caller.traceId);
      expect(named(spans, 'ESA/GetCertificate')).toHaveLength(3);
      const waits = named(spans, 'ESA rate limit');
      expect(waits.length).toBeGreaterThanOrEqual(1);
      for (const wait of waits) {
        expect(wait.attributes).toMatchObject({ 'upstream.product': 'ESA', 'upstream.action': 'GetCertificate' });
        expect(wait.attributes['upstream.rate_limit.wait_ms']).toBeGreaterThan(0);
      }
    } finally {
      await limited.stop();
    }
  });

  it('starts a new trace for a request without a traceparent, and logs its ids', async () => {
    const before = new Set(receiver.spans.map((span) => span.traceId));
    await gateway.execute(CertificateDocument, { id: ABSENT }, { headers: { 'x-request-id': 'untraced-1' } });
    const line = await accessLine('untraced-1');

    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(before.has(line.trace_id as string)).toBe(false);
    const spans = await requestTrace(line.trace_id as string);
    const request = only(spans, 'POST /graphql');
    expect(request.parentSpanId).toBe('');
    expect(request.spanId).toBe(line.span_id);
    // The documented code of the error answered marks the operation failed.
    expect(only(spans, 'query Certificate').status).toEqual({ code: ERROR, message: 'Certificate.NotFound' });
  });
});

describe('traces of background work', () => {
  it('traces each inventory sweep on its own, its cloud calls inside it', async () => {
    const emulator = await startTestEmulator();
    const receiver = await new OtlpReceiver().start();
    // The first sweep runs at start.
    const gateway = await startTestGateway(emulator, tracingTo(receiver));
    try {
      await receiver.waitFor((spans) => spans.some((span) => span.name === 'inventory sweep'), 15_000);
      const sweep = only(receiver.spans, 'inventory sweep');
      expect(sweep.parentSpanId).toBe('');
      const calls = receiver.trace(sweep.traceId).filter((span) => span.kind === CLIENT);
      expect(calls.map((span) => span.attributes['upstream.action'])).toContain('ListSites');
      expect(calls.every((span) => span.attributes['upstream.outcome'] === 'ok')).toBe(true);
    } finally {
      await gateway.stop();
      await receiver.stop();
      await emulator.stop();
    }
  });
});

describe('traces over OTLP/protobuf', () => {
  it('traces each webhook delivery attempt on its own', async () => {
    const emulator = await startTestEmulator();
    const receiver = await new OtlpReceiver().start();
    const hooks = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.statusCode = 204;
        response.end();
      });
    });
    await once(hooks.listen(0, '127.0.0.1'), 'listening');
    const url = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/hooks`;
    const secret = `whsec_${Buffer.from('trace-webhook-secret-0123456789').toString('base64')}`;
    const gateway = await startTestGateway(emulator, { ...tracingTo(receiver), webhooks: [{ url, secret, events: ['certificate.changed'] }], webhookAllowPrivate: true });
    try {
      const serverCertificate = encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-shanghai', nativeId: '1231579085529123_18b5e2c1a42_1714763410_709981432' });
      const renamed = await gateway.execute(RenameCertificateDocument, { id: serverCertificate, name: 'traced-rename' });
      expect(renamed.errors).toBeUndefined();

      await receiver.waitFor((spans) => spans.some((span) => span.name === 'webhook delivery'), 15_000);
      const delivery = only(receiver.spans, 'webhook delivery');
      expect(delivery.parentSpanId).toBe('');
      expect(JSON.stringify(delivery)).not.toContain(secret);
    } finally {
      await gateway.stop();
      hooks.close();
      await receiver.stop();
      await emulator.stop();
    }
  });

  it('sends well-formed ExportTraceServiceRequests by default, named certificate-gateway', async () => {
    const emulator = await startTestEmulator();
    const receiver = await new OtlpReceiver().start();
    const { tracing } = parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '20' });
    const gateway = await startTestGateway(emulator, { tracing });
    try {
      const caller = callerContext();
      await gateway.execute(CertificateDocument, { id: CAS }, { headers: { traceparent: caller.traceparent } });
      await receiver.waitFor((spans) => spans.some((span) => span.traceId === caller.traceId && span.kind === SERVER));

      expect(receiver.malformed).toEqual([]);
      expect(new Set(receiver.exports)).toEqual(new Set(['application/x-protobuf']));
      const spans = receiver.trace(caller.traceId);
      expect(only(spans, 'POST /graphql').parentSpanId).toBe(caller.parentId);
      expect(only(spans, 'query Certificate').attributes).toMatchObject({ 'graphql.operation.name': 'Certificate', 'graphql.operation.type': 'query' });
      expect(only(spans, 'ESA/GetCertificate').attributes).toMatchObject({ 'upstream.action': 'GetCertificate', 'upstream.outcome': 'ok', 'upstream.attempt': 1 });
      expect(spans.every((span) => span.resource['service.name'] === 'certificate-gateway')).toBe(true);
    } finally {
      await gateway.stop();
      await receiver.stop();
      await emulator.stop();
    }
  });
});

describe('traces sampled off', () => {
  it('exports nothing with OTEL_TRACES_SAMPLER=always_off, and still tells the cloud the trace, unsampled', async () => {
    const emulator = await startTestEmulator();
    const proxy = await new RecordingProxy({ url: emulator.url }).start();
    const receiver = await new OtlpReceiver().start();
    const gateway = await startTestGateway(emulator, { esaEndpoint: proxy.endpoint, slbEndpoint: proxy.endpoint, ...tracingTo(receiver, { OTEL_TRACES_SAMPLER: 'always_off' }) });
    const caller = callerContext();
    try {
      const answer = await gateway.execute(CertificateDocument, { id: CAS }, { headers: { traceparent: caller.traceparent } });
      expect(answer.errors).toBeUndefined();
    } finally {
      // Stopping sends whatever is batched: after it, nothing more can come.
      await gateway.stop();
    }
    try {
      expect(receiver.spans).toEqual([]);
      expect(receiver.exports).toEqual([]);
      const sent = proxy.requests.find((recorded) => recorded.headers['x-acs-action'] === 'GetCertificate');
      expect(sent?.headers.traceparent).toMatch(new RegExp(`^00-${caller.traceId}-[0-9a-f]{16}-00$`));
    } finally {
      await receiver.stop();
      await proxy.stop();
      await emulator.stop();
    }
  });
});

describe('tracing off', () => {
  afterEach(() => jest.restoreAllMocks());

  it('starts no span, enters no trace context and sends no trace header without an endpoint', async () => {
    const spies = [
      jest.spyOn(TracerProvider.prototype, 'getTracer'),
      jest.spyOn(AsyncLocalStorageContextManager.prototype, 'with'),
      jest.spyOn(AsyncLocalStorageContextManager.prototype, 'active'),
      jest.spyOn(W3CTraceContextPropagator.prototype, 'extract'),
      jest.spyOn(W3CTraceContextPropagator.prototype, 'inject'),
    ];
    const emulator = await startTestEmulator();
    const proxy = await new RecordingProxy({ url: emulator.url }).start();
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const config = parseConfig({});
    expect(config.tracing).toBeUndefined();
    const gateway = await startTestGateway(emulator, { esaEndpoint: proxy.endpoint, slbEndpoint: proxy.endpoint, logLevel: 'info' }, { logger: createLogger('info', stream) });
    try {
      for (const id of [CAS, CAS, ABSENT]) await gateway.execute(CertificateDocument, { id }, { headers: { traceparent: callerContext().traceparent } });
    } finally {
      await gateway.stop();
      await proxy.stop();
      await emulator.stop();
    }
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(proxy.requests.filter((recorded) => recorded.headers.traceparent !== undefined)).toEqual([]);
    expect(lines.join('')).not.toContain('trace_id');
  });
});
