import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { RecordingProxy, send, type RecordedRequest } from '../../helpers/recording-proxy';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('the emulator wire protocol', () => {
  let emulator: TestEmulator;

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  describe.each(['v3', 'v2'] as const)('authentication over the %s signature', (scheme) => {
    it('refuses an unknown access key: ESA with Unauthorized.InvalidToken, SLB with InvalidAccessKeyId.NotFound', async () => {
      const options = { scheme, accessKeyId: 'nobody', accessKeySecret: 'x' };
      await expect(new AlibabaTestClient(emulator, 'ESA', options).fail('ListSites')).resolves.toMatchObject({
        code: 'Unauthorized.InvalidToken',
        statusCode: 403,
      });
      await expect(new AlibabaTestClient(emulator, 'SLB', options).fail('DescribeServerCertificates', { RegionId: 'cn-hangzhou' })).resolves.toMatchObject({
        code: 'InvalidAccessKeyId.NotFound',
        statusCode: 404,
      });
    });

    it('refuses a signature made with the wrong secret', async () => {
      const options = { scheme, accessKeySecret: 'not-the-secret' };
      await expect(new AlibabaTestClient(emulator, 'ESA', options).fail('ListSites')).resolves.toMatchObject({
        code: 'Unauthorized.InvalidToken',
        statusCode: 403,
      });
      const slb = await new AlibabaTestClient(emulator, 'SLB', options).fail('DescribeServerCertificates', { RegionId: 'cn-hangzhou' });
      expect(slb).toMatchObject({ code: 'SignatureDoesNotMatch', statusCode: 400 });
      expect(slb.message).toContain('server string to sign is:');
    });

    it('refuses a request signed more than 15 minutes ago and accepts one signed 14 minutes ago', async () => {
      const at = (minutes: number) =>
        scheme === 'v3' ? { headers: { 'x-acs-date': minutesAgo(minutes) } } : { query: { Timestamp: minutesAgo(minutes) } };
      const esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
      const slb = new AlibabaTestClient(emulator, 'SLB', { scheme });
      await expect(esa.fail('ListSites', {}, at(16))).resolves.toMatchObject({ code: 'Unauthorized.InvalidTime', statusCode: 403 });
      await expect(slb.fail('DescribeServerCertificates', { RegionId: 'cn-hangzhou' }, at(16))).resolves.toMatchObject({
        code: 'InvalidTimeStamp.Expired',
        statusCode: 400,
      });
      await expect(esa.call('ListSites', {}, at(14))).resolves.toHaveProperty('Sites');
    });

    it('refuses a second request with the same signature nonce', async () => {
      const nonce = `nonce-${scheme}-${Math.random()}`;
      const reuse = scheme === 'v3' ? { headers: { 'x-acs-signature-nonce': nonce } } : { query: { SignatureNonce: nonce } };
      const esa = new AlibabaTestClient(emulator, 'ESA', { scheme });
      const slb = new AlibabaTestClient(emulator, 'SLB', { scheme });
      await esa.call('ListSites', {}, reuse);
      await expect(esa.fail('ListSites', {}, reuse)).resolves.toMatchObject({ code: 'Unauthorized.InvalidToken', statusCode: 403 });
      await expect(slb.fail('DescribeServerCertificates', { RegionId: 'cn-hangzhou' }, reuse)).resolves.toMatchObject({
        code: 'SignatureNonceUsed',
        statusCode: 400,
      });
    });
  });

  describe('requests the real client signed, replayed and altered on the wire', () => {
    let proxy: RecordingProxy;
    let signed: RecordedRequest;

    beforeAll(async () => {
      proxy = await new RecordingProxy(emulator).start();
      await new AlibabaTestClient({ endpoint: proxy.endpoint }, 'ESA').call('SetCertificate', {
        SiteId: DEMO.sites.example,
        Type: 'cas',
        CasId: DEMO.casCertificates.shop,
        Name: 'replay-probe',
      });
      signed = proxy.requests[0] as RecordedRequest;
    });
    afterAll(() => proxy.stop());

    it('sends the body the client signed with x-acs-content-sha256', () => {
      expect(signed.method).toBe('POST');
      expect(signed.headers['x-acs-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(signed.body.toString()).toContain('Type=cas');
    });

    it('refuses a verbatim replay', async () => {
      const replay = await send(emulator.url, signed);
      expect(replay.status).toBe(403);
      expect(replay.body.Code).toBe('Unauthorized.InvalidToken');
    });

    it('refuses a body changed after signing', async () => {
      const altered = { ...signed, body: Buffer.from(signed.body.toString().replace('replay-probe', 'replay-probX')) };
      const answer = await send(emulator.url, altered);
      expect([answer.status, answer.body.Code]).toEqual([403, 'Unauthorized.InvalidToken']);
    });

    it('refuses a query string changed after signing', async () => {
      const altered = { ...signed, url: `${signed.url}${signed.url.includes('?') ? '&' : '?'}OwnerId=2`, headers: { ...signed.headers, 'x-acs-signature-nonce': 'fresh-nonce-1' } };
      const answer = await send(emulator.url, altered);
      expect([answer.status, answer.body.Code]).toEqual([403, 'Unauthorized.InvalidToken']);
    });
  });

  describe('routing', () => {
    const raw = async (method: string, path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${emulator.url}${path}`, { method, headers });
      return { status: response.status, body: (await response.json()) as Record<string, string>, requestId: response.headers.get('x-acs-request-id') };
    };

    it('answers an unknown action with InvalidAction.NotFound, never a silent 200', async () => {
      await expect(new AlibabaTestClient(emulator, 'ESA').fail('ListEverything')).resolves.toMatchObject({
        code: 'InvalidAction.NotFound',
        statusCode: 404,
      });
    });

    it('answers an unknown API version with InvalidVersion', async () => {
      const answer = await raw('GET', '/?Action=ListSites&Version=2019-01-01');
      expect([answer.status, answer.body.Code]).toEqual([400, 'InvalidVersion']);
    });

    it('answers a request without Action or Version with MissingParameter', async () => {
      expect((await raw('GET', '/')).body).toMatchObject({ Code: 'MissingParameter' });
      expect((await raw('GET', '/?Action=ListSites')).body.Message).toContain('"Version"');
    });

    it('refuses HTTP methods the RPC style does not use', async () => {
      const answer = await raw('PUT', '/?Action=ListSites&Version=2024-09-10');
      expect([answer.status, answer.body.Code]).toEqual([403, 'UnsupportedHTTPMethod']);
    });

    it('answers paths other than / with a JSON 404', async () => {
      const answer = await raw('GET', '/v1/sites');
      expect(answer.status).toBe(404);
      expect(answer.body.Code).toBe('InvalidAction.NotFound');
    });

    it('puts the same RequestId in the body and the x-acs-request-id header of every answer', async () => {
      const answer = await raw('GET', '/?Action=ListSites&Version=2024-09-10');
      expect(answer.body.RequestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
      expect(answer.requestId).toBe(answer.body.RequestId);
      expect(Object.keys(answer.body).sort()).toEqual(['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    });

    it('answers a URL beyond the 64 KiB it accepts with JSON, not an empty 431', async () => {
      const answer = await raw('GET', `/?Action=ListSites&Version=2024-09-10&Pad=${'a'.repeat(90 * 1024)}`);
      expect(answer.status).toBe(431);
      expect(answer.body.RequestId).toBeDefined();
    });
  });

  describe('request bodies', () => {
    it('reads parameters from a JSON body', async () => {
      const body = await new AlibabaTestClient(emulator, 'ESA').call<{ Sites: Array<{ SiteName: string }> }>(
        'ListSites',
        { SiteName: 'cname-example.com' },
        { jsonBody: true },
      );
      expect(body.Sites.map((site) => site.SiteName)).toEqual(['cname-example.com']);
    });

    it('refuses a body larger than 4 MiB with a JSON InvalidParameter', async () => {
      const response = await fetch(`${emulator.url}/?Action=ListSites&Version=2024-09-10`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `Name=${'x'.repeat(5 * 1024 * 1024)}`,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { Code: string }).Code).toBe('InvalidParameter');
    });

    it('refuses a parameter longer than 128 KiB before looking at the signature', async () => {
      const error = await new AlibabaTestClient(emulator, 'ESA').fail('ListSites', { SiteName: 'y'.repeat(200 * 1024) }, { jsonBody: true });
      expect(error).toMatchObject({ code: 'InvalidParameter', statusCode: 400 });
    });

    it('answers binary junk in every parameter with a documented 4xx and keeps serving', async () => {
      const junk = String.fromCharCode(...Array.from({ length: 300 }, (_, i) => (i * 7919) % 0xd7ff));
      const esa = new AlibabaTestClient(emulator, 'ESA');
      for (const action of ['GetSite', 'ListSites', 'GetCertificate', 'ApplyCertificate', 'CreateClientCertificate', 'UploadSiteOriginClientCertificate']) {
        const error = await esa.fail(action, { SiteId: junk, Id: junk, Domains: junk, PageSize: junk, CSR: junk, Certificate: junk, PrivateKey: junk });
        expect(error.statusCode).toBeGreaterThanOrEqual(400);
        expect(error.statusCode).toBeLessThan(500);
      }
      await expect(esa.call('ListSites')).resolves.toHaveProperty('TotalCount', 4);
    });
  });
});
