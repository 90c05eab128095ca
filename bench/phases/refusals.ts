import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { abusiveShapes, type AbusiveShape } from '../../test/helpers/abusive-documents';
import { startSpareGateway, type BenchEnvironment, type GatewayProcess } from '../environment';
import { GraphqlSession } from '../graphql-session';
import { HttpConnection, jsonPost } from '../http-connection';
import { runLoad, type LoadResult } from '../load-generator';
import { CERTIFICATE_QUERY, graphqlBody } from '../queries';
import { answeringAgain, sendWithTimeout, type Outcome } from '../refusal-client';
import { percentile } from '../stats';

export interface RefusalSettings {
  /** Keep-alive connections of the cached stream; the abusive documents go on one more. */
  connections: number;
  /** Measured time of each window: per shape, one without abusive documents, then one with. */
  windowMs: number;
  warmupMs: number;
  /** The client's limit on one abusive request; past it the request is recorded as timed out. */
  requestTimeoutMs: number;
  /** How long a gateway still busy after a timeout is waited for before it is killed and started again. */
  recoveryMs: number;
  /** The whole phase's limit; shapes not begun by then are reported as not measured. */
  capMs: number;
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface CachedWindow extends LatencySummary {
  errors: number;
  mismatches: number;
  /**
   * Cached requests still waiting when the window was cut off (the gateway was killed or the cap
   * reached); each counts with its wait so far, so when this is above 0 the max is a lower bound.
   */
  unanswered: number;
}

export interface ShapeResult {
  shape: string;
  description: string;
  bodyBytes: number;
  sent: number;
  /** How the requests ended (see refusal-client.ts); only `refused` is what the gateway must answer. */
  refused: number;
  answered: number;
  uncoded: number;
  broken: number;
  timedOut: number;
  /** HTTP status (or "timed out", "broken") -> requests. */
  statuses: Record<string, number>;
  /** errors[0].extensions.code -> requests. */
  codes: Record<string, number>;
  firstMessage?: string;
  /** Send to answer; a timed-out request counts with its wait, so a statistic that lands on one is a lower bound (`atLeast`). */
  refusal: LatencySummary & { atLeast: { p50: boolean; p99: boolean; max: boolean } };
  /** After a timeout: from that request's send until the gateway answered /healthz again (a lower bound when restarted). */
  busyMs?: number;
  /** The gateway was still busy `recoveryMs` after the timeout, so it was killed (and a fresh one started for the next shape). */
  killed: boolean;
  cachedQuiet: CachedWindow;
  cachedUnderAbuse: CachedWindow;
  /** Why the shape was not sent. */
  notMeasured?: string;
}

export interface RefusalResult {
  settings: RefusalSettings;
  shapes: ShapeResult[];
  /** Cached certificate(id:) pooled over every window without, and every window with, abusive documents. */
  cachedQuiet: CachedWindow;
  cachedUnderAbuse: CachedWindow;
  /** under abuse / quiet. */
  ratios: { p50: number; p99: number; max: number };
  /** The shape with the slowest p99 refusal, beside the cached query's quiet p50. */
  worst?: { shape: string; p99Ms: number; atLeast: boolean; cachedP50Ms: number; ratio: number };
  /** Abusive requests that did not end in a coded refusal (timed out included), over every shape. */
  notRefused: number;
  sent: number;
  /** Fresh spare gateways started after one was killed (a killed gateway with no shape left is not replaced). */
  restarts: number;
  capReached: boolean;
  durationS: number;
}

/** The gateway a window runs against, with the request bytes that carry its API key. */
interface Subject {
  gateway: GatewayProcess;
  cachedRequest: Buffer;
  expectedBody: Buffer;
}

/**
 * Time to refuse abusive documents beside the time to answer a cached query: for each shape, a
 * window of cached `certificate(id:)` on `connections` connections alone, then one with the shape's
 * documents sent back to back on another connection. Runs against a spare gateway, because a
 * document that blocks the event loop can leave it stuck for minutes: after a timed-out document the
 * shape's stream stops, the gateway gets `recoveryMs` to answer again, and is then killed and
 * started afresh, so every shape is measured and the bench ends within `capMs` whatever it meets.
 */
export async function measureRefusals(env: BenchEnvironment, settings: RefusalSettings, log: (line: string) => void): Promise<RefusalResult> {
  const began = performance.now();
  const deadline = began + settings.capMs;
  let subject = await startSubject(env);
  const shapes: ShapeResult[] = [];
  const quietLatencies: number[][] = [];
  const abusedLatencies: number[][] = [];
  let restarts = 0;
  let stuck = false;
  let capReached = false;
  log(`abusive documents: ${settings.connections} connections of cached certificate(id:), ${settings.windowMs / 1000} s windows without and with each shape, ${settings.requestTimeoutMs / 1000} s timeout, ${settings.capMs / 1000} s cap`);
  try {
    for (const shape of abusiveShapes()) {
      if (performance.now() + 2 * (settings.warmupMs + settings.windowMs) > deadline) {
        capReached = true;
        shapes.push(notMeasured(shape, 'phase cap reached'));
        log(`  ${shape.name.padEnd(17)} not measured: the phase cap was reached`);
        continue;
      }
      if (stuck) {
        await subject.gateway.stop(0);
        restarts += 1;
        subject = await startSubject(env);
        stuck = false;
      }
      const quiet = await cachedWindow(subject, settings, deadline);
      const abused = await abusedWindow(subject, shape, settings, deadline);
      quietLatencies.push(quiet.latenciesMs ?? []);
      abusedLatencies.push(abused.cached.latenciesMs ?? []);
      const result = shapeResult(shape, abused.outcomes, quiet, abused.cached, abused.busyMs, abused.stuck);
      shapes.push(result);
      log(describe(result));
      stuck = abused.stuck;
    }
  } finally {
    await subject.gateway.stop(stuck ? 0 : 2_000);
  }

  const cachedQuiet = pooled(quietLatencies, shapes.map((shape) => shape.cachedQuiet));
  const cachedUnderAbuse = pooled(abusedLatencies, shapes.map((shape) => shape.cachedUnderAbuse));
  const measured = shapes.filter((shape) => shape.notMeasured === undefined);
  const slowest = measured.filter((shape) => shape.sent > 0).sort((a, b) => b.refusal.p99Ms - a.refusal.p99Ms)[0];
  const sent = measured.reduce((sum, shape) => sum + shape.sent, 0);
  return {
    settings,
    shapes,
    cachedQuiet,
    cachedUnderAbuse,
    ratios: { p50: cachedUnderAbuse.p50Ms / cachedQuiet.p50Ms, p99: cachedUnderAbuse.p99Ms / cachedQuiet.p99Ms, max: cachedUnderAbuse.maxMs / cachedQuiet.maxMs },
    ...(slowest
      ? { worst: { shape: slowest.shape, p99Ms: slowest.refusal.p99Ms, atLeast: slowest.refusal.atLeast.p99, cachedP50Ms: cachedQuiet.p50Ms, ratio: slowest.refusal.p99Ms / cachedQuiet.p50Ms } }
      : {}),
    notRefused: sent - measured.reduce((sum, shape) => sum + shape.refused, 0),
    sent,
    restarts,
    capReached,
    durationS: (performance.now() - began) / 1000,
  };
}

/** A spare gateway with the cached query answered twice: its cache and response cache hold the answer. */
async function startSubject(env: BenchEnvironment): Promise<Subject> {
  const gateway = await startSpareGateway(env);
  const variables = { id: env.demoCertificateId };
  const session = await GraphqlSession.open(gateway.graphqlUrl, gateway.headers);
  try {
    await session.expectData(CERTIFICATE_QUERY, variables);
    const cached = await session.expectData(CERTIFICATE_QUERY, variables);
    return { gateway, cachedRequest: jsonPost(gateway.graphqlUrl, graphqlBody(CERTIFICATE_QUERY, variables), gateway.headers), expectedBody: Buffer.from(cached.raw) };
  } finally {
    session.close();
  }
}

function cachedWindow(subject: Subject, settings: RefusalSettings, deadline: number, signal?: AbortSignal): Promise<LoadResult> {
  const controller = new AbortController();
  const cut = () => controller.abort();
  signal?.addEventListener('abort', cut, { once: true });
  // The phase cap holds even if the gateway never answers a cached request again.
  const guard = setTimeout(cut, Math.max(0, deadline - performance.now()));
  return runLoad({
    url: subject.gateway.graphqlUrl,
    request: subject.cachedRequest,
    connections: settings.connections,
    durationMs: settings.windowMs,
    warmupMs: settings.warmupMs,
    expectedBody: subject.expectedBody,
    countLateAnswers: true,
    keepLatencies: true,
    signal: controller.signal,
  }).finally(() => {
    clearTimeout(guard);
    signal?.removeEventListener('abort', cut);
  });
}

/**
 * The cached window with `shape` sent back to back during its measured part. The first timed-out
 * document ends the stream: sending it again would only block the gateway again.
 */
async function abusedWindow(subject: Subject, shape: AbusiveShape, settings: RefusalSettings, deadline: number) {
  const stop = new AbortController();
  const startedAt = performance.now();
  const cached = cachedWindow(subject, settings, deadline, stop.signal);
  const url = subject.gateway.graphqlUrl;
  const request = jsonPost(url, graphqlBody(shape.query), subject.gateway.headers);
  const outcomes: Outcome[] = [];
  let busyMs: number | undefined;
  let stuck = false;
  await sleep(settings.warmupMs);
  const until = startedAt + settings.warmupMs + settings.windowMs;
  let connection: HttpConnection | undefined;
  while (performance.now() < until && performance.now() < deadline) {
    connection ??= await HttpConnection.open(url.hostname, Number(url.port));
    const sentAt = performance.now();
    const outcome = await sendWithTimeout(connection, request, Math.min(settings.requestTimeoutMs, deadline - sentAt));
    outcomes.push(outcome);
    if (outcome.kind === 'broken' || outcome.kind === 'timedOut') {
      connection.close();
      connection = undefined;
    }
    if (outcome.kind === 'timedOut') {
      const answeredAt = await answeringAgain(url, Math.max(0, Math.min(settings.recoveryMs, deadline - performance.now())));
      busyMs = (answeredAt ?? performance.now()) - sentAt;
      stuck = answeredAt === undefined;
      if (stuck) stop.abort();
      break;
    }
  }
  connection?.close();
  return { cached: await cached, outcomes, busyMs, stuck };
}

function shapeResult(shape: AbusiveShape, outcomes: Outcome[], quiet: LoadResult, abused: LoadResult, busyMs: number | undefined, killed: boolean): ShapeResult {
  const statuses: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const count = (kind: Outcome['kind']) => outcomes.filter((outcome) => outcome.kind === kind).length;
  for (const outcome of outcomes) {
    const status = 'status' in outcome ? String(outcome.status) : outcome.kind === 'timedOut' ? 'timed out' : 'broken';
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (outcome.kind === 'refused') codes[outcome.code] = (codes[outcome.code] ?? 0) + 1;
  }
  const firstMessage = outcomes.flatMap((outcome) => ('message' in outcome && outcome.message !== undefined ? [outcome.message.slice(0, 200)] : []))[0];
  const latencies = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  const shortestTimeout = Math.min(...outcomes.filter((outcome) => outcome.kind === 'timedOut').map((outcome) => outcome.ms));
  const refusal = summary(latencies);
  const bound = (value: number) => value >= shortestTimeout;
  return {
    shape: shape.name,
    description: shape.description,
    bodyBytes: Buffer.byteLength(graphqlBody(shape.query)),
    sent: outcomes.length,
    refused: count('refused'),
    answered: count('answered'),
    uncoded: count('uncoded'),
    broken: count('broken'),
    timedOut: count('timedOut'),
    statuses,
    codes,
    ...(firstMessage === undefined ? {} : { firstMessage }),
    refusal: { ...refusal, atLeast: { p50: bound(refusal.p50Ms), p99: bound(refusal.p99Ms), max: bound(refusal.maxMs) } },
    ...(busyMs === undefined ? {} : { busyMs }),
    killed,
    cachedQuiet: windowOf(quiet),
    cachedUnderAbuse: windowOf(abused),
  };
}

function notMeasured(shape: AbusiveShape, reason: string): ShapeResult {
  const none = { count: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  const window = { ...none, errors: 0, mismatches: 0, unanswered: 0 };
  return {
    shape: shape.name,
    description: shape.description,
    bodyBytes: Buffer.byteLength(graphqlBody(shape.query)),
    sent: 0,
    refused: 0,
    answered: 0,
    uncoded: 0,
    broken: 0,
    timedOut: 0,
    statuses: {},
    codes: {},
    refusal: { ...none, atLeast: { p50: false, p99: false, max: false } },
    killed: false,
    cachedQuiet: window,
    cachedUnderAbuse: window,
    notMeasured: reason,
  };
}

function summary(sorted: readonly number[]): LatencySummary {
  return { count: sorted.length, p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted[sorted.length - 1] ?? NaN };
}

function windowOf(load: LoadResult): CachedWindow {
  return { count: load.requests, p50Ms: load.p50Ms, p99Ms: load.p99Ms, maxMs: load.maxMs, errors: load.errors, mismatches: load.mismatches, unanswered: load.unanswered };
}

function pooled(latencies: number[][], windows: CachedWindow[]): CachedWindow {
  const all = latencies.flat().sort((a, b) => a - b);
  const sum = (pick: (window: CachedWindow) => number) => windows.reduce((total, window) => total + pick(window), 0);
  return { ...summary(all), errors: sum((window) => window.errors), mismatches: sum((window) => window.mismatches), unanswered: sum((window) => window.unanswered) };
}

function describe(result: ShapeResult): string {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '-');
  const bound = result.refusal.atLeast.p99 ? '>= ' : '';
  const ends = (['refused', 'answered', 'uncoded', 'broken', 'timedOut'] as const).filter((kind) => result[kind] > 0).map((kind) => `${kind} ${result[kind]}`);
  const busy = result.busyMs === undefined ? '' : `; gateway busy ${result.killed ? '>= ' : ''}${(result.busyMs / 1000).toFixed(1)} s${result.killed ? ', then killed' : ''}`;
  return (
    `  ${result.shape.padEnd(17)} sent ${result.sent} (${ends.join(', ') || 'none'}; ${Object.entries(result.codes).map(([code, n]) => `${code} ${n}`).join(', ') || 'no code'}): ` +
    `refusal p50 ${ms(result.refusal.p50Ms)} ms, p99 ${bound}${ms(result.refusal.p99Ms)} ms; ` +
    `cached p99 ${ms(result.cachedQuiet.p99Ms)} -> ${ms(result.cachedUnderAbuse.p99Ms)} ms, max ${ms(result.cachedQuiet.maxMs)} -> ${ms(result.cachedUnderAbuse.maxMs)} ms${busy}`
  );
}
