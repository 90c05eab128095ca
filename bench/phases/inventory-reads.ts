import { type GatewayProcess } from '../environment';
import { countersSince, readGatewayCounters, type GatewayCounters } from '../gateway-metrics';
import { type GraphqlSession } from '../graphql-session';
import { jsonPost } from '../http-connection';
import { runLoad, type LoadResult } from '../load-generator';
import { ForeignLoad, readCpuSeconds } from '../process-sampler';
import { CERTIFICATE_QUERY, EXPIRING_PAGE_QUERY } from '../queries';
import { median } from '../stats';
import { type EmulatorStats } from '../upstream';

export interface ReadSettings {
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Interleaved rounds of the four reads. */
  rounds: number;
}

/**
 * `inventory`: `certificates(first: 50, filter: { expiringWithinDays: 30 })`; `cached`: `certificate(id:)`
 * after its cache is warm. Each sent twice over: the same bytes every time (the answer cache may
 * replay them), and with a counter in the body that makes every request distinct (each is executed).
 */
export type ReadTarget = 'inventory' | 'cached' | 'inventoryExecuted' | 'cachedExecuted';

const TARGETS: readonly ReadTarget[] = ['inventory', 'cached', 'inventoryExecuted', 'cachedExecuted'];
const LABELS: Record<ReadTarget, string> = {
  inventory: 'inventory page',
  cached: 'certificate(id:)',
  inventoryExecuted: 'inventory page, distinct',
  cachedExecuted: 'certificate(id:), distinct',
};

export interface ReadRun extends LoadResult {
  target: ReadTarget;
  cpuMsPerRequest?: number;
  otherLoadCores?: number;
  /** The gateway's counters over the run: answers replayed, cache hits, upstream calls. */
  counters: GatewayCounters;
}

export interface ReadSummary {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest?: number;
  errors: number;
  mismatches: number;
  /** Share of the answers the gateway replayed from its answer cache, over this target's runs. */
  replayedShare: number;
}

export interface ReadResult {
  settings: ReadSettings;
  /** The answers' sizes, and how many certificates the filter matches. */
  responseBytes: Record<'inventory' | 'cached', number>;
  expiringTotalCount: number;
  runs: ReadRun[];
  summaries: Record<ReadTarget, ReadSummary>;
  /** inventory / cached (repeated bytes) and inventoryExecuted / cachedExecuted, from the medians. */
  ratios: { throughput: number; p50: number; p99: number; executedThroughput: number; executedP50: number; executedP99: number };
  /** Counted by the emulator over every timed run: the inventory is read without the cloud. */
  cloudCalls: number;
  cloudCallsByAction: Record<string, number>;
}

/** Where the counter goes: an extension the gateway ignores, fixed width so the length never changes. */
export const COUNTER = '000000000';

/**
 * One page of the expiring certificates beside the cached `certificate(id:)`, loaded the same way
 * (connections, duration, request headers), interleaved round by round so drift falls on both.
 */
