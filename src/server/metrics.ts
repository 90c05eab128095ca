import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type CacheObserver } from '../cache/cache-observer';
import { CertificateSeriesWriter } from './certificate-series';
import { type InventoryEntry } from '../inventory/inventory-entry';

/** Distinct operation names that get series of their own; the rest share `other`. */
export const OPERATION_LABELS = 200;

export type UpstreamOutcome = 'ok' | 'error' | 'timeout' | 'unreachable';

export type WebhookDeliveryOutcome = 'delivered' | 'retried' | 'failed' | 'refused';
export const WEBHOOK_DELIVERY_OUTCOMES: readonly WebhookDeliveryOutcome[] = ['delivered', 'retried', 'failed', 'refused'];

/** What /metrics reads of the inventory (an `Inventory` fits): its entries and when a sweep last finished. */
export interface InventoryReadings {
  view: { entries(): Iterable<InventoryEntry> };
  status(): { lastSweepFinishedAt?: Date };
  /** Hears every change to the entries; when given, a scrape reuses the series while nothing changed. */
  onChange?(listener: () => void): void;
}

/** The gateway's Prometheus metrics, one registry per process (so tests may run several gateways). */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'operation' | 'outcome'>;
  /** Labelled children by operation label, so an observation does not hash its labels again. */
  private readonly requestChildren = new Map<string, Record<'ok' | 'error', Histogram.Internal<'operation' | 'outcome'>>>();
  private readonly upstreamCalls: Counter<'product' | 'action' | 'outcome'>;
  private readonly upstreamLatency: Histogram<'product' | 'action'>;
  private readonly cacheLookups: Counter<'result'>;
  private readonly cacheStoreErrors: Counter<'operation'>;
  private readonly cacheBreaker: Gauge;
  private readonly upstreamBreaker: Gauge<'product'>;
  private readonly upstreamRetries: Counter<'product' | 'action'>;
  private readonly answerCacheChildren: Record<'hit' | 'miss' | 'kept', Counter.Internal>;
  private readonly localCacheLive: Gauge;
  private readonly certificates: Gauge<'provider' | 'kind' | 'status'>;
  private readonly lastSweep: Gauge;
  private readonly sweepErrors: Counter<'account' | 'source'>;
  private readonly webhookDeliveries: Counter<'outcome'>;
  private inventory?: { readings: InventoryReadings; series: CertificateSeriesWriter; heard: boolean };

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Histogram({
      name: 'gateway_graphql_request_duration_seconds',
      help: 'GraphQL requests by operation name and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.upstreamCalls = new Counter({
      name: 'gateway_upstream_calls_total',
      help: 'Cloud API calls by product, action and outcome.',
      labelNames: ['product', 'action', 'outcome'],
      registers: [this.registry],
    });
    this.upstreamLatency = new Histogram({
      name: 'gateway_upstream_call_duration_seconds',
      help: 'Cloud API call latency by product and action.',
      labelNames: ['product', 'action'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.cacheLookups = new Counter({
      name: 'gateway_cache_lookups_total',
      help: 'Shared cache lookups: hit, miss, stale (served after an upstream failure), coalesced_process, coalesced_instances.',
      labelNames: ['result'],
      registers: [this.registry],
    });
    this.cacheStoreErrors = new Counter({
      name: 'gateway_cache_store_errors_total',
      help: 'Failed or timed-out cache store operations (each counted as a miss).',
      labelNames: ['operation'],
      registers: [this.registry],
    });
    this.cacheBreaker = new Gauge({
      name: 'gateway_cache_breaker_open',
      help: '1 while the cache store is skipped after repeated failures.',
      registers: [this.registry],
    });
    this.upstreamBreaker = new Gauge({
      name: 'gateway_upstream_breaker_open',
      help: "1 while a product's circuit breaker refuses calls (open, or half-open awaiting its trial call); 0 when closed.",
      labelNames: ['product'],
      registers: [this.registry],
    });
    this.upstreamRetries = new Counter({
      name: 'gateway_upstream_retries_total',
      help: 'Read calls repeated after a retryable upstream failure, by product and action.',
      labelNames: ['product', 'action'],
      registers: [this.registry],
    });
    const responseCacheLookups = new Counter({
      name: 'gateway_response_cache_total',
      help: 'Whole answers: hit (served from memory), miss (executed), kept (executed and kept for reuse).',
      labelNames: ['result'],
      registers: [this.registry],
    });
    this.answerCacheChildren = {
      hit: responseCacheLookups.labels({ result: 'hit' }),
      miss: responseCacheLookups.labels({ result: 'miss' }),
      kept: responseCacheLookups.labels({ result: 'kept' }),
    };
    this.localCacheLive = new Gauge({
      name: 'gateway_local_cache_live',
      help: '1 while this instance hears invalidations and so keeps certificates and answers in memory; 0 while it cannot.',
      registers: [this.registry],
    });
    this.certificates = new Gauge({
      name: 'gateway_certificates',
      help: 'Certificates in the inventory by provider, kind and status (the normalised status, EXPIRING_DAYS applied).',
      labelNames: ['provider', 'kind', 'status'],
      registers: [this.registry],
    });
    this.lastSweep = new Gauge({
      name: 'gateway_inventory_last_sweep_timestamp_seconds',
      help: 'When a sweep of the inventory last finished (on any instance), in seconds since the epoch; 0 until one has.',
      registers: [this.registry],
    });
    this.sweepErrors = new Counter({
      name: 'gateway_inventory_sweep_errors_total',
      help: "Sources (the list of ESA sites, an ESA site's certificates, an SLB region) this instance's sweeps could not read, one per source per sweep.",
      labelNames: ['account', 'source'],
      registers: [this.registry],
    });
    this.webhookDeliveries = new Counter({
      name: 'gateway_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retried (to be tried again), failed (given up), refused (a target not allowed).',
      labelNames: ['outcome'],
      registers: [this.registry],
    });
    for (const outcome of WEBHOOK_DELIVERY_OUTCOMES) this.webhookDeliveries.inc({ outcome }, 0);
  }

  /** From now on, /metrics reports the inventory's certificates, counted with EXPIRING_DAYS. */
  watchInventory(readings: InventoryReadings, expiringDays: number): void {
    const series = new CertificateSeriesWriter(expiringDays);
    readings.onChange?.(() => series.changed());
    this.inventory = { readings, series, heard: readings.onChange !== undefined };
  }

  /**
   * The text /metrics answers: the registry's metrics, then one expiration and one renewal series per
   * certificate in the inventory, all read from memory (no cloud call).
   */
  async scrape(): Promise<Buffer> {
    if (!this.inventory) return Buffer.from(await this.registry.metrics());
    const { readings } = this.inventory;
    const series = this.inventory.series.write(readings.view.entries(), new Date(), this.inventory.heard);
    this.certificates.reset();
    for (const { provider, kind, status, count } of series.counts) this.certificates.set({ provider, kind, status }, count);
    this.lastSweep.set((readings.status().lastSweepFinishedAt?.getTime() ?? 0) / 1000);
    const registered = await this.registry.metrics();
    return Buffer.concat([Buffer.from(registered.endsWith('\n') ? registered : `${registered}\n`), series.body]);
  }

  /** A sweep could not read `source` (counted once per source per sweep). */
  /** `source`: what was listed (`ESA site 1234567890123`, `SLB cn-hangzhou`), in `account`. */
  sweepFailed(account: string, source: string): void {
    this.sweepErrors.inc({ account, source });
  }

  /** One webhook delivery attempt's outcome. */
  webhookDelivery(outcome: WebhookDeliveryOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  /** A whole answer served from the response cache (hit), executed (miss), or executed and kept (kept). */
  answerCache(result: 'hit' | 'miss' | 'kept'): void {
    this.answerCacheChildren[result].inc();
  }

  /** Whether this instance hears invalidations, and so keeps copies in memory. */
  localCachesLive(live: boolean): void {
    this.localCacheLive.set(live ? 1 : 0);
  }

  /** The cache's reports as metrics; `log` hears about store failures. */
  cacheObserver(log: (message: string, fields: Record<string, unknown>) => void): CacheObserver {
    return {
      hits: (count) => this.cacheLookups.inc({ result: 'hit' }, count),
      misses: (count) => this.cacheLookups.inc({ result: 'miss' }, count),
      staleServed: (count) => this.cacheLookups.inc({ result: 'stale' }, count),
      coalesced: (count, across) => this.cacheLookups.inc({ result: `coalesced_${across}` }, count),
      storeFailed: (operation, error) => {
        this.cacheStoreErrors.inc({ operation });
        log('cache store call failed; treated as a miss', { operation, error: error.message });
      },
      breaker: (state) => {
        this.cacheBreaker.set(state === 'open' ? 1 : 0);
        log(`cache store breaker ${state}`, {});
      },
    };
  }

  /**
   * Operation names come from callers: the first OPERATION_LABELS distinct names get a series each,
   * every later one is counted under `other`, so no caller can grow /metrics without bound.
   */
  observeRequest(operation: string, outcome: 'ok' | 'error', seconds: number): void {
    let children = this.requestChildren.get(operation);
    if (!children) {
      const label = this.requestChildren.size < OPERATION_LABELS ? operation : 'other';
      children = this.requestChildren.get(label);
      if (!children) {
        children = { ok: this.requests.labels({ operation: label, outcome: 'ok' }), error: this.requests.labels({ operation: label, outcome: 'error' }) };
        this.requestChildren.set(label, children);
      }
    }
    children[outcome].observe(seconds);
  }

  upstreamBreakerOpen(product: string, open: boolean): void {
    this.upstreamBreaker.set({ product }, open ? 1 : 0);
  }

  upstreamRetried(product: string, action: string): void {
    this.upstreamRetries.inc({ product, action });
  }

  observeUpstream(product: string, action: string, outcome: UpstreamOutcome, seconds: number): void {
    this.upstreamCalls.inc({ product, action, outcome });
    this.upstreamLatency.observe({ product, action }, seconds);
  }
}
