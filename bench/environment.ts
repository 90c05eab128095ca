import { randomBytes } from 'node:crypto';
import { encodeCertificateId } from '../src/domain/global-id';
import { startEmulator, type RunningEmulator } from '../src/emulator/emulator';
import { DEMO } from '../src/emulator/state/demo';
import { join } from 'node:path';
import { buildForBench, type Build } from './build';
import { GraphqlSession } from './graphql-session';
import { jsonField, planCpus, startNodeChild, type CpuPlan, type NodeChild } from './processes';
import { startBenchRedis, type BenchRedis } from './redis';
import { DirectEsaClient, EmulatorStats, InFlightMeter } from './upstream';

/** The gateway's settings for the run, recorded with the results. */
export interface GatewaySettings {
  upstreamConcurrency: number;
  /** Raised far above the production defaults (50 and 20 calls/s) so batch timings show concurrency, not the pacing. */
  upstreamEsaRatePerSecond: number;
  upstreamSlbRatePerSecond: number;
  /** Auth stays on, as in production; the per-key limit is raised so the load is never refused. */
  rateLimitPerMinute: number;
  cacheTtlSeconds: number;
  /** CACHE_LOCAL_ENTRIES and RESPONSE_CACHE_MB; the gateway's defaults unless BENCH_* says otherwise (0 turns one off). */
  localCacheEntries: number;
  responseCacheMb: number;
  logLevel: string;
  nodeFlags: string[];
  /** OTEL_* variables, for the traced gateway of the throughput phase; none: tracing off. */
  otel?: Record<string, string>;
  /** INVENTORY_REFRESH_SECONDS when set (the gateway's default, 300, when not): the first sweep runs at start. */
  inventoryRefreshSeconds?: number;
}

export interface GatewayProcess extends NodeChild {
  graphqlUrl: URL;
  metricsUrl: string;
  settings: GatewaySettings;
  /** What every request sends: the caller's API key. */
  headers: Record<string, string>;
}

export interface SeededCertificate {
  id: string;
  siteId: string;
  nativeId: string;
}

export interface BenchEnvironment {
  cpu: CpuPlan;
  /** The compiled gateway and baseline the children run. */
  build: Build;
  redis: BenchRedis;
  emulator: RunningEmulator;
  stats: EmulatorStats;
  meter: InFlightMeter;
  direct: DirectEsaClient;
  gateway: GatewayProcess;
  /** One keep-alive connection to the gateway for the sequential measurements. */
  session: GraphqlSession;
  /** The demo's CAS-backed edge certificate on the example site: the cached-path subject. */
  demoCertificateId: string;
  stop(): Promise<void>;
}

/** The CAS certificate every seeded edge certificate points at (REFERENCE: SetCertificate Type cas). */
const SEED_CAS_ID = DEMO.casCertificates.shop;
/** Active sites whose plans allow every certificate list, so `sites { certificates }` reads them all. */
const SEED_SITES = [DEMO.sites.example, DEMO.sites.cname];

/**
 * Redis, the emulator (in this process) and the gateway as production runs it: `src/main.ts` in a
 * child process, cloud mode, pointed at the emulator, with the shared Redis cache.
 */
export async function startEnvironment(settings: {
  upstreamConcurrency: number;
  nodeFlags?: string[];
  /** Runs on the emulator before the gateway starts, so the gateway's first sweep finds it. */
  beforeGateway?: (emulator: RunningEmulator) => Promise<void>;
}): Promise<BenchEnvironment> {
  const cpu = planCpus();
  const build = buildForBench();
  const redis = await startBenchRedis(cpu.client);
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', log: () => undefined, validation: { mode: 'manual' } });
  const gatewaySettings: GatewaySettings = {
    upstreamConcurrency: settings.upstreamConcurrency,
    upstreamEsaRatePerSecond: 10_000,
    upstreamSlbRatePerSecond: 10_000,
    rateLimitPerMinute: 1_000_000,
    cacheTtlSeconds: 300,
    localCacheEntries: wholeNumber('BENCH_CACHE_LOCAL_ENTRIES', 10_000),
    responseCacheMb: wholeNumber('BENCH_RESPONSE_CACHE_MB', 32),
    logLevel: 'silent',
    nodeFlags: settings.nodeFlags ?? [],
  };
  const undo = async () => {
    await emulator.stop();
    await redis.stop();
    build.remove();
  };
  let gateway: GatewayProcess;
  try {
    await settings.beforeGateway?.(emulator);
    gateway = await startGatewayProcess(build, emulator, redis.url, cpu, gatewaySettings);
  } catch (error) {
    await undo();
    throw error;
  }
  let session: GraphqlSession;
  try {
    session = await GraphqlSession.open(gateway.graphqlUrl, gateway.headers);
  } catch (error) {
    await gateway.stop();
    await undo();
    throw error;
  }
  const meter = new InFlightMeter(emulator.port);
  return {
    cpu,
    build,
    redis,
    emulator,
    stats: new EmulatorStats(emulator),
    meter,
    direct: new DirectEsaClient(emulator),
    gateway,
    session,
    demoCertificateId: encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example, nativeId: DEMO.edgeCertificates.cas }),
    stop: async () => {
      session.close();
      meter.close();
      await gateway.stop();
      await undo();
    },
  };
}

