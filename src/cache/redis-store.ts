import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis } from 'ioredis';
import { RedisInvalidationBus, type RedisBusOptions } from './invalidation-bus';
import { type KeyValueStore, type KeyWithLease, type LeasedWrite, type ReadOrLease } from './key-value-store';

/** INCRBY, and set the expiry when the counter is new. */
const INCREMENT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

/** DEL the lease only if it still holds our token. */
const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** SET the value only if the lease still holds our token; drop the lease. Atomic in Redis. */
const SET_UNDER_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

/**
 * KEYS: n value keys, then their n lease keys. GET each value; where it is absent or not fresh at
 * ARGV[3] (the number after its leading {"f":, as freshUntil reads it), SET its lease to ARGV[1] NX PX
 * ARGV[2]. Returns value, lease pairs: lease 1 taken, 0 held by another, -1 fresh (not tried).
 */
const GET_OR_LEASE = `
local n = #KEYS / 2
local now = tonumber(ARGV[3])
local out = {}
for i = 1, n do
  local value = redis.call('GET', KEYS[i])
  local fresh_until = value and tonumber(string.match(value, '^{"f":([%d%.eE+-]+)'))
  out[2 * i - 1] = value
  if fresh_until and fresh_until > now then
    out[2 * i] = -1
  elseif redis.call('SET', KEYS[n + i], ARGV[1], 'PX', ARGV[2], 'NX') then
    out[2 * i] = 1
  else
    out[2 * i] = 0
  end
end
return out`;

export interface RedisStoreOptions {
  url: string;
  /** Treat the URL as a Redis Cluster seed node. */
  cluster: boolean;
  /** Per-command bound; a slower Redis counts as absent for that call. */
  commandTimeoutMs: number;
}

export type Client = Redis | Cluster;

/**
 * A connection set to fail fast: no offline queue and no per-request retries, reconnecting in the
 * background; a Redis Cluster when `cluster` says the URL is a seed node.
 */
export function connectRedis(options: RedisStoreOptions): Client {
  const common = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: 2_000,
    lazyConnect: false,
  };
  const retryStrategy = (attempt: number) => Math.min(100 * 2 ** attempt, 2_000);
  if (options.cluster) {
    const seed = new URL(options.url);
    return new Cluster([{ host: seed.hostname, port: Number(seed.port || 6379) }], {
      enableOfflineQueue: false,
      clusterRetryStrategy: retryStrategy,
      redisOptions: { ...common, ...(seed.password ? { password: decodeURIComponent(seed.password) } : {}) },
    });
  }
  return new Redis(options.url, { ...common, retryStrategy });
}

/**
 * Redis through ioredis, set to fail fast: no offline queue and no per-request retries, so a Redis
 * outage turns into prompt errors (which the guard counts as misses) instead of piled-up waits.
 * Keys carry a hash tag (see cache-keys.ts); in a cluster a batch is split by slot, one MGET each.
 */
export class RedisStore implements KeyValueStore {
  readonly kind = 'redis';
  private readonly client: Client;

