import { type BatchResult } from './phases/batch-sizes';
import { type ThroughputResult } from './phases/cached-throughput';
import { type ColdPathResult } from './phases/cold-path';
import { type RefusalResult } from './phases/refusals';
import { type UpstreamCase } from './phases/upstream-calls';
import { type GatewaySettings } from './environment';
import { printTracing, tracingErrors, tracingTarget } from './report-tracing';
import { type InventoryResult } from './phases/inventory';
import { inventoryErrors, inventoryTargets, printInventory } from './report-inventory';
import { type MetricsScrapeResult } from './phases/metrics-scrape';
import { metricsScrapeTarget, printMetricsScrape } from './report-metrics';
import { fixed, int, mb, table } from './report-format';

export interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean;
}

export interface BenchResults {
  timestamp: string;
  machine: { cpuModel: string; cores: number; totalMemoryBytes: number; node: string; platform: string; pinning: string };
  gateway: GatewaySettings & { redis: string };
  seededCertificates: number;
  cachedThroughput: ThroughputResult;
  coldPath: ColdPathResult;
  /** The same with a cloud-like delay added to the emulator's GetCertificate. */
  coldPathSlowUpstream: ColdPathResult;
  upstreamCalls: UpstreamCase[];
  batchSizes: BatchResult;
  refusals: RefusalResult;
  /** The inventory at scale (bench/README.md), on an emulator and a gateway of its own. */
  inventory: InventoryResult;
  /** /metrics built from a 10,000-certificate inventory view, in process. */
  metricsScrape: MetricsScrapeResult;
  memory: { peakRssBytesDuringThroughput: number; vmHwmBytesAtEnd?: number };
  /** gateway / reference, each from medians. */
  ratios: Record<string, number>;
  targets: Target[];
  durationS: number;
}

/** The issue's targets; MB here is 10^6 bytes. */
const RSS_LIMIT_BYTES = 200e6;

export function targetsOf(results: BenchResults): Target[] {
  const { loaded, singleConnection, warmupErrors } = results.cachedThroughput;
  const { refusals } = results;
  const upstreamMisses = results.upstreamCalls.filter((entry) => entry.calls !== entry.expected);
  const batchOver = results.batchSizes.rows.filter((row) => row.upstreamCalls !== row.ids || row.peakInFlight > results.batchSizes.upstreamConcurrency);
  const failed = (summary: { errors: number; mismatches: number }) => summary.errors + summary.mismatches;
  const errors =
    [loaded, singleConnection].reduce((sum, comparison) => sum + failed(comparison.baseline) + failed(comparison.memoryBaseline) + failed(comparison.gateway), 0) +
    warmupErrors.baseline + warmupErrors.memoryBaseline + warmupErrors.gateway + tracingErrors(results.cachedThroughput) +
    results.coldPath.errors +
    results.coldPathSlowUpstream.errors +
    failed(refusals.cachedQuiet) + failed(refusals.cachedUnderAbuse) +
    inventoryErrors(results.inventory);
  return [
    { name: 'cached throughput', goal: '>= 1.00 x Redis-GET floor', measured: `${fixed(loaded.ratios.throughput)} x`, met: loaded.ratios.throughput >= 1 },
    { name: 'cached throughput (aim)', goal: '>= 0.80 x memory floor', measured: `${fixed(loaded.memoryRatios.throughput)} x`, met: loaded.memoryRatios.throughput >= 0.8 },
    tracingTarget(results.cachedThroughput),
    { name: 'cached p99', goal: "<= 1.50 x Redis-GET floor's", measured: `${fixed(loaded.ratios.p99)} x`, met: loaded.ratios.p99 <= 1.5 },
    { name: 'cold certificate(id:)', goal: '<= 1.30 x one direct call', measured: `${fixed(results.coldPath.ratio)} x`, met: results.coldPath.ratio <= 1.3 },
    {
      name: 'upstream calls',
      goal: 'distinct uncached ids (1 per SLB region); repeat = 0',
      measured: upstreamMisses.length || batchOver.length ? `off in ${[...upstreamMisses.map((entry) => entry.name), ...batchOver.map((row) => `${row.ids} ids`)].join(', ')}` : 'as expected in every case',
      met: upstreamMisses.length === 0 && batchOver.length === 0,
    },
    {
      name: 'peak RSS (throughput runs)',
      goal: '<= 200 MB',
      measured: mb(results.memory.peakRssBytesDuringThroughput),
      met: results.memory.peakRssBytesDuringThroughput > 0 && results.memory.peakRssBytesDuringThroughput <= RSS_LIMIT_BYTES,
    },
    refusalTarget(refusals),
    ...inventoryTargets(results.inventory),
    metricsScrapeTarget(results.metricsScrape),
    { name: 'zero errors', goal: 'no non-200, GraphQL error or wrong body', measured: String(errors), met: errors === 0 },
  ];
}

