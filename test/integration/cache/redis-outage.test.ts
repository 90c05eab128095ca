import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { CertificateDocument, SitesDocument } from '../../generated/graphql';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { eventually, hearsInvalidations } from '../../helpers/memory-caches';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

const edgeId = (nativeId: string) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example, nativeId });

describe('a gateway whose Redis dies mid-test', () => {
  let redis: TestRedis;
  let emulator: TestEmulator;
  let gateway: TestGateway;

  beforeAll(async () => {
    redis = await startTestRedis();
    emulator = await startTestEmulator();
    gateway = await startTestGateway(emulator, { redisUrl: redis.url });
  });
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
    await redis.stop();
  });

  const itWhenOwned = process.env.REDIS_URL ? it.skip : it;

  itWhenOwned('keeps answering every query correctly, from the cloud, and says so in readiness and metrics', async () => {
    const cachedId = edgeId(DEMO.edgeCertificates.upload);
    const before = await gateway.execute(CertificateDocument, { id: cachedId });
    expect(before.data?.certificate?.commonName).toBe('static.example.com');

    redis.kill();
    // Until it notices, the copy in memory is still good: nothing can have changed unheard.
    await eventually(async () => !(await hearsInvalidations(gateway)), 'the gateway notices Redis is gone');
    await emulator.admin('DELETE', 'stats');
    const answers = [];
    for (const id of [cachedId, edgeId(DEMO.edgeCertificates.free), cachedId, edgeId(DEMO.edgeCertificates.cas)]) {
      answers.push(await gateway.execute(CertificateDocument, { id }));
    }
    answers.push(await gateway.execute(SitesDocument));
    expect(answers.every((answer) => answer.status === 200 && answer.errors === undefined)).toBe(true);
    expect(answers[0]?.data).toEqual(before.data);
    expect(answers[4]?.data && 'sites' in answers[4].data ? answers[4].data.sites : []).toHaveLength(4);
    // Without the cache every certificate read goes to the cloud.
    expect((await emulator.stats())['ESA.GetCertificate']).toBe(4);

    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.redis).not.toBe('ok');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_cache_breaker_open 1/);
    expect(metrics).toMatch(/gateway_cache_store_errors_total\{operation="getMany"\} [1-9]/);
  });
});
