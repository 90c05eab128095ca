import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient, type CloudError, type WireOverrides } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { opensslFacts } from '../../helpers/openssl';
import { expectEsaValuesOf } from '../../helpers/esa-values';

type Result = Record<string, unknown> & { Id: string; Status: string; DCV?: Dcv[] };
interface Dcv {
  Id: string;
  Type: string;
  Key: string;
  Value: string;
  Status: string;
}
interface GetBody {
  Status: string;
  Certificate?: string;
  Result: Result;
}
interface ApplyBody {
  SiteName: string;
  TotalCount: number;
  Result: Array<{ Domain: string; Status: string; Id: string }>;
}

const SITE = DEMO.sites.example;
const DAY_SECONDS = 86_400;
const DAY_MS = DAY_SECONDS * 1000;
const CERTIFICATE_VALUES = ['CommonName', 'NotBefore', 'NotAfter', 'Issuer', 'IssuerCN', 'SAN', 'SigAlg', 'PubAlg', 'SerialNumber', 'FingerprintSha256'];


const blocksOf = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];

/**
 * openssl's verdict on the chain's leaf, with the chain's own intermediate as the only trust anchor
 * (`-partial_chain`, since the root is not returned), for `hostname`, at the leaf's start plus a minute
 * (the emulated clock may be ahead of the host's).
 */
