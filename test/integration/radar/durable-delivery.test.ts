import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

const SECRET = `whsec_${Buffer.from('durable-delivery-test-secret-0123').toString('base64')}`;
const REPO = resolve(__dirname, '../../..');

/** The gateway as `npm start` runs it, in a process of its own that the test can SIGKILL. */
async function startGatewayProcess(env: Record<string, string>): Promise<{ child: ChildProcess; graphqlUrl: string }> {
  const child = spawn(process.execPath, ['-r', './scripts/ts-register.js', 'src/main.ts'], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (!line.startsWith('{')) continue;
    const parsed = JSON.parse(line) as { msg?: string; graphql?: string };
    if (parsed.msg === 'gateway listening' && parsed.graphql) return { child, graphqlUrl: parsed.graphql };
  }
  throw new Error('the gateway process ended before it listened');
}

describe('webhook deliveries survive a killed gateway', () => {
  let redis: TestRedis;
  let emulator: TestEmulator;
  let receiver: Server;
  const deliveries: Array<{ id: string; type: string; commonName: string; answered: boolean }> = [];
  const held: ServerResponse[] = [];
  let firstArrived: () => void = () => undefined;
  const arrived = new Promise<void>((done) => (firstArrived = done));

  beforeAll(async () => {
    redis = await startTestRedis();
    emulator = await startTestEmulator();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        const event = JSON.parse(body) as { type: string; data: { certificate: { commonName: string } } };
        const ours = event.data.certificate.commonName === 'durable.radar-test.net' && event.type === 'certificate.changed';
        const first = ours && !deliveries.some((delivery) => delivery.commonName === 'durable.radar-test.net');
        deliveries.push({ id: String(request.headers['webhook-id']), type: event.type, commonName: event.data.certificate.commonName, answered: !first });
        if (first) {
          // Never answered: the delivery is under way when its gateway dies.
          held.push(response);
          firstArrived();
          return;
        }
        response.statusCode = 204;
        response.end();
      });
    });
    await once(receiver.listen(0, '127.0.0.1'), 'listening');
  });
  afterAll(async () => {
    for (const response of held) response.destroy();
    receiver.closeAllConnections();
    await new Promise((done) => receiver.close(done));
    await emulator.stop();
    await redis.stop();
  });

  it('delivers after a restart the event whose delivery was under way when the gateway was SIGKILLed, with the same webhook-id', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const webhooks = [{ url, secret: SECRET, events: ['certificate.changed'] }];
    const [accessKeyId, accessKeySecret] = [...emulator.accessKeys][0] as [string, string];
    const { child, graphqlUrl } = await startGatewayProcess({
      GATEWAY_MODE: 'cloud',
      ALIBABA_CLOUD_ACCESS_KEY_ID: accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: accessKeySecret,
      ESA_ENDPOINT: emulator.endpoint,
      SLB_ENDPOINT: emulator.endpoint,
      ALIBABA_CLOUD_PROTOCOL: 'http',
      REDIS_URL: redis.url,
      AUTH_DISABLED: 'true',
      WEBHOOKS: JSON.stringify(webhooks),
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    try {
      const own = makeCertificate({ commonName: 'durable.radar-test.net', dnsNames: ['durable.radar-test.net'], days: 200 });
      const answer = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation Upload($input: UploadServerCertificateInput!) { uploadServerCertificate(input: $input) { id } }',
          variables: { input: { regionId: 'cn-hangzhou', serverCertificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'durable' } },
        }),
      });
      expect(answer.status).toBe(200);
      await arrived;
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }

    const restarted = await startTestGateway(emulator, { redisUrl: redis.url, webhooks: webhooks as never, webhookAllowPrivate: true, webhookRetryBaseMs: 200 });
    try {
      const deadline = Date.now() + 30_000;
      const ours = () => deliveries.filter((delivery) => delivery.commonName === 'durable.radar-test.net' && delivery.type === 'certificate.changed');
      while (!ours().some((delivery) => delivery.answered) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));

      expect(ours().length).toBeGreaterThanOrEqual(2);
      expect(ours().some((delivery) => delivery.answered)).toBe(true);
      expect(new Set(ours().map((delivery) => delivery.id)).size).toBe(1);
    } finally {
      await restarted.stop();
    }
  }, 90_000);
});
