import { type BenchEnvironment, type SeededCertificate } from '../environment';
import { readCpuSeconds } from '../process-sampler';
import { CERTIFICATES_QUERY } from '../queries';
import { median } from '../stats';

export interface BatchRow {
  ids: number;
  /** Injected emulator latency per GetCertificate, 0 for none. */
  upstreamLatencyMs: number;
  repetitions: number;
  medianMs: number;
  msPerId: number;
  /** Upstream calls per repetition (all repetitions agree, or the largest is shown). */
  upstreamCalls: number;
  /** Most GetCertificate calls the emulator served at once. */
  peakInFlight: number;
  /** CPU per id in the gateway process, and in the bench process (the emulator answering), medians. */
  gatewayCpuMsPerId?: number;
  emulatorCpuMsPerId?: number;
  /** With injected latency: ceil(ids / concurrency) x latency, what a pool of `concurrency` cannot beat. */
  floorMs?: number;
}

export interface BatchResult {
  upstreamConcurrency: number;
  rows: BatchRow[];
}

/**
 * `nodes(ids:)`, the PEM asked, over 10, 100 and 1000 uncached distinct ids: time and calls should grow
 * linearly and in-flight calls stay at UPSTREAM_CONCURRENCY at most. With a fixed latency injected
 * into the emulator the bound shows as time: close to ceil(n / concurrency) x latency, never less.
 */
export async function measureBatchSizes(
  env: BenchEnvironment,
  seeded: SeededCertificate[],
  plan: { sizes: number[]; repetitions: number; latencyMs: number; latencySizes: number[] },
  log: (line: string) => void,
): Promise<BatchResult> {
  const concurrency = env.gateway.settings.upstreamConcurrency;
  const rows: BatchRow[] = [];
  const run = async (size: number, latencyMs: number, repetitions: number) => {
    if (seeded.length < size) throw new Error(`only ${seeded.length} certificates were seeded, ${size} asked for`);
    const ids = seeded.slice(0, size).map((certificate) => certificate.id);
    const times: number[] = [];
    const gatewayCpu: number[] = [];
    const benchCpu: number[] = [];
    let calls = 0;
    let peak = 0;
    for (let repetition = 0; repetition < repetitions; repetition++) {
      await env.redis.clearGatewayKeys();
      await env.stats.reset();
      env.meter.takePeak();
      const gatewayBefore = readCpuSeconds(env.gateway.pid);
      const benchBefore = process.cpuUsage();
      const answer = await env.session.expectData(CERTIFICATES_QUERY, { ids });
      const bench = process.cpuUsage(benchBefore);
      const gatewayAfter = readCpuSeconds(env.gateway.pid);
      if ((answer.data.nodes as unknown[]).some((entry) => entry === null)) throw new Error('nodes(ids:) left an id unanswered');
      times.push(answer.ms);
      benchCpu.push((bench.user + bench.system) / 1000 / size);
      if (gatewayBefore !== undefined && gatewayAfter !== undefined) gatewayCpu.push(((gatewayAfter - gatewayBefore) * 1000) / size);
      calls = Math.max(calls, (await env.stats.read()).total);
      peak = Math.max(peak, env.meter.takePeak());
    }
    const medianMs = median(times);
    const row: BatchRow = {
      ids: size,
      upstreamLatencyMs: latencyMs,
      repetitions,
      medianMs,
      msPerId: medianMs / size,
      upstreamCalls: calls,
      peakInFlight: peak,
      ...(gatewayCpu.length ? { gatewayCpuMsPerId: median(gatewayCpu) } : {}),
      emulatorCpuMsPerId: median(benchCpu),
      ...(latencyMs > 0 ? { floorMs: Math.ceil(size / concurrency) * latencyMs } : {}),
    };
    rows.push(row);
    log(`  ${size} ids${latencyMs ? ` (+${latencyMs} ms upstream)` : ''}: ${medianMs.toFixed(1)} ms, ${calls} calls, ${peak} in flight at most`);
  };

  for (const size of plan.sizes) await run(size, 0, plan.repetitions);
  await env.stats.addFault({ product: 'ESA', action: 'GetCertificate', latencyMs: plan.latencyMs });
  try {
    for (const size of plan.latencySizes) await run(size, plan.latencyMs, 1);
  } finally {
    await env.stats.clearFaults();
  }
  return { upstreamConcurrency: concurrency, rows };
}
