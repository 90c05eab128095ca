import { Writable } from 'node:stream';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { eventCertificate, newEvent } from '../../../src/radar/certificate-event';
import { type CloudCredentials } from '../../../src/accounts/credentials';
import { parseConfig, type GatewayConfig } from '../../../src/config';
import { StsClient } from '../../../src/providers/sts/sts-client';
import { createLogger } from '../../../src/server/logger';
import { bearer, untyped } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

/**
 * One gateway over two accounts of the emulator: `prod` signs with its own access key, `shop` with
 * the temporary credentials of a RAM role in another account, assumed by the default key through STS.
 */
const PROD = { id: 'emulator-key', secret: 'emulator-secret' };
const SHOP = { id: 'shop-key', secret: 'shop-secret-0123456789' };
const SHOP_ONLY = 'shop-only-reader-key-0123456789';
const EVERYONE = 'all-accounts-reader-key-01234567';

const ACCOUNTS = `{ accounts { id name status error } }`;
const PAGE = `query Page($filter: CertificateFilter) {
  certificates(first: 100, filter: $filter) { totalCount nodes { id accountId provider siteId regionId } }
}`;
const STATUS = `{ inventoryStatus { complete certificates sources { name accountId error } accounts { id status error } } }`;

type Accounts = { accounts: Array<{ id: string; name: string | null; status: string; error: string | null }> };
type Page = { certificates: { totalCount: number; nodes: Array<{ id: string; accountId: string; provider: string; siteId: string | null; regionId: string | null }> } };
type Status = {
  inventoryStatus: {
    complete: boolean;
    certificates: number;
    sources: Array<{ name: string; accountId: string; error: string | null }>;
    accounts: Array<{ id: string; status: string; error: string | null }>;
  };
};

