import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

type Result = Record<string, unknown> & { Id: string; Status: string; CommonName: string; SAN: string; NotAfter: string };
type Listed = { TotalCount: number; Result: Result[] };
type Sites = { TotalCount: number; Sites: Array<{ SiteId: number; SiteName: string; Status: string }> };
type ServerCertificate = Record<string, unknown> & { ServerCertificateId: string; CommonName: string; ExpireTimeStamp: number; Fingerprint: string };
type Described = { ServerCertificates: { ServerCertificate: ServerCertificate[] } };
interface Summary {
  sites: number;
  firstSiteId: string;
  edgeCertificates: number;
  serverCertificates: number;
  regions: string[];
  expired: number;
  expiringWithin30Days: number;
}

const DAY_MS = 86_400_000;
const OPTIONS = { sites: 12, certificatesPerSite: 15, serverCertificates: 60, regions: ['cn-beijing', 'cn-shenzhen'], expiredFraction: 0.05, spreadDays: 365, seed: 7 };

describe('a generated estate (POST /_emulator/seed with generate)', () => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;
  let slb: AlibabaTestClient;
  let directory: string;

  const generate = (options: Record<string, unknown> = OPTIONS) => emulator.admin<{ generated: Summary } & Record<string, unknown>>('POST', 'seed', { generate: options });
  const generatedSites = async () => (await esa.call<Sites>('ListSites', { SiteName: `.seed${OPTIONS.seed}.example`, SiteSearchType: 'suffix' })).Sites;
  const certificatesOf = async (siteId: number) => (await esa.call<Listed>('ListCertificates', { SiteId: siteId, PageSize: 500 })).Result;
  const serverCertificatesIn = async (regionId: string) =>
    (await slb.call<Described>('DescribeServerCertificates', { RegionId: regionId })).ServerCertificates.ServerCertificate;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'estate-'));
    emulator = await startTestEmulator({ stateFile: join(directory, 'state.json') });
    esa = new AlibabaTestClient(emulator, 'ESA');
    slb = new AlibabaTestClient(emulator, 'SLB');
  });
  beforeEach(() => emulator.reset());
  afterAll(async () => {
    await emulator.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('adds the requested active sites, certificates per site and SLB certificates over the regions', async () => {
    const { status, body } = await generate();
    expect(status).toBe(200);
    expect(body.generated).toMatchObject({ sites: 12, edgeCertificates: 180, serverCertificates: 60, regions: OPTIONS.regions });
    const sites = await generatedSites();
    expect(sites).toHaveLength(12);
    expect(sites.every((site) => site.Status === 'active')).toBe(true);
    expect(String(sites[0]?.SiteId)).toBe(body.generated.firstSiteId);
    for (const site of sites) expect(await certificatesOf(site.SiteId)).toHaveLength(15);
    for (const region of OPTIONS.regions) expect(await serverCertificatesIn(region)).toHaveLength(30);
    expect((await esa.call<Sites>('ListSites')).TotalCount).toBe(4 + 12);
  });

  it('makes exactly the expired share already expired and some certificates due within 30 days, as the lists report them', async () => {
    const { body } = await generate();
    const now = Date.now();
    const edge = (await Promise.all((await generatedSites()).map((site) => certificatesOf(site.SiteId)))).flat();
    const server = (await Promise.all(OPTIONS.regions.map(serverCertificatesIn))).flat();
    const expired = edge.filter((item) => item.Status === 'Expired').length + server.filter((item) => item.ExpireTimeStamp <= now).length;
    expect(expired).toBe(Math.floor(240 * 0.05));
    expect(body.generated.expired).toBe(expired);
    const expiring = edge.filter((item) => item.Status === 'Expiring').length;
    expect(expiring).toBeGreaterThan(0);
    expect(body.generated.expiringWithin30Days).toBeGreaterThanOrEqual(expiring);
    const latest = Math.max(...edge.map((item) => Date.parse(item.NotAfter)));
    expect(latest).toBeGreaterThan(now + 200 * DAY_MS);
    expect(latest).toBeLessThanOrEqual(now + 366 * DAY_MS);
  });

  it("returns for a listed edge certificate a real PEM whose CN, SANs, serial, dates and fingerprint are the list's", async () => {
    await generate();
    const sites = await generatedSites();
    const sampled = [...(await certificatesOf(sites[0]?.SiteId ?? 0)).slice(3, 6), ...(await certificatesOf(sites[11]?.SiteId ?? 0)).slice(-2)];
    expect(sampled.some((item) => item.CommonName.startsWith('*.'))).toBe(true);
    for (const [index, listed] of sampled.entries()) {
      const siteId = index < 3 ? sites[0]?.SiteId : sites[11]?.SiteId;
      const got = await esa.call<{ Certificate: string; Result: Result }>('GetCertificate', { SiteId: siteId ?? 0, Id: listed.Id });
      const x509 = new X509Certificate(got.Certificate);
      expect(x509.subject).toBe(`CN=${listed.CommonName}`);
      expect(x509.subjectAltName).toBe(listed.SAN.split(',').map((name) => `DNS:${name}`).join(', '));
      expect(x509.serialNumber.toLowerCase()).toBe(listed.SerialNumber);
      expect(x509.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(listed.FingerprintSha256);
      expect(new Date(x509.validTo).toISOString().replace('.000', '')).toBe(listed.NotAfter);
      expect(new Date(x509.validFrom).toISOString().replace('.000', '')).toBe(listed.NotBefore);
      expect(x509.issuer).toContain(`CN=${String(listed.IssuerCN)}`);
      expect(got.Result).toEqual(listed);
    }
  });

  it("keeps for each SLB certificate a real PEM whose CN, SANs, dates and fingerprint are DescribeServerCertificates'", async () => {
    await generate();
    const described = (await serverCertificatesIn('cn-shenzhen')).slice(0, 5);
    const saved = JSON.parse(readFileSync(join(directory, 'state.json'), 'utf8')) as {
      accounts: Record<string, { serverCertificates: Array<{ id: string; certificate: { pem: string } }> }>;
    };
    const stored = new Map(saved.accounts['emulator-key']?.serverCertificates.map((record) => [record.id, record.certificate.pem]));
    for (const item of described) {
      const x509 = new X509Certificate(stored.get(item.ServerCertificateId) ?? '');
      expect(x509.subject).toBe(`CN=${item.CommonName}`);
      expect(x509.subjectAltName).toBe(`DNS:${item.CommonName}`);
      expect(x509.fingerprint.toLowerCase()).toBe(item.Fingerprint);
      expect(Date.parse(x509.validTo)).toBe(item.ExpireTimeStamp);
    }
  });

  it('makes the same ids, names, serials and statuses from the same seed', async () => {
    const snapshot = async () => {
      await generate();
      const sites = await generatedSites();
      const certificates = (await Promise.all(sites.map((site) => certificatesOf(site.SiteId)))).flat();
      const server = await serverCertificatesIn('cn-beijing');
      return {
        sites: sites.map((site) => [site.SiteId, site.SiteName]),
        certificates: certificates.map((item) => [item.Id, item.CommonName, item.SerialNumber, item.Status]),
        server: server.map((item) => [item.ServerCertificateId, item.CommonName]),
      };
    };
    const first = await snapshot();
    await emulator.reset();
    expect(await snapshot()).toEqual(first);
    await emulator.reset();
    await generate({ ...OPTIONS, seed: 8 });
    expect((await esa.call<Sites>('ListSites', { SiteName: '.seed8.example', SiteSearchType: 'suffix' })).Sites.map((site) => site.SiteId)).not.toEqual(
      first.sites.map(([id]) => id),
    );
  });

  it('refuses a malformed generate option with InvalidParameter and adds nothing, not even the rest of the seed', async () => {
    for (const bad of [{ sites: -1 }, { sites: 1.5 }, { expiredFraction: 2 }, { regions: ['Not A Region'] }, { regions: [] }, { certificatesPerSite: 1001 }, { typo: 1 }]) {
      const { status, body } = await emulator.admin('POST', 'seed', { sites: [{ id: '9876543210987', name: 'extra.example.com' }], generate: { ...OPTIONS, ...bad } });
      expect([status, body]).toEqual([400, expect.objectContaining({ Code: 'InvalidParameter' })]);
    }
    expect((await esa.call<Sites>('ListSites')).TotalCount).toBe(4);
  });
});