/** Every abusive document sent must end in a coded refusal; a timeout, an execution or an uncoded error is a miss, and so is a shape not measured. */
function refusalTarget(refusals: RefusalResult): Target {
  const unmeasured = refusals.shapes.filter((shape) => shape.notMeasured !== undefined).map((shape) => shape.shape);
  const misses = (['timedOut', 'answered', 'uncoded', 'broken'] as const).flatMap((kind) => {
    const shapes = refusals.shapes.filter((shape) => shape[kind] > 0);
    const total = shapes.reduce((sum, shape) => sum + shape[kind], 0);
    return total ? [`${total} ${OUTCOME_WORDS[kind]} (${shapes.map((shape) => shape.shape).join(', ')})`] : [];
  });
  const measured = [
    refusals.notRefused ? `${refusals.notRefused} of ${refusals.sent} not: ${misses.join('; ')}` : `all ${refusals.sent}`,
    ...(unmeasured.length ? [`not measured: ${unmeasured.join(', ')}`] : []),
  ].join('; ');
  return { name: 'abusive documents refused', goal: 'each with a coded error', measured, met: refusals.notRefused === 0 && refusals.sent > 0 && unmeasured.length === 0 };
}

const OUTCOME_WORDS = { timedOut: 'timed out', answered: 'executed', uncoded: 'uncoded', broken: 'connection broken' } as const;

