import { join } from 'node:path';
import { DEMO } from '../../src/emulator/state/demo';
import { type BenchEnvironment } from '../environment';
import { jsonField, startNodeChild } from '../processes';
import { CERTIFICATE_QUERY } from '../queries';
import { median, percentile } from '../stats';

export interface ColdPathResult {
  samples: number;
  warmup: number;
  /** Latency added to every emulator GetCertificate (0: the loopback emulator as is). */
  upstreamLatencyMs: number;
  gateway: { p50Ms: number; p90Ms: number; meanMs: number };
  direct: { p50Ms: number; p90Ms: number; meanMs: number };
  /** gateway / direct, from the medians. */
  ratio: number;
  /** gateway - direct, from the medians: what the gateway adds, whatever the cloud's own latency. */
  overheadMs: number;
  /** GetCertificate calls the emulator saw per cold gateway query (the direct calls subtracted). */
  upstreamCallsPerGatewayQuery: number;
  errors: number;
}

/**
 * The gateway's `certificate(id:)` with nothing cached (its Redis keys and memory emptied before each
 * request, untimed) against one direct GetCertificate through `@alicloud/openapi-client` to the same emulator,
 * made from a process on the gateway's core (direct-client-process.ts). Sequential and interleaved,
 * the order alternating, so neither always follows the other.
 */
export async function measureColdPath(
  env: BenchEnvironment,
  plan: { samples: number; warmup: number; upstreamLatencyMs: number },
  log: (line: string) => void,
): Promise<ColdPathResult> {
  const [accessKeyId, accessKeySecret] = [...env.emulator.accessKeys][0] as [string, string];
  const direct = await startNodeChild({
    script: join(env.build.dir, 'bench', 'direct-client-process.js'),
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_PATH: env.build.nodeModules, EMULATOR_ENDPOINT: env.emulator.endpoint, ACCESS_KEY_ID: accessKeyId, ACCESS_KEY_SECRET: accessKeySecret },
    ...(env.cpu.server === undefined ? {} : { cpu: env.cpu.server }),
    announcement: (line) => jsonField(line, 'ready'),
    stdin: true,
  });
  if (plan.upstreamLatencyMs > 0) await env.stats.addFault({ product: 'ESA', action: 'GetCertificate', latencyMs: plan.upstreamLatencyMs });
  try {
    return await interleave(env, direct, plan, log);
  } finally {
    if (plan.upstreamLatencyMs > 0) await env.stats.clearFaults();
    await direct.stop();
  }
}

async function interleave(
  env: BenchEnvironment,
  direct: Awaited<ReturnType<typeof startNodeChild>>,
  { samples, warmup, upstreamLatencyMs }: { samples: number; warmup: number; upstreamLatencyMs: number },
  log: (line: string) => void,
): Promise<ColdPathResult> {
  const gatewayMs: number[] = [];
  const directMs: number[] = [];
  let errors = 0;
  const gatewayOnce = async (keep: boolean) => {
    await env.redis.clearGatewayKeys();
    const answer = await env.session.query(CERTIFICATE_QUERY, { id: env.demoCertificateId });
    if (answer.status !== 200 || answer.errors?.length || !answer.data?.certificate) errors += 1;
    if (keep) gatewayMs.push(answer.ms);
  };
  const directOnce = async (keep: boolean) => {
    direct.send(`${DEMO.sites.example} ${DEMO.edgeCertificates.cas}`);
    const answer = JSON.parse(await direct.nextLine()) as { ms: number; ok: boolean };
    if (!answer.ok) errors += 1;
    if (keep) directMs.push(answer.ms);
  };

  for (let i = 0; i < warmup; i++) {
    await gatewayOnce(false);
    await directOnce(false);
  }
  await env.stats.reset();
  for (let i = 0; i < samples; i++) {
    const order = i % 2 === 0 ? [gatewayOnce, directOnce] : [directOnce, gatewayOnce];
    for (const step of order) await step(true);
  }
  const calls = await env.stats.read();
  const getCertificate = calls.calls['ESA.GetCertificate'] ?? 0;
  const describe = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { p50Ms: median(sorted), p90Ms: percentile(sorted, 0.9), meanMs: sorted.reduce((sum, v) => sum + v, 0) / sorted.length };
  };
  const result: ColdPathResult = {
    samples,
    warmup,
    upstreamLatencyMs,
    gateway: describe(gatewayMs),
    direct: describe(directMs),
    ratio: median(gatewayMs) / median(directMs),
    overheadMs: median(gatewayMs) - median(directMs),
    upstreamCallsPerGatewayQuery: (calls.total - directMs.length) / gatewayMs.length,
    errors,
  };
  log(
    `cold certificate(id:)${upstreamLatencyMs ? ` (+${upstreamLatencyMs} ms upstream)` : ''}: gateway p50 ${result.gateway.p50Ms.toFixed(2)} ms, direct client p50 ${result.direct.p50Ms.toFixed(2)} ms ` +
      `(${getCertificate} GetCertificate calls for ${samples} + ${samples})`,
  );
  return result;
}
