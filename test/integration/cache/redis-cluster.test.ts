import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { CertificateDocument, RevokeClientCertificateDocument } from '../../generated/graphql';
import { untyped } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { answerCounts, eventually, hearsInvalidations } from '../../helpers/memory-caches';
import { canStartRedis, startTestRedisCluster, type TestRedisCluster } from '../../helpers/redis-cluster';

const describeWithRedis = canStartRedis() ? describe : describe.skip;

describeWithRedis('the shared cache on a Redis Cluster (three private masters)', () => {
  let cluster: TestRedisCluster;
  let emulator: TestEmulator;
  let gateways: TestGateway[];

  beforeAll(async () => {
    cluster = await startTestRedisCluster();
    emulator = await startTestEmulator();
    gateways = [
      await startTestGateway(emulator, { redisUrl: cluster.url, redisCluster: true }),
      await startTestGateway(emulator, { redisUrl: cluster.url, redisCluster: true }),
    ];
    for (const gateway of gateways) await eventually(() => hearsInvalidations(gateway), 'the gateway hears invalidations on the cluster');
  });
  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await emulator.stop();
    await cluster.stop();
  });

  it('caches a batch spread over slots and shares it between instances', async () => {
    // Certificates of two sites and two regions: keys in four hash slots.
    const ids = [
      ...Object.values(DEMO.edgeCertificates).map((nativeId) => encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example, nativeId })),
      encodeCertificateId({ provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: DEMO.sites.example, nativeId: DEMO.clientCertificate }),
      encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: '1231579085529123_18b5e2c1a40_1714763408_709981430' }),
      encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-shanghai', nativeId: '1231579085529123_18b5e2c1a42_1714763410_709981432' }),
    ];
    await emulator.admin('DELETE', 'stats');
    // The PEM is asked: the inventory holds none, so every ESA certificate is read from the cloud and
    // cached; SLB gives no PEM, so its certificates are read through certificate(id:).
    const [slbHangzhou, slbShanghai] = ids.slice(-2);
    const batch = untyped(
      'query Batch($esa: [ID!]!, $a: ID!, $b: ID!) { nodes(ids: $esa) { id ... on Certificate { certificatePem } } a: certificate(id: $a) { id commonName } b: certificate(id: $b) { id commonName } }',
    );
    const variables = { esa: ids.slice(0, -2), a: slbHangzhou, b: slbShanghai };
    const cold = await gateways[0]?.execute(batch, variables);
    expect(cold?.errors).toBeUndefined();
    expect(await emulator.stats()).toEqual({ 'ESA.GetCertificate': 3, 'ESA.GetClientCertificate': 1, 'SLB.DescribeServerCertificates': 2 });

    await emulator.admin('DELETE', 'stats');
    const warm = await gateways[1]?.execute(batch, variables);
    expect(warm?.data).toEqual(cold?.data);
    expect(await emulator.stats()).toEqual({});
  });

  it('invalidates across instances on the cluster too, answers kept in memory included', async () => {
    const id = encodeCertificateId({ provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: DEMO.sites.example, nativeId: DEMO.clientCertificate });
    const second = gateways[1] as TestGateway;
    const before = await answerCounts(second);
    for (let i = 0; i < 3; i += 1) expect((await second.execute(CertificateDocument, { id })).data?.certificate?.upstreamStatus).toBe('active');
    // In Redis since the test above read it: kept at once, then replayed twice.
    expect((await answerCounts(second)).hit).toBe((before.hit ?? 0) + 2);
    await gateways[0]?.execute(RevokeClientCertificateDocument, { id });
    expect((await gateways[1]?.execute(CertificateDocument, { id }))?.data?.certificate?.upstreamStatus).toBe('revoked');
  });
});
