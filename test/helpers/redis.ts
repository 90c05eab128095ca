import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { CacheKeys } from '../../src/cache/cache-keys';
import { ALL_KEYS } from '../../src/cache/invalidation-bus';
import { freePort } from './free-port';

export interface TestRedis {
  url: string;
  /** A client for the test's own looks at what is stored. */
  client: Redis;
  /** True when this test started the server (it may then be killed). */
  owned: boolean;
  /**
   * Everything the gateways on this Redis have cached, gone: their keys deleted, and the copies each
   * keeps in memory dropped by an invalidation of every key (what an operator would publish). The
   * inventory's index is no cache and stays.
   */
  forgetGatewayCache(): Promise<void>;
  /** SIGKILL the private server: Redis gone mid-test. */
  kill(): void;
  stop(): Promise<void>;
}

/**
 * A real Redis for a test file: REDIS_URL if set (then only the gateway's own keys are touched, never
 * FLUSHALL), else a private redis-server on a free port, started here and stopped afterwards.
 */
export async function startTestRedis(): Promise<TestRedis> {
  if (process.env.REDIS_URL) {
    const client = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
    await deleteGatewayKeys(client);
    return {
      url: process.env.REDIS_URL,
      client,
      forgetGatewayCache: () => forgetGatewayCache(client),
      owned: false,
      kill: () => {
        throw new Error('REDIS_URL points at a Redis this test did not start; it will not kill it.');
      },
      stop: async () => {
        await deleteGatewayKeys(client);
        client.disconnect();
      },
    };
  }
  const binary = redisServerBinary();
  const port = await freePort();
  const server: ChildProcess = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  client.on('error', () => undefined);
  await waitForPing(url);
  await client.connect();
  return {
    url,
    client,
    forgetGatewayCache: () => forgetGatewayCache(client),
    owned: true,
    kill: () => void server.kill('SIGKILL'),
    stop: async () => {
      client.disconnect();
      if (server.exitCode === null && server.signalCode === null) {
        await new Promise<void>((resolve) => {
          server.once('exit', () => resolve());
          server.kill('SIGTERM');
        });
      }
    },
  };
}

/** Every key the gateway wrote, with its value. */
export async function gatewayEntries(client: Redis): Promise<Map<string, string>> {
  const keys = await client.keys('cg:v1:*');
  const values = keys.length ? await client.mget(keys) : [];
  return new Map(keys.map((key, index) => [key, values[index] ?? '']));
}

async function deleteGatewayKeys(client: Redis): Promise<void> {
  const keys = await client.keys('cg:v1:*');
  if (keys.length) await client.del(...keys);
}

/** The inventory's index and its change numbers: not a cache, kept when the cache is forgotten (a sweep corrects it). */
const INVENTORY_KEYS = 'cg:v1:{inv}:';

async function forgetGatewayCache(client: Redis): Promise<void> {
  const keys = (await client.keys('cg:v1:*')).filter((key) => !key.startsWith(INVENTORY_KEYS));
  if (keys.length) await client.del(...keys);
  await client.publish(CacheKeys.invalidations, ALL_KEYS);
}

function redisServerBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      'The integration tests need a real Redis: set REDIS_URL (for example redis://127.0.0.1:6379), ' +
        'or install redis-server (Debian: apt-get install redis-server) so the tests can start a private one.',
    );
  }
}


async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch {
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`redis-server did not answer on ${url} within 5 s`);
}
