import { type Certificate } from '../../../src/domain/certificate';
import { type EsaProvider, type SlbProvider } from '../../../src/domain/ports';
import { Inventory } from '../../../src/inventory/inventory';
import { MemoryInventoryStore } from '../../../src/inventory/inventory-store';
import { InventorySweeper } from '../../../src/inventory/inventory-sweep';

const server = (nativeId: string, name: string): Certificate => ({
  ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId },
  name,
  subjectAlternativeNames: [],
  domainValidations: [],
});

/** A region whose list is read at once but answered only when the test says, as a slow cloud would. */
function slowRegion(listed: () => Certificate[]) {
  let answer: () => void = () => undefined;
  let asked: () => void = () => undefined;
  const readStarted = new Promise<void>((resolve) => (asked = resolve));
  const slb = {
    describeRegions: async () => ['cn-hangzhou'],
    describeServerCertificates: async () => {
      const snapshot = listed();
      asked();
      await new Promise<void>((resolve) => (answer = resolve));
      return snapshot;
    },
    describeCertificateUsages: async () => new Map(),
  } as unknown as SlbProvider;
  const esa = { listSites: async () => [], listSiteCertificates: async () => [] } as unknown as EsaProvider;
  return { account: { id: 'default', esa, slb }, readStarted, release: () => answer() };
}

describe('a sweep and a mutation at the same time', () => {
  it('keeps what a mutation wrote while the region list was on its way: neither removed nor changed back by the older list', async () => {
    const inventory = new Inventory(new MemoryInventoryStore());
    await inventory.start();
    const cloud = [server('kept', 'kept')];
    await inventory.upsert([server('renamed', 'old-name'), ...cloud]);
    cloud.push(server('renamed', 'old-name'));

    const region = slowRegion(() => [...cloud]);
    const sweeping = new InventorySweeper([region.account], inventory, { concurrency: 1 }).sweep();
    await region.readStarted;
    // Through the gateway meanwhile: an upload and a rename, both already made at the cloud.
    await inventory.upsert([server('uploaded', 'uploaded'), server('renamed', 'new-name')], 'uploaded');
    region.release();
    await sweeping;

    const names = Object.fromEntries([...inventory.view.entries()].map((entry) => [entry.certificate.ref.nativeId, entry.certificate.name]));
    expect(names).toEqual({ kept: 'kept', renamed: 'new-name', uploaded: 'uploaded' });
  });

  it('still removes what the cloud no longer lists and the index held before the read', async () => {
    const inventory = new Inventory(new MemoryInventoryStore());
    await inventory.start();
    await inventory.upsert([server('gone', 'gone'), server('kept', 'kept')]);
    await new Promise((resolve) => setTimeout(resolve, 2));
    const region = slowRegion(() => [server('kept', 'kept')]);
    const sweeping = new InventorySweeper([region.account], inventory, { concurrency: 1 }).sweep();
    await region.readStarted;
    region.release();
    await sweeping;
    expect([...inventory.view.entries()].map((entry) => entry.certificate.ref.nativeId)).toEqual(['kept']);
  });
});
