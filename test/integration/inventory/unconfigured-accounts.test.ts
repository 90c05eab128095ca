import { type Certificate } from '../../../src/domain/certificate';
import { type EsaProvider, type SlbProvider } from '../../../src/domain/ports';
import { Inventory } from '../../../src/inventory/inventory';
import { encodeEntry, entryOf } from '../../../src/inventory/inventory-entry';
import { InventorySweeper } from '../../../src/inventory/inventory-sweep';
import { RedisInventoryStore } from '../../../src/inventory/redis-inventory-store';
import { startTestRedis, type TestRedis } from '../../helpers/redis';

const certificate = (accountId: string, nativeId: string): Certificate => ({
  ref: { provider: 'SLB', kind: 'SERVER', accountId, regionId: 'cn-hangzhou', nativeId },
  subjectAlternativeNames: [],
  domainValidations: [],
});

/** An account whose SLB region lists `held`, and which has no sites. */
function account(id: string, held: string[]) {
  const esa = { listSites: async () => [], listSiteCertificates: async () => [] } as unknown as EsaProvider;
  const slb = {
    describeRegions: async () => ['cn-hangzhou'],
    describeServerCertificates: async () => held.map((nativeId) => certificate(id, nativeId)),
    describeCertificateUsages: async () => new Map(),
  } as unknown as SlbProvider;
  return { id, esa, slb };
}

describe('an index holding accounts no longer configured, in Redis', () => {
  let redis: TestRedis;
  const opened: Inventory[] = [];
  const open = async () => {
    const store = new RedisInventoryStore({ url: redis.url, cluster: false, commandTimeoutMs: 1_000 });
    // Connected first: commands are not queued while the connection is being made.
    for (let tries = 0; ; tries++) {
      try {
        await store.version();
        break;
      } catch (error) {
        if (tries > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const inventory = new Inventory(store);
    await inventory.start();
    opened.push(inventory);
    return inventory;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(opened.map((inventory) => inventory.close()));
    await redis.stop();
  });

  it('drops the certificates and sources of an account taken out of ACCOUNTS, and entries written before sources named their account', async () => {
    const inventory = await open();
    await new InventorySweeper([account('prod', ['p1']), account('shop', ['s1', 's2'])], inventory, { concurrency: 2 }).sweep();
    expect([...inventory.view.entries()].map((entry) => entry.accountId).sort()).toEqual(['prod', 'shop', 'shop']);

    // An entry as an earlier release wrote it: no account in its ref, a source without one.
    const legacy = entryOf(certificate('default', 'old'), 'SLB cn-hangzhou');
    delete (legacy.certificate.ref as { accountId?: string }).accountId;
    await redis.client.hset('cg:v1:{inv}:entries', 'crt_legacy', encodeEntry({ ...legacy, id: 'crt_legacy', accountId: 'default' }));
    await redis.client.hset('cg:v1:{inv}:sources', 'SLB cn-hangzhou', JSON.stringify({ name: 'SLB cn-hangzhou', certificates: 1 }));
    const reloaded = await open();
    expect(reloaded.view.get('crt_legacy')?.certificate.ref).toMatchObject({ accountId: 'default', nativeId: 'old' });

    // Shop leaves the configuration.
    await new InventorySweeper([account('prod', ['p1'])], reloaded, { concurrency: 2 }).sweep();
    expect([...reloaded.view.entries()].map((entry) => entry.id)).toEqual([...inventory.view.entries()].filter((entry) => entry.accountId === 'prod').map((entry) => entry.id));
    expect(reloaded.sourceNames().sort()).toEqual(['prod/ESA sites', 'prod/SLB cn-hangzhou', 'prod/SLB regions']);
    expect(reloaded.status().complete).toBe(true);
    // In Redis too: another instance loading the index sees the same.
    const third = await open();
    expect(third.sourceNames().sort()).toEqual(['prod/ESA sites', 'prod/SLB cn-hangzhou', 'prod/SLB regions']);
    expect(third.view.size).toBe(1);
  });
});
