import { connectRedis, type Client, type RedisStoreOptions } from '../cache/redis-store';
import { decodeEntry, encodeEntry } from './inventory-entry';
import { type InventoryChange, type InventorySnapshot, type InventoryStore, type SourceStatus } from './inventory-store';

/** One hash tag for every key, so the atomic write works on a Redis Cluster too (one slot). */
const KEYS = {
  entries: 'cg:v1:{inv}:entries',
  sources: 'cg:v1:{inv}:sources',
  meta: 'cg:v1:{inv}:meta',
  channel: 'cg:v1:{inv}:changes',
};

/** Everything at once, so a loaded index and its version agree. */
const LOAD = `
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3]) }`;

/**
 * ARGV: channel, the change as JSON (without its version), then the upserts as count and id/entry
 * pairs, the removals as count and ids, the sources as count and name/status pairs, the dropped
 * sources as count and names, and the sweep's end time ('' for none). Applies it, numbers it, and publishes "<version> <change>" in one step.
 */
const WRITE = `
local i = 3
local n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HDEL', KEYS[1], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for _ = 1, n do redis.call('HDEL', KEYS[2], ARGV[i]); i = i + 1 end
if ARGV[i] ~= '' then redis.call('HSET', KEYS[3], 'lastSweepFinishedAt', ARGV[i]) end
local version = redis.call('HINCRBY', KEYS[3], 'version', 1)
redis.call('PUBLISH', ARGV[1], version .. ' ' .. ARGV[2])
return version`;

type Scripted = Client & {
  inventoryLoad(...keys: string[]): Promise<[string[], string[], string[]]>;
  inventoryWrite(...args: string[]): Promise<number>;
};

/**
 * The index in Redis: one hash of entries (JSON, no PEM, no key), one of sources, a version, and a
 * channel on which each numbered change is published whole, so an instance applies it without
 * reading Redis again. Loading 100,000 entries is one HGETALL; after that, only changes travel.
 */
export class RedisInventoryStore implements InventoryStore {
  private readonly client: Scripted;
  private readonly subscriber: Client;

  constructor(options: RedisStoreOptions) {
    // Loading a large index takes longer than a cache read may.
    this.client = connectRedis({ ...options, commandTimeoutMs: Math.max(options.commandTimeoutMs, 30_000) }) as Scripted;
    this.client.on('error', () => undefined);
    this.client.defineCommand('inventoryLoad', { numberOfKeys: 3, lua: LOAD });
    this.client.defineCommand('inventoryWrite', { numberOfKeys: 3, lua: WRITE });
    this.subscriber = this.client.duplicate();
    this.subscriber.on('error', () => undefined);
  }

  async load(): Promise<InventorySnapshot> {
    const [entries, sources, meta] = await this.client.inventoryLoad(KEYS.entries, KEYS.sources, KEYS.meta);
    const metaFields = pairs(meta);
    const lastSweepFinishedAt = metaFields.get('lastSweepFinishedAt');
    return {
      version: Number(metaFields.get('version') ?? 0),
      entries: [...pairs(entries).values()].map(decodeEntry),
      sources: [...pairs(sources).values()].map((text) => JSON.parse(text) as SourceStatus),
      ...(lastSweepFinishedAt ? { lastSweepFinishedAt } : {}),
    };
  }

  async write(change: Omit<InventoryChange, 'version'>): Promise<number> {
    const args = [
      KEYS.channel,
      JSON.stringify(change),
      String(change.upserts.length),
      ...change.upserts.flatMap((entry) => [entry.id, encodeEntry(entry)]),
      String(change.removals.length),
      ...change.removals,
      String(change.sources.length),
      ...change.sources.flatMap((source) => [source.name, JSON.stringify(source)]),
      String(change.droppedSources?.length ?? 0),
      ...(change.droppedSources ?? []),
      change.sweepFinishedAt ?? '',
    ];
    return Number(await this.client.inventoryWrite(KEYS.entries, KEYS.sources, KEYS.meta, ...args));
  }

  /**
   * Changes arrive in order on one connection. Whenever the subscription is (re)established the
   * instance may have missed some, so it loads again; so it does when a number is skipped.
   */
  listen(changed: (change: InventoryChange) => void, resync: () => void): void {
    this.subscriber.on('message', (_channel: string, message: string) => {
      const space = message.indexOf(' ');
      const change = JSON.parse(message.slice(space + 1)) as Omit<InventoryChange, 'version'>;
      changed({ ...change, upserts: change.upserts.map((entry) => decodeEntry(JSON.stringify(entry))), version: Number(message.slice(0, space)) });
    });
    const subscribe = () =>
      this.subscriber.subscribe(KEYS.channel).then(
        () => resync(),
        () => undefined,
      );
    this.subscriber.on('ready', () => void subscribe());
    if (this.subscriber.status === 'ready') void subscribe();
  }

  async version(): Promise<number> {
    return Number((await this.client.hget(KEYS.meta, 'version')) ?? 0);
  }

  async close(): Promise<void> {
    // Nothing is left to write: cut both connections rather than wait on a Redis that may be gone.
    this.subscriber.disconnect();
    this.client.disconnect();
  }
}

function pairs(flat: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i] as string, flat[i + 1] as string);
  return map;
}

