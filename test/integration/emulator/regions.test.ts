import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

type Regions = { RequestId: string; Regions: { Region: Array<{ RegionId: string; RegionEndpoint: string; LocalName: string }> } };

describe('SLB DescribeRegions', () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it.each(['v3', 'v2'] as const)('lists the demo regions and the seeded ones, nested as Regions.Region[] (%s)', async (scheme) => {
    await emulator.admin('POST', 'seed', { regions: ['ap-southeast-5', 'cn-test-1'] });
    const answer = await new AlibabaTestClient(emulator, 'SLB', { scheme }).call<Regions>('DescribeRegions', { AcceptLanguage: 'en-US' });
    expect(answer.RequestId).toBeTruthy();
    expect(answer.Regions.Region).toEqual([
      { RegionId: 'cn-hangzhou', RegionEndpoint: 'slb.aliyuncs.com', LocalName: 'China (Hangzhou)' },
      { RegionId: 'cn-shanghai', RegionEndpoint: 'slb.aliyuncs.com', LocalName: 'China (Shanghai)' },
      { RegionId: 'ap-southeast-5', RegionEndpoint: 'slb.ap-southeast-5.aliyuncs.com', LocalName: 'Indonesia (Jakarta)' },
      { RegionId: 'cn-test-1', RegionEndpoint: 'slb.cn-test-1.aliyuncs.com', LocalName: 'cn-test-1' },
    ]);
    expect(await emulator.stats()).toEqual({ 'SLB.DescribeRegions': 1 });
  });

  it('names regions in Chinese by default and whatever RegionId is given', async () => {
    const answer = await new AlibabaTestClient(emulator, 'SLB').call<Regions>('DescribeRegions', { RegionId: 'cn-shanghai' });
    expect(answer.Regions.Region.map((region) => region.LocalName)).toEqual(['华东1（杭州）', '华东2（上海）']);
  });

  it('refuses an AcceptLanguage it does not document with InvalidParameter', async () => {
    await expect(new AlibabaTestClient(emulator, 'SLB').fail('DescribeRegions', { AcceptLanguage: 'fr-FR' })).resolves.toMatchObject({
      code: 'InvalidParameter',
      statusCode: 400,
    });
  });
});
