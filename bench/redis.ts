import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { CacheKeys } from '../src/cache/cache-keys';
import { ALL_KEYS } from '../src/cache/invalidation-bus';
import { freePort } from '../test/helpers/free-port';
import { pinned } from './processes';

export interface BenchRedis {
  url: string;
  /** The bench's own connection: seeding the baseline's key and clearing the gateway's. */
  client: Redis;
  /** Whether this run started the server (REDIS_URL not given). */
  owned: boolean;
  /** The private server's pid, for counting its CPU. */
  pid?: number;
  /**
   * Deletes every key the gateway wrote (its `cg:v1:` prefix), nothing else, and publishes an
   * invalidation of every key so the gateway drops what it keeps in memory too.
   */
  clearGatewayKeys(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * REDIS_URL when given (only the gateway's keys and the baseline's one key are touched there), else
 * a private redis-server on a free port, without persistence, on the load generator's core.
 */
export async function startBenchRedis(cpu: string | undefined): Promise<BenchRedis> {
  const external = process.env.REDIS_URL;
  let server: ChildProcess | undefined;
  let url: string;
  if (external) url = external;
  else {
    const binary = whichRedisServer();
    const port = await freePort();
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    const [command, commandArgs] = pinned(cpu, binary, args);
    server = spawn(command, commandArgs, { stdio: 'ignore' });
    url = `redis://127.0.0.1:${port}`;
  }
  const client = await connectWhenUp(url);
  // The keys, and the copies gateways keep in memory: an invalidation of every key drops those.
  const clearGatewayKeys = async () => {
    // The cache and the kept answers, not the inventory (its index and change numbers): a cold read
    // means a cold cache, on a gateway whose inventory has been swept.
    const keys = (await client.keys('cg:v1:*')).filter((key) => !key.startsWith('cg:v1:{inv}') && !key.startsWith('cg:v1:{radar}'));
    if (keys.length) await client.del(...keys);
    await client.publish(CacheKeys.invalidations, ALL_KEYS);
    return keys.length;
  };
  return {
    url,
    client,
    owned: server !== undefined,
    ...(server?.pid === undefined ? {} : { pid: server.pid }),
    clearGatewayKeys,
    stop: async () => {
      if (!server) await clearGatewayKeys();
      client.disconnect();
      if (server && server.exitCode === null && server.signalCode === null) {
        const exited = new Promise<void>((resolve) => server?.once('exit', () => resolve()));
        server.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** A freshly spawned redis-server takes a moment to listen; retry until it answers PING. */
async function connectWhenUp(url: string): Promise<Redis> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const client = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (error) {
      client.disconnect();
      if (Date.now() > deadline) throw new Error(`Redis at ${url} did not answer within 5 s: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function whichRedisServer(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('npm run bench needs Redis: set REDIS_URL, or install redis-server so the bench can start a private one.');
  }
}
