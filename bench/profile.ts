import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { printProfileSummary, summariseProfile, type CpuProfile } from './cpuprofile-summary';
import { seedCertificates, startEnvironment, type BenchEnvironment } from './environment';
import { jsonPost } from './http-connection';
import { runLoad } from './load-generator';
import { LARGE_ESTATE, seedEstate, sweptStatus } from './phases/inventory';
import { COUNTER, numbered } from './phases/inventory-reads';
import { CERTIFICATE_QUERY, CERTIFICATES_QUERY, EXPIRING_PAGE_QUERY, graphqlBody } from './queries';

type Workload = 'cached' | 'batch' | 'inventory';

const WORKLOADS: Record<Workload, { describe: string; estate?: boolean; prepare(env: BenchEnvironment): Promise<(seconds: number) => Promise<string>> }> = {
  cached: {
    describe: 'cached certificate(id:) at 32 connections',
    prepare: async (env) => {
      const variables = { id: env.demoCertificateId };
      await env.session.expectData(CERTIFICATE_QUERY, variables);
      const expected = await env.session.expectData(CERTIFICATE_QUERY, variables);
      const request = jsonPost(env.gateway.graphqlUrl, graphqlBody(CERTIFICATE_QUERY, variables), env.gateway.headers);
      const load = (durationMs: number) => runLoad({ url: env.gateway.graphqlUrl, request, connections: 32, durationMs, warmupMs: 0, expectedBody: expected.raw });
      await load(2_000);
      return async (seconds) => {
        const result = await load(seconds * 1000);
        return `${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors + result.mismatches}`;
      };
    },
  },
  inventory: {
    describe: 'certificates(first: 50, filter: { expiringWithinDays: 30 }) over the section-14 estate at 32 connections, each body distinct (none replayed)',
    estate: true,
    prepare: async (env) => {
      await sweptStatus(env.session, 90_000);
      const body = JSON.stringify({ query: EXPIRING_PAGE_QUERY, variables: { first: 50, days: 30 }, extensions: { bench: COUNTER } });
      const requests = numbered(jsonPost(env.gateway.graphqlUrl, body, env.gateway.headers));
      const load = (durationMs: number) => runLoad({ url: env.gateway.graphqlUrl, ...requests, connections: 32, durationMs, warmupMs: 0 });
      await load(2_000);
      return async (seconds) => {
        const result = await load(seconds * 1000);
        return `${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors + result.mismatches}`;
      };
    },
  },
  batch: {
    describe: 'certificates(ids:) with 1000 uncached ids, one after another',
    prepare: async (env) => {
      const ids = (await seedCertificates(env.direct, 1000)).map((certificate) => certificate.id);
      const once = async () => {
        await env.redis.clearGatewayKeys();
        return (await env.session.expectData(CERTIFICATES_QUERY, { ids })).ms;
      };
      await once();
      return async (seconds) => {
        const times: number[] = [];
        const until = performance.now() + seconds * 1000;
        while (performance.now() < until) times.push(await once());
        return `${times.length} queries, ${(times.reduce((sum, ms) => sum + ms, 0) / times.length).toFixed(0)} ms each on average`;
      };
    },
  },
};

/**
 * Profiles the gateway under one workload: the gateway child runs under `--cpu-prof`, is loaded, and
 * is then stopped so V8 writes the profile. Only the samples taken under load are summarised
 * (startup and shutdown are left out).
 *
 * `node -r ./scripts/ts-register.js bench/profile.ts [cached|batch|inventory]` (BENCH_PROFILE_S: loaded seconds, default 10).
 */
async function main(): Promise<void> {
  const workload = (process.argv[2] ?? 'cached') as Workload;
  if (!(workload in WORKLOADS)) throw new Error(`workload is one of ${Object.keys(WORKLOADS).join(', ')}, not "${workload}"`);
  const seconds = Number(process.env.BENCH_PROFILE_S ?? 10);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-profile-'));
  const env = await startEnvironment({
    upstreamConcurrency: 8,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir],
    // The gateway's first sweep, at start, indexes the estate.
    ...(WORKLOADS[workload].estate ? { beforeGateway: async (emulator) => void (await seedEstate(emulator, LARGE_ESTATE)) } : {}),
  });
  let window: { fromUs: number; toUs: number } | undefined;
  let outcome = '';
  try {
    const run = await WORKLOADS[workload].prepare(env);
    log(`profiling ${seconds} s of ${WORKLOADS[workload].describe}`);
    // The profile's timestamps are on the same monotonic clock as hrtime, in microseconds.
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    outcome = await run(seconds);
    window = { fromUs, toUs: Number(process.hrtime.bigint() / 1000n) };
    log(outcome);
  } finally {
    await env.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the gateway wrote no profile into ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  let summary = summariseProfile(profile, window);
  if (summary.samples === 0) {
    log('no samples fell inside the load window; summarising the whole profile');
    summary = summariseProfile(profile);
  }
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`\nGateway CPU profile: ${WORKLOADS[workload].describe}; ${outcome}`);
  print(`profile: ${join(dir, file)}`);
  printProfileSummary(summary, print);
  const out = join(__dirname, `profile-${workload}.json`);
  writeFileSync(out, `${JSON.stringify({ timestamp: new Date().toISOString(), workload, outcome, profile: join(dir, file), ...summary }, null, 2)}\n`);
  print(`\nsummary: ${out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
