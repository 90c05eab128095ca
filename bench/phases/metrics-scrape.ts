import { performance } from 'node:perf_hooks';
import { Gauge, Registry } from 'prom-client';
import { type Certificate, type CertificateRef } from '../../src/domain/certificate';
import { entryOf, type InventoryEntry } from '../../src/inventory/inventory-entry';
import { Sources } from '../../src/inventory/sources';
import { InventoryView } from '../../src/inventory/inventory-view';
import { certificateSeries } from '../../src/server/certificate-series';
import { GatewayMetrics } from '../../src/server/metrics';
import { type Inventory } from '../../src/inventory/inventory';
import { LocalEventBus } from '../../src/radar/event-bus';
import { Radar } from '../../src/radar/radar';
import { MemoryRadarMarks } from '../../src/radar/radar-marks';
import { type WebhookDispatcher } from '../../src/radar/webhook-queue';
import { median, percentile } from '../stats';

export interface MetricsScrapeSettings {
  certificates: number;
  samples: number;
  /** Scrapes of the same per-certificate series through prom-client gauges, for the ratio (each takes most of a second). */
  referenceSamples: number;
}

export interface MetricsScrapeResult {
  settings: MetricsScrapeSettings;
  /** GatewayMetrics.scrape(), the whole /metrics text as the route answers it, right after the inventory changed; wall time. */
  p50Ms: number;
  maxMs: number;
  /** CPU time (user + system) of one such scrape, median: what a busy machine's wall time hides. */
  cpuP50Ms: number;
  /** The same, nothing changed since the last scrape (the answer is reused). */
  unchangedP50Ms: number;
  unchangedCpuP50Ms: number;
  bytes: number;
  /** Lines of the per-certificate series (expiration and renewal). */
  series: number;
  /** The same series set on two labelled prom-client gauges and rendered by the registry. */
  promClientP50Ms: number;
  /** p50Ms / promClientP50Ms. */
  ratio: number;
  /** The radar's detection after a sweep over the same estate, every expiry mark new (the first sweep's case); wall time. */
  detectionP50Ms: number;
  /** Events that detection announced (each claimed once). */
  detectionEvents: number;
}

const DAY_MS = 86_400_000;
const LABELS = ['id', 'account', 'provider', 'kind', 'site', 'region', 'common_name', 'status'] as const;

/**
 * /metrics at scale, in process and without HTTP: a view of `certificates` generated entries (a mix
 * of ESA and SLB, a spread of expiry dates), scraped `samples` times after a warm-up, each right
 * after the inventory changed (the costly case: every entry read again), then `samples` times with
 * nothing changed. A scrape reads only memory, so this is CPU time on the event loop: what one scrape
 * holds every request up by.
 */
export async function measureMetricsScrape(settings: MetricsScrapeSettings, log: (line: string) => void): Promise<MetricsScrapeResult> {
  const entries = estate(settings.certificates);
  const view = new InventoryView();
  view.replaceAll(entries);
  const metrics = new GatewayMetrics();
  const listeners: Array<() => void> = [];
  metrics.watchInventory({ view, status: () => ({ lastSweepFinishedAt: new Date() }), onChange: (listener) => listeners.push(listener) }, 30);
  const changed = () => listeners.forEach((listener) => listener());

  for (let warm = 0; warm < 3; warm += 1) await metrics.scrape();
  let bytes = 0;
  const scrapes = async (change: boolean) => {
    const times: number[] = [];
    const cpu: number[] = [];
    for (let sample = 0; sample < settings.samples; sample += 1) {
      if (change) changed();
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      const text = await metrics.scrape();
      const used = process.cpuUsage(cpuStarted);
      times.push(performance.now() - started);
      cpu.push((used.user + used.system) / 1000);
      bytes = text.length;
    }
    return { times, cpu };
  };
  const { times, cpu } = await scrapes(true);
  const unchanged = await scrapes(false);
  const series = certificateSeries(view.entries(), new Date(), 30).text.split('\n').filter((line) => line && !line.startsWith('#')).length;

  const reference = await promClientTimes(view, settings.referenceSamples);
  const detection = await detectionTimes(view, settings.samples);
  const sorted = [...times].sort((a, b) => a - b);
  const p50Ms = median(times);
  const promClientP50Ms = median(reference);
  const result = {
    settings,
    p50Ms,
    maxMs: percentile(sorted, 1),
    cpuP50Ms: median(cpu),
    unchangedP50Ms: median(unchanged.times),
    unchangedCpuP50Ms: median(unchanged.cpu),
    bytes,
    series,
    promClientP50Ms,
    ratio: p50Ms / promClientP50Ms,
    detectionP50Ms: median(detection.times),
    detectionEvents: detection.events,
  };
  log(
    `/metrics at ${settings.certificates} certificates: p50 ${p50Ms.toFixed(1)} ms (CPU ${result.cpuP50Ms.toFixed(1)} ms), ${(bytes / 1e6).toFixed(2)} MB; ` +
      `through prom-client gauges ${promClientP50Ms.toFixed(0)} ms`,
  );
  return result;
}

