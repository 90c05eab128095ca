import { connectRedis, type Client, type RedisStoreOptions } from '../cache/redis-store';
import { type CertificateEvent } from './certificate-event';

/**
 * Certificate events as every instance hears them: an event detected on one instance (a sweep, a
 * mutation) reaches the subscribers of all. At most once per instance; durable delivery is the
 * webhooks' queue, not this.
 */
export interface EventBus {
  publish(event: CertificateEvent): Promise<void>;
  /** Returns the function that stops listening. */
  subscribe(listener: (event: CertificateEvent) => void): () => void;
  close(): Promise<void>;
}

abstract class Listeners {
  private readonly listeners = new Set<(event: CertificateEvent) => void>();

  subscribe(listener: (event: CertificateEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected deliver(event: CertificateEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One listener's fault is its own.
      }
    }
  }
}

/** One process: events go straight to its listeners. */
export class LocalEventBus extends Listeners implements EventBus {
  async publish(event: CertificateEvent): Promise<void> {
    this.deliver(event);
  }

  async close(): Promise<void> {}
}

const CHANNEL = 'cg:v1:events';

/** Redis pub/sub on one channel; the subscription has its own connection. */
export class RedisEventBus extends Listeners implements EventBus {
  private readonly publisher: Client;
  private readonly subscriber: Client;

  constructor(options: RedisStoreOptions) {
    super();
    this.publisher = connectRedis(options);
    this.publisher.on('error', () => undefined);
    this.subscriber = this.publisher.duplicate();
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('message', (_channel: string, message: string) => {
      try {
        this.deliver(JSON.parse(message) as CertificateEvent);
      } catch {
        // Not an event of ours.
      }
    });
    const subscribe = () => void this.subscriber.subscribe(CHANNEL).catch(() => undefined);
    this.subscriber.on('ready', subscribe);
    if (this.subscriber.status === 'ready') subscribe();
  }

  async publish(event: CertificateEvent): Promise<void> {
    await this.publisher.publish(CHANNEL, JSON.stringify(event));
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }
}
