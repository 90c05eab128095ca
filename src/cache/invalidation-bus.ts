import { randomUUID } from 'node:crypto';
import { type Cluster, type Redis } from 'ioredis';

/** Every key: what a message of `*` says, and what a lost connection means. */
export const ALL_KEYS = '*';

export type InvalidationListener = (keys: readonly string[] | typeof ALL_KEYS) => void;

/**
 * How gateway instances tell each other that cached keys changed, so copies kept in process memory
 * (the local tier, the response cache) can be dropped everywhere. A process may only keep such copies
 * while it is `live`, that is while it is sure to hear every invalidation: with Redis, while its
 * subscription is up. Each invalidation, and each loss or return of the subscription, moves
 * `generation` on; a read that began in an older generation must not store what it read.
 */
export interface InvalidationBus {
  readonly live: boolean;
  readonly generation: number;
  /** Drops the keys here at once, then tells the other instances. */
  publish(keys: readonly string[]): Promise<void>;
  listen(listener: InvalidationListener): void;
  close(): Promise<void>;
}

/** Shared by both buses: listeners, the generation, and applying a message. */
abstract class BusBase implements InvalidationBus {
  private readonly listeners: InvalidationListener[] = [];
  private currentGeneration = 0;

  abstract readonly live: boolean;
  abstract publish(keys: readonly string[]): Promise<void>;
  abstract close(): Promise<void>;

  get generation(): number {
    return this.currentGeneration;
  }

  listen(listener: InvalidationListener): void {
    this.listeners.push(listener);
  }

  protected apply(keys: readonly string[] | typeof ALL_KEYS): void {
    this.currentGeneration += 1;
    for (const listener of this.listeners) listener(keys);
  }
}

/** One process and no Redis: invalidations only ever come from here. Always live. */
export class LocalInvalidationBus extends BusBase {
  readonly live = true;

  async publish(keys: readonly string[]): Promise<void> {
    this.apply(keys);
  }

  async close(): Promise<void> {}
}

export interface RedisBusOptions {
  channel: string;
  /** Called when the subscription is lost or comes back (for logs). */
  changed?: (live: boolean) => void;
}

/**
 * Redis pub/sub on one channel. The subscription uses its own connection (a subscribed connection can
 * do nothing else); publishing goes through the shared client. Messages are JSON `{from, keys}`, or
 * `*` for every key (an operator can send it with `redis-cli PUBLISH <channel> '*'`).
 *
 * While the subscription is down, messages are lost, so the bus is not live and local copies are
 * dropped; when it is back, they are dropped again (anything may have changed in between).
 */
export class RedisInvalidationBus extends BusBase {
  private readonly instance = randomUUID();
  private readonly subscriber: Redis | Cluster;
  private subscribed = false;

  constructor(
    private readonly publisher: Redis | Cluster,
    private readonly options: RedisBusOptions,
  ) {
    super();
    this.subscriber = publisher.duplicate();
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => void this.subscribe());
    for (const event of ['close', 'end', 'reconnecting']) this.subscriber.on(event, () => this.lost());
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === options.channel) this.receive(message);
    });
    if (this.subscriber.status === 'ready') void this.subscribe();
  }

  get live(): boolean {
    return this.subscribed;
  }

  async publish(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    this.apply(keys);
    await this.publisher.publish(this.options.channel, JSON.stringify({ from: this.instance, keys }));
  }

  async close(): Promise<void> {
    this.subscribed = false;
    this.subscriber.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.options.channel);
    } catch {
      return; // the connection went again; 'ready' comes back with it
    }
    if (this.subscribed) return;
    this.apply(ALL_KEYS);
    this.subscribed = true;
    this.options.changed?.(true);
  }

  private lost(): void {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.apply(ALL_KEYS);
    this.options.changed?.(false);
  }

  private receive(message: string): void {
    if (message === ALL_KEYS) return this.apply(ALL_KEYS);
    let parsed: { from?: unknown; keys?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return this.apply(ALL_KEYS); // unreadable: be safe
    }
    if (parsed.from === this.instance) return; // applied when published
    if (!Array.isArray(parsed.keys) || !parsed.keys.every((key) => typeof key === 'string')) return this.apply(ALL_KEYS);
    this.apply(parsed.keys as string[]);
  }
}
