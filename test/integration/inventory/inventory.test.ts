import { untyped } from '../../helpers/callers';
import { answerCounts } from '../../helpers/memory-caches';
import { type TestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

type Page = {
  certificates: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { id: string; name: string | null; provider: string; regionId: string | null } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

const PAGE = `query Page($first: Int, $after: String, $filter: CertificateFilter) {
  certificates(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id name provider regionId } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const STATUS = `{ inventoryStatus { complete certificates lastSweepFinishedAt sources { name accountId certificates lastSuccessAt error } } }`;

async function everything(gateway: TestGateway, filter: Record<string, unknown> = {}, first = 2): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: { data?: unknown; errors?: unknown } = await gateway.execute(untyped(PAGE), { first, after, filter });
    expect(answer.errors).toBeUndefined();
    const page: Page['certificates'] = (answer.data as Page).certificates;
    ids.push(...page.edges.map((edge) => edge.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

describe('the inventory on a shared Redis', () => {
  const two = twoGatewaysOnOneRedis({}, { resetEachTest: false });

  it('answers the same pages on both instances, and reading them makes no cloud call', async () => {
    // Resolves once this sweep (not one that was running already) has finished.
    await two.first.sweepNow();
    await two.emulator.admin('DELETE', 'stats');

    const first = await everything(two.first);
    const second = await everything(two.second);

    expect(first.length).toBeGreaterThan(5);
    expect(new Set(first).size).toBe(first.length);
    expect(second).toEqual(first);
    expect(await two.emulator.stats()).toEqual({});
  });

  it('shows a certificate uploaded through one instance in the very next request to the other', async () => {
    const own = makeCertificate({ commonName: 'inventory.estate-test.net', dnsNames: ['inventory.estate-test.net'] });
    const upload = await two.first.execute(
      untyped('mutation Upload($input: UploadServerCertificateInput!) { uploadServerCertificate(input: $input) { id } }'),
      { input: { regionId: 'cn-shanghai', serverCertificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'inventory-test' } },
    );
    const id = (upload.data as { uploadServerCertificate: { id: string } }).uploadServerCertificate.id;

    const found = await two.second.execute(untyped(PAGE), { first: 10, filter: { hostname: 'inventory.estate-test.net' } });
    const deleted = await two.second.execute(untyped('mutation Delete($id: ID!) { deleteCertificate(id: $id) { deleted } }'), { id });
    const gone = await two.first.execute(untyped(PAGE), { first: 10, filter: { hostname: 'inventory.estate-test.net' } });

    expect((found.data as Page).certificates.edges.map((edge) => edge.node)).toEqual([{ id, name: 'inventory-test', provider: 'SLB', regionId: 'cn-shanghai' }]);
    expect(deleted.errors).toBeUndefined();
    expect((gone.data as Page).certificates.totalCount).toBe(0);
  });

  it('drops an answer kept from the inventory on every instance when the inventory changes', async () => {
    const query = { first: 10, filter: { search: 'kept-answer-test' } };
    const counts = await answerCounts(two.second);
    const before = await two.second.execute(untyped(PAGE), query);
    const again = await two.second.execute(untyped(PAGE), query);
    const replayed = ((await answerCounts(two.second)).hit ?? 0) - (counts.hit ?? 0);
    const own = makeCertificate({ commonName: 'kept.estate-test.net', dnsNames: ['kept.estate-test.net'] });
    await two.first.execute(
      untyped('mutation Upload($input: UploadServerCertificateInput!) { uploadServerCertificate(input: $input) { id } }'),
      { input: { regionId: 'cn-hangzhou', serverCertificate: own.certificatePem, privateKey: own.privateKeyPem, name: 'kept-answer-test' } },
    );

    const after = await two.second.execute(untyped(PAGE), query);

    expect((before.data as Page).certificates.totalCount).toBe(0);
    expect(again.text).toBe(before.text);
    expect(replayed).toBe(1);
    expect((after.data as Page).certificates.edges.map((edge) => edge.node.name)).toEqual(['kept-answer-test']);
  });

  it('makes one cloud call per list page in a sweep', async () => {
    await two.emulator.admin('DELETE', 'stats');
    const began = Date.now();

    await two.second.sweepNow();
    await two.second.inventory.swept(began);

    const stats = await two.emulator.stats();
    const sites = 4;
    // No SLB_REGIONS: the account's regions are the ones DescribeRegions lists, one call a sweep. Each
    // region: its certificates, its HTTPS listeners (one page), and each listener's domain extensions
    // (the demo has one HTTPS listener per region).
    expect(stats).toEqual({
      'SLB.DescribeRegions': 1,
      'ESA.ListSites': 1,
      'ESA.ListCertificates': sites,
      'ESA.ListClientCertificates': sites,
      'ESA.ListSiteOriginClientCertificates': sites,
      'SLB.DescribeServerCertificates': 2,
      'SLB.DescribeLoadBalancerListeners': 2,
      'SLB.DescribeDomainExtensions': 2,
    });
  });

  it('keeps a failing source’s certificates and reports its error, while the others refresh', async () => {
    const before = await everything(two.first, { providers: ['SLB'] }, 50);
    await two.emulator.admin('POST', 'faults', { product: 'SLB', action: 'DescribeServerCertificates', status: 400, code: 'InvalidParameter', message: 'refused for the test' });
    try {
      const began = Date.now();
      await two.first.sweepNow();
      await two.first.inventory.swept(began);

      const status = (await two.second.execute(untyped(STATUS))).data as {
        inventoryStatus: { complete: boolean; sources: Array<{ name: string; accountId: string; error: string | null; lastSuccessAt: string | null; certificates: number }> };
      };
      const named = (name: string) => status.inventoryStatus.sources.filter((source) => source.name === name);
      const slb = status.inventoryStatus.sources.filter((source) => /^SLB [a-z]+-/.test(source.name));
      const esa = status.inventoryStatus.sources.filter((source) => source.name.startsWith('ESA site '));

      // Names show the list read; the account it is read in is a field of its own.
      expect(slb.map((source) => source.name).sort()).toEqual(['SLB cn-hangzhou', 'SLB cn-shanghai']);
      expect(new Set(status.inventoryStatus.sources.map((source) => source.accountId))).toEqual(new Set(['default']));
      expect(named('SLB regions')).toEqual([expect.objectContaining({ accountId: 'default', certificates: 2, error: null })]);
      expect(status.inventoryStatus.complete).toBe(false);
      expect(slb.map((source) => source.error)).toEqual([expect.stringContaining('InvalidParameter'), expect.stringContaining('InvalidParameter')]);
      expect(slb.every((source) => source.lastSuccessAt !== null)).toBe(true);
      expect(esa.every((source) => source.error === null && Date.parse(source.lastSuccessAt ?? '') >= began)).toBe(true);
      expect(await everything(two.second, { providers: ['SLB'] }, 50)).toEqual(before);
      expect(before.length).toBeGreaterThan(0);
    } finally {
      await two.emulator.admin('DELETE', 'faults');
    }
  });
});
