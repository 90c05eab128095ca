import { type BatchResult } from './phases/batch-sizes';
import { type ThroughputResult } from './phases/cached-throughput';
import { type ColdPathResult } from './phases/cold-path';
import { type UpstreamCase } from './phases/upstream-calls';
import { type GatewaySettings } from './environment';

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
  memory: { peakRssBytesDuringThroughput: number; vmHwmBytesAtEnd?: number };
  /** gateway / reference, each from medians. */
  ratios: Record<string, number>;
  targets: Target[];
  durationS: number;
}

/** The issue's targets; MB here is 10^6 bytes. */
const RSS_LIMIT_BYTES = 200e6;

export function targetsOf(results: BenchResults): Target[] {
  const { loaded } = results.cachedThroughput;
  const upstreamMisses = results.upstreamCalls.filter((entry) => entry.calls !== entry.expected);
  const batchOver = results.batchSizes.rows.filter((row) => row.upstreamCalls !== row.ids || row.peakInFlight > results.batchSizes.upstreamConcurrency);
  const errors =
    loaded.baseline.errors + loaded.gateway.errors + loaded.baseline.mismatches + loaded.gateway.mismatches +
    results.cachedThroughput.singleConnection.baseline.errors + results.cachedThroughput.singleConnection.gateway.errors +
    results.cachedThroughput.singleConnection.baseline.mismatches + results.cachedThroughput.singleConnection.gateway.mismatches +
    results.cachedThroughput.warmupErrors.baseline + results.cachedThroughput.warmupErrors.gateway +
    results.coldPath.errors +
    results.coldPathSlowUpstream.errors;
  return [
    { name: 'cached throughput', goal: '>= 0.80 x baseline', measured: `${fixed(loaded.ratios.throughput)} x`, met: loaded.ratios.throughput >= 0.8 },
    { name: 'cached p99', goal: "<= 1.50 x baseline's", measured: `${fixed(loaded.ratios.p99)} x`, met: loaded.ratios.p99 <= 1.5 },
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
    { name: 'zero errors', goal: 'no non-200, GraphQL error or wrong body', measured: String(errors), met: errors === 0 },
  ];
}

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
      `${settings.rounds} interleaved pairs, medians; ${throughput.responseBytes} B answer`,
  );
  const comparison = (label: string, result: ThroughputResult['loaded'], withCpu: boolean) => [
    [label, 'baseline', 'gateway', 'gateway/baseline'],
    ['throughput (req/s)', int(result.baseline.rps), int(result.gateway.rps), fixed(result.ratios.throughput)],
    ['p50 (ms)', fixed(result.baseline.p50Ms), fixed(result.gateway.p50Ms), fixed(result.ratios.p50)],
    ['p99 (ms)', fixed(result.baseline.p99Ms), fixed(result.gateway.p99Ms), fixed(result.ratios.p99)],
    ...(withCpu && result.ratios.cpuPerRequest !== undefined
      ? [['server CPU per request (ms)', fixed(result.baseline.cpuMsPerRequest ?? NaN, 3), fixed(result.gateway.cpuMsPerRequest ?? NaN, 3), fixed(result.ratios.cpuPerRequest)]]
      : []),
    ['errors + wrong bodies', String(result.baseline.errors + result.baseline.mismatches), String(result.gateway.errors + result.gateway.mismatches), ''],
  ];
  table(comparison('', throughput.loaded, true), print);
  print(`  each run in order (req/s): ${throughput.loaded.runs.map((run) => `${run.target[0]} ${int(run.rps)}`).join(', ')}`);
  const others = throughput.loaded.runs.flatMap((run) => (run.otherLoadCores === undefined ? [] : [run.otherLoadCores]));
  if (others.length) print(`  CPU used by other processes on the machine during the runs: ${others.map((cores) => cores.toFixed(2)).join(', ')} cores`);
  const counters = throughput.gatewayCounters;
  print(
    `  gateway counters over its runs: ${counters.answersReplayed} answers replayed, ${counters.cacheHits} cache hits, ` +
      `${counters.cacheMisses} misses, ${counters.upstreamCalls} upstream calls`,
  );
  print('');
  print(`Same, one connection (${settings.singleConnectionDurationMs / 1000} s x ${settings.singleConnectionRounds} pairs): service time without queueing`);
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
  print(`certificates(ids:) with uncached distinct ids, UPSTREAM_CONCURRENCY=${batches.upstreamConcurrency} (median of repetitions)`);
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

  print('');
  print(
    `Memory: gateway peak RSS during the throughput runs ${mb(results.memory.peakRssBytesDuringThroughput)} (${throughput.memory.rssSamples} samples, 200 ms apart)` +
      (results.memory.vmHwmBytesAtEnd === undefined ? '' : `; lifetime high-water mark at the end ${mb(results.memory.vmHwmBytesAtEnd)} (includes the 1000-id batches)`),
  );

  print('');
  print('Targets (reported, not enforced)');
  table([['', 'target', 'measured', ''], ...results.targets.map((target) => [target.name, target.goal, target.measured, target.met ? 'met' : 'MISSED'])], print);
}

function table(rows: string[][], print: (line: string) => void): void {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) {
    const cells = row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)));
    print(`  ${cells.join('   ')}`.trimEnd());
  }
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