/**
 * The expiry radar's detection over the view, as a sweep runs it: every certificate's expiry marks,
 * claimed in a store where none was made yet (so every one is announced), the events built and
 * handed to a dispatcher that keeps them. In process, marks in memory: Redis adds one pipelined round trip.
 */
async function detectionTimes(view: InventoryView, samples: number): Promise<{ times: number[]; events: number }> {
  const inventory = { view } as unknown as Inventory;
  const times: number[] = [];
  let events = 0;
  for (let sample = 0; sample < samples; sample += 1) {
    let queued = 0;
    const webhooks: WebhookDispatcher = { dispatch: async (found) => void (queued += found.length), close: async () => undefined };
    const radar = new Radar({ inventory, marks: new MemoryRadarMarks(), bus: new LocalEventBus(), webhooks, thresholds: [30, 14, 7, 1], expiringDays: 30, now: Date.now, failed: () => undefined });
    const started = performance.now();
    await radar.afterSweep([]);
    times.push(performance.now() - started);
    events = queued;
  }
  return { times, events };
}

/** What the scrape would cost with a labelled prom-client child per series. */
async function promClientTimes(view: InventoryView, samples: number): Promise<number[]> {
  const registry = new Registry();
  const expiration = new Gauge({ name: 'gateway_certificate_expiration_timestamp_seconds', help: '-', labelNames: LABELS, registers: [registry] });
  const renewal = new Gauge({ name: 'gateway_certificate_renewal_timestamp_seconds', help: '-', labelNames: LABELS, registers: [registry] });
  const times: number[] = [];
  for (let sample = 0; sample < samples + 1; sample += 1) {
    const started = performance.now();
    expiration.reset();
    renewal.reset();
    for (const entry of view.entries()) {
      const { certificate } = entry;
      const { ref } = certificate;
      if (!certificate.notAfter) continue;
      const labels = {
        id: entry.id,
        account: entry.accountId,
        provider: ref.provider,
        kind: ref.kind,
        site: ref.provider === 'ESA' ? ref.siteId : '',
        region: ref.provider === 'SLB' ? ref.regionId : '',
        common_name: certificate.commonName ?? '',
        status: 'ISSUED',
      };
      expiration.set(labels, certificate.notAfter.getTime() / 1000);
      if (certificate.notBefore) renewal.set(labels, certificate.notBefore.getTime() / 1000);
    }
    await registry.metrics();
    // The first round warms up.
    if (sample > 0) times.push(performance.now() - started);
  }
  return times;
}

/** A deterministic estate: 70% ESA (three kinds over 200 sites), 30% SLB over two regions, expiry from 20 days ago to a year ahead. */
function estate(count: number): InventoryEntry[] {
  let state = 7;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)] as T;
  const now = Date.now();
  return Array.from({ length: count }, (_, index) => {
    const siteId = String(1_000_000_000_000 + Math.floor(next() * 200));
    const ref: CertificateRef =
      next() < 0.7
        ? { provider: 'ESA', kind: pick(['EDGE', 'EDGE', 'CLIENT', 'ORIGIN_CLIENT'] as const), accountId: 'default', siteId, nativeId: `n${index}` }
        : { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: pick(['cn-hangzhou', 'cn-shanghai']), nativeId: `${index}-cn-hangzhou` };
    const notAfter = new Date(now + Math.round((next() * 385 - 20) * DAY_MS));
    const host = `${pick(['www', 'api', 'shop', 'mail'])}${index}.${pick(['example.com', 'example.org'])}`;
    const certificate: Certificate = {
      ref,
      name: `cert-${index}`,
      commonName: host,
      subjectAlternativeNames: [host],
      status: pick(['OK', 'OK', 'OK', 'Applying', undefined]),
      notBefore: new Date(notAfter.getTime() - 365 * DAY_MS),
      notAfter,
      createdAt: new Date(now - Math.round(next() * 100 * DAY_MS)),
      domainValidations: [],
    };
    return entryOf(certificate, Sources.of(ref));
  });
}
