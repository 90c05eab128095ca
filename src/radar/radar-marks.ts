import { connectRedis, type Client, type RedisStoreOptions } from '../cache/redis-store';

/**
 * Which announcements were made, ever: `claim` answers, per key, whether this call was the first to
 * make it, so N instances and repeated sweeps announce each mark once.
 */
export interface RadarMarks {
  claim(keys: readonly string[]): Promise<boolean[]>;
  /** Gives claimed marks back when their events could not be sent, so the next detection tries again. */
  release(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRadarMarks implements RadarMarks {
  private readonly made = new Set<string>();

  async claim(keys: readonly string[]): Promise<boolean[]> {
    return keys.map((key) => {
      if (this.made.has(key)) return false;
      this.made.add(key);
      return true;
    });
  }

  async release(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.made.delete(key);
  }

  async close(): Promise<void> {}
}

/** One set in Redis (a hash tag for Redis Cluster); SADD answers 1 only to the first to add a member. */
export class RedisRadarMarks implements RadarMarks {
  private readonly client: Client;

  constructor(options: RedisStoreOptions) {
    this.client = connectRedis({ ...options, commandTimeoutMs: Math.max(options.commandTimeoutMs, 5_000) });
    this.client.on('error', () => undefined);
  }

  async claim(keys: readonly string[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const key of keys) pipeline.sadd('cg:v1:{radar}:marks', key);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, added]) => !error && added === 1);
  }

  async release(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.client.srem('cg:v1:{radar}:marks', ...keys);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