  constructor(private readonly options: RedisStoreOptions) {
    this.client = connectRedis(options);
    // Errors surface on each command; the connection's own error events are expected while Redis is away.
    this.client.on('error', () => undefined);
    this.client.defineCommand('getOrLease', { lua: GET_OR_LEASE });
    this.client.defineCommand('setUnderLease', { numberOfKeys: 2, lua: SET_UNDER_LEASE });
    this.client.defineCommand('releaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE });
    this.client.defineCommand('incrementWindow', { numberOfKeys: 1, lua: INCREMENT });
  }

  async getMany(keys: readonly string[]): Promise<Array<string | undefined>> {
    if (keys.length === 0) return [];
    const results: Array<string | undefined> = new Array(keys.length);
    await Promise.all(
      this.bySlot(keys).map(async (indexes) => {
        const values = await this.client.mget(indexes.map((index) => keys[index] as string));
        indexes.forEach((index, position) => (results[index] = values[position] ?? undefined));
      }),
    );
    return results;
  }

  async getOrLease(keys: readonly KeyWithLease[], token: string, ttlMs: number, now: number): Promise<ReadOrLease[]> {
    const results: ReadOrLease[] = new Array(keys.length);
    if (keys.length === 0) return results;
    const client = this.client as unknown as { getOrLease(...args: Array<string | number>): Promise<Array<string | number | null>> };
    await Promise.all(
      this.bySlot(keys.map((entry) => entry.key)).map(async (indexes) => {
        const group = indexes.map((index) => keys[index] as KeyWithLease);
        const answer = await client.getOrLease(
          group.length * 2,
          ...group.map((entry) => entry.key),
          ...group.map((entry) => entry.leaseKey),
          token,
          String(Math.max(1, Math.round(ttlMs))),
          String(now),
        );
        indexes.forEach((index, position) => {
          const value = answer[2 * position];
          const lease = answer[2 * position + 1];
          results[index] = { value: typeof value === 'string' ? value : undefined, leased: lease === -1 ? undefined : lease === 1 };
        });
      }),
    );
    return results;
  }

  async setUnderLease(writes: readonly LeasedWrite[]): Promise<boolean[]> {
    return this.pipelined(writes.map((write) => write.key), (pipeline, indexes) => {
      for (const index of indexes) {
        const write = writes[index] as LeasedWrite;
        pipeline.setUnderLease(write.leaseKey, write.key, write.token, write.value, String(Math.max(1, Math.round(write.ttlMs))));
      }
    }).then((results) => results.map(([error, value]) => !error && value === 1));
  }

  async releaseLeases(leaseKeys: readonly string[], token: string): Promise<void> {
    await this.pipelined(leaseKeys, (pipeline, indexes) => {
      for (const index of indexes) pipeline.releaseLease(leaseKeys[index] as string, token);
    });
  }

  async acquireLeases(leaseKeys: readonly string[], token: string, ttlMs: number): Promise<boolean[]> {
    const results = await this.pipelined(leaseKeys, (pipeline, indexes) => {
      for (const index of indexes) pipeline.set(leaseKeys[index] as string, token, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    });
    return results.map(([error, value]) => !error && value === 'OK');
  }

  /**
   * One pipeline per slot group (a cluster pipeline must stay in one slot), run together; results come
   * back in the order of `keys`.
   */
  private async pipelined(keys: readonly string[], build: (pipeline: LeasePipeline, indexes: number[]) => void): Promise<Array<[Error | null, unknown]>> {
    const results: Array<[Error | null, unknown]> = new Array(keys.length);
    if (keys.length === 0) return results;
    await Promise.all(
      this.bySlot(keys).map(async (indexes) => {
        const pipeline = this.client.pipeline() as unknown as LeasePipeline;
        build(pipeline, indexes);
        const answers = (await pipeline.exec()) ?? [];
        indexes.forEach((index, position) => (results[index] = answers[position] ?? [new Error('no answer'), null]));
      }),
    );
    return results;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async delete(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await Promise.all(this.bySlot(keys).map((indexes) => this.client.del(...indexes.map((index) => keys[index] as string))));
  }

  async increment(key: string, ttlMs: number, by: number): Promise<number> {
    return (this.client as unknown as { incrementWindow(key: string, ttlMs: number, by: number): Promise<number> }).incrementWindow(key, Math.round(ttlMs), by);
  }

  /** Invalidations between instances on this Redis (its own subscribed connection, publishing on this one). */
  invalidationBus(options: RedisBusOptions): RedisInvalidationBus {
    return new RedisInvalidationBus(this.client, options);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  ready(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ready);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  /** Key indexes grouped so each group is one command: all of them outside a cluster, by slot inside one. */
  private bySlot(keys: readonly string[]): number[][] {
    if (!this.options.cluster) return [keys.map((_, index) => index)];
    const groups = new Map<number, number[]>();
    keys.forEach((key, index) => {
      const slot = calculateSlot(key);
      const group = groups.get(slot);
      if (group) group.push(index);
      else groups.set(slot, [index]);
    });
    return [...groups.values()];
  }
}

/** A pipeline with the Lua commands defined in the constructor. */
interface LeasePipeline {
  setUnderLease(leaseKey: string, key: string, token: string, value: string, ttlMs: string): void;
  releaseLease(leaseKey: string, token: string): void;
  set(key: string, value: string, px: 'PX', ttlMs: number, nx: 'NX'): void;
  exec(): Promise<Array<[Error | null, unknown]> | null>;
}
