import { PLAN_PRESETS } from '../../../src/emulator/services/plans';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient, type CloudError } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { makeCertificate } from '../../helpers/openssl';

interface QuotaBody {
  Type: string;
  Quota: number;
  QuotaUsage: number;
  SiteCount: number;
  SiteUsage: Array<{ SiteId: string; SiteName: string; SiteUsage: number }>;
}

const DAY_SECONDS = 86_400;
const BASIC = DEMO.sites.basic;
const PAID_ON_BASIC = PLAN_PRESETS.basic.paidCertificateQuota ?? 0;

function expectError(error: CloudError, code: string, status: number, message?: string): void {
  expect({ code: error.code, statusCode: error.statusCode }).toEqual({ code, statusCode: status });
  if (message !== undefined) expect(error.data?.Message).toBe(message);
}

describe('ESA certificate quota (GetCertificateQuota, enforced by SetCertificate and ApplyCertificate)', () => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;
  const quota = (siteId: string, type: string) => esa.call<QuotaBody>('GetCertificateQuota', { SiteId: siteId, Type: type });
  const usage = async (siteId: string, type: string) => (await quota(siteId, type)).QuotaUsage;
  /** A CAS certificate set on the site: no key to make, so filling a quota is quick. */
  const setCas = (siteId: string, name: string) => esa.call<{ Id: string }>('SetCertificate', { SiteId: siteId, Type: 'cas', CasId: DEMO.casCertificates.www, Name: name });
  const fill = async (siteId: string, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await setCas(siteId, `filler-${i}`)).Id);
    return ids;
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA');
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it("reports each pool's quota and usage for one site, with SiteUsage[].SiteId as a string", async () => {
    expect(await quota(DEMO.sites.example, 'free')).toEqual({
      RequestId: expect.any(String),
      Type: 'free',
      Quota: PLAN_PRESETS.enterprise.freeCertificateQuota,
      QuotaUsage: 1,
      SiteCount: 1,
      SiteUsage: [{ SiteId: DEMO.sites.example, SiteName: 'example.com', SiteUsage: 1 }],
    });
    // The demo's uploaded and CAS certificates.
    expect(await quota(DEMO.sites.example, 'paid')).toMatchObject({ Type: 'paid', Quota: PLAN_PRESETS.enterprise.paidCertificateQuota, QuotaUsage: 2 });
    expect(await quota(BASIC, 'free')).toMatchObject({ Quota: 10, QuotaUsage: 0, SiteUsage: [{ SiteId: BASIC, SiteName: 'basic-example.com', SiteUsage: 0 }] });
    expect(await quota(BASIC, 'paid')).toMatchObject({ Quota: PAID_ON_BASIC, QuotaUsage: 0 });
  });

  it('refuses an upload beyond the paid quota with QuotaExceeded, and a delete makes room again', async () => {
    expect(PAID_ON_BASIC).toBeLessThanOrEqual(10);
    const ids = await fill(BASIC, PAID_ON_BASIC);
    expect(await usage(BASIC, 'paid')).toBe(PAID_ON_BASIC);

    expectError(await esa.fail('SetCertificate', { SiteId: BASIC, Type: 'cas', CasId: DEMO.casCertificates.shop }), 'QuotaExceeded', 403, 'The quota is exceeded.');
    const own = makeCertificate({ commonName: 'over.basic-example.com', dnsNames: ['over.basic-example.com'] });
    const upload = { SiteId: BASIC, Type: 'upload', Certificate: own.certificatePem, PrivateKey: own.privateKeyPem };
    expectError(await esa.fail('SetCertificate', upload), 'QuotaExceeded', 403);
    const listed = await esa.call<{ TotalCount: number }>('ListCertificates', { SiteId: BASIC });
    expect(listed.TotalCount).toBe(PAID_ON_BASIC);

    // Replacing the content of a certificate the site holds takes no new slot.
    await expect(esa.call('SetCertificate', { ...upload, Id: ids[0] })).resolves.toEqual({ RequestId: expect.any(String), Id: ids[0] });

    await esa.call('DeleteCertificate', { SiteId: BASIC, Id: ids[1] });
    expect(await usage(BASIC, 'paid')).toBe(PAID_ON_BASIC - 1);
    await expect(esa.call('SetCertificate', upload)).resolves.toMatchObject({ Id: expect.any(String) });
    expect(await usage(BASIC, 'paid')).toBe(PAID_ON_BASIC);
  });

  it('counts expired certificates until they are deleted', async () => {
    const ids = await fill(BASIC, PAID_ON_BASIC);
    await emulator.admin('POST', 'clock', { advanceSeconds: 400 * DAY_SECONDS });
    const listed = await esa.call<{ Result: Array<{ Id: string; Status: string }> }>('ListCertificates', { SiteId: BASIC, PageSize: 50 });
    expect(new Set(listed.Result.map((certificate) => certificate.Status))).toEqual(new Set(['Expired']));
    expect(await usage(BASIC, 'paid')).toBe(PAID_ON_BASIC);
    expectError(await esa.fail('SetCertificate', { SiteId: BASIC, Type: 'cas', CasId: DEMO.casCertificates.www }), 'QuotaExceeded', 403);

    for (const id of ids.slice(0, 2)) await esa.call('DeleteCertificate', { SiteId: BASIC, Id: id });
    expect(await usage(BASIC, 'paid')).toBe(PAID_ON_BASIC - 2);
    await setCas(BASIC, 'after-purge');
  });

  it('keeps the free and paid pools apart; a failed application gives its free slot back', async () => {
    const domains = ['a', 'b', 'c'].map((label) => `${label}.basic-example.com`).join(',');
    await esa.call('ApplyCertificate', { SiteId: BASIC, Domains: domains, Type: 'lets_encrypt' });
    expect(await usage(BASIC, 'free')).toBe(3);
    expect(await usage(BASIC, 'paid')).toBe(0);

    const full = Array.from({ length: 7 }, (_, index) => `more${index}.basic-example.com`).join(',');
    await esa.call('ApplyCertificate', { SiteId: BASIC, Domains: full, Type: 'lets_encrypt' });
    expect(await usage(BASIC, 'free')).toBe(10);
    expectError(await esa.fail('ApplyCertificate', { SiteId: BASIC, Domains: 'one-more.basic-example.com' }), 'QuotaExceeded', 403);
    await setCas(BASIC, 'paid-pool-unaffected');

    await emulator.admin('POST', 'validations/complete', { siteId: BASIC, outcome: 'failed' });
    expect(await usage(BASIC, 'free')).toBe(0);
  });

  it('gives a seeded site the quota of the plan it is seeded with', async () => {
    const seeded = await emulator.admin('POST', 'seed', { sites: [{ id: '9100000000001', name: 'seeded-basic.example', plan: 'basic' }] });
    expect(seeded.status).toBe(200);
    expect(await quota('9100000000001', 'paid')).toMatchObject({ Quota: PAID_ON_BASIC, QuotaUsage: 0, SiteUsage: [{ SiteName: 'seeded-basic.example' }] });
    expect(await quota('9100000000001', 'free')).toMatchObject({ Quota: PLAN_PRESETS.basic.freeCertificateQuota });
  });

  it.each([
    ['no Type', { SiteId: BASIC }, 'InvalidParameter', 400],
    ['an unknown Type', { SiteId: BASIC, Type: 'premium' }, 'InvalidParameter', 400],
    ['no SiteId', { Type: 'free' }, 'MissingSiteId', 400],
    ['an unknown site', { SiteId: '9999999999999', Type: 'free' }, 'InvalidParameter.SiteId', 400],
  ])('refuses GetCertificateQuota with %s', async (_name, params, code, status) => {
    expectError(await esa.fail('GetCertificateQuota', params), code, status);
  });
});
