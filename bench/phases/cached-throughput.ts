import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSpareGateway, type BenchEnvironment } from '../environment';
import { countersSince, readGatewayCounters, type GatewayCounters } from '../gateway-metrics';
import { jsonPost } from '../http-connection';
import { OtlpSink, type SinkCounts } from '../otlp-sink';
import { runLoad, type LoadResult } from '../load-generator';
import { jsonField, startNodeChild, type NodeChild } from '../processes';
import { ForeignLoad, readCpuSeconds, readMemory, RssSampler } from '../process-sampler';
import { CERTIFICATE_QUERY, graphqlBody } from '../queries';
import { median } from '../stats';

export interface ThroughputSettings {
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Interleaved rounds (Redis-GET floor, memory floor, gateway) of the throughput run. */
  rounds: number;
  /** Interleaved rounds on one connection: service time without queueing. */
  singleConnectionRounds: number;
  singleConnectionDurationMs: number;
}

/**
 * `baseline`: node:http + one Redis GET; `memoryBaseline`: node:http answering from memory;
 * `gatewayTraced`: a second gateway process, the same but for tracing on (every request sampled).
 */
export type Target = 'baseline' | 'memoryBaseline' | 'gateway' | 'gatewayTraced';

const TARGETS: readonly Target[] = ['baseline', 'memoryBaseline', 'gateway', 'gatewayTraced'];
const LABELS: Record<Target, string> = { baseline: 'redis floor', memoryBaseline: 'mem floor', gateway: 'gateway', gatewayTraced: 'traced' };

/**
 * The traced gateway's variables: every request sampled (a root, without a caller's traceparent,
 * under always_on) and sent over OTLP/protobuf to the bench's sink; the batch processor's other
 * settings are the SDK's defaults, as production would run them.
 */
const TRACED = (endpoint: string): Record<string, string> => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_on' });

export interface TargetRun extends LoadResult {
  target: Target;
  /** CPU the server process used per answered request (warm-up included), from /proc. */
  cpuMsPerRequest?: number;
  /** Gateway runs: the largest RSS sampled every 200 ms during the run. */
  peakRssBytes?: number;
  /** CPU used by processes outside the bench during the run, in cores (2 = the whole machine here). */
  otherLoadCores?: number;
}

export interface Summary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest?: number;
  errors: number;
  mismatches: number;
}

export interface Ratios {
  throughput: number;
  p50: number;
  p99: number;
  cpuPerRequest?: number;
}

export interface Comparison {
  runs: TargetRun[];
  /** The Redis-GET floor. */
  baseline: Summary;
  /** The in-memory floor. */
  memoryBaseline: Summary;
  gateway: Summary;
  /** gateway / Redis-GET floor, from the medians. */
  ratios: Ratios;
  /** gateway / memory floor, from the medians. */
  memoryRatios: Ratios;
  /** The gateway with tracing on, and traced / untraced from the medians. */
  gatewayTraced: Summary;
  tracingRatios: Ratios;
}

/** What the traced gateway sent to the sink over all its runs, warm-ups included. */
export interface TracingExport {
  otel: Record<string, string>;
  sink: SinkCounts;
  /** Answers the traced gateway gave, warm-ups included. */
  answered: number;
  /** Spans the sink received per answer (with the response cache on, one: the request, its answer replayed). */
  spansPerAnswer: number;
}

export interface ThroughputResult {
  settings: ThroughputSettings;
  responseBytes: number;
  loaded: Comparison;
  singleConnection: Comparison;
  memory: {
    peakRssBytesDuringRuns: number;
    rssSamples: number;
    /** The kernel's high-water mark after the runs: startup included. */
    vmHwmBytesAfterRuns?: number;
  };
  /** The gateway's own counters over every gateway run: all hits, no upstream calls. */
  gatewayCounters: GatewayCounters;
  /** Errors and mismatches in the untimed warm-up runs, which must be zero too. */
  warmupErrors: Record<Target, number>;
  tracing: TracingExport;
}

const BASELINE_KEY = 'bench:baseline:certificate';

/**
 * Cached `certificate(id:)` against two floors: the gateway's answer is produced once (warming its
 * cache), stored where the Redis-GET baseline reads it and in a file the memory baseline loads at
 * start, and all three are then loaded the same way, interleaved so drift (thermal, the other core's
 * load) hits each alike.
 */
