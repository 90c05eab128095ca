import { performance } from 'node:perf_hooks';
import { startEmulator, type RunningEmulator } from '../../src/emulator/emulator';
import { startGatewayProcess, type BenchEnvironment, type GatewayProcess, type GatewaySettings } from '../environment';
import { listSiteIds, siteListPages } from '../esa-pages';
import { slbListPages } from '../slb-pages';
import { GraphqlSession } from '../graphql-session';
import { readMemory, RssSampler } from '../process-sampler';
import { INVENTORY_STATUS_QUERY } from '../queries';
import { type EstateOptions } from '../../src/emulator/admin/estate-options';
import { CallWindow, DirectEsaClient, DirectSlbClient, EmulatorStats } from '../upstream';
import { measureInventoryReads, type ReadResult, type ReadSettings } from './inventory-reads';

/** The account the phase seeds: the emulator's own generate options (src/emulator/admin/estate-options.ts). */
export type Estate = Omit<EstateOptions, 'seed'>;

/** The inventory benchmark's account: 200 sites x 50 edge certificates and 2,000 SLB certificates. */
export const LARGE_ESTATE: Estate = {
  sites: 200,
  certificatesPerSite: 50,
  serverCertificates: 2000,
  regions: ['cn-hangzhou', 'cn-shanghai'],
  expiredFraction: 0.05,
  spreadDays: 365,
};

export interface InventorySettings {
  estate: Estate;
  /** The gateway's client-side limits during this phase: its production defaults. */
  esaRatePerSecond: number;
  slbRatePerSecond: number;
  sweepTimeoutMs: number;
  reads: ReadSettings;
}

export interface SweepResult {
  /** Cloud calls of the first sweep, counted by the emulator, by action. */
  calls: number;
  byAction: Record<string, number>;
  /** The list pages the account has, by action: what a sweep cannot do with fewer calls. */
  pages: number;
  pagesByAction: Record<string, number>;
  esaCalls: number;
  slbCalls: number;
  /** The emulator's first sweep call to the gateway's lastSweepFinishedAt. */
  wallMs: number;
  /** The emulator's first sweep call to its last answer. */
  callWindowMs: number;
  /** The floor the rate limits set: max(ESA calls / ESA rate, SLB calls / SLB rate); the two run in parallel. */
  floorMs: number;
  esaFloorMs: number;
  slbFloorMs: number;
  /** wallMs / floorMs. */
  ratio: number;
  /** inventoryStatus after the sweep. */
  indexed: number;
  complete: boolean;
  /** Each as `account/name`, as the gateway's metrics and logs name sources. */
  failedSources: Array<{ name: string; error: string }>;
}

export interface InventoryResult {
  settings: InventorySettings;
  seed: { ms: number; generated: Record<string, unknown>; sites: number; slbRegions: number; httpsListeners: number };
  sweep: SweepResult;
  reads: ReadResult;
  memory: {
    /** Sampled every 200 ms from the gateway's start (the sweep) to the end of the reads. */
    peakRssBytes: number;
    rssSamples: number;
    /** The kernel's high-water mark at the end: the phase's gateway lived only for this phase. */
    vmHwmBytes?: number;
    /** RSS once the sweep had finished, and the sampled peak up to then: the index without the reads' answer cache. */
    rssAfterSweepBytes?: number;
    peakRssBytesThroughSweep: number;
  };
  durationS: number;
}

export interface StatusAnswer {
  certificates: number;
  complete: boolean;
  lastSweepFinishedAt: string | null;
  /** `name` is what is listed (`ESA site 1234567890123`, `SLB regions`); the account is beside it. */
  sources: Array<{ accountId: string; name: string; certificates: number; error: string | null }>;
}

/**
 * Section 14 on an estate of its own: an emulator in this process seeded with a large account, and
 * a gateway with the production rate limits whose first sweep (the one it runs at start) is the one
 * measured. Run it last: it stops `env.gateway` and empties the gateway's keys and sweep queue in the
 * shared Redis, so no other gateway sweeps into, or reads from, the index being measured.
 */
