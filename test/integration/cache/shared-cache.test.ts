import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  ApplyCertificateDocument,
  CertificateDocument,
  CreateClientCertificateDocument,
  DeleteCertificateDocument,
  NodesWithPemDocument,
  RenameCertificateDocument,
  RevokeClientCertificateDocument,
  ServerCertificatesDocument,
  SiteWithCertificatesDocument,
  UploadOriginClientCertificateDocument,
  UploadServerCertificateDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { certificatesOf } from '../../helpers/nodes';
import { makeCertificate } from '../../helpers/openssl';
import { gatewayEntries, startTestRedis, type TestRedis } from '../../helpers/redis';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

const SITE = DEMO.sites.example;
const edgeId = (nativeId: string) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: SITE, nativeId });
const serverId = (regionId: string, nativeId: string) => encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId, nativeId });

describe('the shared Redis cache across gateway instances', () => {
  let redis: TestRedis;
  let emulator: TestEmulator;
  let first: TestGateway;
  let second: TestGateway;

  const instances = twoGatewaysOnOneRedis();
  beforeAll(() => ({ redis, emulator, first, second } = instances));

  /**
   * Ten edge certificates on the example site: the demo's three and seven more. The batches below ask
   * for the PEM, which the inventory does not hold, so every certificate is read from the cloud.
   */
  async function tenEdgeIds(): Promise<string[]> {
    const esa = new AlibabaTestClient(emulator, 'ESA');
    const ids: string[] = Object.values(DEMO.edgeCertificates).map(edgeId);
    for (let i = 0; i < 7; i += 1) {
      const set = await esa.call<{ Id: string }>('SetCertificate', { SiteId: SITE, Type: 'cas', CasId: DEMO.casCertificates.shop, Name: `cached-${i}` });
      ids.push(edgeId(set.Id));
    }
    await emulator.admin('DELETE', 'stats');
    return ids;
  }

  it('fetches ten distinct ids asked twice with at most ten calls, then none, from either instance', async () => {
    const ids = await tenEdgeIds();
    const cold = await first.execute(NodesWithPemDocument, { ids: [...ids, ...ids] });
    expect(cold.errors).toBeUndefined();
    expect(certificatesOf(cold.data?.nodes).map((certificate) => certificate?.id)).toEqual([...ids, ...ids]);
    // One call per distinct id: the repeats are joined in the request's loader, the cache is cold.
    expect((await emulator.stats())['ESA.GetCertificate']).toBe(10);

    await emulator.admin('DELETE', 'stats');
    const warm = await first.execute(NodesWithPemDocument, { ids: [...ids, ...ids] });
    const elsewhere = await second.execute(NodesWithPemDocument, { ids });
    expect(warm.data).toEqual(cold.data);
    expect(elsewhere.data?.nodes).toEqual(cold.data?.nodes.slice(0, 10));
    expect(await emulator.stats()).toEqual({});
  });

  it('answers 60 concurrent identical cold queries over two instances with one call per id', async () => {
    const ids = (await tenEdgeIds()).slice(0, 5);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? first : second).execute(NodesWithPemDocument, { ids })));
    expect(answers.every((answer) => answer.data?.nodes.length === 5 && answer.data.nodes.every(Boolean) && !answer.errors)).toBe(true);
    expect((await emulator.stats())['ESA.GetCertificate']).toBe(5);
  });

  it('reads three SLB certificates of one region with one DescribeServerCertificates', async () => {
    const slb = new AlibabaTestClient(emulator, 'SLB');
    const extra = await slb.call<{ ServerCertificateId: string }>('UploadServerCertificate', { RegionId: 'cn-hangzhou', AliCloudCertificateId: DEMO.casCertificates.shop });
    const listed = await slb.call<{ ServerCertificates: { ServerCertificate: Array<{ ServerCertificateId: string }> } }>('DescribeServerCertificates', {
      RegionId: 'cn-hangzhou',
    });
    const ids = listed.ServerCertificates.ServerCertificate.map((item) => serverId('cn-hangzhou', item.ServerCertificateId));
    expect(ids).toHaveLength(3);
    expect(ids).toContain(serverId('cn-hangzhou', extra.ServerCertificateId));
    await emulator.admin('DELETE', 'stats');
    const answer = await first.execute(NodesWithPemDocument, { ids });
    expect(answer.data?.nodes.every(Boolean)).toBe(true);
    expect(await emulator.stats()).toEqual({ 'SLB.DescribeServerCertificates': 1 });
  });

  it('remembers a documented not-found briefly, so repeating it costs nothing', async () => {
    const missing = edgeId('0123456789abcdef0123456789abcdef');
    await first.execute(CertificateDocument, { id: missing });
    const again = await second.execute(CertificateDocument, { id: missing });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'Certificate.NotFound', category: 'NOT_FOUND' });
    expect((await emulator.stats())['ESA.GetCertificate']).toBe(1);
  });

  describe('invalidation: a change made through one instance shows at once on the other', () => {
    it('after renameCertificate', async () => {
      const id = serverId('cn-hangzhou', '1231579085529123_18b5e2c1a40_1714763408_709981430');
      await second.execute(CertificateDocument, { id });
      await first.execute(RenameCertificateDocument, { id, name: 'renamed-through-first' });
      expect((await second.execute(CertificateDocument, { id })).data?.certificate?.name).toBe('renamed-through-first');
    });

    it('after revokeClientCertificate', async () => {
      const id = encodeCertificateId({ provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: SITE, nativeId: DEMO.clientCertificate });
      expect((await second.execute(CertificateDocument, { id })).data?.certificate?.upstreamStatus).toBe('active');
      await first.execute(RevokeClientCertificateDocument, { id });
      expect((await second.execute(CertificateDocument, { id })).data?.certificate?.upstreamStatus).toBe('revoked');
    });

    it('after deleteCertificate, including the site list', async () => {
      const id = edgeId(DEMO.edgeCertificates.upload);
      await second.execute(CertificateDocument, { id });
      await second.execute(SiteWithCertificatesDocument, { id: SITE });
      await first.execute(DeleteCertificateDocument, { id });
      expect((await second.execute(CertificateDocument, { id })).errors?.[0]?.extensions?.code).toBe('Certificate.NotFound');
      const site = await second.execute(SiteWithCertificatesDocument, { id: SITE });
      expect(site.data?.site?.certificates.nodes.map((certificate) => certificate.id)).not.toContain(id);
    });

    it('after uploads and applications, in the site list', async () => {
      const before = await second.execute(SiteWithCertificatesDocument, { id: SITE });
      const own = makeCertificate({ commonName: 'fresh.example.com' });
      await first.execute(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem } });
      await first.execute(UploadOriginClientCertificateDocument, { input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem } });
      await first.execute(ApplyCertificateDocument, { input: { siteId: SITE, domains: ['new.example.com'] } });
      const after = await second.execute(SiteWithCertificatesDocument, { id: SITE });
      expect(after.data?.site?.certificates.totalCount).toBe((before.data?.site?.certificates.totalCount ?? 0) + 3);
    });

    it('after uploadServerCertificate, in the region list', async () => {
      const before = await second.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' });
      const own = makeCertificate({ commonName: 'lb.example.com' });
      await first.execute(UploadServerCertificateDocument, { input: { regionId: 'cn-shanghai', serverCertificate: own.certificatePem, privateKey: own.privateKeyPem } });
      const after = await second.execute(ServerCertificatesDocument, { regionId: 'cn-shanghai' });
      expect(after.data?.serverCertificates.length).toBe((before.data?.serverCertificates.length ?? 0) + 1);
    });
  });

  it('keeps certificates being issued fresh for seconds only, so an issued certificate shows promptly', async () => {
    const applied = await first.execute(ApplyCertificateDocument, { input: { siteId: SITE, domains: ['soon.example.com'] } });
    const id = applied.data?.applyCertificate.applications[0]?.certificateId as string;
    expect(applied.data?.applyCertificate.applications[0]?.certificate?.upstreamStatus).toBe('Applying');
    const entries = [...(await gatewayEntries(redis.client))].filter(([key]) => key.includes(':cert:EDGE:'));
    expect(entries).toHaveLength(1);
    const envelope = JSON.parse(entries[0]?.[1] ?? '{}') as { f: number };
    // Fresh for the pending window (5 s by default), far inside the 30 s a caller may wait.
    expect(envelope.f - Date.now()).toBeLessThanOrEqual(5_000);
    expect((await first.execute(CertificateDocument, { id })).data?.certificate?.upstreamStatus).toBe('Applying');
  });

  it('never stores a private key, whatever the mutations carried', async () => {
    const own = makeCertificate({ commonName: 'secret.example.com', keyType: 'rsa' });
    await first.execute(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem } });
    await first.execute(UploadOriginClientCertificateDocument, { input: { siteId: SITE, certificate: own.certificatePem, privateKey: own.privateKeyPem } });
    const created = await first.execute(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'ECDSA', validityDays: 30 } });
    expect(created.data?.createClientCertificate.privateKey).toContain('PRIVATE KEY');
    await first.execute(CertificateDocument, { id: created.data?.createClientCertificate.certificate.id as string });
    await first.execute(SiteWithCertificatesDocument, { id: SITE });
    const stored = [...(await gatewayEntries(redis.client)).values()].join('\n');
    expect(stored.length).toBeGreaterThan(1000);
    expect(stored).not.toContain('PRIVATE KEY');
    const keyBody = (created.data?.createClientCertificate.privateKey ?? '').split('\n')[1] ?? 'unreachable';
    expect(stored).not.toContain(keyBody);
  });
});

describe('the cache when the cloud fails', () => {
  it('serves a known certificate from its stale copy while the upstream answers 503', async () => {
    const redis = await startTestRedis();
    const emulator = await startTestEmulator();
    const gateway = await startTestGateway(emulator, { redisUrl: redis.url, cacheTtlSeconds: 1 });
    try {
      const id = edgeId(DEMO.edgeCertificates.upload);
      const fresh = await gateway.execute(CertificateDocument, { id });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await emulator.admin('POST', 'faults', { product: 'ESA', action: 'GetCertificate', status: 503, code: 'ServiceUnavailable' });
      const stale = await gateway.execute(CertificateDocument, { id });
      expect(stale.errors).toBeUndefined();
      expect(stale.data?.certificate?.fingerprintSha256).toBe(fresh.data?.certificate?.fingerprintSha256);
      // One fresh read, then the refetch: its first try and two retries meet the 503.
      expect((await emulator.stats())['ESA.GetCertificate']).toBe(4);
      const unknown = await gateway.execute(CertificateDocument, { id: edgeId('ffffffffffffffffffffffffffffffff') });
      expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    } finally {
      await gateway.stop();
      await emulator.stop();
      await redis.stop();
    }
  });
});