export function printReport(results: BenchResults, print: (line: string) => void): void {
  const { machine, gateway } = results;
  const throughput = results.cachedThroughput;
  print('');
  print(`Certificate gateway benchmark, ${results.timestamp}`);
  print(`${machine.cpuModel} x ${machine.cores}, ${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, node ${machine.node}, ${machine.platform}`);
  print(`gateway: src/main.ts compiled, in cloud mode against the emulator, ${gateway.redis}, API key auth on; ${machine.pinning}`);
  print(
    `  UPSTREAM_CONCURRENCY=${gateway.upstreamConcurrency} UPSTREAM_ESA_RATE_PER_SECOND=${gateway.upstreamEsaRatePerSecond} ` +
      `UPSTREAM_SLB_RATE_PER_SECOND=${gateway.upstreamSlbRatePerSecond} RATE_LIMIT_PER_MINUTE=${gateway.rateLimitPerMinute} ` +
      `CACHE_TTL_SECONDS=${gateway.cacheTtlSeconds} CACHE_LOCAL_ENTRIES=${gateway.localCacheEntries} RESPONSE_CACHE_MB=${gateway.responseCacheMb} ` +
      `LOG_LEVEL=${gateway.logLevel}`,
  );

  const { settings } = throughput;
  print('');
  print(
    `Cached certificate(id:): ${settings.connections} connections, ${settings.durationMs / 1000} s after ${settings.warmupMs / 1000} s warm-up, ` +
      `${settings.rounds} interleaved rounds, medians; ${throughput.responseBytes} B answer. ` +
      'Floors: node:http + one Redis GET; node:http answering from memory',
  );
  const comparison = (label: string, result: ThroughputResult['loaded'], withCpu: boolean) => {
    const { baseline, memoryBaseline: memory, gateway, ratios, memoryRatios } = result;
    return [
      [label, 'Redis-GET floor', 'memory floor', 'gateway', 'gateway/Redis-GET floor', 'gateway/memory floor'],
      ['throughput (req/s)', int(baseline.rps), int(memory.rps), int(gateway.rps), fixed(ratios.throughput), fixed(memoryRatios.throughput)],
      ['p50 (ms)', fixed(baseline.p50Ms), fixed(memory.p50Ms), fixed(gateway.p50Ms), fixed(ratios.p50), fixed(memoryRatios.p50)],
      ['p99 (ms)', fixed(baseline.p99Ms), fixed(memory.p99Ms), fixed(gateway.p99Ms), fixed(ratios.p99), fixed(memoryRatios.p99)],
      ...(withCpu && ratios.cpuPerRequest !== undefined
        ? [
            [
              'server CPU per request (ms)',
              fixed(baseline.cpuMsPerRequest ?? NaN, 3),
              fixed(memory.cpuMsPerRequest ?? NaN, 3),
              fixed(gateway.cpuMsPerRequest ?? NaN, 3),
              fixed(ratios.cpuPerRequest),
              fixed(memoryRatios.cpuPerRequest ?? NaN),
            ],
          ]
        : []),
      ['errors + wrong bodies', String(baseline.errors + baseline.mismatches), String(memory.errors + memory.mismatches), String(gateway.errors + gateway.mismatches), '', ''],
    ];
  };
  table(comparison('', throughput.loaded, true), print);
  print(`  each run in order (req/s; r Redis-GET floor, m memory floor, g gateway, t gateway traced): ${throughput.loaded.runs.map((run) => `${RUN_LETTERS[run.target]} ${int(run.rps)}`).join(', ')}`);
  const others = throughput.loaded.runs.flatMap((run) => (run.otherLoadCores === undefined ? [] : [run.otherLoadCores]));
  if (others.length) print(`  CPU used by other processes on the machine during the runs: ${others.map((cores) => cores.toFixed(2)).join(', ')} cores`);
  const counters = throughput.gatewayCounters;
  print(
    `  gateway counters over its runs: ${counters.answersReplayed} answers replayed, ${counters.cacheHits} cache hits, ` +
      `${counters.cacheMisses} misses, ${counters.upstreamCalls} upstream calls`,
  );
  printTracing(throughput, print);
  print('');
  print(`Same, one connection (${settings.singleConnectionDurationMs / 1000} s x ${settings.singleConnectionRounds} rounds): service time without queueing`);
  table(comparison('', throughput.singleConnection, false), print);

  const cold = results.coldPath;
  const slow = results.coldPathSlowUpstream;
  print('');
  print(
    `Cold certificate(id:): the gateway with its Redis keys and memory emptied before each request vs one direct @alicloud/openapi-client ` +
      `GetCertificate from a process on the gateway's core; sequential, interleaved, medians`,
  );
  table(
    [
      ['', 'direct client', 'gateway', 'gateway/direct', 'gateway - direct'],
      [`p50 (ms), loopback emulator, ${cold.samples} each`, fixed(cold.direct.p50Ms), fixed(cold.gateway.p50Ms), fixed(cold.ratio), fixed(cold.overheadMs)],
      ['p90 (ms)', fixed(cold.direct.p90Ms), fixed(cold.gateway.p90Ms), fixed(cold.gateway.p90Ms / cold.direct.p90Ms), fixed(cold.gateway.p90Ms - cold.direct.p90Ms)],
      ['mean (ms)', fixed(cold.direct.meanMs), fixed(cold.gateway.meanMs), fixed(cold.gateway.meanMs / cold.direct.meanMs), fixed(cold.gateway.meanMs - cold.direct.meanMs)],
      [`p50 (ms), +${slow.upstreamLatencyMs} ms upstream, ${slow.samples} each`, fixed(slow.direct.p50Ms), fixed(slow.gateway.p50Ms), fixed(slow.ratio), fixed(slow.overheadMs)],
      ['upstream calls per query', '1', fixed(cold.upstreamCallsPerGatewayQuery), '', ''],
    ],
    print,
  );

  print('');
  print('Upstream calls per query (counted by the emulator)');
  table(
    [
      ['query', 'calls', 'fewest possible', 'by action'],
      ...results.upstreamCalls.map((entry) => [entry.shape, String(entry.calls), String(entry.expected), Object.entries(entry.byAction).map(([action, n]) => `${action.replace(/^\w+\./, '')} ${n}`).join(', ') || '-']),
    ],
    print,
  );

  const batches = results.batchSizes;
  print('');
  print(`nodes(ids:), the PEM asked, with uncached distinct ids, UPSTREAM_CONCURRENCY=${batches.upstreamConcurrency} (median of repetitions)`);
  table(
    [
      ['ids', 'added upstream latency', 'time (ms)', 'ms per id', 'gateway CPU ms/id', 'emulator CPU ms/id', 'upstream calls', 'peak in flight', 'floor ceil(n/c) x latency'],
      ...batches.rows.map((row) => [
        String(row.ids),
        row.upstreamLatencyMs ? `${row.upstreamLatencyMs} ms` : '-',
        fixed(row.medianMs, 1),
        fixed(row.msPerId, 3),
        fixed(row.gatewayCpuMsPerId ?? NaN, 3),
        fixed(row.emulatorCpuMsPerId ?? NaN, 3),
        String(row.upstreamCalls),
        String(row.peakInFlight),
        row.floorMs === undefined ? '-' : `${row.floorMs} ms`,
      ]),
    ],
    print,
  );

  printRefusals(results.refusals, print);

  print('');
  print(
    `Memory: gateway peak RSS during the throughput runs ${mb(results.memory.peakRssBytesDuringThroughput)} (${throughput.memory.rssSamples} samples, 200 ms apart)` +
      (results.memory.vmHwmBytesAtEnd === undefined ? '' : `; lifetime high-water mark at the end ${mb(results.memory.vmHwmBytesAtEnd)} (includes the 1000-id batches)`),
  );

  printInventory(results.inventory, print);
  printMetricsScrape(results.metricsScrape, print);

  print('');
  print('Targets (reported, not enforced)');
  table([['', 'target', 'measured', ''], ...results.targets.map((target) => [target.name, target.goal, target.measured, target.met ? 'met' : 'MISSED'])], print);
}