export async function measureCachedThroughput(env: BenchEnvironment, settings: ThroughputSettings, log: (line: string) => void): Promise<ThroughputResult> {
  const variables = { id: env.demoCertificateId };
  await env.session.expectData(CERTIFICATE_QUERY, variables);
  const cached = await env.session.expectData(CERTIFICATE_QUERY, variables);
  const expectedBody = Buffer.from(cached.raw);
  await env.redis.client.set(BASELINE_KEY, expectedBody);
  const bodyFile = join(env.build.dir, 'bench', 'memory-baseline-body.json');
  writeFileSync(bodyFile, expectedBody);

  const childEnv = { PATH: process.env.PATH, HOME: process.env.HOME, NODE_PATH: env.build.nodeModules };
  const onServerCore = env.cpu.server === undefined ? {} : { cpu: env.cpu.server };
  const baseline = await startNodeChild({
    script: join(env.build.dir, 'bench', 'baseline-server.js'),
    env: { ...childEnv, REDIS_URL: env.redis.url, BASELINE_KEY },
    ...onServerCore,
    announcement: (line) => jsonField(line, 'url'),
  });
  let memoryBaseline: NodeChild | undefined;
  const sink = await new OtlpSink().start();
  const otel = TRACED(sink.endpoint);
  let traced: NodeChild | undefined;
  try {
    const tracedGateway = await startSpareGateway(env, { ...env.gateway.settings, otel });
    traced = tracedGateway;
    memoryBaseline = await startNodeChild({
      script: join(env.build.dir, 'bench', 'memory-baseline-server.js'),
      env: { ...childEnv, BASELINE_BODY_FILE: bodyFile },
      ...onServerCore,
      announcement: (line) => jsonField(line, 'url'),
    });
    const urls: Record<Target, URL> = {
      baseline: new URL('/graphql', baseline.announced),
      memoryBaseline: new URL('/graphql', memoryBaseline.announced),
      gateway: env.gateway.graphqlUrl,
      gatewayTraced: tracedGateway.graphqlUrl,
    };
    const pids: Record<Target, number> = { baseline: baseline.pid, memoryBaseline: memoryBaseline.pid, gateway: env.gateway.pid, gatewayTraced: tracedGateway.pid };
    const body = graphqlBody(CERTIFICATE_QUERY, variables);
    // Byte for byte the same request, API key included (the traced gateway's is its own, as long), so all read and parse the same headers.
    const headersOf = (target: Target) => (target === 'gatewayTraced' ? tracedGateway.headers : env.gateway.headers);
    const requests = Object.fromEntries(TARGETS.map((target) => [target, jsonPost(urls[target], body, headersOf(target))])) as Record<Target, Buffer>;
    let tracedAnswered = 0;
    let peakRss = 0;
    let rssSamples = 0;

    const measure = async (target: Target, connections: number, durationMs: number, warmupMs: number): Promise<TargetRun> => {
      const cpuBefore = readCpuSeconds(pids[target]);
      const foreign = new ForeignLoad([pids[target], ...(env.redis.pid === undefined ? [] : [env.redis.pid])]);
      const sampler = target === 'gateway' ? new RssSampler(pids.gateway, env.gateway.metricsUrl) : undefined;
      const result = await runLoad({ url: urls[target], request: requests[target], connections, durationMs, warmupMs, expectedBody });
      if (target === 'gatewayTraced') tracedAnswered += result.answered;
      const rss = sampler?.stop();
      const cpuAfter = readCpuSeconds(pids[target]);
      const otherLoadCores = foreign.cores();
      if (rss) {
        peakRss = Math.max(peakRss, rss.peakRssBytes);
        rssSamples += rss.samples;
      }
      const run: TargetRun = {
        target,
        ...result,
        ...(rss ? { peakRssBytes: rss.peakRssBytes } : {}),
        ...(otherLoadCores === undefined ? {} : { otherLoadCores }),
      };
      if (cpuBefore !== undefined && cpuAfter !== undefined && result.answered > 0) run.cpuMsPerRequest = ((cpuAfter - cpuBefore) * 1000) / result.answered;
      log(`  ${LABELS[target].padEnd(11)} ${connections} conn: ${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}${otherLoadCores === undefined ? '' : `, other load ${otherLoadCores.toFixed(2)} cores`}`);
      return run;
    };

    // Untimed: JIT every server and fill the connection pools before anything is kept.
    const warmupErrors: Record<Target, number> = { baseline: 0, memoryBaseline: 0, gateway: 0, gatewayTraced: 0 };
    for (const target of TARGETS) {
      const warm = await runLoad({ url: urls[target], request: requests[target], connections: settings.connections, durationMs: 1_500, warmupMs: 0, expectedBody });
      warmupErrors[target] = warm.errors + warm.mismatches;
      if (target === 'gatewayTraced') tracedAnswered += warm.answered;
    }

    const countersBefore = await readGatewayCounters(env.gateway.metricsUrl);
    const interleave = async (rounds: number, connections: number, durationMs: number, warmupMs: number) => {
      const runs: TargetRun[] = [];
      for (let round = 0; round < rounds; round++) {
        for (const target of TARGETS) runs.push(await measure(target, connections, durationMs, warmupMs));
      }
      return compare(runs);
    };
    log(`cached certificate(id:): ${settings.rounds} interleaved rounds (Redis-GET floor, memory floor, gateway, gateway traced), ${settings.connections} connections, ${settings.durationMs / 1000} s each`);
    const loaded = await interleave(settings.rounds, settings.connections, settings.durationMs, settings.warmupMs);
    log(`cached certificate(id:): ${settings.singleConnectionRounds} interleaved rounds on 1 connection`);
    const singleConnection = await interleave(settings.singleConnectionRounds, 1, settings.singleConnectionDurationMs, 500);
    const gatewayCounters = countersSince(countersBefore, await readGatewayCounters(env.gateway.metricsUrl));
    const hwm = readMemory(env.gateway.pid)?.peakRssBytes;
    // Stopping the traced gateway sends the spans still batched: after it, the sink has them all.
    await tracedGateway.stop();
    traced = undefined;
    const tracing: TracingExport = { otel, sink: { ...sink.counts }, answered: tracedAnswered, spansPerAnswer: tracedAnswered ? sink.counts.spans / tracedAnswered : NaN };
    log(`  traced gateway: ${sink.counts.spans} spans in ${sink.counts.exports} exports (${(sink.counts.bytes / 1e6).toFixed(1)} MB) for ${tracedAnswered} answers`);

    return {
      settings,
      responseBytes: expectedBody.length,
      loaded,
      singleConnection,
      memory: { peakRssBytesDuringRuns: peakRss, rssSamples, ...(hwm === undefined ? {} : { vmHwmBytesAfterRuns: hwm }) },
      gatewayCounters,
      warmupErrors,
      tracing,
    };
  } finally {
    await traced?.stop();
    await sink.stop();
    await memoryBaseline?.stop();
    await baseline.stop();
    await env.redis.client.del(BASELINE_KEY);
  }
}

