import { type Access } from '../../domain/access';
import { GatewayError } from '../../domain/errors/gateway-error';
import { type InventoryFilter } from '../../inventory/inventory-query';
import { matchesFilter } from '../../inventory/inventory-view';
import { type CertificateEvent } from '../../radar/certificate-event';
import { type EventBus } from '../../radar/event-bus';
import { entryOfEvent } from './event-certificate';

export interface EventStreamOptions {
  filter: InventoryFilter;
  /** The subscriber's key: its allow-lists decide which certificates it hears of at all. */
  access: Access;
  /** Days left under which a certificate is EXPIRING (for a `statuses` filter). */
  expiringDays: number;
  /** Events held for a subscriber that reads slower than they come; past this the stream ends with an error. */
  maxQueued?: number;
}

/**
 * A sweep can announce thousands of certificates in one burst, all delivered before the subscriber
 * reads one; past this many a subscriber is too far behind to be kept.
 */
const MAX_QUEUED = 10_000;

/**
 * The events one subscriber hears, from the moment it subscribes: those of certificates its key may
 * see that match its filter, judged one by one as they arrive. Listening stops when the stream is
 * ended (`return`), which graphql-ws does when the client completes or disconnects.
 */
export function certificateEventStream(bus: Pick<EventBus, 'subscribe'>, options: EventStreamOptions): AsyncIterableIterator<CertificateEvent> {
  const { access, filter, expiringDays } = options;
  // The caller's account, site and region allow-lists, as on every read.
  const accept = (event: CertificateEvent) => {
    const entry = entryOfEvent(event.certificate);
    return access.sees(entry.certificate.ref) && matchesFilter(entry, { filter, now: new Date(), expiringDays });
  };
  return new EventQueue(bus, accept, options.maxQueued ?? MAX_QUEUED);
}

class EventQueue implements AsyncIterableIterator<CertificateEvent> {
  private readonly queued: CertificateEvent[] = [];
  private waiting?: { resolve: (result: IteratorResult<CertificateEvent>) => void; reject: (error: Error) => void };
  private failure?: Error;
  private ended = false;
  private readonly unsubscribe: () => void;

  constructor(bus: Pick<EventBus, 'subscribe'>, accept: (event: CertificateEvent) => boolean, private readonly maxQueued: number) {
    this.unsubscribe = bus.subscribe((event) => {
      if (this.ended || !accept(event)) return;
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = undefined;
        resolve({ value: event, done: false });
      } else if (this.queued.length < this.maxQueued) {
        this.queued.push(event);
      } else {
        this.fail(new GatewayError('Throttling', `The subscriber fell more than ${this.maxQueued} events behind and was ended; subscribe again.`, { provider: 'GATEWAY' }));
      }
    });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<CertificateEvent> {
    return this;
  }

  next(): Promise<IteratorResult<CertificateEvent>> {
    const event = this.queued.shift();
    if (event) return Promise.resolve({ value: event, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<CertificateEvent>> {
    this.end();
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  private fail(error: Error): void {
    this.end();
    // What was queued is dropped: the subscriber hears at once that it missed events.
    this.queued.length = 0;
    if (this.waiting) {
      this.waiting.reject(error);
      this.waiting = undefined;
    } else {
      this.failure = error;
    }
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribe();
  }
}
