import { untyped } from '../../helpers/callers';
import { gatewayForFile } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';

const SITE = '3456789012345';
const QUOTA = `query Quota($siteId: ID!) { certificateQuota(siteId: $siteId) { siteId accountId quota usage pools { type quota usage } } }`;
const PURGE = `mutation Purge($siteId: ID!, $dryRun: Boolean) {
  purgeCertificates(siteId: $siteId, dryRun: $dryRun) { deleted certificates { id status name } errors { certificateId errorCode } }
}`;
const UPLOAD = `mutation Upload($input: UploadSiteCertificateInput!) { uploadSiteCertificate(input: $input) { id status } }`;

type Quota = { certificateQuota: { siteId: string; accountId: string; quota: number; usage: number; pools: Array<{ type: string; quota: number; usage: number }> } };
type Purge = { purgeCertificates: { deleted: boolean; certificates: Array<{ id: string; status: string; name: string }>; errors: Array<{ certificateId: string; errorCode: string }> } };

/** openssl's date form, days from now (negative: in the past). */
function opensslDate(days: number): string {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

describe("an ESA site's certificate quota, and purging what holds it without serving", () => {
  const cloud = gatewayForFile();

  const paid = async () => {
    const answer = await cloud.gateway.execute(untyped(QUOTA), { siteId: SITE });
    expect(answer.errors).toBeUndefined();
    const quota = (answer.data as Quota).certificateQuota;
    return { total: quota, paid: quota.pools.find((pool) => pool.type === 'paid') };
  };
  const upload = (name: string, days: [number, number]) => {
    const pem = makeCertificate({ commonName: `${name}.purge-test.net`, dnsNames: [`${name}.purge-test.net`], startDate: opensslDate(days[0]), endDate: opensslDate(days[1]) });
    return cloud.gateway.execute(untyped(UPLOAD), { input: { siteId: SITE, certificate: pem.certificatePem, privateKey: pem.privateKeyPem, name } });
  };

  beforeAll(async () => {
    const seeded = await cloud.emulator.admin('POST', 'seed', { sites: [{ id: SITE, name: 'purge-test.net', plan: 'basic' }] });
    expect(seeded.status).toBe(200);
  });

  it('reports each pool and the totals, counts uploads, refuses one past the quota, and frees the expired ones when purged', async () => {
    const before = await paid();
    expect(before.total).toMatchObject({ siteId: SITE, accountId: 'default' });
    expect(before.paid).toEqual({ type: 'paid', quota: 5, usage: 0 });
    expect(before.total.quota).toBe(before.total.pools.reduce((sum, pool) => sum + pool.quota, 0));

    const expired = [];
    for (const name of ['old-one', 'old-two']) {
      const answer = await upload(name, [-400, -30]);
      expect(answer.errors).toBeUndefined();
      expired.push((answer.data as { uploadSiteCertificate: { id: string; status: string } }).uploadSiteCertificate);
    }
    expect(expired.map((certificate) => certificate.status)).toEqual(['EXPIRED', 'EXPIRED']);
    for (const name of ['live-one', 'live-two', 'live-three']) expect((await upload(name, [-1, 300])).errors).toBeUndefined();
    expect((await paid()).paid).toEqual({ type: 'paid', quota: 5, usage: 5 });

    // The quota is full: one more is refused with ESA's documented code, and changes nothing.
    const refused = await upload('one-too-many', [-1, 300]);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'QuotaExceeded' });
    expect((await paid()).paid?.usage).toBe(5);

    // A dry run lists exactly the expired ones and deletes nothing.
    const dry = await cloud.gateway.execute(untyped(PURGE), { siteId: SITE });
    expect(dry.errors).toBeUndefined();
    const listed = (dry.data as Purge).purgeCertificates;
    expect(listed.deleted).toBe(false);
    expect(listed.certificates.map((certificate) => certificate.id).sort()).toEqual(expired.map((certificate) => certificate.id).sort());
    expect(listed.certificates.every((certificate) => certificate.status === 'EXPIRED')).toBe(true);
    expect((await paid()).paid?.usage).toBe(5);

    const purged = await cloud.gateway.execute(untyped(PURGE), { siteId: SITE, dryRun: false });
    expect(purged.errors).toBeUndefined();
    expect((purged.data as Purge).purgeCertificates).toMatchObject({ deleted: true, errors: [] });
    expect((await paid()).paid?.usage).toBe(3);
    expect((await upload('fits-again', [-1, 300])).errors).toBeUndefined();

    // Nothing expired is left: a second purge lists nothing.
    const again = await cloud.gateway.execute(untyped(PURGE), { siteId: SITE, dryRun: false });
    expect((again.data as Purge).purgeCertificates).toEqual({ deleted: false, certificates: [], errors: [] });
  });

  it('answers an unknown site with the documented code, for the quota and for a purge alike', async () => {
    const answer = await cloud.gateway.execute(untyped(QUOTA), { siteId: '9999999999999' });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'SiteNotFound' });
    const purge = await cloud.gateway.execute(untyped(PURGE), { siteId: '9999999999999', dryRun: false });
    expect(purge.errors?.[0]?.extensions).toMatchObject({ code: 'SiteNotFound' });
  });
});
