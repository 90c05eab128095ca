import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { type SweepReport } from './inventory-sweep';
import { within } from './within';

export interface SweepSchedule {
  /** Starts sweeping: the first at once, then every interval. */
  start(): Promise<void>;
  /** Runs one sweep now, queued behind any running; resolves once that sweep has finished (or failed). */
  runNow(): Promise<void>;
  close(): Promise<void>;
}

export interface ScheduleOptions {
  intervalMs: number;
  sweep: () => Promise<SweepReport>;
  failed: (error: Error) => void;
}

const QUEUE = 'inventory-sweep';
const CLOSE_MS = 2_000;
/** The longest runNow waits for its sweep. */
const RUN_NOW_MS = 5 * 60_000;


/**
 * Sweeps on a BullMQ job scheduler in the shared Redis: every instance runs a worker and upserts the
 * same scheduler, the queue's global concurrency of one lets a single sweep run at a time across all
 * of them, and a sweep whose instance dies is taken up again once its lock expires. The keys carry a
 * hash tag so the queue works on a Redis Cluster.
 */
export class BullSweepSchedule implements SweepSchedule {
  private readonly queue: Queue;
  private readonly worker: Worker;

  constructor(
    connection: ConnectionOptions,
    private readonly options: ScheduleOptions,
  ) {
    const prefix = '{cg:v1:bull}';
    this.queue = new Queue(QUEUE, { connection, prefix, defaultJobOptions: { removeOnComplete: 100, removeOnFail: 100 } });
    this.queue.on('error', () => undefined);
    this.worker = new Worker(QUEUE, async () => options.sweep(), { connection, prefix, concurrency: 1, autorun: false, lockDuration: 60_000 });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (_job, error) => options.failed(error));
  }

  async start(): Promise<void> {
    await this.queue.setGlobalConcurrency(1);
    // A scheduler of `every` runs its first job at once, then every interval (BullMQ's job schedulers).
    await this.queue.upsertJobScheduler('sweep', { every: this.options.intervalMs }, { name: 'sweep' });
    void this.worker.run();
  }

  async runNow(): Promise<void> {
    const job = await this.queue.add('sweep', {});
    // Polled rather than heard (no QueueEvents connection for a call that tests and operators make rarely).
    const deadline = Date.now() + RUN_NOW_MS;
    while (Date.now() < deadline) {
      const state = await job.getState();
      if (state === 'completed' || state === 'failed' || state === 'unknown') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A sweep still running is left to its lock (another instance takes it up); a Redis that is gone does not hold the shutdown. */
  async close(): Promise<void> {
    await within(CLOSE_MS, Promise.all([this.worker.close(true), this.queue.close()]));
    // Whatever did not close in time (Redis unreachable) is cut, so no reconnecting connection outlives the gateway.
    await within(CLOSE_MS, Promise.all([this.worker.disconnect(), this.queue.disconnect()]));
  }
}

/** Without Redis: this process alone sweeps, the first at once, then every interval. */
export class LocalSweepSchedule implements SweepSchedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly options: ScheduleOptions) {}

  async start(): Promise<void> {
    void this.runNow();
    this.timer = setInterval(() => void this.runNow(), this.options.intervalMs);
    this.timer.unref();
  }

  runNow(): Promise<void> {
    this.running ??= this.options
      .sweep()
      .then(
        () => undefined,
        (error: Error) => this.options.failed(error),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
