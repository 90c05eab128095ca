import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { makeCertificate } from '../../helpers/openssl';

type Item = Record<string, unknown>;
type Page = Record<string, unknown> & { PageNumber: number; PageSize: number; TotalCount: number };
type Params = Record<string, string | number>;

/** Where each ESA list keeps its items and their ids. */
const LISTS = {
  ListSites: { items: 'Sites', id: 'SiteId' },
  ListCertificates: { items: 'Result', id: 'Id' },
  ListClientCertificates: { items: 'Result', id: 'Id' },
  ListSiteOriginClientCertificates: { items: 'Result', id: 'Id' },
} as const;
type ListAction = keyof typeof LISTS;

describe('paging of the ESA list operations and the one-call SLB list', () => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;
  let slb: AlibabaTestClient;
  /** A generated site holding 1,000 certificates. */
  let bigSite: string;

  const page = async (action: ListAction, params: Params) => {
    const body = await esa.call<Page>(action, params);
    return { body, ids: (body[LISTS[action].items] as Item[]).map((item) => String(item[LISTS[action].id])) };
  };

  /** Follows every page as a sweep would, by the PageSize and TotalCount the answers report. */
  const walk = async (action: ListAction, params: Params, pageSize?: number) => {
    const ids: string[] = [];
    const totals = new Set<number>();
    for (let number = 1; ; number += 1) {
      const { body, ids: pageIds } = await page(action, { ...params, PageNumber: number, ...(pageSize === undefined ? {} : { PageSize: pageSize }) });
      expect(body.PageNumber).toBe(number);
      ids.push(...pageIds);
      totals.add(body.TotalCount);
      if (number * body.PageSize >= body.TotalCount) return { ids, totals: [...totals], pages: number };
    }
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA');
    slb = new AlibabaTestClient(emulator, 'SLB');
    bigSite = String((await emulator.generate({ sites: 1, certificatesPerSite: 1000, seed: 11 })).firstSiteId);
    await emulator.generate({ sites: 599, seed: 12, serverCertificates: 1200, regions: ['cn-qingdao'] });
  });
  afterAll(() => emulator.stop());

  describe('ListSites', () => {
    it('returns every site exactly once, in creation order, whatever the page size', async () => {
      const byDefault = await walk('ListSites', {});
      const byThirtySeven = await walk('ListSites', {}, 37);
      expect(byDefault).toMatchObject({ totals: [604], pages: 2 });
      expect(byDefault.ids).toHaveLength(604);
      expect(new Set(byDefault.ids).size).toBe(604);
      expect(byThirtySeven).toMatchObject({ ids: byDefault.ids, totals: [604], pages: 17 });
      expect(byDefault.ids.slice(0, 5)).toEqual([...Object.values(DEMO.sites), bigSite]);
    });

    it('answers 500 sites per page by default, as documented', async () => {
      const { body, ids } = await page('ListSites', {});
      expect(body).toMatchObject({ PageNumber: 1, PageSize: 500, TotalCount: 604 });
      expect(ids).toHaveLength(500);
    });

    it('serves a page larger than 500 as 500 sites and reports PageSize 500', async () => {
      const { body, ids } = await page('ListSites', { PageSize: 2000 });
      expect(body).toMatchObject({ PageSize: 500, TotalCount: 604 });
      expect(ids).toHaveLength(500);
      expect((await page('ListSites', { PageSize: 2000, PageNumber: 2 })).ids).toHaveLength(104);
    });
  });

  describe('ListCertificates', () => {
    it("returns every one of a site's 1,000 certificates exactly once across pages of 500, 33 and the default 20", async () => {
      const byMaximum = await walk('ListCertificates', { SiteId: bigSite }, 500);
      expect(byMaximum).toMatchObject({ totals: [1000], pages: 2 });
      expect(new Set(byMaximum.ids).size).toBe(1000);
      expect(await walk('ListCertificates', { SiteId: bigSite }, 33)).toMatchObject({ ids: byMaximum.ids, totals: [1000], pages: 31 });
      expect(await walk('ListCertificates', { SiteId: bigSite })).toMatchObject({ ids: byMaximum.ids, totals: [1000], pages: 50 });
    });

    it('serves a page larger than 500 as 500 certificates and reports PageSize 500', async () => {
      const first = await page('ListCertificates', { SiteId: bigSite, PageSize: 900 });
      expect(first.body).toMatchObject({ PageNumber: 1, PageSize: 500, TotalCount: 1000 });
      expect(first.ids).toHaveLength(500);
      const second = await page('ListCertificates', { SiteId: bigSite, PageSize: 900, PageNumber: 2 });
      expect(second.ids).toHaveLength(500);
      expect(new Set([...first.ids, ...second.ids]).size).toBe(1000);
    });

    it('answers a page past the end with no certificates and the full TotalCount', async () => {
      const { body, ids } = await page('ListCertificates', { SiteId: bigSite, PageSize: 500, PageNumber: 3 });
      expect(body).toMatchObject({ PageNumber: 3, PageSize: 500, TotalCount: 1000 });
      expect(ids).toEqual([]);
    });
  });

  describe('ListClientCertificates and ListSiteOriginClientCertificates', () => {
    const site = DEMO.sites.example;

    beforeAll(async () => {
      for (let i = 0; i < 4; i += 1) await esa.call('CreateClientCertificate', { SiteId: site, PkeyType: 'ECDSA', ValidityDays: 30 });
      const ca = makeCertificate({ commonName: 'Paging Origin CA' });
      for (let i = 0; i < 3; i += 1) {
        const leaf = makeCertificate({ commonName: `origin${i}.example.com`, issuer: ca });
        await esa.call('UploadSiteOriginClientCertificate', { SiteId: site, Certificate: leaf.certificatePem, PrivateKey: leaf.privateKeyPem, Name: `origin${i}` });
      }
    });

    it.each([
      ['ListClientCertificates', 5],
      ['ListSiteOriginClientCertificates', 4],
    ] as const)('%s returns every certificate exactly once across pages of 2, in creation order', async (action, total) => {
      const everything = (await page(action, { SiteId: site, PageSize: 100 })).ids;
      expect(everything).toHaveLength(total);
      expect(await walk(action, { SiteId: site }, 2)).toEqual({ ids: everything, totals: [total], pages: Math.ceil(total / 2) });
    });

    it.each([
      ['ListClientCertificates', 500],
      ['ListSiteOriginClientCertificates', 1024],
    ] as const)('%s pages by 20 by default and serves a larger page than %i at that size', async (action, maximum) => {
      expect((await page(action, { SiteId: site })).body).toMatchObject({ PageNumber: 1, PageSize: 20 });
      expect((await page(action, { SiteId: site, PageSize: 5000 })).body).toMatchObject({ PageSize: maximum });
      expect((await page(action, { SiteId: site, PageSize: maximum })).body).toMatchObject({ PageSize: maximum });
    });

    it.each(Object.keys(LISTS) as ListAction[])('%s refuses PageSize 0, PageNumber 0 and a PageSize that is not a number with InvalidParameter', async (action) => {
      for (const bad of [{ PageSize: 0 }, { PageNumber: 0 }, { PageSize: '20x' }]) {
        await expect(esa.fail(action, { SiteId: site, ...bad })).resolves.toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
      }
    });
  });

  describe('SLB DescribeServerCertificates', () => {
    it("answers every certificate of the region in one call, with no paging fields, whatever paging is asked for", async () => {
      type Described = { ServerCertificates: { ServerCertificate: Array<{ ServerCertificateId: string; RegionId: string }> } } & Record<string, unknown>;
      const body = await slb.call<Described>('DescribeServerCertificates', { RegionId: 'cn-qingdao', PageSize: 10, PageNumber: 2 });
      const items = body.ServerCertificates.ServerCertificate;
      expect(items).toHaveLength(1200);
      expect(new Set(items.map((item) => item.ServerCertificateId)).size).toBe(1200);
      expect(items.every((item) => item.RegionId === 'cn-qingdao')).toBe(true);
      expect(body).not.toHaveProperty('TotalCount');
      expect(body).not.toHaveProperty('PageSize');
    });
  });
});
