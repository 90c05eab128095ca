import { createHash } from 'node:crypto';
import { DEMO } from '../../../src/emulator/state/demo';
import { parseConfig } from '../../../src/config';
import { bearer, untyped } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

/**
 * Deploying and the accounts around it, fed what careless or hostile callers send: one gateway over
 * an access-key account (`prod`) and a RAM-role account (`shop`), with a shared Redis.
 */
const PROD = { id: 'emulator-key', secret: 'emulator-secret' };
const SHOP = { id: 'shop-key', secret: 'shop-secret-0123456789' };
const WRITER = 'hostile-writer-key-0123456789abc';

const DEPLOY = `mutation Deploy($input: DeployCertificateInput!) {
  deployCertificate(input: $input) { results { status errorCode errorMessage certificate { id accountId provider regionId siteId } } }
}`;
const HANGZHOU = { regionId: 'cn-hangzhou', loadBalancerId: DEMO.loadBalancers.hangzhou, listenerPort: 443 };

describe('deploying and accounts, fed hostile inputs', () => {
  let emulator: TestEmulator;
  let redis: TestRedis;
  let gateway: TestGateway;
  /** A second instance on the same Redis and emulator. */
  let other: TestGateway;

  beforeAll(async () => {
    emulator = await startTestEmulator({ accessKeys: new Map([[PROD.id, PROD.secret], [SHOP.id, SHOP.secret]]) });
    redis = await startTestRedis();
    const accounts = (await emulator.admin<Array<{ accessKeyId: string; accountId: string }>>('GET', 'accounts')).body;
    const shopUid = accounts.find((account) => account.accessKeyId === SHOP.id)?.accountId ?? '';
    await emulator.admin('POST', 'seed', { accessKeyId: SHOP.id, roles: [{ name: 'cert-reader', trustedAccessKeyIds: [PROD.id] }] });
    const settings = parseConfig({
      ACCOUNTS: JSON.stringify([
        { id: 'prod', accessKeyId: PROD.id, accessKeySecret: PROD.secret },
        { id: 'shop', roleArn: `acs:ram::${shopUid}:role/cert-reader` },
      ]),
      API_KEYS: JSON.stringify([{ key: WRITER, scopes: ['certificates:read', 'certificates:write'] }]),
    });
    const overrides = { accounts: settings.accounts, apiKeys: settings.apiKeys, stsEndpoint: emulator.endpoint, redisUrl: redis.url };
    gateway = await startTestGateway(emulator, overrides);
    other = await startTestGateway(emulator, overrides);
  });

  afterAll(async () => {
    await gateway?.stop();
    await other?.stop();
    await redis?.stop();
    await emulator?.stop();
  });

  const post = async (body: unknown) => {
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(WRITER).headers }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> } };
  };

  /** The Redis keys whose value holds any of these texts. */
  async function keysHolding(texts: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (const key of await redis.client.keys('*')) {
      const type = await redis.client.type(key);
      let value = '';
      if (type === 'string') value = (await redis.client.getBuffer(key))?.toString('latin1') ?? '';
      if (type === 'hash') value = JSON.stringify(await redis.client.hgetall(key));
      if (type === 'list') value = JSON.stringify(await redis.client.lrange(key, 0, -1));
      if (type === 'set') value = JSON.stringify(await redis.client.smembers(key));
      if (type === 'zset') value = JSON.stringify(await redis.client.zrange(key, 0, -1));
      if (type === 'stream') value = JSON.stringify(await redis.client.xrange(key, '-', '+'));
      if (texts.some((text) => value.includes(text))) found.push(key);
    }
    return found;
  }

  it('runs a deploy whose document holds a private key, sent as a persisted query, and never keeps that document', async () => {
    const pem = makeCertificate({ commonName: 'persisted.example.com', dnsNames: ['persisted.example.com'] });
    const documentWith = (privateKey: string) =>
      `mutation { deployCertificate(input: { source: { pem: { certificate: ${JSON.stringify(pem.certificatePem)}, privateKey: ${privateKey} } }, targets: [{ accountId: "prod", slbListener: { regionId: "cn-hangzhou", loadBalancerId: "${HANGZHOU.loadBalancerId}", listenerPort: 443 } }] }) { results { status } } }`;
    // As written, and with its armour escaped (GraphQL decodes \u0020 to a space before the key is read).
    const plain = documentWith(JSON.stringify(pem.privateKeyPem));
    const escaped = documentWith(JSON.stringify(pem.privateKeyPem).replace(/PRIVATE KEY/g, 'PRIVATE\\u0020KEY'));
    // The key's body, not only its armour, is looked for: every line of base64 between the armour lines.
    const keyLines = pem.privateKeyPem.split('\n').filter((line) => line && !line.startsWith('-----'));

    for (const query of [plain, escaped]) {
      const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
      const sent = await post({ query, extensions: { persistedQuery } });
      expect(sent.body).toEqual({ data: { deployCertificate: { results: [{ status: 'DEPLOYED' }] } } });
      expect(await keysHolding(['PRIVATE KEY', 'PRIVATE\\u0020KEY', ...keyLines])).toEqual([]);
      // The hash alone finds nothing: the client is asked for the document again.
      const again = await post({ extensions: { persistedQuery } });
      expect(again.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    }
  });

  it('refuses a source that gives an empty certificateId beside a pem: that is two sources, not one', async () => {
    const pem = makeCertificate({ commonName: 'two-sources.example.com', dnsNames: ['two-sources.example.com'] });
    await emulator.admin('DELETE', 'stats');
    const answer = await gateway.execute(
      untyped(DEPLOY),
      { input: { source: { certificateId: '', pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } }, targets: [{ accountId: 'prod', slbListener: HANGZHOU }] } },
      bearer(WRITER),
    );
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', category: 'BAD_USER_INPUT' });
    const stats = await emulator.stats();
    expect(stats['SLB.UploadServerCertificate']).toBeUndefined();
    expect(stats['SLB.SetLoadBalancerHTTPSListenerAttribute']).toBeUndefined();
  });

  it('uploads one copy per site and region when the same deploy runs on two instances at once, and both answer with it', async () => {
    const pem = makeCertificate({ commonName: 'raced.example.com', dnsNames: ['raced.example.com'] });
    const input = {
      source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } },
      targets: [{ accountId: 'prod', esaSiteId: DEMO.sites.example }, { accountId: 'prod', slbListener: HANGZHOU }],
    };
    await emulator.admin('DELETE', 'stats');
    // Slow uploads: each deploy has read its site's and region's lists long before the other's upload is answered.
    for (const [product, action] of [['ESA', 'SetCertificate'], ['SLB', 'UploadServerCertificate']]) {
      expect((await emulator.admin('POST', 'faults', { product, action, latencyMs: 400, count: 2 })).status).toBe(201);
    }
    const answers = await Promise.all([gateway, other].map((instance) => instance.execute(untyped(DEPLOY), { input }, bearer(WRITER)))).finally(() =>
      emulator.admin('DELETE', 'faults'),
    );
    const copies = answers.map((answer) => {
      expect(answer.errors).toBeUndefined();
      const results = (answer.data as { deployCertificate: { results: Array<{ status: string; certificate: { id: string } | null }> } }).deployCertificate.results;
      expect(results.map((result) => result.status)).toEqual(['DEPLOYED', 'DEPLOYED']);
      return results.map((result) => result.certificate?.id);
    });
    expect(copies[1]).toEqual(copies[0]);
    const stats = await emulator.stats();
    expect(stats['ESA.SetCertificate']).toBe(1);
    expect(stats['SLB.UploadServerCertificate']).toBe(1);
  });
});