const RUN_LETTERS = { baseline: 'r', memoryBaseline: 'm', gateway: 'g', gatewayTraced: 't' } as const;

function printRefusals(refusals: RefusalResult, print: (line: string) => void): void {
  const { settings } = refusals;
  print('');
  print(
    `Abusive documents, sent back to back on one connection while cached certificate(id:) runs on ${settings.connections} (a spare gateway); ` +
      `per shape a ${settings.windowMs / 1000} s window without, then one with; ${settings.requestTimeoutMs / 1000} s client timeout, ${settings.capMs / 1000} s cap`,
  );
  const bound = (value: number, atLeast: boolean) => `${atLeast ? '>= ' : ''}${fixed(value, 1)}`;
  table(
    [
      ['shape', 'body (B)', 'sent', 'refused', 'not refused', 'HTTP status', 'code', 'refusal p50 (ms)', 'p99', 'max', 'cached p99 without -> with (ms)', 'cached max without -> with', 'gateway busy'],
      ...refusals.shapes.map((shape) => {
        if (shape.notMeasured !== undefined) return [shape.shape, String(shape.bodyBytes), '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', `not measured: ${shape.notMeasured}`];
        const notRefused = (['timedOut', 'answered', 'uncoded', 'broken'] as const).filter((kind) => shape[kind] > 0).map((kind) => `${shape[kind]} ${OUTCOME_WORDS[kind]}`);
        return [
          shape.shape,
          String(shape.bodyBytes),
          String(shape.sent),
          String(shape.refused),
          notRefused.join(', ') || '0',
          Object.entries(shape.statuses).map(([status, n]) => `${status} x${n}`).join(', '),
          Object.keys(shape.codes).join(', ') || '-',
          bound(shape.refusal.p50Ms, shape.refusal.atLeast.p50),
          bound(shape.refusal.p99Ms, shape.refusal.atLeast.p99),
          bound(shape.refusal.maxMs, shape.refusal.atLeast.max),
          `${fixed(shape.cachedQuiet.p99Ms)} -> ${fixed(shape.cachedUnderAbuse.p99Ms)}`,
          `${fixed(shape.cachedQuiet.maxMs, 1)} -> ${bound(shape.cachedUnderAbuse.maxMs, shape.cachedUnderAbuse.unanswered > 0)}`,
          shape.busyMs === undefined ? '-' : `${shape.killed ? '>= ' : ''}${fixed(shape.busyMs / 1000, 1)} s${shape.killed ? ', killed' : ''}`,
        ];
      }),
    ],
    print,
  );
  const quiet = refusals.cachedQuiet;
  const abused = refusals.cachedUnderAbuse;
  print('  cached certificate(id:), pooled over the windows');
  table(
    [
      ['', 'without abusive documents', 'with', 'with/without'],
      ['requests', String(quiet.count), String(abused.count), ''],
      ['p50 (ms)', fixed(quiet.p50Ms), fixed(abused.p50Ms), fixed(refusals.ratios.p50)],
      ['p99 (ms)', fixed(quiet.p99Ms), fixed(abused.p99Ms), fixed(refusals.ratios.p99)],
      ['max (ms)', bound(quiet.maxMs, quiet.unanswered > 0), bound(abused.maxMs, abused.unanswered > 0), fixed(refusals.ratios.max)],
      ['errors + wrong bodies', String(quiet.errors + quiet.mismatches), String(abused.errors + abused.mismatches), ''],
      ['cut off waiting (gateway killed or cap)', String(quiet.unanswered), String(abused.unanswered), ''],
    ],
    print,
  );
  const worst = refusals.worst;
  print(
    worst
      ? `  slowest refusal: ${worst.shape}, p99 ${bound(worst.p99Ms, worst.atLeast)} ms, beside the cached query's p50 of ${fixed(worst.cachedP50Ms, 3)} ms (${bound(worst.ratio, worst.atLeast)} x)`
      : '  slowest refusal: none measured',
  );
  const kills = refusals.shapes.filter((shape) => shape.killed).length;
  if (kills || refusals.capReached) {
    const killed = kills ? `a shape left the spare gateway busy past the recovery wait ${kills} time(s); it was killed (and started again ${refusals.restarts} time(s))` : '';
    print(`  ${[killed, refusals.capReached ? 'the phase cap was reached' : ''].filter(Boolean).join('; ')}; the phase took ${refusals.durationS.toFixed(0)} s`);
  }
}
