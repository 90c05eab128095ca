import { type InventoryResult } from './phases/inventory';
import { type ReadTarget } from './phases/inventory-reads';
import { type Target } from './report';
import { fixed, int, mb, table } from './report-format';

/** The inventory's targets (bench/README.md); MB is 10^6 bytes. */
const SWEEP_FLOOR_LIMIT = 1.2;
const READ_THROUGHPUT_FLOOR = 0.5;
const RSS_LIMIT_BYTES = 250e6;

export function inventoryTargets(inventory: InventoryResult): Target[] {
  const { sweep, reads, memory } = inventory;
  const rss = memory.vmHwmBytes ?? memory.peakRssBytes;
  return [
    { name: 'inventory sweep calls', goal: `= list pages (${sweep.pages})`, measured: `${sweep.calls} calls`, met: sweep.calls === sweep.pages && sameCounts(sweep.byAction, sweep.pagesByAction) },
    {
      name: 'inventory sweep time',
      goal: `<= ${fixed(SWEEP_FLOOR_LIMIT)} x rate-limit floor`,
      measured: `${fixed(sweep.ratio)} x (${fixed(sweep.wallMs / 1000)} s / ${fixed(sweep.floorMs / 1000)} s)`,
      met: sweep.ratio <= SWEEP_FLOOR_LIMIT,
    },
    {
      name: 'inventory page throughput',
      goal: `>= ${fixed(READ_THROUGHPUT_FLOOR)} x cached certificate(id:)`,
      measured: `${fixed(reads.ratios.throughput)} x (${fixed(reads.summaries.inventory.replayedShare * 100, 0)}% replayed)`,
      met: reads.ratios.throughput >= READ_THROUGHPUT_FLOOR,
    },
    {
      name: 'inventory page throughput, executed',
      goal: `>= ${fixed(READ_THROUGHPUT_FLOOR)} x certificate(id:), both distinct`,
      measured: `${fixed(reads.ratios.executedThroughput)} x`,
      met: reads.ratios.executedThroughput >= READ_THROUGHPUT_FLOOR,
    },
    { name: 'cloud calls reading the inventory', goal: '0', measured: String(reads.cloudCalls), met: reads.cloudCalls === 0 },
    { name: 'peak RSS, inventory indexed', goal: '< 250 MB', measured: `${mb(rss)} (${int(sweep.indexed)} indexed)`, met: rss > 0 && rss < RSS_LIMIT_BYTES },
  ];
}

/** Errors and wrong bodies over the inventory reads, for the run's zero-errors target. */
export function inventoryErrors(inventory: InventoryResult): number {
  return inventory.reads.runs.reduce((sum, run) => sum + run.errors + run.mismatches, 0);
}

function sameCounts(calls: Record<string, number>, pages: Record<string, number>): boolean {
  const actions = new Set([...Object.keys(calls), ...Object.keys(pages)]);
  return [...actions].every((action) => (calls[action] ?? 0) === (pages[action] ?? 0));
}

const READ_LABELS: Array<[ReadTarget, string]> = [
  ['inventory', 'inventory page'],
  ['cached', 'certificate(id:)'],
  ['inventoryExecuted', 'inventory page, distinct'],
  ['cachedExecuted', 'certificate(id:), distinct'],
];