/**
 * A second gateway like the first (same build, settings, emulator and Redis, a key of its own), for a
 * phase that may leave it stalled: it can be killed and started again without touching `env.gateway`.
 */
export function startSpareGateway(env: BenchEnvironment, settings: GatewaySettings = env.gateway.settings): Promise<GatewayProcess> {
  return startGatewayProcess(env.build, env.emulator, env.redis.url, env.cpu, settings);
}

/** A setting of the run that may be 0 (to turn a gateway feature off for a comparison). */
function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}".`);
  return value;
}

/** A gateway child with these settings against this emulator and Redis (the inventory phase's own). */
export async function startGatewayProcess(build: Build, emulator: RunningEmulator, redisUrl: string, cpu: CpuPlan, settings: GatewaySettings): Promise<GatewayProcess> {
  const [accessKeyId, accessKeySecret] = [...emulator.accessKeys][0] as [string, string];
  const apiKey = randomBytes(24).toString('hex');
  // A clean environment: nothing from the caller's shell (NODE_ENV, a stray CACHE_TTL_SECONDS) changes what is measured.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_PATH: build.nodeModules,
    GATEWAY_MODE: 'cloud',
    ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
    ALIBABA_CLOUD_PROTOCOL: 'http',
    ESA_ENDPOINT: emulator.endpoint,
    SLB_ENDPOINT: emulator.endpoint,
    REDIS_URL: redisUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: settings.logLevel,
    CACHE_TTL_SECONDS: String(settings.cacheTtlSeconds),
    CACHE_LOCAL_ENTRIES: String(settings.localCacheEntries),
    RESPONSE_CACHE_MB: String(settings.responseCacheMb),
    UPSTREAM_CONCURRENCY: String(settings.upstreamConcurrency),
    UPSTREAM_ESA_RATE_PER_SECOND: String(settings.upstreamEsaRatePerSecond),
    UPSTREAM_SLB_RATE_PER_SECOND: String(settings.upstreamSlbRatePerSecond),
    API_KEYS: JSON.stringify([{ key: apiKey, scopes: ['certificates:read'] }]),
    RATE_LIMIT_PER_MINUTE: String(settings.rateLimitPerMinute),
    ...settings.otel,
    ...(settings.inventoryRefreshSeconds === undefined ? {} : { INVENTORY_REFRESH_SECONDS: String(settings.inventoryRefreshSeconds) }),
  };
  const child = await startNodeChild({
    script: join(build.dir, 'src', 'main.js'),
    env,
    ...(cpu.server === undefined ? {} : { cpu: cpu.server }),
    nodeFlags: settings.nodeFlags,
    announcement: (line) => jsonField(line, 'graphql'),
  });
  const graphqlUrl = new URL(child.announced);
  return { ...child, graphqlUrl, metricsUrl: new URL('/metrics', graphqlUrl).toString(), settings, headers: { authorization: `Bearer ${apiKey}` } };
}

/**
 * `count` edge certificates made with SetCertificate (Type cas), spread over the active sites,
 * `parallel` calls at a time.
 */
export async function seedCertificates(direct: DirectEsaClient, count: number, parallel = 8): Promise<SeededCertificate[]> {
  const seeded = new Array<SeededCertificate>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const siteId = SEED_SITES[index % SEED_SITES.length] as string;
      const nativeId = await direct.setCasCertificate(siteId, SEED_CAS_ID, `bench-${index}`);
      seeded[index] = { id: encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId, nativeId }), siteId, nativeId };
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return seeded;
}
