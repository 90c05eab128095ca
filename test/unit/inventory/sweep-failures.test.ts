import { type Certificate } from '../../../src/domain/certificate';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { type EsaProvider, type SlbProvider } from '../../../src/domain/ports';
import { Inventory } from '../../../src/inventory/inventory';
import { MemoryInventoryStore } from '../../../src/inventory/inventory-store';
import { InventorySweeper } from '../../../src/inventory/inventory-sweep';

const certificate = (nativeId: string): Certificate => ({ ref: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1000000000001', nativeId }, subjectAlternativeNames: [], domainValidations: [] });
const throttled = () => new GatewayError('THROTTLED', 'Throttled.', { provider: 'SLB' });

async function sweeperWith(options: { sitesFail?: boolean; regionsListed?: boolean }) {
  const esa = {
    listSites: async () => {
      if (options.sitesFail) throw throttled();
      return [{ id: '1000000000001' }, { id: '1000000000002' }];
    },
    listSiteCertificates: async (siteId: string) => {
      if (siteId === '1000000000002') throw new Error('socket hang up');
      return [certificate('e1')];
    },
  } as unknown as EsaProvider;
  const described: string[] = [];
  const slb = {
    describeRegions: async () => ['cn-hangzhou', 'cn-shanghai'],
    describeServerCertificates: async (regionId: string) => {
      described.push(regionId);
      if (regionId === 'cn-shanghai') throw throttled();
      return [];
    },
    describeCertificateUsages: async () => new Map(),
  } as unknown as SlbProvider;
  const inventory = new Inventory(new MemoryInventoryStore());
  await inventory.start();
  const failed: string[] = [];
  const account = { id: 'default', esa, slb, ...(options.regionsListed ? {} : { slbRegions: ['cn-hangzhou', 'cn-shanghai'] }) };
  const sweeper = new InventorySweeper([account], inventory, { concurrency: 2, sourceFailed: (source) => failed.push(source) });
  return { sweeper, failed, inventory, described };
}

describe('sweep failures', () => {
  it('tells the observer of each source a sweep could not read, once per sweep', async () => {
    const { sweeper, failed, inventory } = await sweeperWith({});
    await sweeper.sweep();
    expect([...failed].sort()).toEqual(['default/ESA site 1000000000002', 'default/SLB cn-shanghai']);
    await sweeper.sweep();
    expect(failed).toHaveLength(4);
    expect(inventory.view.size).toBe(1);
  });

  it('tells the observer when the list of sites cannot be read', async () => {
    const { sweeper, failed } = await sweeperWith({ sitesFail: true });
    await sweeper.sweep();
    expect([...failed].sort()).toEqual(['default/ESA sites', 'default/SLB cn-shanghai']);
  });

  it('reads SLB in every region DescribeRegions lists when no regions are configured', async () => {
    const { sweeper, failed, described } = await sweeperWith({ regionsListed: true });
    await sweeper.sweep();
    expect([...described].sort()).toEqual(['cn-hangzhou', 'cn-shanghai']);
    expect([...failed].sort()).toEqual(['default/ESA site 1000000000002', 'default/SLB cn-shanghai']);
  });

  it("keeps the region list's failure when DescribeRegions fails, and reads again the regions read before (never the list itself as a region)", async () => {
    const { sweeper, inventory, described } = await sweeperWith({ regionsListed: true });
    await sweeper.sweep();
    const failed: string[] = [];
    const slb = {
      describeRegions: async () => Promise.reject(throttled()),
      describeServerCertificates: async (regionId: string) => (described.push(regionId), []),
      describeCertificateUsages: async () => new Map(),
    } as unknown as SlbProvider;
    const esa = { listSites: async () => [], listSiteCertificates: async () => [] } as unknown as EsaProvider;
    const later = new InventorySweeper([{ id: 'default', esa, slb }], inventory, { concurrency: 2, sourceFailed: (source) => failed.push(source) });
    described.length = 0;
    await later.sweep();
    expect(failed).toEqual(['default/SLB regions']);
    expect([...described].sort()).toEqual(['cn-hangzhou', 'cn-shanghai']);
    expect(inventory.source('default/SLB regions')?.error).toMatch(/^THROTTLED/);
  });
});
