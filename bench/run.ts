import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seedCertificates, startEnvironment } from './environment';
import { measureBatchSizes } from './phases/batch-sizes';
import { measureCachedThroughput } from './phases/cached-throughput';
import { measureColdPath } from './phases/cold-path';
import { measureInventory } from './phases/inventory';
import { measureMetricsScrape } from './phases/metrics-scrape';
import { measureRefusals } from './phases/refusals';
import { measureUpstreamCalls } from './phases/upstream-calls';
import { readMemory } from './process-sampler';
import { printReport, targetsOf, type BenchResults } from './report';
import { runOnly } from './run-only';
import { inventorySettings, METRICS_SCRAPE_SETTINGS, onlyPhase, setting, type SoloPhase } from './run-settings';

async function main(only: SoloPhase | undefined): Promise<void> {
  const began = performance.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (only) {
    // A number measured over failures is void, as in the full run.
    if (await runOnly(only, log, (line) => process.stdout.write(`${line}\n`))) process.exitCode = 1;
    return;
  }
  const upstreamConcurrency = setting('BENCH_UPSTREAM_CONCURRENCY', 8);
  const env = await startEnvironment({ upstreamConcurrency });
  log(`gateway ${env.gateway.graphqlUrl} (pid ${env.gateway.pid}), emulator ${env.emulator.url}, redis ${env.redis.url}; ${env.cpu.description}`);
  try {
    const seedStarted = performance.now();
    const seeded = await seedCertificates(env.direct, 1000);
    log(`seeded ${seeded.length} edge certificates with SetCertificate in ${Math.round(performance.now() - seedStarted)} ms`);

    const durationS = setting('BENCH_DURATION_S', 5);
    const throughput = await measureCachedThroughput(
      env,
      {
        connections: setting('BENCH_CONNECTIONS', 32),
        durationMs: durationS * 1000,
        warmupMs: 1000,
        rounds: setting('BENCH_ROUNDS', 5),
        singleConnectionRounds: 3,
        singleConnectionDurationMs: 2000,
      },
      log,
    );
    const coldPath = await measureColdPath(env, { samples: setting('BENCH_COLD_SAMPLES', 50), warmup: 5, upstreamLatencyMs: 0 }, log);
    // The loopback emulator answers in about a millisecond; a cloud region takes tens. The same
    // comparison with a cloud-like delay shows what the ratio becomes when the upstream dominates.
    const coldPathSlowUpstream = await measureColdPath(env, { samples: 20, warmup: 2, upstreamLatencyMs: 20 }, log);
    log('upstream calls per query:');
    const upstreamCalls = await measureUpstreamCalls(env, seeded, log);
    log(`nodes(ids:) by size, UPSTREAM_CONCURRENCY=${upstreamConcurrency}:`);
    const batchSizes = await measureBatchSizes(env, seeded, { sizes: [10, 100, 1000], repetitions: 3, latencyMs: 10, latencySizes: [100, 1000] }, log);
    // Last, and on a spare gateway: a document that blocks the event loop leaves nothing behind for the other phases.
    const refusals = await measureRefusals(
      env,
      {
        connections: setting('BENCH_REFUSAL_CONNECTIONS', 4),
        windowMs: setting('BENCH_REFUSAL_WINDOW_S', Math.min(2, durationS)) * 1000,
        warmupMs: 500,
        requestTimeoutMs: setting('BENCH_REFUSAL_TIMEOUT_S', 5) * 1000,
        recoveryMs: 10_000,
        capMs: setting('BENCH_REFUSAL_CAP_S', 120) * 1000,
      },
      log,
    );

    const endMemory = readMemory(env.gateway.pid);
    // Last of all: it stops the gateway above and measures one of its own over an estate of its own.
    const inventory = await measureInventory(env, inventorySettings(), log);
    // In this process: /metrics text built from a generated 10,000-certificate view.
    const metricsScrape = await measureMetricsScrape(METRICS_SCRAPE_SETTINGS, log);
    const results: BenchResults = {
      timestamp: new Date().toISOString(),
      machine: {
        cpuModel: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        totalMemoryBytes: totalmem(),
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        pinning: env.cpu.description,
      },
      gateway: { ...env.gateway.settings, redis: env.redis.owned ? 'private redis-server' : 'REDIS_URL' },
      seededCertificates: seeded.length,
      cachedThroughput: throughput,
      coldPath,
      coldPathSlowUpstream,
      upstreamCalls,
      batchSizes,
      refusals,
      inventory,
      metricsScrape,
      memory: {
        peakRssBytesDuringThroughput: throughput.memory.peakRssBytesDuringRuns,
        ...(endMemory ? { vmHwmBytesAtEnd: endMemory.peakRssBytes } : {}),
      },
      ratios: {
        cachedThroughput: throughput.loaded.ratios.throughput,
        cachedP50: throughput.loaded.ratios.p50,
        cachedP99: throughput.loaded.ratios.p99,
        ...(throughput.loaded.ratios.cpuPerRequest === undefined ? {} : { cachedCpuPerRequest: throughput.loaded.ratios.cpuPerRequest }),
        cachedThroughputVsMemory: throughput.loaded.memoryRatios.throughput,
        cachedP50VsMemory: throughput.loaded.memoryRatios.p50,
        cachedP99VsMemory: throughput.loaded.memoryRatios.p99,
        ...(throughput.loaded.memoryRatios.cpuPerRequest === undefined ? {} : { cachedCpuPerRequestVsMemory: throughput.loaded.memoryRatios.cpuPerRequest }),
        cachedThroughputTracingOnOverOff: throughput.loaded.tracingRatios.throughput,
        cachedP99TracingOnOverOff: throughput.loaded.tracingRatios.p99,
        ...(throughput.loaded.tracingRatios.cpuPerRequest === undefined ? {} : { cachedCpuPerRequestTracingOnOverOff: throughput.loaded.tracingRatios.cpuPerRequest }),
        singleConnectionP50: throughput.singleConnection.ratios.p50,
        singleConnectionP99: throughput.singleConnection.ratios.p99,
        singleConnectionP50VsMemory: throughput.singleConnection.memoryRatios.p50,
        singleConnectionP99VsMemory: throughput.singleConnection.memoryRatios.p99,
        cold: coldPath.ratio,
        coldWith20msUpstream: coldPathSlowUpstream.ratio,
        cachedP50UnderAbuse: refusals.ratios.p50,
        cachedP99UnderAbuse: refusals.ratios.p99,
        cachedMaxUnderAbuse: refusals.ratios.max,
        ...(refusals.worst ? { worstRefusalP99OverCachedP50: refusals.worst.ratio } : {}),
        inventorySweepCallsOverPages: inventory.sweep.calls / inventory.sweep.pages,
        inventorySweepTimeOverFloor: inventory.sweep.ratio,
        inventoryPageThroughput: inventory.reads.ratios.throughput,
        inventoryPageP50: inventory.reads.ratios.p50,
        inventoryPageP99: inventory.reads.ratios.p99,
        inventoryPageThroughputExecuted: inventory.reads.ratios.executedThroughput,
        inventoryPageP50Executed: inventory.reads.ratios.executedP50,
        inventoryPageP99Executed: inventory.reads.ratios.executedP99,
        metricsScrapeOverPromClient: metricsScrape.ratio,
      },
      targets: [],
      durationS: 0,
    };
    results.targets = targetsOf(results);
    results.durationS = (performance.now() - began) / 1000;
    const file = join(__dirname, 'results.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    printReport(results, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`\nresults: ${file} (${results.durationS.toFixed(0)} s)\n`);
    // Targets are reported, not enforced; errors are different: a number measured over failures is void.
    const invalid = results.targets.find((target) => target.name === 'zero errors' && !target.met);
    if (invalid) process.exitCode = 1;
  } finally {
    await env.stop();
  }
}

let only: SoloPhase | undefined;
try {
  only = onlyPhase(process.argv.slice(2));
} catch (error) {
  // A wrong argument is one line, not a stack.
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}

main(only).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