export async function measureInventory(env: BenchEnvironment, settings: InventorySettings, log: (line: string) => void): Promise<InventoryResult> {
  const began = performance.now();
  await env.gateway.stop();
  await env.redis.clearGatewayKeys();
  // The inventory's index, its marks and its queues too: the phase's gateway starts from nothing and sweeps.
  const queueKeys = [...(await env.redis.client.keys('{cg:v1:bull}*')), ...(await env.redis.client.keys('cg:v1:{inv}*')), ...(await env.redis.client.keys('cg:v1:{radar}*'))];
  if (queueKeys.length) await env.redis.client.del(...queueKeys);

  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', log: () => undefined, validation: { mode: 'manual' } });
  let window: CallWindow | undefined;
  let gateway: GatewayProcess | undefined;
  let session: GraphqlSession | undefined;
  let sampler: RssSampler | undefined;
  try {
    const seedStarted = performance.now();
    const generated = await seedEstate(emulator, settings.estate);
    const seedMs = performance.now() - seedStarted;
    const direct = new DirectEsaClient(emulator);
    const sites = await listSiteIds(direct);
    const pagesByAction: Record<string, number> = { 'ESA.ListSites': sites.pages };
    for (const [action, pages] of Object.entries(await siteListPages(direct, sites.ids, 8))) pagesByAction[`ESA.${action}`] = pages;
    // The bench's gateways set no SLB_REGIONS (environment.ts): the sweep reads DescribeRegions, then every region it lists.
    const slb = await slbListPages(new DirectSlbClient(emulator));
    Object.assign(pagesByAction, slb.pagesByAction);
    log(`inventory: seeded ${JSON.stringify(generated)} in ${Math.round(seedMs)} ms; ${sites.ids.length} sites, ${slb.regions.length} SLB regions, ${slb.httpsListeners} HTTPS listeners`);

    const stats = new EmulatorStats(emulator);
    await stats.reset();
    const gatewaySettings: GatewaySettings = {
      ...env.gateway.settings,
      upstreamEsaRatePerSecond: settings.esaRatePerSecond,
      upstreamSlbRatePerSecond: settings.slbRatePerSecond,
      // Only the sweep at start runs within the phase.
      inventoryRefreshSeconds: 86_400,
    };
    // From here on every call the emulator serves is the sweep's (the pages above were counted before).
    window = new CallWindow(emulator.port);
    gateway = await startGatewayProcess(env.build, emulator, env.redis.url, env.cpu, gatewaySettings);
    sampler = new RssSampler(gateway.pid, gateway.metricsUrl);
    session = await GraphqlSession.open(gateway.graphqlUrl, gateway.headers);
    const status = await sweptStatus(session, settings.sweepTimeoutMs);
    const rssAfterSweep = readMemory(gateway.pid)?.rssBytes;
    const peakRssBytesThroughSweep = sampler.peakSoFar();
    const sweep = sweepResult(settings, status, (await stats.read()).calls, pagesByAction, window);
    log(
      `inventory: first sweep ${sweep.calls} calls for ${sweep.pages} list pages, ${(sweep.wallMs / 1000).toFixed(2)} s against a rate-limit floor of ` +
        `${(sweep.floorMs / 1000).toFixed(2)} s (${sweep.ratio.toFixed(2)} x); ${sweep.indexed} certificates indexed, ${sweep.failedSources.length} sources failed`,
    );

    log(`inventory reads: ${settings.reads.rounds} interleaved rounds, ${settings.reads.connections} connections, ${settings.reads.durationMs / 1000} s each`);
    const reads = await measureInventoryReads(gateway, session, stats, env.demoCertificateId, settings.reads, log);
    const rss = sampler.stop();
    const hwm = readMemory(gateway.pid)?.peakRssBytes;
    return {
      settings,
      seed: { ms: seedMs, generated, sites: sites.ids.length, slbRegions: slb.regions.length, httpsListeners: slb.httpsListeners },
      sweep,
      reads,
      memory: {
        peakRssBytes: rss.peakRssBytes,
        rssSamples: rss.samples,
        ...(hwm === undefined ? {} : { vmHwmBytes: hwm }),
        ...(rssAfterSweep === undefined ? {} : { rssAfterSweepBytes: rssAfterSweep }),
        peakRssBytesThroughSweep,
      },
      durationS: (performance.now() - began) / 1000,
    };
  } finally {
    sampler?.stop();
    session?.close();
    await gateway?.stop();
    window?.close();
    await emulator.stop();
  }
}

/** POST /_emulator/seed with `generate` (src/emulator/README.md): the whole estate in one call. */
export async function seedEstate(emulator: Pick<RunningEmulator, 'url'>, estate: Estate): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}/_emulator/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ generate: { ...estate, seed: 1 } }),
  });
  if (!response.ok) throw new Error(`emulator seed: ${response.status} ${await response.text()}`);
  const answer = (await response.json()) as { generated?: Record<string, unknown> };
  return answer.generated ?? {};
}

/** inventoryStatus once a sweep has finished (it reads the index, never the cloud). */
export async function sweptStatus(session: GraphqlSession, timeoutMs: number): Promise<StatusAnswer> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const answer = await session.expectData(INVENTORY_STATUS_QUERY);
    const status = answer.data.inventoryStatus as StatusAnswer;
    if (status.lastSweepFinishedAt) return status;
    if (performance.now() > deadline) throw new Error(`the gateway's first sweep did not finish within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function sweepResult(settings: InventorySettings, status: StatusAnswer, byAction: Record<string, number>, pagesByAction: Record<string, number>, window: CallWindow): SweepResult {
  const sum = (counts: Record<string, number>, prefix = '') => Object.entries(counts).reduce((total, [action, n]) => total + (action.startsWith(prefix) ? n : 0), 0);
  const esaCalls = sum(byAction, 'ESA.');
  const slbCalls = sum(byAction, 'SLB.');
  const esaFloorMs = (esaCalls / settings.esaRatePerSecond) * 1000;
  const slbFloorMs = (slbCalls / settings.slbRatePerSecond) * 1000;
  const floorMs = Math.max(esaFloorMs, slbFloorMs);
  const first = window.firstStartMs ?? NaN;
  const wallMs = Date.parse(status.lastSweepFinishedAt ?? '') - first;
  return {
    calls: sum(byAction),
    byAction,
    pages: sum(pagesByAction),
    pagesByAction,
    esaCalls,
    slbCalls,
    wallMs,
    callWindowMs: (window.lastFinishMs ?? NaN) - first,
    floorMs,
    esaFloorMs,
    slbFloorMs,
    ratio: wallMs / floorMs,
    indexed: status.certificates,
    complete: status.complete,
    failedSources: status.sources.flatMap((source) => (source.error ? [{ name: `${source.accountId}/${source.name}`, error: source.error }] : [])),
  };
}
