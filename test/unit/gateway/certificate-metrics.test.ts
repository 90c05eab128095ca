import { type Certificate, type CertificateRef } from '../../../src/domain/certificate';
import { entryOf, type InventoryEntry } from '../../../src/inventory/inventory-entry';
import { Sources } from '../../../src/inventory/sources';
import { InventoryView } from '../../../src/inventory/inventory-view';
import { certificateSeries, CertificateSeriesWriter, EXPIRATION_SERIES, labelValue, MAX_LABEL_CHARS, RENEWAL_SERIES } from '../../../src/server/certificate-series';
import { GatewayMetrics } from '../../../src/server/metrics';
import { parseExposition, samplesNamed } from '../../helpers/prometheus-text';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');

function entry(ref: CertificateRef, facts: Partial<Certificate> = {}): InventoryEntry {
  const certificate: Certificate = {
    ref,
    commonName: 'www.example.com',
    subjectAlternativeNames: ['www.example.com'],
    notBefore: new Date(NOW.getTime() - 60 * DAY),
    notAfter: new Date(NOW.getTime() + 30 * DAY),
    domainValidations: [],
    ...facts,
  };
  return entryOf(certificate, Sources.of(ref));
}

const edge = (nativeId: string, facts: Partial<Certificate> = {}) => entry({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1000000000001', nativeId }, facts);
const server = (nativeId: string, facts: Partial<Certificate> = {}) => entry({ provider: 'SLB', kind: 'SERVER', accountId: 'shop', regionId: 'cn-hangzhou', nativeId }, facts);

async function scrapeOf(entries: readonly InventoryEntry[], lastSweepFinishedAt?: Date): Promise<string> {
  const view = new InventoryView();
  view.replaceAll(entries);
  const metrics = new GatewayMetrics();
  metrics.watchInventory({ view, status: () => (lastSweepFinishedAt ? { lastSweepFinishedAt } : {}) }, 30);
  return (await metrics.scrape()).toString('utf8');
}

describe('certificate series on /metrics', () => {
  it('gives each certificate one expiration and one renewal series labelled with where it lives and its status', () => {
    const esa = edge('e1', { notBefore: new Date(NOW.getTime() - 60 * DAY), notAfter: new Date(NOW.getTime() + 30 * DAY) });
    const slb = server('s1', { commonName: 'api.example.org', notBefore: new Date(NOW.getTime() - 10 * DAY), notAfter: new Date(NOW.getTime() + 80 * DAY) });
    const samples = parseExposition(certificateSeries([esa, slb], NOW, 30).text);

    const expirations = samplesNamed(samples, EXPIRATION_SERIES);
    expect(expirations).toEqual([
      {
        name: EXPIRATION_SERIES,
        labels: { id: esa.id, account: 'default', provider: 'ESA', kind: 'EDGE', site: '1000000000001', region: '', common_name: 'www.example.com', status: 'EXPIRING' },
        value: (NOW.getTime() + 30 * DAY) / 1000,
      },
      {
        name: EXPIRATION_SERIES,
        labels: { id: slb.id, account: 'shop', provider: 'SLB', kind: 'SERVER', site: '', region: 'cn-hangzhou', common_name: 'api.example.org', status: 'ISSUED' },
        value: (NOW.getTime() + 80 * DAY) / 1000,
      },
    ]);
    // Renewal is due two thirds of the way from notBefore to notAfter: 90 days of life, due at day 60.
    const renewals = samplesNamed(samples, RENEWAL_SERIES);
    expect(renewals.map((sample) => [sample.labels.id, sample.value])).toEqual([
      [esa.id, NOW.getTime() / 1000],
      [slb.id, (NOW.getTime() + 50 * DAY) / 1000],
    ]);
    expect(renewals.map((sample) => sample.labels)).toEqual(expirations.map((sample) => sample.labels));
  });

  it('reads the status with the configured EXPIRING_DAYS and the cloud’s own word where it decides', () => {
    const twentyDaysLeft = edge('e1', { notAfter: new Date(NOW.getTime() + 20 * DAY) });
    const revoked = entry({ provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: '1000000000001', nativeId: 'c1' }, { status: 'revoked' });
    const expired = edge('e2', { status: 'OK', notAfter: new Date(NOW.getTime() - DAY) });
    const statuses = (expiringDays: number) => samplesNamed(parseExposition(certificateSeries([twentyDaysLeft, revoked, expired], NOW, expiringDays).text), EXPIRATION_SERIES).map((sample) => sample.labels.status);
    expect(statuses(30)).toEqual(['EXPIRING', 'REVOKED', 'EXPIRED']);
    expect(statuses(14)).toEqual(['ISSUED', 'REVOKED', 'EXPIRED']);
  });

  it('moves a certificate’s status label as the clock crosses its thresholds between scrapes', () => {
    const writer = new CertificateSeriesWriter(30);
    const certificate = edge('e1', { notBefore: new Date(NOW.getTime() + DAY), notAfter: new Date(NOW.getTime() + 90 * DAY) });
    const at = (days: number) => {
      const { body, counts } = writer.write([certificate], new Date(NOW.getTime() + days * DAY), true);
      const status = samplesNamed(parseExposition(body.toString()), EXPIRATION_SERIES).map((sample) => sample.labels.status);
      return [status, counts.filter((count) => count.count > 0).map((count) => count.status)];
    };
    expect(at(0)).toEqual([['NOT_YET_VALID'], ['NOT_YET_VALID']]);
    expect(at(0.5)).toEqual([['NOT_YET_VALID'], ['NOT_YET_VALID']]);
    expect(at(2)).toEqual([['ISSUED'], ['ISSUED']]);
    expect(at(70)).toEqual([['EXPIRING'], ['EXPIRING']]);
    expect(at(90)).toEqual([['EXPIRED'], ['EXPIRED']]);
    expect(at(91)).toEqual([['EXPIRED'], ['EXPIRED']]);
  });

  it('leaves out the series a certificate has no dates for, and still counts it', () => {
    const pending = edge('e1', { status: 'Applying', notBefore: undefined, notAfter: undefined });
    const noStart = edge('e2', { notBefore: undefined });
    const series = certificateSeries([pending, noStart], NOW, 30);
    const samples = parseExposition(series.text);
    expect(samplesNamed(samples, EXPIRATION_SERIES).map((sample) => sample.labels.id)).toEqual([noStart.id]);
    expect(samplesNamed(samples, RENEWAL_SERIES)).toEqual([]);
    expect(series.counts.filter((count) => count.count > 0)).toEqual([
      { provider: 'ESA', kind: 'EDGE', status: 'PENDING', count: 1 },
      { provider: 'ESA', kind: 'EDGE', status: 'EXPIRING', count: 1 },
    ]);
  });

  it('escapes a common name’s quotes, backslashes and line feeds so it reads back as uploaded', () => {
    const hostile = 'evil"} 1\ngateway_certificates{status="ISSUED"} 9\\';
    const samples = parseExposition(certificateSeries([edge('e1', { commonName: hostile })], NOW, 30).text);
    expect(samples.map((sample) => sample.name)).toEqual([EXPIRATION_SERIES, RENEWAL_SERIES]);
    expect(samples[0]?.labels.common_name).toBe(hostile);
  });

  it('replaces other control characters and cuts long values without splitting a character', () => {
    expect(labelValue('a\rb\u0000c\td')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
    expect(labelValue('x'.repeat(5000))).toHaveLength(MAX_LABEL_CHARS);
    const emoji = `${'x'.repeat(MAX_LABEL_CHARS - 1)}😀`;
    expect(labelValue(emoji)).toBe('x'.repeat(MAX_LABEL_CHARS - 1));
    const samples = parseExposition(certificateSeries([edge('e1', { commonName: `${'y'.repeat(1000)}"` })], NOW, 30).text);
    expect(samples[0]?.labels.common_name).toBe('y'.repeat(MAX_LABEL_CHARS));
  });
});

describe('GatewayMetrics.scrape', () => {
  it('counts certificates by provider, kind and status, with zeros for the rest', async () => {
    // The scrape reads the clock: dates relative to now.
    const inDays = (days: number) => ({ notBefore: new Date(Date.now() - 300 * DAY), notAfter: new Date(Date.now() + days * DAY) });
    const samples = parseExposition(await scrapeOf([edge('e1', inDays(10)), edge('e2', inDays(20)), edge('e3', inDays(200)), server('s1', inDays(-1))]));
    const counts = samplesNamed(samples, 'gateway_certificates');
    const count = (provider: string, kind: string, status: string) => counts.find((sample) => sample.labels.provider === provider && sample.labels.kind === kind && sample.labels.status === status)?.value;
    expect(count('ESA', 'EDGE', 'EXPIRING')).toBe(2);
    expect(count('ESA', 'EDGE', 'ISSUED')).toBe(1);
    expect(count('SLB', 'SERVER', 'EXPIRED')).toBe(1);
    expect(count('ESA', 'ORIGIN_CLIENT', 'ISSUED')).toBe(0);
    expect(counts).toHaveLength(4 * 8);
    expect(counts.reduce((sum, sample) => sum + sample.value, 0)).toBe(4);
    expect(samplesNamed(samples, EXPIRATION_SERIES)).toHaveLength(4);
  });

  it('reports when a sweep last finished, and 0 before one has', async () => {
    const finished = new Date('2026-05-31T23:55:00Z');
    const lastSweep = async (at?: Date) => samplesNamed(parseExposition(await scrapeOf([], at)), 'gateway_inventory_last_sweep_timestamp_seconds').map((sample) => sample.value);
    expect(await lastSweep(finished)).toEqual([finished.getTime() / 1000]);
    expect(await lastSweep()).toEqual([0]);
  });

  it('follows the inventory as it changes between scrapes', async () => {
    const view = new InventoryView();
    const metrics = new GatewayMetrics();
    metrics.watchInventory({ view, status: () => ({}) }, 30);
    view.replaceAll([edge('e1')]);
    expect(samplesNamed(parseExposition((await metrics.scrape()).toString('utf8')), EXPIRATION_SERIES)).toHaveLength(1);
    view.apply([edge('e2'), server('s1')], [edge('e1').id]);
    expect(samplesNamed(parseExposition((await metrics.scrape()).toString('utf8')), EXPIRATION_SERIES).map((sample) => sample.labels.id)).toEqual([edge('e2').id, server('s1').id]);
  });

  it('hears the inventory change when it can, and answers the new entries', async () => {
    const view = new InventoryView();
    const listeners: Array<() => void> = [];
    const metrics = new GatewayMetrics();
    metrics.watchInventory({ view, status: () => ({}), onChange: (listener) => listeners.push(listener) }, 30);
    const ids = async () => samplesNamed(parseExposition((await metrics.scrape()).toString('utf8')), EXPIRATION_SERIES).map((sample) => sample.labels.id);
    view.replaceAll([edge('e1')]);
    for (const listener of listeners) listener();
    expect(await ids()).toEqual([edge('e1').id]);
    expect(await ids()).toEqual([edge('e1').id]);
    view.apply([server('s1')], []);
    for (const listener of listeners) listener();
    expect(await ids()).toEqual([edge('e1').id, server('s1').id]);
  });

  it('starts every webhook delivery outcome at 0 and counts each delivery', async () => {
    const metrics = new GatewayMetrics();
    const deliveries = async () => Object.fromEntries(samplesNamed(parseExposition((await metrics.scrape()).toString('utf8')), 'gateway_webhook_deliveries_total').map((sample) => [sample.labels.outcome, sample.value]));
    expect(await deliveries()).toEqual({ delivered: 0, retried: 0, failed: 0, refused: 0 });
    metrics.webhookDelivery('retried');
    metrics.webhookDelivery('retried');
    metrics.webhookDelivery('delivered');
    expect(await deliveries()).toEqual({ delivered: 1, retried: 2, failed: 0, refused: 0 });
  });

  it('counts sweep errors by source, each source named with its account', async () => {
    const metrics = new GatewayMetrics();
    metrics.sweepFailed('default', 'SLB cn-hangzhou');
    metrics.sweepFailed('default', 'SLB cn-hangzhou');
    metrics.sweepFailed('shop', 'SLB cn-hangzhou');
    metrics.sweepFailed('default', 'ESA site 1000000000001');
    const errors = samplesNamed(parseExposition((await metrics.scrape()).toString('utf8')), 'gateway_inventory_sweep_errors_total');
    expect(Object.fromEntries(errors.map((sample) => [`${sample.labels.account} ${sample.labels.source}`, sample.value]))).toEqual({
      'default SLB cn-hangzhou': 2,
      'shop SLB cn-hangzhou': 1,
      'default ESA site 1000000000001': 1,
    });
  });
});
