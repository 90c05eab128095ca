import { legacyCertificateId } from '../../../src/domain/global-id';
import { type Certificate } from '../../../src/domain/certificate';
import { Inventory } from '../../../src/inventory/inventory';
import { entryOf } from '../../../src/inventory/inventory-entry';
import { MemoryInventoryStore } from '../../../src/inventory/inventory-store';
import { type CertificateEvent } from '../../../src/radar/certificate-event';
import { LocalEventBus } from '../../../src/radar/event-bus';
import { Radar } from '../../../src/radar/radar';
import { MemoryRadarMarks } from '../../../src/radar/radar-marks';
import { attemptsFor, retryDelay, type WebhookDispatcher } from '../../../src/radar/webhook-queue';
import { isPrivateAddress, payloadOf } from '../../../src/radar/webhook-delivery';

const DAY = 86_400_000;
const START = Date.parse('2026-06-01T00:00:00Z');

function certificate(nativeId: string, daysLeft: number, status = 'OK', accountId = 'default'): Certificate {
  return {
    ref: { provider: 'SLB', kind: 'SERVER', accountId, regionId: 'cn-hangzhou', nativeId },
    name: nativeId,
    commonName: `${nativeId}.example.com`,
    subjectAlternativeNames: [`${nativeId}.example.com`],
    status,
    notBefore: new Date(START - 80 * DAY),
    notAfter: new Date(START + daysLeft * DAY),
    certificatePem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    domainValidations: [],
  };
}

async function setup() {
  let now = START;
  const inventory = new Inventory(new MemoryInventoryStore());
  await inventory.start();
  const heard: CertificateEvent[] = [];
  const queued: CertificateEvent[] = [];
  const bus = new LocalEventBus();
  bus.subscribe((event) => heard.push(event));
  const webhooks: WebhookDispatcher = { dispatch: async (events) => void queued.push(...events), close: async () => undefined };
  const radar = new Radar({ inventory, marks: new MemoryRadarMarks(), bus, webhooks, thresholds: [30, 14, 7, 1], expiringDays: 30, now: () => now, failed: () => undefined });
  return { inventory, radar, heard, queued, advance: (days: number) => (now += days * DAY) };
}

const summary = (events: readonly CertificateEvent[]) => events.map((event) => `${event.type}${event.threshold ? `:${event.threshold}` : ''}:${event.certificate.nativeId}`).sort();