function leafVerifies(leafPem: string, anchorPem: string, hostname: string, notBefore: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'free-cert-'));
  try {
    writeFileSync(join(dir, 'leaf.pem'), leafPem);
    writeFileSync(join(dir, 'anchor.pem'), anchorPem);
    const at = String(Math.floor(Date.parse(notBefore) / 1000) + 60);
    const args = ['verify', '-partial_chain', '-purpose', 'sslserver', '-attime', at, '-verify_hostname', hostname, '-CAfile', join(dir, 'anchor.pem'), join(dir, 'leaf.pem')];
    execFileSync('openssl', args, { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(['v3', 'v2'] as const)('ApplyCertificate over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;

  const apply = (params: Record<string, string>) => esa.call<ApplyBody>('ApplyCertificate', { SiteId: SITE, ...params });
  const get = (id: string) => esa.call<GetBody>('GetCertificate', { SiteId: SITE, Id: id });
  const everything = async () =>
    Promise.all(Object.values(DEMO.sites).map(async (siteId) => (await esa.call<{ Result: Result[] }>('ListCertificates', { SiteId: siteId, PageSize: 500 })).Result));
  /** Expects the call to fail with `code` and every certificate to be exactly as before. */
  const refused = async (params: Record<string, string>, code: string, status = 400, overrides: WireOverrides = {}): Promise<CloudError> => {
    const before = await everything();
    const error = await esa.fail('ApplyCertificate', params, overrides);
    expect(error).toMatchObject({ code, statusCode: status });
    expect(await everything()).toEqual(before);
    return error;
  };
  const domains = (count: number) => Array.from({ length: count }, (_, i) => `host${i}.example.com`).join(',');

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it("applies for one Let's Encrypt certificate per domain, each Applying under its own id", async () => {
    const body = await apply({ Domains: 'www.example.com,Shop.Example.com' });
    expect(body).toMatchObject({ SiteName: 'example.com', TotalCount: 2 });
    expect(body.Result.map(({ Domain, Status }) => [Domain, Status])).toEqual([
      ['www.example.com', 'Applying'],
      ['shop.example.com', 'Applying'],
    ]);
    const [first, second] = body.Result.map((entry) => entry.Id);
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
  });

  it('shows an application with its HTTP challenge and no certificate values until validation completes', async () => {
    const { Result } = await apply({ Domains: 'www.example.com' });
    const id = Result[0]?.Id ?? '';
    const body = await get(id);
    expect(body.Status).toBe('Applying');
    expect(body).not.toHaveProperty('Certificate');
    expect(body.Result).toMatchObject({ Id: id, Name: 'www.example.com', Type: 'free', Status: 'Applying' });
    for (const field of CERTIFICATE_VALUES) expect(body.Result).not.toHaveProperty(field);
    const [dcv] = body.Result.DCV ?? [];
    const token = /^http:\/\/www\.example\.com\/\.well-known\/acme-challenge\/([A-Za-z0-9_-]{43})$/.exec(dcv?.Key ?? '')?.[1];
    expect(token).toBeDefined();
    expect(dcv).toMatchObject({ Type: 'HTTP', Status: 'pending', Id: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(dcv?.Value).toMatch(new RegExp(`^${token}\\.[A-Za-z0-9_-]{43}$`));
    const listed = await esa.call<{ Result: Result[] }>('ListCertificates', { SiteId: SITE, Keyword: 'www.example.com' });
    expect(listed.Result.map((r) => [r.Id, r.Status])).toContainEqual([id, 'Applying']);
  });

  it.each([
    ['lets_encrypt', '*.example.com', 'DNS', '_acme-challenge.example.com'],
    ['digicert_single', 'www.example.com', 'DNS', '_dnsauth.www.example.com'],
    ['digicert_wildcard', '*.shop.example.com', 'DNS', '_dnsauth.shop.example.com'],
  ])('asks a %s application for %s to answer a %s challenge at %s', async (type, domain, dcvType, key) => {
    const { Result } = await apply({ Domains: domain, Type: type });
    const [dcv] = (await get(Result[0]?.Id ?? '')).Result.DCV ?? [];
    expect(dcv).toMatchObject({ Type: dcvType, Key: key, Status: 'pending', Value: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/) });
  });

  it('counts a domain given twice once', async () => {
    const body = await apply({ Domains: 'www.example.com,WWW.example.com, www.example.com' });
    expect(body.TotalCount).toBe(1);
  });

  it('answers the documented codes for a missing, unknown or inactive site', async () => {
    await refused({ Domains: 'www.example.com' }, 'MissingSiteId');
    await refused({ SiteId: '999', Domains: 'www.example.com' }, 'SiteNotFound');
    await refused({ SiteId: '-5', Domains: 'www.example.com' }, 'SiteNotFound');
    await refused({ SiteId: DEMO.sites.pending, Domains: 'www.pending-example.com' }, 'SiteNotActivated');
  });

  it('refuses a Type outside lets_encrypt, digicert_single and digicert_wildcard', async () => {
    await refused({ SiteId: SITE, Domains: 'www.example.com', Type: 'free' }, 'InvalidParameter.Type');
    await refused({ SiteId: SITE, Domains: 'www.example.com', Type: 'LETS_ENCRYPT' }, 'InvalidParameter.Type');
  });

  it.each([
    ['missing', undefined],
    ['an underscore', 'bad_name.example.com'],
    ['an empty entry', 'www.example.com,,shop.example.com'],
    ['binary junk', '\u0000\u0001\u00fe\ud7ff\u0085'],
    ['a wildcard for digicert_single', '*.example.com', 'digicert_single'],
    ['a plain name for digicert_wildcard', 'www.example.com', 'digicert_wildcard'],
  ])('refuses Domains with %s as not a valid domain name', async (_case, value, type = 'lets_encrypt') => {
    const error = await refused({ SiteId: SITE, Type: type, ...(value === undefined ? {} : { Domains: value }) }, 'InvalidParameter.Domains');
    expect(error.message).toContain('not a valid domain name');
  });

  it.each([
    ['lets_encrypt', 50],
    ['digicert_single', 10],
    ['digicert_wildcard', 1],
  ])('refuses more than the %s limit of %i domains', async (type, limit) => {
    const many = type === 'digicert_wildcard' ? '*.a.example.com,*.b.example.com' : domains(limit + 1);
    const error = await refused({ SiteId: SITE, Type: type, Domains: many }, 'InvalidParameter.Domains');
    expect(error.message).toContain('upper limit');
    if (type !== 'digicert_wildcard') await expect(apply({ Type: type, Domains: domains(limit) })).resolves.toMatchObject({ TotalCount: limit });
  });

  it('refuses a domain outside the site', async () => {
    for (const outside of ['www.example.org', 'badexample.com', 'example.com.evil.test']) {
      const error = await refused({ SiteId: SITE, Domains: `www.example.com,${outside}` }, 'InvalidParameter.Domains');
      expect(error.message).toContain('do not belong to the current website');
    }
  });

  it('refuses a wildcard on a site with CNAME access', async () => {
    const error = await refused({ SiteId: DEMO.sites.cname, Domains: '*.cname-example.com' }, 'InvalidParameter.Domains');
    expect(error.message).toContain('CNAME mode');
    await expect(esa.call('ApplyCertificate', { SiteId: DEMO.sites.cname, Domains: 'www.cname-example.com' })).resolves.toMatchObject({ TotalCount: 1 });
  });

  it('refuses a domain that already has a free certificate issued or applying', async () => {
    const issued = await refused({ SiteId: SITE, Domains: 'www.example.com,blog.example.com' }, 'InvalidParameter.Domains');
    expect(issued.message).toContain('already submitted');
    await apply({ Domains: 'www.example.com' });
    await refused({ SiteId: SITE, Domains: 'www.example.com' }, 'InvalidParameter.Domains');
  });

  it("answers QuotaExceeded once the site's free certificates would pass its plan's quota", async () => {
    const basic = DEMO.sites.basic; // the basic plan holds 10 free certificates
    const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => `h${from + i}.basic-example.com`).join(',');
    await refused({ SiteId: basic, Domains: names(0, 11) }, 'QuotaExceeded', 403);
    await esa.call('ApplyCertificate', { SiteId: basic, Domains: names(0, 10) });
    await refused({ SiteId: basic, Domains: names(10, 1) }, 'QuotaExceeded', 403);
  });

  it('answers a 100 KB Domains value with InvalidParameter.Domains', async () => {
    const huge = `${'a'.repeat(100 * 1024)}.example.com`;
    expect(domains(5000).length).toBeGreaterThan(100_000);
    await refused({ SiteId: SITE, Domains: huge }, 'InvalidParameter.Domains', 400, { jsonBody: true });
    await refused({ SiteId: SITE, Domains: domains(5000) }, 'InvalidParameter.Domains', 400, { jsonBody: true });
  });
});

describe('free certificate lifecycle', () => {
  let emulator: TestEmulator;
  let esa: AlibabaTestClient;

  const applyOne = async (domain: string, type = 'lets_encrypt', siteId: string = SITE): Promise<string> => {
    const body = await esa.call<ApplyBody>('ApplyCertificate', { SiteId: siteId, Domains: domain, Type: type });
    return body.Result[0]?.Id ?? '';
  };
  const get = (id: string) => esa.call<GetBody>('GetCertificate', { SiteId: SITE, Id: id });
  const complete = (body: Record<string, unknown>) => emulator.admin<{ completed?: string[]; Code?: string }>('POST', 'validations/complete', body);
  const setMode = (mode: string, delayMs?: number) => emulator.admin('POST', 'validations/mode', { mode, ...(delayMs === undefined ? {} : { delayMs }) });
  const advanceSeconds = (seconds: number) => emulator.admin('POST', 'clock', { advanceSeconds: seconds });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    esa = new AlibabaTestClient(emulator, 'ESA');
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  describe('issuance', () => {
    it("issues a 90-day ECDSA certificate from Let's Encrypt's intermediate once validation completes", async () => {
      const id = await applyOne('www.example.com');
      expect((await complete({ siteId: SITE, id })).body.completed).toEqual([id]);
      const body = await get(id);
      expect(body.Status).toBe('OK');
      const [leaf = '', intermediate = '', ...rest] = blocksOf(body.Certificate ?? '');
      expect(rest).toEqual([]);
      expect(body.Result).toMatchObject({
        Status: 'OK',
        Type: 'free',
        CommonName: 'www.example.com',
        SAN: 'www.example.com',
        Issuer: "Let's Encrypt",
        IssuerCN: 'E5',
        SigAlg: 'ECDSA-SHA256',
        PubAlg: 'ECDSA',
      });
      expectEsaValuesOf(body.Result, leaf);
      expect(Date.parse(String(body.Result.NotAfter)) - Date.parse(String(body.Result.NotBefore))).toBe(90 * DAY_MS);
      expect(body.Result.DCV?.map((dcv) => dcv.Status)).toEqual(['verified']);
      expect(body.Result).not.toHaveProperty('ApplyCode');
      expect(opensslFacts(intermediate).commonName).toBe('E5');
      expect(leafVerifies(leaf, intermediate, 'www.example.com', String(body.Result.NotBefore))).toBe(true);
      expect(leafVerifies(leaf, intermediate, 'other.example.com', String(body.Result.NotBefore))).toBe(false);
    });

    it('issues a one-year RSA certificate from DigiCert for digicert_single', async () => {
      const id = await applyOne('shop.example.com', 'digicert_single');
      await complete({ siteId: SITE, id });
      const body = await get(id);
      const [leaf = '', intermediate = ''] = blocksOf(body.Certificate ?? '');
      expect(body.Result).toMatchObject({ CommonName: 'shop.example.com', SAN: 'shop.example.com', Issuer: 'DigiCert Inc', SigAlg: 'SHA256-RSA', PubAlg: 'RSA' });
      expectEsaValuesOf(body.Result, leaf);
      expect(Date.parse(String(body.Result.NotAfter)) - Date.parse(String(body.Result.NotBefore))).toBe(365 * DAY_MS);
      expect(leafVerifies(leaf, intermediate, 'shop.example.com', String(body.Result.NotBefore))).toBe(true);
      const letsEncrypt = blocksOf((await get(DEMO.edgeCertificates.free)).Certificate ?? '')[1] ?? '';
      expect(leafVerifies(leaf, letsEncrypt, 'shop.example.com', String(body.Result.NotBefore))).toBe(false);
    });

    it('issues a digicert_wildcard certificate that covers the wildcard and the name under it', async () => {
      const id = await applyOne('*.shop.example.com', 'digicert_wildcard');
      await complete({ siteId: SITE, id });
      const body = await get(id);
      const [leaf = '', intermediate = ''] = blocksOf(body.Certificate ?? '');
      expect(body.Result).toMatchObject({ CommonName: '*.shop.example.com', SAN: '*.shop.example.com,shop.example.com' });
      expectEsaValuesOf(body.Result, leaf);
      for (const host of ['a.shop.example.com', 'shop.example.com']) expect(leafVerifies(leaf, intermediate, host, String(body.Result.NotBefore))).toBe(true);
      expect(leafVerifies(leaf, intermediate, 'a.b.shop.example.com', String(body.Result.NotBefore))).toBe(false);
    });

    it("ends ApplyFailed with ApplyCode and ApplyMessage when validation fails, and frees the domain", async () => {
      const id = await applyOne('www.example.com');
      expect((await complete({ siteId: SITE, id, outcome: 'failed' })).body.completed).toEqual([id]);
      const body = await get(id);
      expect(body.Status).toBe('ApplyFailed');
      expect(body).not.toHaveProperty('Certificate');
      expect(body.Result).toMatchObject({ Status: 'ApplyFailed', ApplyCode: 1, ApplyMessage: 'domain validation failed' });
      expect(body.Result.DCV?.map((dcv) => dcv.Status)).toEqual(['failed']);
      expect(body.Result).not.toHaveProperty('SerialNumber');
      await expect(applyOne('www.example.com')).resolves.toMatch(/^[0-9a-f]{32}$/);
    });
  });

  describe('completion modes', () => {
    it('issues nothing on reads in manual mode, however much time passes', async () => {
      const id = await applyOne('www.example.com');
      await advanceSeconds(DAY_SECONDS);
      expect((await get(id)).Status).toBe('Applying');
      expect((await esa.call<{ Result: Result[] }>('ListCertificates', { SiteId: SITE })).Result.find((r) => r.Id === id)?.Status).toBe('Applying');
    });

    it("completes all of a site's pending applications through the admin route, and only that site's", async () => {
      const first = await applyOne('a.example.com');
      const second = await applyOne('b.example.com');
      const elsewhere = await applyOne('www.cname-example.com', 'lets_encrypt', DEMO.sites.cname);
      const completed = (await complete({ siteId: Number(SITE) })).body.completed;
      expect([...(completed ?? [])].sort()).toEqual([first, second].sort());
      expect((await complete({ siteId: SITE })).body.completed).toEqual([]);
      expect((await get(first)).Status).toBe('OK');
      const other = await esa.call<GetBody>('GetCertificate', { SiteId: DEMO.sites.cname, Id: elsewhere });
      expect(other.Status).toBe('Applying');
    });

    it('answers the admin route with 404 for an unknown site or certificate', async () => {
      expect(await complete({ siteId: '999' })).toMatchObject({ status: 404 });
      expect(await complete({ siteId: SITE, id: 'unknown' })).toMatchObject({ status: 404 });
      const id = await applyOne('www.example.com');
      expect(await complete({ siteId: DEMO.sites.cname, id })).toMatchObject({ status: 404 });
      expect((await get(id)).Status).toBe('Applying');
    });

    it('issues on the next read in immediate mode, for GetCertificate and ListCertificates alike', async () => {
      await setMode('immediate');
      const id = await applyOne('www.example.com');
      const body = await get(id);
      expect(body.Status).toBe('OK');
      expectEsaValuesOf(body.Result, body.Certificate ?? '');
      const other = await applyOne('shop.example.com');
      const listed = await esa.call<{ Result: Result[] }>('ListCertificates', { SiteId: SITE, Keyword: 'shop' });
      expect(listed.Result.map((r) => [r.Id, r.Status])).toEqual([[other, 'OK']]);
    });

    it('issues on the first read after the delay in time mode', async () => {
      await setMode('time', 60_000);
      const id = await applyOne('www.example.com');
      expect((await get(id)).Status).toBe('Applying');
      await advanceSeconds(30);
      expect((await get(id)).Status).toBe('Applying');
      await advanceSeconds(31);
      const body = await get(id);
      expect(body.Status).toBe('OK');
      const clock = (await emulator.admin<{ now: string }>('GET', 'clock')).body.now;
      expect(Math.abs(Date.parse(String(body.Result.NotBefore)) - Date.parse(clock))).toBeLessThan(10_000);
    });

    it('issues each certificate once when many reads arrive together', async () => {
      await setMode('immediate');
      const id = await applyOne('www.example.com');
      const reads = await Promise.all([
        ...Array.from({ length: 8 }, () => get(id).then((body) => body.Result.SerialNumber)),
        ...Array.from({ length: 3 }, () =>
          esa.call<{ Result: Result[] }>('ListCertificates', { SiteId: SITE }).then((body) => body.Result.find((r) => r.Id === id)?.SerialNumber),
        ),
      ]);
      expect(new Set(reads).size).toBe(1);
      expect(reads[0]).toMatch(/^[0-9a-f]+$/);
    });
  });

  describe('after issuance', () => {
    it('reports an issued free certificate Expiring 30 days before its end, then Expired, and lets it be applied for again', async () => {
      const id = await applyOne('www.example.com');
      await complete({ siteId: SITE, id });
      await advanceSeconds(61 * DAY_SECONDS);
      expect((await get(id)).Status).toBe('Expiring');
      await expect(esa.fail('ApplyCertificate', { SiteId: SITE, Domains: 'www.example.com' })).resolves.toMatchObject({ code: 'InvalidParameter.Domains' });
      await advanceSeconds(30 * DAY_SECONDS);
      expect((await get(id)).Status).toBe('Expired');
      const valid = await esa.call<{ Result: Result[] }>('ListCertificates', { SiteId: SITE, ValidOnly: true });
      expect(valid.Result.map((r) => r.Id)).not.toContain(id);
      await expect(applyOne('www.example.com')).resolves.toMatch(/^[0-9a-f]{32}$/);
    });

    it('cancels an application when it is deleted while applying', async () => {
      const id = await applyOne('www.example.com');
      await expect(esa.call('DeleteCertificate', { SiteId: SITE, Id: id })).resolves.toMatchObject({ Id: id, SiteId: Number(SITE), SiteName: 'example.com' });
      await expect(esa.fail('GetCertificate', { SiteId: SITE, Id: id })).resolves.toMatchObject({ code: 'Certificate.NotFound', statusCode: 404 });
      expect((await complete({ siteId: SITE })).body.completed).toEqual([]);
      await expect(applyOne('www.example.com')).resolves.toMatch(/^[0-9a-f]{32}$/);
    });
  });
});
