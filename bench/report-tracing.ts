import { type ThroughputResult } from './phases/cached-throughput';
import { type Target } from './report';

/**
 * The cached `certificate(id:)` runs of the gateway with tracing on (every request sampled, exported
 * over OTLP/protobuf to the bench's local sink) beside the same gateway with tracing off, interleaved
 * in the same rounds.
 */
export function printTracing(throughput: ThroughputResult, print: (line: string) => void): void {
  const { gateway, gatewayTraced: traced, tracingRatios: ratios } = throughput.loaded;
  const { tracing } = throughput;
  print('');
  print(
    `Tracing on beside off, the same runs: a second gateway process with ${Object.entries(tracing.otel)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ')} (a local OTLP/protobuf sink in the bench process)`,
  );
  const rows = [
    ['', 'tracing off', 'tracing on', 'on/off'],
    ['throughput (req/s)', int(gateway.rps), int(traced.rps), fixed(ratios.throughput)],
    ['p50 (ms)', fixed(gateway.p50Ms), fixed(traced.p50Ms), fixed(ratios.p50)],
    ['p99 (ms)', fixed(gateway.p99Ms), fixed(traced.p99Ms), fixed(ratios.p99)],
    ['server CPU per request (ms)', fixed(gateway.cpuMsPerRequest ?? NaN, 3), fixed(traced.cpuMsPerRequest ?? NaN, 3), fixed(ratios.cpuPerRequest ?? NaN)],
    ['errors + wrong bodies', String(gateway.errors + gateway.mismatches), String(traced.errors + traced.mismatches), ''],
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) print(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   ')}`.trimEnd());
  print(
    `  exported: ${int(tracing.sink.spans)} spans in ${int(tracing.sink.exports)} exports, ${(tracing.sink.bytes / 1e6).toFixed(1)} MB, ` +
      `for ${int(tracing.answered)} answers (${fixed(tracing.spansPerAnswer)} spans each)${tracing.sink.malformed ? `; ${tracing.sink.malformed} malformed exports` : ''}`,
  );
}

/** The issue's aim: tracing every request costs at most a fifth of the cached throughput. */
export function tracingTarget(throughput: ThroughputResult): Target {
  const ratio = throughput.loaded.tracingRatios.throughput;
  return { name: 'cached throughput, tracing on (aim)', goal: '>= 0.80 x tracing off', measured: `${fixed(ratio)} x`, met: ratio >= 0.8 };
}

/** Failed answers of the traced gateway, and exports its sink could not read. */
export function tracingErrors(throughput: ThroughputResult): number {
  const failed = (summary: { errors: number; mismatches: number }) => summary.errors + summary.mismatches;
  return failed(throughput.loaded.gatewayTraced) + failed(throughput.singleConnection.gatewayTraced) + throughput.warmupErrors.gatewayTraced + throughput.tracing.sink.malformed;
}

function fixed(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';
}
