import { CacheKeys } from '../../../src/cache/cache-keys';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { CertificateDocument, RenameCertificateDocument, RevokeClientCertificateDocument } from '../../generated/graphql';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { onlyError } from '../../helpers/answers';
import { type TestEmulator } from '../../helpers/emulator';
import { type TestGateway } from '../../helpers/gateway';
import { answerCounts as answers, eventually as until, hearsInvalidations as live } from '../../helpers/memory-caches';
import { type TestRedis } from '../../helpers/redis';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

const SERVER_CERTIFICATE = '1231579085529123_18b5e2c1a40_1714763408_709981430';
const serverId = encodeCertificateId({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: SERVER_CERTIFICATE });
const clientId = encodeCertificateId({ provider: 'ESA', kind: 'CLIENT', accountId: 'default', siteId: DEMO.sites.example, nativeId: DEMO.clientCertificate });
const ALL_SITES = 'all-sites-key-0123456789abcdef';
const EXAMPLE_ONLY = 'example-only-key-0123456789ab';
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

describe('certificates and answers kept in memory, over a shared Redis', () => {
  let redis: TestRedis;
  let emulator: TestEmulator;
  let first: TestGateway;
  let second: TestGateway;

  const instances = twoGatewaysOnOneRedis({
    apiKeys: [
      { key: ALL_SITES, scopes: ['certificates:read', 'certificates:write'] },
      { key: EXAMPLE_ONLY, scopes: ['certificates:read'], sites: [DEMO.sites.example] },
    ],
  });
  beforeAll(() => ({ redis, emulator, first, second } = instances));

  it('answers a repeated query from memory, byte for byte, without a lookup or a call', async () => {
    const before = await answers(first);
    const fetched = await first.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    const kept = await first.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    const replayed = await first.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    const after = await answers(first);

    expect(fetched.errors).toBeUndefined();
    expect(replayed.text).toBe(kept.text);
    expect(replayed.text).toBe(fetched.text);
    // The first answer held a fetched value and is not kept; the second read only fresh entries.
    expect((after.miss ?? 0) - (before.miss ?? 0)).toBe(2);
    expect((after.kept ?? 0) - (before.kept ?? 0)).toBe(1);
    expect((after.hit ?? 0) - (before.hit ?? 0)).toBe(1);
    expect(await emulator.stats()).toEqual({ 'SLB.DescribeServerCertificates': 1 });
  });

  it('drops a kept answer on the other instance the moment a change is made through this one', async () => {
    for (let i = 0; i < 3; i += 1) await second.execute(CertificateDocument, { id: clientId }, bearer(ALL_SITES));
    const hitsBefore = (await answers(second)).hit ?? 0;
    expect((await second.execute(CertificateDocument, { id: clientId }, bearer(ALL_SITES))).data?.certificate?.upstreamStatus).toBe('active');
    expect((await answers(second)).hit).toBe(hitsBefore + 1);

    await first.execute(RevokeClientCertificateDocument, { id: clientId }, bearer(ALL_SITES));
    expect((await second.execute(CertificateDocument, { id: clientId }, bearer(ALL_SITES))).data?.certificate?.upstreamStatus).toBe('revoked');

    await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    await first.execute(RenameCertificateDocument, { id: serverId, name: 'renamed-through-first' }, bearer(ALL_SITES));
    expect((await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES))).data?.certificate?.name).toBe('renamed-through-first');
  });

  it("keeps answers per caller: a key limited to one site is refused what another key's kept answer holds", async () => {
    const esa = new AlibabaTestClient(emulator, 'ESA');
    const set = await esa.call<{ Id: string }>('SetCertificate', { SiteId: DEMO.sites.cname, Type: 'cas', CasId: DEMO.casCertificates.shop, Name: 'elsewhere' });
    const elsewhereId = encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.cname, nativeId: set.Id });
    const before = await answers(first);
    for (let i = 0; i < 3; i += 1) {
      expect((await first.execute(CertificateDocument, { id: elsewhereId }, bearer(ALL_SITES))).data?.certificate?.siteId).toBe(DEMO.sites.cname);
    }
    // Fetched, then kept, then replayed.
    expect((await answers(first)).hit).toBe((before.hit ?? 0) + 1);
    const limited = await first.execute(CertificateDocument, { id: elsewhereId }, bearer(EXAMPLE_ONLY));
    expect(onlyError(limited).extensions?.code).toBe('FORBIDDEN');
  });

  it("drops everything kept on a message it cannot read, and on an operator's '*'", async () => {
    for (const message of ['not json', '*']) {
      for (let i = 0; i < 3; i += 1) await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
      const before = await answers(second);
      await redis.client.publish(CacheKeys.invalidations, message);
      await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
      const after = await answers(second);
      expect([after.hit, after.miss]).toEqual([before.hit, (before.miss ?? 0) + 1]);
    }
  });

  it('empties memory when the subscription is lost, and keeps answers again once it is back', async () => {
    for (let i = 0; i < 3; i += 1) await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    // A change the gateway cannot hear of: made at the cloud, its Redis entries deleted without a message.
    await new AlibabaTestClient(emulator, 'SLB').call('SetServerCertificateName', {
      RegionId: 'cn-hangzhou',
      ServerCertificateId: SERVER_CERTIFICATE,
      ServerCertificateName: 'renamed-at-the-cloud',
    });
    const keys = await redis.client.keys('cg:v1:*');
    if (keys.length) await redis.client.del(...keys);
    // Only the memory copies are left: the kept answer still says the old name...
    expect((await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES))).data?.certificate?.name).toBe('www-example-com');

    // ...until the subscription drops: then nothing kept in memory is trusted any more.
    const subscribers = async (): Promise<string[]> => ((await redis.client.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string).match(/\bid=\d+/g) ?? [];
    const killed = await subscribers();
    // Each instance subscribes three times: to cache invalidations, to the inventory's changes and to certificate events.
    expect(killed).toHaveLength(6);
    await redis.client.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await until(async () => (await subscribers()).filter((id) => !killed.includes(id)).length === 6 && (await live(second)), 'both have subscribed again');
    expect((await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES))).data?.certificate?.name).toBe('renamed-at-the-cloud');

    const before = await answers(second);
    await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    await second.execute(CertificateDocument, { id: serverId }, bearer(ALL_SITES));
    expect(((await answers(second)).hit ?? 0) - (before.hit ?? 0)).toBe(1);
  });
});
