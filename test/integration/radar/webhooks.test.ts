import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { type GatewayConfig } from '../../../src/config';
import { DEMO } from '../../../src/emulator/state/demo';
import { untyped } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

const SECRET = `whsec_${Buffer.from('certificate-gateway-webhook-test-secret').toString('base64')}`;
const DAY = 86_400_000;

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  event: { type: string; timestamp: string; data: { certificate: { id: string; nativeId: string; commonName?: string }; threshold?: number; change?: string } };
  verified: boolean;
}

/** A receiver as a user would write one: it checks every signature with the Standard Webhooks library. */
async function startReceiver(answer: (delivery: Delivery, seen: number) => number = () => 204) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        new Webhook(SECRET).verify(body, request.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const delivery = { headers: request.headers, body, event: JSON.parse(body) as Delivery['event'], verified };
      deliveries.push(delivery);
      const seen = deliveries.filter((other) => other.headers['webhook-id'] === request.headers['webhook-id']).length;
      response.statusCode = answer(delivery, seen);
      response.end();
    });
  });
  await once(server.listen(0, '127.0.0.1'), 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, deliveries, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function eventually<T>(read: () => T | undefined, what: string, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const UPLOAD = 'mutation Upload($input: UploadServerCertificateInput!) { uploadServerCertificate(input: $input) { id nativeId } }';

describe('webhooks of the expiry radar, on a shared Redis', () => {
  let redis: TestRedis;
  let emulator: TestEmulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let offset = 0;
  const gateways: TestGateway[] = [];
  const settings = (url: string, more: Partial<GatewayConfig> = {}): Partial<GatewayConfig> => ({
    redisUrl: redis.url,
    webhooks: [{ url, secret: SECRET, events: ['certificate.expiring', 'certificate.expired', 'certificate.issued', 'certificate.application_failed', 'certificate.changed'] }],
    webhookAllowPrivate: true,
    webhookRetryBaseMs: 200,
    ...more,
  });

  beforeAll(async () => {
    redis = await startTestRedis();
    emulator = await startTestEmulator();
    receiver = await startReceiver((delivery, seen) => (delivery.event.data.certificate.commonName === 'flaky.radar-test.net' && seen <= 2 ? 500 : 204));
    for (let i = 0; i < 2; i += 1) gateways.push(await startTestGateway(emulator, settings(receiver.url), { now: () => Date.now() + offset }));
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await receiver.close();
    await emulator.stop();
    await redis.stop();
  });

  const upload = async (gateway: TestGateway, commonName: string, days: number) => {
    const own = makeCertificate({ commonName, dnsNames: [commonName], days });
    const answer = await gateway.execute(untyped(UPLOAD), { input: { regionId: 'cn-hangzhou', serverCertificate: own.certificatePem, privateKey: own.privateKeyPem, name: commonName.split('.')[0] } });
    expect(answer.errors).toBeUndefined();
    return (answer.data as { uploadServerCertificate: { id: string } }).uploadServerCertificate.id;
  };
  const about = (id: string) => receiver.deliveries.filter((delivery) => delivery.event.data.certificate.id === id);
  const expiring = (id: string) =>
    about(id)
      .filter((delivery) => delivery.event.type === 'certificate.expiring')
      .map((delivery) => delivery.event.data.threshold)
      .sort((a, b) => (a ?? 0) - (b ?? 0));
  const sweepBoth = async () => {
    for (const gateway of gateways) {
      const began = Date.now();
      await gateway.sweepNow();
      await gateway.inventory.swept(began);
    }
  };

  it('announces a certificate 10 days from expiry at 30 and 14 days exactly once each across two instances and repeated sweeps, and at 7 days once the clock passes it', async () => {
    const id = await upload(gateways[0] as TestGateway, 'ten-days.radar-test.net', 10);
    await eventually(() => (expiring(id).length === 2 ? true : undefined), 'the 30- and 14-day events');

    await sweepBoth();
    await sweepBoth();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = expiring(id);
    offset = 4 * DAY;
    await sweepBoth();
    await sweepBoth();
    await eventually(() => (expiring(id).length === 3 ? true : undefined), 'the 7-day event');
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(before).toEqual([14, 30]);
    expect(expiring(id)).toEqual([7, 14, 30]);
    expect(about(id).every((delivery) => delivery.verified)).toBe(true);
    expect(about(id).find((delivery) => delivery.event.type === 'certificate.changed')?.event.data.change).toBe('uploaded');
    offset = 0;
  });

  it('delivers again with the same webhook-id after a receiver answers 500 twice', async () => {
    const id = await upload(gateways[1] as TestGateway, 'flaky.radar-test.net', 200);

    const changed = await eventually(() => {
      const attempts = about(id).filter((delivery) => delivery.event.type === 'certificate.changed');
      return attempts.length >= 3 ? attempts : undefined;
    }, 'three attempts');

    expect(changed.slice(0, 3).map((delivery) => delivery.headers['webhook-id'])).toEqual(Array(3).fill(changed[0]?.headers['webhook-id']));
    expect(changed.every((delivery) => delivery.verified)).toBe(true);
  });

  it('announces an applied certificate once its validation completes', async () => {
    const applied = await (gateways[0] as TestGateway).execute(
      untyped('mutation Apply($input: ApplyCertificateInput!) { applyCertificate(input: $input) { applications { certificateId } } }'),
      { input: { siteId: DEMO.sites.example, domains: ['radar-issued.example.com'] } },
    );
    const id = (applied.data as { applyCertificate: { applications: Array<{ certificateId: string }> } }).applyCertificate.applications[0]?.certificateId as string;
    await emulator.admin('POST', 'validations/complete', { siteId: DEMO.sites.example });

    await sweepBoth();

    const issued = await eventually(() => about(id).find((delivery) => delivery.event.type === 'certificate.issued'), 'certificate.issued');
    expect(issued.verified).toBe(true);
    expect(issued.body).not.toMatch(/BEGIN|PRIVATE KEY/);
  });

  it('refuses a loopback target unless private targets are allowed, and counts the refusal', async () => {
    // Without Redis, so its deliveries are its own (on the shared queue any instance's worker may take a job).
    const refusing = await startTestGateway(emulator, settings(receiver.url, { webhookAllowPrivate: false, redisUrl: undefined }));
    try {
      const id = await upload(refusing, 'private-target.radar-test.net', 200);
      const refused = async () => {
        const metric = await refusing.metrics.registry.getSingleMetric('gateway_webhook_deliveries_total')?.get();
        return metric?.values.find((value) => value.labels.outcome === 'refused')?.value ?? 0;
      };
      const deadline = Date.now() + 10_000;
      while ((await refused()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));

      expect(await refused()).toBeGreaterThan(0);
      expect(about(id)).toEqual([]);
    } finally {
      await refusing.stop();
    }
  });
});
