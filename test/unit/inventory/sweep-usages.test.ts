import { type Certificate, type CertificateUsage } from '../../../src/domain/certificate';
import { GatewayError } from '../../../src/domain/errors/gateway-error';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { type EsaProvider, type SlbProvider } from '../../../src/domain/ports';
import { Inventory } from '../../../src/inventory/inventory';
import { MemoryInventoryStore } from '../../../src/inventory/inventory-store';
import { InventorySweeper, type SourceDelta } from '../../../src/inventory/inventory-sweep';

const REGION = 'cn-hangzhou';
const SOURCE = `default/SLB ${REGION}`;

const server = (nativeId: string, name = nativeId): Certificate => ({
  ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: REGION, nativeId },
  name,
  subjectAlternativeNames: [`${nativeId}.example.com`],
  domainValidations: [],
});
const idOf = (nativeId: string) => encodeCertificateId(server(nativeId).ref);
const listener = (loadBalancerId: string, listenerPort = 443): CertificateUsage => ({ type: 'SLB_LISTENER', accountId: 'default', regionId: REGION, loadBalancerId, listenerPort });
const extension = (loadBalancerId: string, domain: string): CertificateUsage => ({
  type: 'SLB_DOMAIN_EXTENSION',
  accountId: 'default',
  regionId: REGION,
  loadBalancerId,
  listenerPort: 443,
  domain,
  domainExtensionId: `de-${domain}`,
});

/** One SLB region the test changes between sweeps: its certificates, where each is served, and whether the usage read fails. */
async function oneRegion() {
  const cloud = {
    certificates: [server('www'), server('wildcard'), server('spare')],
    usages: new Map<string, CertificateUsage[]>([
      ['wildcard', [listener('lb-1'), extension('lb-1', 'www.example.com')]],
      ['www', [listener('lb-2')]],
    ]),
    usagesFail: false,
  };
  const esa = { listSites: async () => [] } as unknown as EsaProvider;
  const slb = {
    describeServerCertificates: async () => cloud.certificates.map((certificate) => ({ ...certificate })),
    describeCertificateUsages: async () => {
      if (cloud.usagesFail) throw new GatewayError('ServiceUnavailable', 'The service is unavailable.', { provider: 'SLB', action: 'DescribeDomainExtensions' });
      return new Map(cloud.usages);
    },
  } as unknown as SlbProvider;
  const inventory = new Inventory(new MemoryInventoryStore());
  await inventory.start();
  const deltas: SourceDelta[] = [];
  const sweeper = new InventorySweeper([{ id: 'default', esa, slb, slbRegions: [REGION] }], inventory, { concurrency: 2, swept: async (swept) => void deltas.push(...swept) });
  const usagesOf = (nativeId: string) => inventory.view.get(idOf(nativeId))?.certificate.usages;
  return { cloud, inventory, sweeper, deltas, usagesOf };
}

describe('certificate usages in the inventory', () => {
  it('sets every SLB certificate’s usages from its region’s listeners and domain extensions, an empty list where nothing serves it', async () => {
    const { sweeper, usagesOf } = await oneRegion();
    const report = await sweeper.sweep();
    expect(report.failed).toEqual([]);
    expect(usagesOf('wildcard')).toEqual([listener('lb-1'), extension('lb-1', 'www.example.com')]);
    expect(usagesOf('www')).toEqual([listener('lb-2')]);
    expect(usagesOf('spare')).toEqual([]);
  });

  it('keeps the usages when a mutation or a certificate list read alone writes the certificate without them', async () => {
    const { sweeper, inventory, usagesOf } = await oneRegion();
    await sweeper.sweep();

    await inventory.upsert([server('www', 'renamed')], 'renamed');
    expect(inventory.view.get(idOf('www'))?.certificate.name).toBe('renamed');
    expect(usagesOf('www')).toEqual([listener('lb-2')]);

    await inventory.refresh(SOURCE, [server('www', 'renamed again'), server('wildcard'), server('spare')], new Date());
    expect(inventory.view.get(idOf('www'))?.certificate.name).toBe('renamed again');
    expect(usagesOf('www')).toEqual([listener('lb-2')]);
    expect(usagesOf('wildcard')).toEqual([listener('lb-1'), extension('lb-1', 'www.example.com')]);
    expect(usagesOf('spare')).toEqual([]);
  });

  it('writes nothing when a list read alone finds the certificates as they were', async () => {
    const { sweeper, inventory } = await oneRegion();
    await sweeper.sweep();
    expect(inventory.difference(SOURCE, [server('www'), server('wildcard'), server('spare')]).upserts).toEqual([]);
  });

  it('moves a usage to the certificate a listener serves now on the next sweep, and announces both certificates as changed', async () => {
    const { cloud, sweeper, deltas, usagesOf } = await oneRegion();
    await sweeper.sweep();
    deltas.length = 0;

    cloud.usages = new Map([
      ['wildcard', [extension('lb-1', 'www.example.com')]],
      ['spare', [listener('lb-1')]],
      ['www', [listener('lb-2')]],
    ]);
    await sweeper.sweep();

    expect(usagesOf('spare')).toEqual([listener('lb-1')]);
    expect(usagesOf('wildcard')).toEqual([extension('lb-1', 'www.example.com')]);
    expect(usagesOf('www')).toEqual([listener('lb-2')]);
    const changed = deltas.flatMap((delta) => delta.changes.map((change) => change.after?.certificate.ref.nativeId));
    expect(changed.sort()).toEqual(['spare', 'wildcard']);
  });

  it('fails the region when its usages cannot be read, keeping its entries and their usages', async () => {
    const { cloud, sweeper, inventory, usagesOf } = await oneRegion();
    await sweeper.sweep();
    cloud.usagesFail = true;
    cloud.certificates = [server('www')];

    const report = await sweeper.sweep();

    expect(report.failed).toEqual([SOURCE]);
    expect(inventory.source(SOURCE)?.error).toBe('ServiceUnavailable: The service is unavailable.');
    expect(inventory.entriesOf(SOURCE).size).toBe(3);
    expect(usagesOf('wildcard')).toEqual([listener('lb-1'), extension('lb-1', 'www.example.com')]);
  });

  it('announces no change when a sweep first learns the usages of certificates that are otherwise as they were', async () => {
    const { sweeper, inventory, deltas, usagesOf } = await oneRegion();
    // The index as a sweep that did not read usages left it.
    await inventory.refresh(SOURCE, [server('www'), server('wildcard'), server('spare')], new Date());
    expect(usagesOf('www')).toBeUndefined();

    const report = await sweeper.sweep();

    expect(report.upserts).toBe(3);
    expect(usagesOf('www')).toEqual([listener('lb-2')]);
    expect(deltas).toEqual([]);
  });
});