describe('the expiry radar', () => {
  it('announces a certificate 10 days from expiry at 30 and 14 days once each, however often it looks, and at 7 days once the clock passes it', async () => {
    const { inventory, radar, queued, advance } = await setup();
    await inventory.upsert([certificate('ten', 10)]);

    await radar.afterSweep([]);
    await radar.afterSweep([]);
    const first = summary(queued);
    advance(4);
    await radar.afterSweep([]);
    await radar.afterSweep([]);

    expect(first).toEqual(['certificate.expiring:14:ten', 'certificate.expiring:30:ten']);
    expect(summary(queued)).toEqual(['certificate.expiring:14:ten', 'certificate.expiring:30:ten', 'certificate.expiring:7:ten']);
  });

  it("keeps knowing, for the first account, the marks made when ids did not carry the account", async () => {
    const { inventory, queued } = await setup();
    const marks = new MemoryRadarMarks();
    const entry = certificate('before', 10);
    // What was claimed before the change: the old id's marks.
    await marks.claim([`${legacyCertificateId(entry.ref)}:expiring:30`, `${legacyCertificateId(entry.ref)}:expiring:14`]);
    const bus = new LocalEventBus();
    const webhooks: WebhookDispatcher = { dispatch: async (events) => void queued.push(...events), close: async () => undefined };
    const upgraded = new Radar({ inventory, marks, bus, webhooks, thresholds: [30, 14, 7, 1], expiringDays: 30, firstAccount: 'default', now: () => START, failed: () => undefined });
    const other = new Radar({ inventory, marks, bus, webhooks, thresholds: [30, 14, 7, 1], expiringDays: 30, firstAccount: 'prod', now: () => START, failed: () => undefined });
    await inventory.upsert([entry]);
    await upgraded.afterSweep([]);
    expect(queued).toEqual([]);
    // Had the account not been the first, its marks would be new.
    await other.afterSweep([]);
    expect(summary(queued)).toEqual(['certificate.expiring:14:before', 'certificate.expiring:30:before']);
  });

  it('announces expiry once, and gives the same event the same id', async () => {
    const { inventory, radar, queued, advance } = await setup();
    await inventory.upsert([certificate('gone', 0.5)]);
    await radar.afterSweep([]);
    advance(1);

    await radar.afterSweep([]);
    await radar.afterSweep([]);

    expect(summary(queued).filter((line) => line.startsWith('certificate.expired'))).toEqual(['certificate.expired:gone']);
  });

  it('reads what a sweep changed: an application issued, one failed, a new certificate, one gone; nothing for a first read', async () => {
    const { radar, queued } = await setup();
    const pending = entryOf(certificate('app', 90, 'Applying'), 'default/SLB cn-hangzhou');
    const issued = entryOf(certificate('app', 90, 'OK'), 'default/SLB cn-hangzhou');
    const failing = entryOf(certificate('bad', 90, 'Applying'), 'default/SLB cn-hangzhou');
    const failed = entryOf(certificate('bad', 90, 'ApplyFailed'), 'default/SLB cn-hangzhou');
    const fresh = entryOf(certificate('new', 200), 'default/SLB cn-hangzhou');
    const old = entryOf(certificate('old', 200), 'default/SLB cn-hangzhou');

    await radar.afterSweep([
      { source: 'default/SLB cn-hangzhou', firstRead: false, changes: [{ before: pending, after: issued }, { before: failing, after: failed }, { after: fresh }, { before: old }] },
      { source: 'default/SLB cn-shanghai', firstRead: true, changes: [{ after: entryOf(certificate('known', 200), 'default/SLB cn-shanghai') }] },
    ]);

    expect(summary(queued)).toEqual(['certificate.application_failed:bad', 'certificate.changed:old', 'certificate.issued:app', 'certificate.issued:new']);
  });

  it('tells subscribers and webhooks of a mutation, with the expiry marks its result reached', async () => {
    const { radar, heard, queued } = await setup();

    await radar.updates().upsert([certificate('uploaded', 5)], 'uploaded');

    expect(summary(heard)).toEqual(['certificate.changed:uploaded', 'certificate.expiring:14:uploaded', 'certificate.expiring:30:uploaded', 'certificate.expiring:7:uploaded']);
    expect(queued.map((event) => event.id)).toEqual(heard.map((event) => event.id));
    expect(heard.find((event) => event.type === 'certificate.changed')?.change).toBe('uploaded');
  });

  it('names in each event the account of the certificate it is about', async () => {
    const { radar, heard } = await setup();

    await radar.updates().upsert([certificate('ours', 200), certificate('theirs', 5, 'OK', 'shop')], 'uploaded');

    const accounts = Object.fromEntries(heard.map((event) => [`${event.type}${event.threshold ? `:${event.threshold}` : ''}:${event.certificate.nativeId}`, event.certificate.accountId]));
    expect(accounts).toEqual({
      'certificate.changed:ours': 'default',
      'certificate.changed:theirs': 'shop',
      'certificate.expiring:30:theirs': 'shop',
      'certificate.expiring:14:theirs': 'shop',
      'certificate.expiring:7:theirs': 'shop',
    });
  });

  it('never puts a PEM or a key in a payload', async () => {
    const { radar, queued } = await setup();
    await radar.updates().upsert([certificate('pem', 5)], 'uploaded');

    for (const event of queued) expect(payloadOf(event)).not.toMatch(/BEGIN|PRIVATE|MIIB/);
  });

  it('gives marks back when the events cannot be queued, so the next look announces them', async () => {
    const { inventory } = await setup();
    await inventory.upsert([certificate('retry', 10)]);
    let broken = true;
    const queued: CertificateEvent[] = [];
    const webhooks: WebhookDispatcher = {
      dispatch: async (events) => {
        if (broken) throw new Error('Redis is away');
        queued.push(...events);
      },
      close: async () => undefined,
    };
    const radar = new Radar({ inventory, marks: new MemoryRadarMarks(), bus: new LocalEventBus(), webhooks, thresholds: [30, 14], expiringDays: 30, now: () => START, failed: () => undefined });

    await radar.afterSweep([]);
    broken = false;
    await radar.afterSweep([]);

    expect(summary(queued)).toEqual(['certificate.expiring:14:retry', 'certificate.expiring:30:retry']);
  });
});

describe('webhook delivery rules', () => {
  it('retries for at least a day, each wait doubling up to an hour', () => {
    const attempts = attemptsFor(10_000);
    let waited = 0;
    for (let attempt = 1; attempt < attempts; attempt += 1) waited += retryDelay(attempt, 10_000);

    expect(retryDelay(1, 10_000)).toBe(10_000);
    expect(retryDelay(2, 10_000)).toBe(20_000);
    expect(retryDelay(30, 10_000)).toBe(3_600_000);
    expect(waited).toBeGreaterThanOrEqual(24 * 3_600_000);
    expect(waited - retryDelay(attempts - 1, 10_000)).toBeLessThan(24 * 3_600_000);
  });

  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['::1', true],
    ['fd00::1', true],
    ['::ffff:10.0.0.1', true],
    ['8.8.8.8', false],
    ['2001:4860:4860::8888', false],
  ])('judges %s private: %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