function compare(runs: TargetRun[]): Comparison {
  const summary = (target: Target): Summary => {
    const mine = runs.filter((run) => run.target === target);
    const cpu = mine.flatMap((run) => (run.cpuMsPerRequest === undefined ? [] : [run.cpuMsPerRequest]));
    return {
      rps: median(mine.map((run) => run.rps)),
      p50Ms: median(mine.map((run) => run.p50Ms)),
      p99Ms: median(mine.map((run) => run.p99Ms)),
      ...(cpu.length ? { cpuMsPerRequest: median(cpu) } : {}),
      errors: mine.reduce((sum, run) => sum + run.errors, 0),
      mismatches: mine.reduce((sum, run) => sum + run.mismatches, 0),
    };
  };
  const baseline = summary('baseline');
  const memoryBaseline = summary('memoryBaseline');
  const gateway = summary('gateway');
  const gatewayTraced = summary('gatewayTraced');
  return {
    runs,
    baseline,
    memoryBaseline,
    gateway,
    ratios: ratiosOf(gateway, baseline),
    memoryRatios: ratiosOf(gateway, memoryBaseline),
    gatewayTraced,
    tracingRatios: ratiosOf(gatewayTraced, gateway),
  };
}

/** gateway / floor (or traced / untraced): above 1 is better for throughput, below 1 for latency and CPU. */
function ratiosOf(gateway: Summary, floor: Summary): Ratios {
  return {
    throughput: gateway.rps / floor.rps,
    p50: gateway.p50Ms / floor.p50Ms,
    p99: gateway.p99Ms / floor.p99Ms,
    ...(gateway.cpuMsPerRequest !== undefined && floor.cpuMsPerRequest !== undefined ? { cpuPerRequest: gateway.cpuMsPerRequest / floor.cpuMsPerRequest } : {}),
  };
}
