import { setTimeout as sleep } from 'node:timers/promises';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  ApplyCertificateDocument,
  ApplyCertificateIdsDocument,
  CertificateDocument,
  RenameCertificateDocument,
  ServerCertificatesDocument,
} from '../../generated/graphql';
import { onlyError } from '../../helpers/answers';
import { type TestEmulator } from '../../helpers/emulator';
import { gatewaysPerTest, type TestGateway } from '../../helpers/gateway';

const SITE = DEMO.sites.example;
const REGION = 'cn-hangzhou';
const edgeId = (nativeId: string) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: SITE, nativeId });
const UPLOADED = edgeId(DEMO.edgeCertificates.upload);
const FREE = edgeId(DEMO.edgeCertificates.free);
const ABSENT = edgeId('baba0000000000000000000000000000');

describe('upstream faults', () => {
  const cloud = gatewaysPerTest();
  const { gatewayWith } = cloud;
  let emulator: TestEmulator;
  beforeAll(() => ({ emulator } = cloud));
  const fault = (spec: Record<string, unknown>) => emulator.admin('POST', 'faults', spec);
  const calls = async (key: string) => (await emulator.stats())[key] ?? 0;
  /** One sample of the gateway's Prometheus text, as a scraper reads it. */
  const metric = async (gateway: TestGateway, series: string) => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  describe('reads', () => {
    it('answers an ESA read that meets ServiceUnavailable twice, after three calls to the cloud', async () => {
      const gateway = await gatewayWith();
      await fault({ product: 'ESA', action: 'GetCertificate', status: 503, code: 'ServiceUnavailable', count: 2 });

      const answer = await gateway.execute(CertificateDocument, { id: UPLOADED });

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.certificate).toMatchObject({ id: UPLOADED, provider: 'ESA', nativeId: DEMO.edgeCertificates.upload });
      expect(await calls('ESA.GetCertificate')).toBe(3);
      expect(await metric(gateway, 'gateway_upstream_retries_total{product="ESA",action="GetCertificate"}')).toBe(2);
    });

    it('answers an SLB read that meets ServiceUnavailable twice, after three calls to the cloud', async () => {
      const gateway = await gatewayWith();
      await fault({ product: 'SLB', action: 'DescribeServerCertificates', status: 503, code: 'ServiceUnavailable', count: 2 });

      // The region's list is the inventory's; certificate(id:) reads the certificate from the cloud.
      const id = encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: REGION, nativeId: '1231579085529123_18b5e2c1a40_1714763408_709981430' });
      const answer = await gateway.execute(CertificateDocument, { id });

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.certificate).toMatchObject({ id, kind: 'SERVER', commonName: expect.any(String) });
      expect(await calls('SLB.DescribeServerCertificates')).toBe(3);
    });

    it('retries a read refused with Throttling.User and answers once the throttling passes', async () => {
      const gateway = await gatewayWith();
      await fault({ product: 'ESA', action: 'GetCertificate', status: 400, code: 'Throttling.User', count: 1 });

      const answer = await gateway.execute(CertificateDocument, { id: UPLOADED });

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.certificate?.id).toBe(UPLOADED);
      expect(await calls('ESA.GetCertificate')).toBe(2);
    });

    it('reports persistent Throttling.User as THROTTLED and retryable, after three calls', async () => {
      const gateway = await gatewayWith();
      await fault({ product: 'ESA', action: 'GetCertificate', status: 400, code: 'Throttling.User' });

      const answer = await gateway.execute(CertificateDocument, { id: UPLOADED });

      expect(answer.data?.certificate).toBeNull();
      expect(onlyError(answer).extensions).toMatchObject({ code: 'Throttling.User', category: 'THROTTLED', provider: 'ESA', action: 'GetCertificate', retryable: true });
      expect(await calls('ESA.GetCertificate')).toBe(3);
    });

    it('never retries Certificate.NotFound: one call, and the answer says not found', async () => {
      const gateway = await gatewayWith();

      const answer = await gateway.execute(CertificateDocument, { id: ABSENT });

      expect(answer.data?.certificate).toBeNull();
      expect(onlyError(answer).extensions).toMatchObject({ code: 'Certificate.NotFound', category: 'NOT_FOUND', retryable: false });
      expect(await calls('ESA.GetCertificate')).toBe(1);
    });

    it('cuts a hung read off at the deadline with UPSTREAM_TIMEOUT, worth a retry', async () => {
      const gateway = await gatewayWith({ upstreamTimeoutMs: 1_500 });
      await fault({ product: 'ESA', action: 'GetCertificate', latencyMs: 20_000 });

      const started = performance.now();
      const answer = await gateway.execute(CertificateDocument, { id: UPLOADED });
      console.log(`hung GetCertificate with UPSTREAM_TIMEOUT_MS=1500 answered after ${Math.round(performance.now() - started)} ms`);

      expect(answer.data?.certificate).toBeNull();
      expect(onlyError(answer).extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT', category: 'UPSTREAM_UNAVAILABLE', provider: 'ESA', action: 'GetCertificate', retryable: true });
      // The first attempt used the whole budget, so no retry was started.
      expect(await calls('ESA.GetCertificate')).toBe(1);
    });
  });

  describe('mutations', () => {
    it('fails an SLB rename that meets one ServiceUnavailable, after exactly one call', async () => {
      const gateway = await gatewayWith();
      const listed = await gateway.execute(ServerCertificatesDocument, { regionId: REGION });
      const id = listed.data?.serverCertificates[0]?.id ?? '';
      await fault({ product: 'SLB', action: 'SetServerCertificateName', status: 503, code: 'ServiceUnavailable', count: 1 });

      const answer = await gateway.execute(RenameCertificateDocument, { id, name: 'renamed-during-outage' });

      // The fault covered one call only: a retry would have succeeded, so the error proves there was none.
      expect(onlyError(answer).extensions).toMatchObject({ code: 'ServiceUnavailable', category: 'UPSTREAM_UNAVAILABLE', action: 'SetServerCertificateName', retryable: true });
      expect(await calls('SLB.SetServerCertificateName')).toBe(1);
    });

    it('fails an ESA ApplyCertificate that meets one ServiceUnavailable, after exactly one call', async () => {
      const gateway = await gatewayWith();
      await fault({ product: 'ESA', action: 'ApplyCertificate', status: 503, code: 'ServiceUnavailable', count: 1 });

      const answer = await gateway.execute(ApplyCertificateDocument, { input: { siteId: SITE, domains: ['outage.example.com'] } });

      expect(onlyError(answer).extensions).toMatchObject({ code: 'ServiceUnavailable', action: 'ApplyCertificate', retryable: true });
      expect(await calls('ESA.ApplyCertificate')).toBe(1);
    });
  });

  describe('the circuit breaker', () => {
    const OPEN_MS = 400;

    /** Two reads against a failing GetCertificate: five failed calls open the ESA breaker. */
    async function openEsaBreaker(gateway: TestGateway) {
      await fault({ product: 'ESA', action: 'GetCertificate', status: 503, code: 'ServiceUnavailable' });
      for (let read = 0; read < 2; read++) {
        const answer = await gateway.execute(CertificateDocument, { id: UPLOADED });
        expect(onlyError(answer).extensions?.code).toBe('ServiceUnavailable');
      }
      expect(await calls('ESA.GetCertificate')).toBe(5);
    }

    it('refuses ESA calls at once, without reaching the cloud, once repeated failures have opened it', async () => {
      const gateway = await gatewayWith({ upstreamBreakerOpenMs: OPEN_MS });
      await openEsaBreaker(gateway);

      const refused = await gateway.execute(CertificateDocument, { id: FREE });
      const slb = await gateway.execute(ServerCertificatesDocument, { regionId: REGION });

      expect(onlyError(refused).extensions).toMatchObject({ code: 'UPSTREAM_UNREACHABLE', category: 'UPSTREAM_UNAVAILABLE', provider: 'ESA', retryable: true });
      expect(onlyError(refused).message).toContain('ESA circuit breaker is open');
      expect(await calls('ESA.GetCertificate')).toBe(5);
      expect(slb.errors).toBeUndefined();
      expect(await metric(gateway, 'gateway_upstream_breaker_open{product="ESA"}')).toBe(1);
      expect(await metric(gateway, 'gateway_upstream_breaker_open{product="SLB"}')).toBe(0);
    });

    it('closes after the open period when a trial call succeeds', async () => {
      const gateway = await gatewayWith({ upstreamBreakerOpenMs: OPEN_MS });
      await openEsaBreaker(gateway);
      await emulator.admin('DELETE', 'faults');
      await sleep(OPEN_MS + 50);

      const trial = await gateway.execute(CertificateDocument, { id: UPLOADED });
      const after = await gateway.execute(CertificateDocument, { id: FREE });

      expect(trial.data?.certificate?.id).toBe(UPLOADED);
      expect(after.data?.certificate?.id).toBe(FREE);
      expect(await calls('ESA.GetCertificate')).toBe(7);
      expect(await metric(gateway, 'gateway_upstream_breaker_open{product="ESA"}')).toBe(0);
    });
  });

  describe('the rate limit', () => {
    it('answers fifteen concurrent cold reads of distinct certificates at 5 calls/s, refusing none', async () => {
      const setup = await gatewayWith();
      const domains = Array.from({ length: 15 }, (_, index) => `paced${index}.example.com`);
      const applied = await setup.execute(ApplyCertificateIdsDocument, { input: { siteId: SITE, domains } });
      const ids = applied.data?.applyCertificate.applications.map((application) => application.certificateId) ?? [];
      expect(new Set(ids).size).toBe(15);
      await emulator.admin('DELETE', 'stats');
      const gateway = await gatewayWith({ upstreamEsaRatePerSecond: 5 });

      const started = performance.now();
      const answers = await Promise.all(ids.map((id) => gateway.execute(CertificateDocument, { id })));
      console.log(`15 concurrent cold reads at UPSTREAM_ESA_RATE_PER_SECOND=5 took ${Math.round(performance.now() - started)} ms`);

      expect(answers.map((answer) => answer.errors)).toEqual(ids.map(() => undefined));
      expect(answers.map((answer) => answer.data?.certificate?.id)).toEqual(ids);
      expect(await calls('ESA.GetCertificate')).toBe(15);
    });
  });
});