export function printInventory(inventory: InventoryResult, print: (line: string) => void): void {
  const { settings, seed, sweep, reads, memory } = inventory;
  const { estate } = settings;
  const generated = seed.generated as Partial<Record<'edgeCertificates' | 'serverCertificates' | 'expired' | 'expiringWithin30Days', number>>;
  print('');
  print(
    `Inventory at scale: an emulator and a gateway of its own, UPSTREAM_ESA_RATE_PER_SECOND=${settings.esaRatePerSecond} UPSTREAM_SLB_RATE_PER_SECOND=${settings.slbRatePerSecond} ` +
      `(the production defaults). Seeded ${estate.sites} sites x ${estate.certificatesPerSite} edge + ${estate.serverCertificates} SLB certificates ` +
      `(${int(generated.expired ?? NaN)} expired, ${int(generated.expiringWithin30Days ?? NaN)} within 30 days) with generate in ${fixed(seed.ms / 1000, 1)} s; ${seed.sites} sites with the demo's, ` +
      `${seed.slbRegions} SLB regions, ${seed.httpsListeners} HTTPS listeners`,
  );
  print(
    `Sweep: the gateway's first (at start), calls counted by the emulator against the account's list pages ` +
      `(at the page sizes of src/providers/esa/esa-provider.ts and src/providers/slb/slb-provider.ts; one DescribeDomainExtensions per HTTPS listener)`,
  );
  const actions = [...new Set([...Object.keys(sweep.pagesByAction), ...Object.keys(sweep.byAction)])];
  table(
    [
      ['action', 'calls', 'list pages'],
      ...actions.map((action) => [action, String(sweep.byAction[action] ?? 0), String(sweep.pagesByAction[action] ?? 0)]),
      ['total', String(sweep.calls), String(sweep.pages)],
    ],
    print,
  );
  print(
    `  wall time ${fixed(sweep.wallMs / 1000)} s (first call to lastSweepFinishedAt; first call to last answer ${fixed(sweep.callWindowMs / 1000)} s); ` +
      `floor max(ESA ${sweep.esaCalls} / ${settings.esaRatePerSecond} = ${fixed(sweep.esaFloorMs / 1000)} s, SLB ${sweep.slbCalls} / ${settings.slbRatePerSecond} = ${fixed(sweep.slbFloorMs / 1000)} s): ${fixed(sweep.ratio)} x`,
  );
  print(
    `  ${int(sweep.indexed)} certificates indexed; complete ${sweep.complete}` +
      (sweep.failedSources.length ? `; failed sources: ${sweep.failedSources.map((source) => `${source.name} (${source.error})`).join(', ')}` : ''),
  );

  const { summaries, ratios } = reads;
  print('');
  print(
    `Reading it: certificates(first: 50, filter: { expiringWithinDays: 30 }) (${int(reads.expiringTotalCount)} match, ${reads.responseBytes.inventory} B answer) beside ` +
      `cached certificate(id:) (${reads.responseBytes.cached} B); ${reads.settings.connections} connections, ${reads.settings.durationMs / 1000} s after ${reads.settings.warmupMs / 1000} s, ` +
      `${reads.settings.rounds} interleaved rounds, medians. "distinct": a counter in each body, so no answer is replayed`,
  );
  table(
    [
      ['', ...READ_LABELS.map(([, label]) => label)],
      ['throughput (req/s)', ...READ_LABELS.map(([target]) => int(summaries[target].rps))],
      ['p50 (ms)', ...READ_LABELS.map(([target]) => fixed(summaries[target].p50Ms))],
      ['p99 (ms)', ...READ_LABELS.map(([target]) => fixed(summaries[target].p99Ms))],
      ['gateway CPU per request (ms)', ...READ_LABELS.map(([target]) => fixed(summaries[target].cpuMsPerRequest ?? NaN, 3))],
      ['answers replayed', ...READ_LABELS.map(([target]) => `${fixed(summaries[target].replayedShare * 100, 0)}%`)],
      ['errors + wrong bodies', ...READ_LABELS.map(([target]) => String(summaries[target].errors + summaries[target].mismatches))],
    ],
    print,
  );
  print(
    `  inventory / certificate(id:): throughput ${fixed(ratios.throughput)}, p50 ${fixed(ratios.p50)}, p99 ${fixed(ratios.p99)}; ` +
      `distinct: throughput ${fixed(ratios.executedThroughput)}, p50 ${fixed(ratios.executedP50)}, p99 ${fixed(ratios.executedP99)}`,
  );
  const others = reads.runs.flatMap((run) => (run.otherLoadCores === undefined ? [] : [run.otherLoadCores]));
  if (others.length) print(`  CPU used by other processes during the runs: ${others.map((cores) => cores.toFixed(2)).join(', ')} cores`);
  print(`  cloud calls while reading: ${reads.cloudCalls}${reads.cloudCalls ? ` (${Object.entries(reads.cloudCallsByAction).map(([action, n]) => `${action} ${n}`).join(', ')})` : ''}`);
  print(
    `Memory: this gateway's peak RSS ${mb(memory.peakRssBytes)} sampled over the sweep and the reads (${memory.rssSamples} samples)` +
      (memory.vmHwmBytes === undefined ? '' : `; high-water mark ${mb(memory.vmHwmBytes)}`) +
      `; ${memory.rssAfterSweepBytes === undefined ? '' : `${mb(memory.rssAfterSweepBytes)} right after the sweep, `}peak ${mb(memory.peakRssBytesThroughSweep)} up to then`,
  );
  print(`  the phase took ${inventory.durationS.toFixed(0)} s`);
}