export async function measureInventoryReads(
  gateway: GatewayProcess,
  session: GraphqlSession,
  stats: EmulatorStats,
  certificateId: string,
  settings: ReadSettings,
  log: (line: string) => void,
): Promise<ReadResult> {
  const inventoryVariables = { first: 50, days: 30 };
  const page = await session.expectData(EXPIRING_PAGE_QUERY, inventoryVariables);
  const expiringTotalCount = (page.data.certificates as { totalCount: number }).totalCount;
  await session.expectData(CERTIFICATE_QUERY, { id: certificateId });
  const cached = await session.expectData(CERTIFICATE_QUERY, { id: certificateId });

  const bodies = {
    inventory: { query: EXPIRING_PAGE_QUERY, variables: inventoryVariables },
    cached: { query: CERTIFICATE_QUERY, variables: { id: certificateId } },
  };
  const same = (body: object) => jsonPost(gateway.graphqlUrl, JSON.stringify(body), gateway.headers);
  const distinct = (body: object) => numbered(jsonPost(gateway.graphqlUrl, JSON.stringify({ ...body, extensions: { bench: COUNTER } }), gateway.headers));
  const requests: Record<ReadTarget, { request: Buffer; requestFor?: () => Buffer }> = {
    inventory: { request: same(bodies.inventory) },
    cached: { request: same(bodies.cached) },
    inventoryExecuted: distinct(bodies.inventory),
    cachedExecuted: distinct(bodies.cached),
  };
  // The cached answer is checked byte for byte; an inventory page may change while it runs (a
  // certificate crossing the 30-day line), so only its status and errors are checked.
  const expected: Partial<Record<ReadTarget, Buffer>> = { cached: cached.raw, cachedExecuted: cached.raw };

  const measure = async (target: ReadTarget): Promise<ReadRun> => {
    const countersBefore = await readGatewayCounters(gateway.metricsUrl);
    const cpuBefore = readCpuSeconds(gateway.pid);
    const foreign = new ForeignLoad([gateway.pid]);
    const expectedBody = expected[target];
    const result = await runLoad({
      url: gateway.graphqlUrl,
      ...requests[target],
      connections: settings.connections,
      durationMs: settings.durationMs,
      warmupMs: settings.warmupMs,
      ...(expectedBody ? { expectedBody } : {}),
    });
    const cpuAfter = readCpuSeconds(gateway.pid);
    const otherLoadCores = foreign.cores();
    const counters = countersSince(countersBefore, await readGatewayCounters(gateway.metricsUrl));
    const run: ReadRun = { target, ...result, counters, ...(otherLoadCores === undefined ? {} : { otherLoadCores }) };
    if (cpuBefore !== undefined && cpuAfter !== undefined && result.answered > 0) run.cpuMsPerRequest = ((cpuAfter - cpuBefore) * 1000) / result.answered;
    log(
      `  ${LABELS[target].padEnd(27)} ${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ` +
        `errors ${result.errors + result.mismatches}, replayed ${counters.answersReplayed}/${result.answered}` +
        (otherLoadCores === undefined ? '' : `, other load ${otherLoadCores.toFixed(2)} cores`),
    );
    return run;
  };

  await stats.reset();
  const runs: ReadRun[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    for (const target of TARGETS) runs.push(await measure(target));
  }
  const calls = await stats.read();

  const summaries = Object.fromEntries(TARGETS.map((target) => [target, summarise(runs.filter((run) => run.target === target))])) as Record<ReadTarget, ReadSummary>;
  const { inventory, cached: cachedSummary, inventoryExecuted, cachedExecuted } = summaries;
  return {
    settings,
    responseBytes: { inventory: page.raw.length, cached: cached.raw.length },
    expiringTotalCount,
    runs,
    summaries,
    ratios: {
      throughput: inventory.rps / cachedSummary.rps,
      p50: inventory.p50Ms / cachedSummary.p50Ms,
      p99: inventory.p99Ms / cachedSummary.p99Ms,
      executedThroughput: inventoryExecuted.rps / cachedExecuted.rps,
      executedP50: inventoryExecuted.p50Ms / cachedExecuted.p50Ms,
      executedP99: inventoryExecuted.p99Ms / cachedExecuted.p99Ms,
    },
    cloudCalls: calls.total,
    cloudCallsByAction: calls.calls,
  };
}

/**
 * The request with its counter rewritten in place at each send: same length, distinct bytes. The
 * count runs on across every load run given it, so a later round never repeats (and replays) a body
 * an earlier one sent.
 */
export function numbered(template: Buffer): { request: Buffer; requestFor: () => Buffer } {
  const at = template.lastIndexOf(COUNTER);
  if (at < 0) throw new Error('the request has no counter to rewrite');
  let sent = 0;
  return {
    request: template,
    requestFor: () => {
      const request = Buffer.from(template);
      request.write(String(sent++ % 10 ** COUNTER.length).padStart(COUNTER.length, '0'), at, 'latin1');
      return request;
    },
  };
}

function summarise(runs: ReadRun[]): ReadSummary {
  const cpu = runs.flatMap((run) => (run.cpuMsPerRequest === undefined ? [] : [run.cpuMsPerRequest]));
  const answered = runs.reduce((sum, run) => sum + run.answered, 0);
  return {
    rps: median(runs.map((run) => run.rps)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    ...(cpu.length ? { cpuMsPerRequest: median(cpu) } : {}),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    mismatches: runs.reduce((sum, run) => sum + run.mismatches, 0),
    replayedShare: answered ? runs.reduce((sum, run) => sum + run.counters.answersReplayed, 0) / answered : 0,
  };
}
