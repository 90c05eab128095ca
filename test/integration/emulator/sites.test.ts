import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

describe.each(['v3', 'v2'] as const)('ESA sites over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
  });
  afterAll(() => emulator.stop());

  it('lists the demo sites with their status and access type', async () => {
    const body = await esa.call<{ Sites: Array<Record<string, unknown>>; TotalCount: number }>('ListSites');
    expect(body.TotalCount).toBe(4);
    expect(body.Sites.map((site) => [site.SiteId, site.SiteName, site.Status, site.AccessType])).toEqual([
      [1234567890123, 'example.com', 'active', 'NS'],
      [2345678901234, 'cname-example.com', 'active', 'CNAME'],
      [3456789012345, 'pending-example.com', 'pending', 'NS'],
      [4567890123456, 'basic-example.com', 'active', 'NS'],
    ]);
  });

  it('filters sites by name with the documented search types', async () => {
    const fuzzy = await esa.call<{ Sites: Array<{ SiteName: string }> }>('ListSites', { SiteName: 'example', SiteSearchType: 'fuzzy' });
    expect(fuzzy.Sites).toHaveLength(4);
    const exact = await esa.call<{ Sites: Array<{ SiteName: string }> }>('ListSites', { SiteName: 'basic-example.com' });
    expect(exact.Sites.map((site) => site.SiteName)).toEqual(['basic-example.com']);
    const byStatus = await esa.call<{ Sites: Array<{ SiteName: string }> }>('ListSites', { Status: 'pending' });
    expect(byStatus.Sites.map((site) => site.SiteName)).toEqual(['pending-example.com']);
  });

  it('pages through sites', async () => {
    const second = await esa.call<{ Sites: Array<{ SiteName: string }>; PageNumber: number; TotalCount: number }>('ListSites', {
      PageNumber: 2,
      PageSize: 3,
    });
    expect(second).toMatchObject({ PageNumber: 2, TotalCount: 4 });
    expect(second.Sites.map((site) => site.SiteName)).toEqual(['basic-example.com']);
  });

  it('gets one site under SiteModel', async () => {
    const body = await esa.call<{ SiteModel: Record<string, unknown>; RequestId: string }>('GetSite', { SiteId: DEMO.sites.cname });
    expect(body.RequestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(body.SiteModel).toMatchObject({ SiteId: 2345678901234, SiteName: 'cname-example.com', AccessType: 'CNAME' });
  });

  it('answers SiteNotFound for an unknown site and MissingSiteId without one', async () => {
    await expect(esa.fail('GetSite', { SiteId: '999' })).resolves.toMatchObject({ code: 'SiteNotFound', statusCode: 400 });
    await expect(esa.fail('GetSite')).resolves.toMatchObject({ code: 'MissingSiteId', statusCode: 400 });
    await expect(esa.fail('GetSite', { SiteId: 'abc' })).resolves.toMatchObject({ code: 'SiteNotFound' });
  });

  it('refuses a page size below 1 with InvalidParameter', async () => {
    await expect(esa.fail('ListSites', { PageSize: 0 })).resolves.toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
  });
});