describe('one gateway over an access-key account and a RAM-role account', () => {
  let emulator: TestEmulator;
  let redis: TestRedis;
  let gateway: TestGateway;
  let shopUid: string;
  const logs: string[] = [];
  // Watched, not replaced: every AssumeRole still goes to the emulator; the test keeps what it answered.
  const assumed = jest.spyOn(StsClient.prototype, 'assumeRole');

  function startGateway(extraAccounts: unknown[] = []): Promise<TestGateway> {
    return startGatewayWith({}, extraAccounts);
  }

  async function startGatewayWith(settings: Partial<GatewayConfig>, extraAccounts: unknown[] = []): Promise<TestGateway> {
    const env = {
      ACCOUNTS: JSON.stringify([
        { id: 'prod', name: 'Production', accessKeyId: PROD.id, accessKeySecret: PROD.secret },
        { id: 'shop', name: 'Shop', roleArn: `acs:ram::${shopUid}:role/cert-reader`, roleSessionName: 'certificate-gateway', durationSeconds: 900 },
        ...extraAccounts,
      ]),
      API_KEYS: JSON.stringify([
        { key: SHOP_ONLY, scopes: ['certificates:read'], accounts: ['shop'] },
        { key: EVERYONE, scopes: ['certificates:read'] },
      ]),
    };
    const parsed = parseConfig(env);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    });
    return startTestGateway(
      emulator,
      { accounts: parsed.accounts, apiKeys: parsed.apiKeys, stsEndpoint: emulator.endpoint, redisUrl: redis.url, logLevel: 'debug', ...settings },
      { logger: createLogger('debug', sink) },
    );
  }

  beforeAll(async () => {
    emulator = await startTestEmulator({ accessKeys: new Map([[PROD.id, PROD.secret], [SHOP.id, SHOP.secret]]) });
    redis = await startTestRedis();
    const accounts = (await emulator.admin<Array<{ accessKeyId: string; accountId: string }>>('GET', 'accounts')).body;
    shopUid = accounts.find((account) => account.accessKeyId === SHOP.id)?.accountId ?? '';
    // The shop account has sites and certificates of its own, and a role the default key may assume.
    const seeded = await emulator.admin('POST', 'seed', {
      accessKeyId: SHOP.id,
      roles: [{ name: 'cert-reader', trustedAccessKeyIds: [PROD.id] }],
      generate: { sites: 3, certificatesPerSite: 4, serverCertificates: 5, regions: ['ap-southeast-1'], expiredFraction: 0, seed: 7 },
    });
    expect(seeded.status).toBe(200);
    gateway = await startGateway();
  });

  afterAll(async () => {
    await gateway?.stop();
    await redis?.stop();
    await emulator?.stop();
  });

  const read = <T>(source: string, key: string, variables?: Record<string, unknown>) => gateway.execute(untyped(source), variables ?? {}, bearer(key)) as Promise<{ data?: T; errors?: unknown }>;

  it('lists both accounts as healthy once the first sweep has read them', async () => {
    const answer = await read<Accounts>(ACCOUNTS, EVERYONE);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.accounts).toEqual([
      { id: 'prod', name: 'Production', status: 'healthy', error: null },
      { id: 'shop', name: 'Shop', status: 'healthy', error: null },
    ]);
  });

  it('is ready when STS answers too, since a role account signs through it', async () => {
    const ready = await fetch(`${gateway.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { esa: 'ok', slb: 'ok', sts: 'ok', redis: 'ok' } }]);
  });

  it("shows each account's certificates with its accountId, the role's from the role's own account", async () => {
    const shop = await read<Page>(PAGE, EVERYONE, { filter: { accountIds: ['shop'] } });
    const prod = await read<Page>(PAGE, EVERYONE, { filter: { accountIds: ['prod'] } });
    expect(shop.errors).toBeUndefined();
    // 3 generated sites x 4 edge certificates, 5 server certificates, and the demo state every emulator account starts with.
    const shopNodes = shop.data?.certificates.nodes ?? [];
    expect(shopNodes.filter((node) => node.regionId === 'ap-southeast-1')).toHaveLength(5);
    expect(shopNodes.every((node) => node.accountId === 'shop')).toBe(true);
    const prodNodes = prod.data?.certificates.nodes ?? [];
    expect(prodNodes.length).toBeGreaterThan(0);
    expect(prodNodes.every((node) => node.accountId === 'prod')).toBe(true);
    expect(prodNodes.some((node) => node.regionId === 'ap-southeast-1')).toBe(false);
    // The same demo certificate in both accounts is two certificates, with two ids.
    const ids = new Set([...shopNodes, ...prodNodes].map((node) => node.id));
    expect(ids.size).toBe(shopNodes.length + prodNodes.length);
    const everything = await read<Page>(PAGE, EVERYONE);
    expect(everything.data?.certificates.totalCount).toBe(shopNodes.length + prodNodes.length);
  });

  it('lets a key allowed one account see only that account, in lists, counts and the status', async () => {
    const all = await read<Page>(PAGE, SHOP_ONLY);
    const shop = await read<Page>(PAGE, EVERYONE, { filter: { accountIds: ['shop'] } });
    expect(all.data?.certificates.totalCount).toBe(shop.data?.certificates.totalCount);
    expect(all.data?.certificates.nodes.every((node) => node.accountId === 'shop')).toBe(true);
    const asked = await read<Page>(PAGE, SHOP_ONLY, { filter: { accountIds: ['prod'] } });
    expect(asked.data?.certificates.totalCount).toBe(0);

    const status = await read<Status>(STATUS, SHOP_ONLY);
    expect(status.data?.inventoryStatus.certificates).toBe(shop.data?.certificates.totalCount);
    expect(status.data?.inventoryStatus.sources.every((source) => source.accountId === 'shop')).toBe(true);
    expect((await read<Accounts>(ACCOUNTS, SHOP_ONLY)).data?.accounts.map((account) => account.id)).toEqual(['shop']);

    // Direct reads of the other account's certificates are refused.
    const prodId = (await read<Page>(PAGE, EVERYONE, { filter: { accountIds: ['prod'] } })).data?.certificates.nodes[0]?.id as string;
    const refused = await gateway.execute(untyped('query One($id: ID!) { certificate(id: $id) { id } }'), { id: prodId }, bearer(SHOP_ONLY));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("refreshes the role's credentials once when the emulator's clock passes their expiry, however many calls are in flight", async () => {
    const before = (await emulator.stats())['STS.AssumeRole'] ?? 0;
    expect(before).toBe(1);
    await emulator.admin('POST', 'clock', { advanceSeconds: 2 * 3600 });
    // A sweep reads every list of the shop account at once: each call is refused as expired, then made again with new credentials.
    const started = Date.now();
    await gateway.sweepNow();
    await gateway.inventory.swept(started);
    expect((await emulator.stats())['STS.AssumeRole']).toBe(before + 1);
    const accounts = await read<Accounts>(ACCOUNTS, EVERYONE);
    expect(accounts.data?.accounts.find((account) => account.id === 'shop')).toMatchObject({ status: 'healthy', error: null });
    const status = await read<Status>(STATUS, EVERYONE);
    expect(status.data?.inventoryStatus.sources.filter((source) => source.accountId === 'shop' && source.error !== null)).toEqual([]);
  });

  it('marks an account whose role cannot be assumed unhealthy with the STS code, while the others keep working', async () => {
    await gateway.stop();
    const restarted = Date.now();
    gateway = await startGateway([{ id: 'lost', roleArn: `acs:ram::${shopUid}:role/no-such-role` }]);
    // The index (in Redis) outlives the gateway: its first sweep over the new account is waited for.
    await gateway.inventory.swept(restarted);
    const accounts = await read<Accounts>(ACCOUNTS, EVERYONE);
    const lost = accounts.data?.accounts.find((account) => account.id === 'lost');
    expect(lost?.status).toBe('unhealthy');
    expect(lost?.error).toMatch(/^EntityNotExist\.Role/);
    expect(accounts.data?.accounts.filter((account) => account.id !== 'lost').map((account) => account.status)).toEqual(['healthy', 'healthy']);

    const status = await read<Status>(STATUS, EVERYONE);
    expect(status.data?.inventoryStatus.complete).toBe(false);
    expect(status.data?.inventoryStatus.accounts.find((account) => account.id === 'lost')?.status).toBe('unhealthy');
    const lostSources = status.data?.inventoryStatus.sources.filter((source) => source.accountId === 'lost') ?? [];
    expect(lostSources.length).toBeGreaterThan(0);
    expect(lostSources.every((source) => source.error?.startsWith('EntityNotExist.Role'))).toBe(true);
    const shop = await read<Page>(PAGE, EVERYONE, { filter: { accountIds: ['shop'] } });
    expect(shop.data?.certificates.totalCount).toBeGreaterThan(0);
  });

  it('resolves an id minted before accounts existed in the first account, and refuses one naming an account not configured', async () => {
    const answer = await read<{ certificates: { nodes: Array<{ id: string; kind: string; nativeId: string; regionId: string | null }> } }>(
      `query { certificates(first: 1, filter: { accountIds: ["prod"], providers: [SLB] }) { nodes { id kind nativeId regionId } } }`,
      EVERYONE,
    );
    const certificate = answer.data?.certificates.nodes[0];
    expect(certificate).toBeDefined();
    const old = `crt_${Buffer.from(`${certificate?.kind}:${certificate?.regionId}:${certificate?.nativeId}`).toString('base64url')}`;
    const ONE = 'query One($id: ID!) { certificate(id: $id) { id accountId nativeId } }';
    const resolved = await read<{ certificate: { id: string; accountId: string; nativeId: string } }>(ONE, EVERYONE, { id: old });
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data?.certificate).toEqual({ id: certificate?.id, accountId: 'prod', nativeId: certificate?.nativeId });

    const elsewhere = `crt_${Buffer.from(`nowhere/${certificate?.kind}:${certificate?.regionId}:${certificate?.nativeId}`).toString('base64url')}`;
    const refused = await gateway.execute(untyped(ONE), { id: elsewhere }, bearer(EVERYONE));
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'InvalidParameter', category: 'BAD_USER_INPUT' });
  });

  it('blames a slow STS on STS: the role account is unhealthy with STS AssumeRole named, the others healthy', async () => {
    await gateway.stop();
    expect((await emulator.admin('POST', 'faults', { product: 'STS', action: 'AssumeRole', latencyMs: 3_000 })).status).toBe(201);
    try {
      const restarted = Date.now();
      gateway = await startGatewayWith({ upstreamTimeoutMs: 1_000 }, [{ id: 'slow', roleArn: `acs:ram::${shopUid}:role/cert-reader`, roleSessionName: 'slow-session' }]);
      await gateway.inventory.swept(restarted);
      const accounts = (await read<Accounts>(ACCOUNTS, EVERYONE)).data?.accounts ?? [];
      const slow = accounts.find((account) => account.id === 'slow');
      expect(slow?.status).toBe('unhealthy');
      expect(slow?.error).toMatch(/^UPSTREAM_TIMEOUT: .*STS AssumeRole/);
      expect(accounts.find((account) => account.id === 'prod')?.status).toBe('healthy');
    } finally {
      await emulator.admin('DELETE', 'faults');
      await gateway.stop();
      gateway = await startGateway();
    }
  });

  it("tells a subscriber allowed one account only of that account's certificates", async () => {
    const entries = [...gateway.inventory.view.entries()];
    const shop = entries.find((entry) => entry.accountId === 'shop');
    const prod = entries.find((entry) => entry.accountId === 'prod');
    expect(shop && prod).toBeTruthy();
    const client = createClient({
      url: gateway.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${SHOP_ONLY}` },
    });
    try {
      const iterator = client.iterate<{ certificateEvents: { type: string; certificate: { accountId: string } } }>({
        query: 'subscription { certificateEvents { type certificate { accountId } } }',
      });
      const now = new Date();
      const announce = (entry: NonNullable<typeof shop>, type: 'certificate.changed' | 'certificate.issued' | 'certificate.expired') =>
        gateway.events.publish(newEvent(type, eventCertificate(entry.certificate, now, 30), now));
      // Shop probes until the subscription is heard to listen; then prod's event, then shop's last one.
      const pending = iterator.next();
      for (;;) {
        await announce(shop as NonNullable<typeof shop>, 'certificate.changed');
        if (await Promise.race([pending.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 200))])) break;
      }
      await announce(prod as NonNullable<typeof prod>, 'certificate.issued');
      await announce(shop as NonNullable<typeof shop>, 'certificate.expired');
      const heard: Array<{ type: string; accountId: string }> = [];
      for (;;) {
        const result = await iterator.next();
        const event = result.value?.data?.certificateEvents;
        if (result.done || !event) throw new Error('The subscription ended.');
        heard.push({ type: event.type, accountId: event.certificate.accountId });
        if (event.type === 'certificate.expired') break;
      }
      expect(heard.filter((event) => event.accountId !== 'shop')).toEqual([]);
      expect(heard.some((event) => event.type === 'certificate.issued')).toBe(false);
    } finally {
      await client.dispose();
    }
  });

  it('never writes a secret, a temporary secret or a security token into a log line, an answer or Redis', async () => {
    const keys = await redis.client.keys('*');
    const values: string[] = [];
    for (const key of keys) {
      const type = await redis.client.type(key);
      if (type === 'string') values.push((await redis.client.getBuffer(key))?.toString('latin1') ?? '');
      if (type === 'hash') values.push(JSON.stringify(await redis.client.hgetall(key)));
      if (type === 'list') values.push(JSON.stringify(await redis.client.lrange(key, 0, -1)));
      if (type === 'set') values.push(JSON.stringify(await redis.client.smembers(key)));
      if (type === 'zset') values.push(JSON.stringify(await redis.client.zrange(key, 0, -1)));
      if (type === 'stream') values.push(JSON.stringify(await redis.client.xrange(key, '-', '+')));
    }
    const answers = [await read<Accounts>(ACCOUNTS, EVERYONE), await read<Status>(STATUS, EVERYONE)].map((answer) => JSON.stringify(answer));
    const everything = [...logs, ...values, ...answers].join('\n');
    expect(everything.length).toBeGreaterThan(0);
    for (const secret of [PROD.secret, SHOP.secret]) expect(everything).not.toContain(secret);
    // Every temporary secret and token STS handed the gateway in this run (at least the first and the refreshed ones).
    const issued: CloudCredentials[] = [];
    for (const result of assumed.mock.results) {
      const granted = await (result.value as Promise<{ credentials: CloudCredentials }>).catch(() => undefined);
      if (granted) issued.push(granted.credentials);
    }
    expect(issued.length).toBeGreaterThanOrEqual(2);
    for (const credentials of issued) {
      expect(everything).not.toContain(credentials.accessKeySecret);
      expect(everything).not.toContain(credentials.securityToken as string);
      expect(everything).not.toContain((credentials.securityToken as string).slice(0, 40));
    }
  });
});
