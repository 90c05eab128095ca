import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { type CertificateEvent } from './certificate-event';
import { deliver, RefusedTarget, type DeliveryOutcome } from './webhook-delivery';
import { within } from '../inventory/within';
import { type WebhookTarget } from './webhook-settings';

export interface DeadLetter {
  eventId: string;
  type: string;
  url: string;
  attempts: number;
  error: string;
  at: string;
}

export interface DispatchOptions {
  targets: readonly WebhookTarget[];
  allowPrivate: boolean;
  /** The first retry's wait; each next one doubles, up to an hour. */
  retryBaseMs: number;
  observe: (outcome: DeliveryOutcome) => void;
  /** Hears deliveries given up on (the dead-letter record). */
  dead: (letter: DeadLetter) => void;
  /** Runs each delivery attempt as a trace of its own, when tracing is on. */
  traced?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/** One attempt, traced when tracing is on. */
function attemptDelivery(options: DispatchOptions, target: WebhookTarget, event: CertificateEvent): Promise<void> {
  const work = () => deliver(target, event, { allowPrivate: options.allowPrivate });
  return options.traced ? options.traced('webhook delivery', work) : work();
}

/** Retries go on for at least a day. */
const RETRY_FOR_MS = 24 * 3600 * 1000;
const LONGEST_WAIT_MS = 3600 * 1000;

export function retryDelay(attemptsMade: number, baseMs: number): number {
  return Math.min(LONGEST_WAIT_MS, baseMs * 2 ** Math.max(0, attemptsMade - 1));
}

/** Attempts, the first included, whose waits add up to at least a day. */
export function attemptsFor(baseMs: number): number {
  let waited = 0;
  let attempts = 1;
  while (waited < RETRY_FOR_MS) waited += retryDelay(attempts++, baseMs);
  return attempts;
}

/** Sends each event to the webhooks that asked for its type, at least once. */
export interface WebhookDispatcher {
  dispatch(events: readonly CertificateEvent[]): Promise<void>;
  close(): Promise<void>;
}

interface DeliveryJob {
  target: number;
  event: CertificateEvent;
}

/**
 * Deliveries as BullMQ jobs in the shared Redis: a job per event and target, its id made of both (an
 * event queued twice is delivered once), retried with exponential backoff for at least a day, then
 * recorded as a dead letter. A gateway killed mid-delivery loses nothing: the job's lock lapses and
 * a worker of any instance takes it up again. The secret stays in the settings, never in Redis.
 */
export class QueuedWebhookDispatcher implements WebhookDispatcher {
  private readonly queue: Queue<DeliveryJob>;
  private readonly worker: Worker<DeliveryJob>;
  private readonly attempts: number;

  constructor(
    connection: ConnectionOptions,
    private readonly options: DispatchOptions,
    tuning: { lockMs?: number } = {},
  ) {
    const prefix = '{cg:v1:bull}';
    this.attempts = attemptsFor(options.retryBaseMs);
    this.queue = new Queue<DeliveryJob>('webhooks', { connection, prefix });
    this.queue.on('error', () => undefined);
    // Short, since a live worker renews it while a delivery runs: a dead one's job is taken up again within seconds.
    const lockDuration = tuning.lockMs ?? 5_000;
    this.worker = new Worker<DeliveryJob>('webhooks', (job) => this.attempt(job), {
      connection,
      prefix,
      concurrency: 8,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
      maxStalledCount: 10,
      settings: { backoffStrategy: (attemptsMade: number) => retryDelay(attemptsMade, options.retryBaseMs) },
    });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof RefusedTarget || error.name === 'UnrecoverableError' || job.attemptsMade >= this.attempts;
      if (!final) return options.observe('retried');
      const target = options.targets[job.data.target];
      options.observe(error.name === 'UnrecoverableError' ? 'refused' : 'failed');
      options.dead({ eventId: job.data.event.id, type: job.data.event.type, url: target?.url ?? '', attempts: job.attemptsMade, error: error.message, at: new Date().toISOString() });
    });
  }

  async dispatch(events: readonly CertificateEvent[]): Promise<void> {
    const jobs = events.flatMap((event) =>
      this.options.targets.flatMap((target, index) =>
        target.events.includes(event.type)
          ? [{ name: event.type, data: { target: index, event }, opts: { jobId: `${event.id}-${index}`, attempts: this.attempts, backoff: { type: 'custom' }, removeOnComplete: 1_000, removeOnFail: 1_000 } }]
          : [],
      ),
    );
    if (jobs.length) await this.queue.addBulk(jobs);
  }

  private async attempt(job: Job<DeliveryJob>): Promise<void> {
    const target = this.options.targets[job.data.target];
    if (!target) return;
    try {
      await attemptDelivery(this.options, target, job.data.event);
      this.options.observe('delivered');
    } catch (error) {
      if (error instanceof RefusedTarget) {
        // No retry can make a private address public.
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  }

  /** A delivery under way is left to its lock (retried by whichever worker takes it up); a Redis that is gone does not hold the shutdown. */
  async close(): Promise<void> {
    await within(2_000, Promise.all([this.worker.close(true), this.queue.close()]));
    // Whatever did not close in time (Redis unreachable) is cut, so no reconnecting connection outlives the gateway.
    await within(2_000, Promise.all([this.worker.disconnect(), this.queue.disconnect()]));
  }
}

/**
 * Without Redis: deliveries from this process, retried on timers with the same backoff. Nothing
 * survives a restart (the start-up warning about REDIS_URL says as much).
 */
export class LocalWebhookDispatcher implements WebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly attempts: number;

  constructor(private readonly options: DispatchOptions) {
    this.attempts = attemptsFor(options.retryBaseMs);
  }

  async dispatch(events: readonly CertificateEvent[]): Promise<void> {
    for (const event of events) {
      this.options.targets.forEach((target, index) => {
        if (target.events.includes(event.type)) void this.attempt(index, event, 1);
      });
    }
  }

  private async attempt(index: number, event: CertificateEvent, attempt: number): Promise<void> {
    const target = this.options.targets[index] as WebhookTarget;
    try {
      await attemptDelivery(this.options, target, event);
      this.options.observe('delivered');
    } catch (error) {
      const refused = error instanceof RefusedTarget;
      if (refused || attempt >= this.attempts) {
        this.options.observe(refused ? 'refused' : 'failed');
        this.options.dead({ eventId: event.id, type: event.type, url: target.url, attempts: attempt, error: (error as Error).message, at: new Date().toISOString() });
        return;
      }
      this.options.observe('retried');
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.attempt(index, event, attempt + 1);
      }, retryDelay(attempt, this.options.retryBaseMs));
      timer.unref();
      this.timers.add(timer);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
