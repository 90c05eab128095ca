import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient, type CloudError } from '../../helpers/alibaba-client';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

interface LoadBalancerItem {
  LoadBalancerId: string;
  LoadBalancerName: string;
  RegionId: string;
  Address: string;
  LoadBalancerStatus: string;
}
interface DescribeBody {
  PageNumber: number;
  PageSize: number;
  TotalCount: number;
  LoadBalancers: { LoadBalancer: LoadBalancerItem[] };
}
interface Extension {
  DomainExtensionId: string;
  Domain: string;
  ServerCertificateId: string;
}
interface HttpsAttribute {
  LoadBalancerId: string;
  ListenerPort: number;
  ServerCertificateId: string;
  Status: string;
  DomainExtensions: { DomainExtension: Extension[] };
}
interface ListenersBody {
  Listeners: Array<{ LoadBalancerId: string; ListenerPort: number; ListenerProtocol: string; HTTPSListenerConfig?: { ServerCertificateId: string } }>;
  TotalCount: number;
  MaxResults: number;
  NextToken?: string;
}

const HANGZHOU = { RegionId: 'cn-hangzhou', LoadBalancerId: DEMO.loadBalancers.hangzhou };
const SHANGHAI = { RegionId: 'cn-shanghai', LoadBalancerId: DEMO.loadBalancers.shanghai };
const CERTIFICATES = DEMO.serverCertificates;
const UNKNOWN_CERTIFICATE = '1231579085529123_18b5e2c1a4f_1714763499_709981499';

function expectError(error: CloudError, code: string, status: number, message?: string): void {
  expect({ code: error.code, statusCode: error.statusCode }).toEqual({ code, statusCode: status });
  if (message !== undefined) expect(error.data?.Message).toBe(message);
}

describe.each(['v3', 'v2'] as const)('SLB load balancers, HTTPS listeners and domain extensions over the %s signature', (scheme) => {
  let emulator: TestEmulator;
  let slb: AlibabaTestClient;
  const https = (where: Record<string, string> = HANGZHOU, port = 443) =>
    slb.call<HttpsAttribute>('DescribeLoadBalancerHTTPSListenerAttribute', { ...where, ListenerPort: port });

  beforeAll(async () => {
    emulator = await startTestEmulator();
    slb = new AlibabaTestClient(emulator, 'SLB', { scheme });
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  it('lists one demo instance per region, nested as LoadBalancers.LoadBalancer', async () => {
    for (const [regionId, id] of [['cn-hangzhou', DEMO.loadBalancers.hangzhou], ['cn-shanghai', DEMO.loadBalancers.shanghai]] as const) {
      const body = await slb.call<DescribeBody>('DescribeLoadBalancers', { RegionId: regionId });
      expect(body).toMatchObject({ PageNumber: 1, PageSize: 10, TotalCount: 1 });
      expect(body.LoadBalancers.LoadBalancer).toEqual([
        expect.objectContaining({ LoadBalancerId: id, RegionId: regionId, LoadBalancerStatus: 'active', AddressType: 'internet', Tags: { Tag: [] } }),
      ]);
    }
  });

  it("describes an instance's listeners by port and protocol", async () => {
    const body = await slb.call('DescribeLoadBalancerAttribute', HANGZHOU);
    expect(body).toMatchObject({
      LoadBalancerId: DEMO.loadBalancers.hangzhou,
      RegionId: 'cn-hangzhou',
      ListenerPorts: { ListenerPort: [80, 443] },
      ListenerPortsAndProtocol: {
        ListenerPortAndProtocol: [expect.objectContaining({ ListenerPort: 80, ListenerProtocol: 'http' }), expect.objectContaining({ ListenerPort: 443, ListenerProtocol: 'https' })],
      },
      ListenerPortsAndProtocal: { ListenerPortAndProtocal: [{ ListenerPort: 80, ListenerProtocal: 'http' }, { ListenerPort: 443, ListenerProtocal: 'https' }] },
    });
    // RegionId is optional on this page: the instance is found by id alone.
    await expect(slb.call('DescribeLoadBalancerAttribute', { LoadBalancerId: DEMO.loadBalancers.shanghai })).resolves.toMatchObject({ RegionId: 'cn-shanghai' });
  });

  it('reads the demo HTTPS listeners: their certificates and the cn-hangzhou domain extension', async () => {
    expect(await https()).toMatchObject({
      LoadBalancerId: DEMO.loadBalancers.hangzhou,
      ListenerPort: 443,
      Status: 'running',
      ServerCertificateId: CERTIFICATES.wildcard,
      DomainExtensions: { DomainExtension: [{ DomainExtensionId: DEMO.domainExtension, Domain: 'www.example.com', ServerCertificateId: CERTIFICATES.wildcard }] },
    });
    expect(await https(SHANGHAI)).toMatchObject({ ServerCertificateId: CERTIFICATES.apiListener, DomainExtensions: { DomainExtension: [] } });
    const extensions = await slb.call('DescribeDomainExtensions', { ...HANGZHOU, ListenerPort: 443 });
    expect(extensions).toEqual({
      RequestId: expect.any(String),
      DomainExtensions: { DomainExtension: [{ DomainExtensionId: DEMO.domainExtension, Domain: 'www.example.com', ServerCertificateId: CERTIFICATES.wildcard }] },
    });
  });

  it('moves a listener to another certificate of its region, and Describe reads the move back', async () => {
    const body = await slb.call('SetLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443, ServerCertificateId: CERTIFICATES.www, Bandwidth: -1 });
    expect(body).toEqual({ RequestId: expect.any(String) });
    expect((await https()).ServerCertificateId).toBe(CERTIFICATES.www);
    const listed = await slb.call<ListenersBody>('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', ListenerProtocol: 'https' });
    expect(listed.Listeners.map((listener) => [listener.LoadBalancerId, listener.ListenerPort, listener.HTTPSListenerConfig?.ServerCertificateId])).toEqual([
      [DEMO.loadBalancers.hangzhou, 443, CERTIFICATES.www],
    ]);
  });

  it('moves a domain extension to another certificate, read back by both Describe actions', async () => {
    await slb.call('SetDomainExtensionAttribute', { RegionId: 'cn-hangzhou', DomainExtensionId: DEMO.domainExtension, ServerCertificateId: CERTIFICATES.www });
    expect((await https()).DomainExtensions.DomainExtension[0]?.ServerCertificateId).toBe(CERTIFICATES.www);
    const filtered = await slb.call<{ DomainExtensions: { DomainExtension: Extension[] } }>('DescribeDomainExtensions', {
      ...HANGZHOU,
      ListenerPort: 443,
      DomainExtensionId: DEMO.domainExtension,
    });
    expect(filtered.DomainExtensions.DomainExtension.map((extension) => extension.ServerCertificateId)).toEqual([CERTIFICATES.www]);
    await expect(slb.call('DescribeDomainExtensionAttribute', { RegionId: 'cn-hangzhou', DomainExtensionId: DEMO.domainExtension })).resolves.toMatchObject({
      DomainExtensionId: DEMO.domainExtension,
      Domain: 'www.example.com',
      LoadBalancerId: DEMO.loadBalancers.hangzhou,
      ListenerPort: 443,
      ServerCertificateId: CERTIFICATES.www,
    });
    // The listener itself keeps its own certificate.
    expect((await https()).ServerCertificateId).toBe(CERTIFICATES.wildcard);
  });

  it('refuses to delete a certificate a listener serves, and deletes it once the listener has moved away', async () => {
    const deletion = { RegionId: 'cn-shanghai', ServerCertificateId: CERTIFICATES.apiListener };
    expectError(await slb.fail('DeleteServerCertificate', deletion), 'CertificateAndPrivateKeyIsRefered', 400, 'Certificate and PrivateKey Is Refered.');
    await slb.call('SetLoadBalancerHTTPSListenerAttribute', { ...SHANGHAI, ListenerPort: 443, ServerCertificateId: CERTIFICATES.api });
    await slb.call('DeleteServerCertificate', deletion);
    expectError(await slb.fail('DeleteServerCertificate', { ServerCertificateId: CERTIFICATES.api }), 'CertificateAndPrivateKeyIsRefered', 400);
  });

  it('refuses to delete a certificate while a domain extension still serves it', async () => {
    await slb.call('SetLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443, ServerCertificateId: CERTIFICATES.www });
    const deletion = { RegionId: 'cn-hangzhou', ServerCertificateId: CERTIFICATES.wildcard };
    expectError(await slb.fail('DeleteServerCertificate', deletion), 'CertificateAndPrivateKeyIsRefered', 400);
    await slb.call('SetDomainExtensionAttribute', { RegionId: 'cn-hangzhou', DomainExtensionId: DEMO.domainExtension, ServerCertificateId: CERTIFICATES.www });
    await expect(slb.call('DeleteServerCertificate', deletion)).resolves.toEqual({ RequestId: expect.any(String) });
  });
});

describe('SLB load balancer refusals, paging and the create/delete actions', () => {
  let emulator: TestEmulator;
  let slb: AlibabaTestClient;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    slb = new AlibabaTestClient(emulator, 'SLB');
  });
  beforeEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  const notFound = ['InvalidLoadBalancerId.NotFound', 404, 'The specified LoadBalancerId does not exist.'] as const;
  const noListener = ['ListenerNotFound', 404, 'You have not created a listener for the specified port of the load balancer.'] as const;
  const notSupported = ['InvalidParameter', 400, 'The specified parameter ServerCertificateId is not Support.'] as const;
  const refusals: Array<[string, string, Record<string, string | number>, readonly [string, number, string?]]> = [
    ['an unknown instance', 'DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: 'lb-bp1nothere000000000000' }, notFound],
    ['an instance looked up in another region', 'DescribeLoadBalancerAttribute', { RegionId: 'cn-hangzhou', LoadBalancerId: DEMO.loadBalancers.shanghai }, notFound],
    ['a region the account lacks', 'DescribeLoadBalancers', { RegionId: 'eu-central-9' }, ['InvalidRegionId.NotFound', 404, 'The specified RegionId does not exist.']],
    ['a missing RegionId', 'DescribeLoadBalancers', {}, ['MissingParameter', 400]],
    ['a port without a listener', 'DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 8443 }, noListener],
    ['the port of an HTTP listener', 'DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 80 }, noListener],
    ['a port out of range', 'DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 70000 }, ['InvalidParameter', 400]],
    ['a missing ListenerPort', 'DescribeLoadBalancerHTTPSListenerAttribute', HANGZHOU, ['MissingParameter', 400]],
    ['an unknown instance', 'SetLoadBalancerHTTPSListenerAttribute', { LoadBalancerId: 'lb-bp1nothere000000000000', ListenerPort: 443, ServerCertificateId: CERTIFICATES.www }, notFound],
    ['an unknown certificate', 'SetLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443, ServerCertificateId: UNKNOWN_CERTIFICATE }, notSupported],
    ['a certificate of another region', 'SetLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443, ServerCertificateId: CERTIFICATES.api }, notSupported],
    ['a port without a listener', 'DescribeDomainExtensions', { ...HANGZHOU, ListenerPort: 8443 }, noListener],
    [
      'an unknown domain extension',
      'SetDomainExtensionAttribute',
      { RegionId: 'cn-hangzhou', DomainExtensionId: 'de-bp1nothere0000', ServerCertificateId: CERTIFICATES.www },
      ['InvalidParameter.DomainExtensionId', 400, 'The specified DomainExtensionId de-bp1nothere0000 does not exist.'],
    ],
    [
      'a domain extension looked up in another region',
      'DescribeDomainExtensionAttribute',
      { RegionId: 'cn-shanghai', DomainExtensionId: DEMO.domainExtension },
      ['InvalidParameter.DomainExtensionId', 400],
    ],
    ['a certificate of another region', 'SetDomainExtensionAttribute', { RegionId: 'cn-hangzhou', DomainExtensionId: DEMO.domainExtension, ServerCertificateId: CERTIFICATES.api }, notSupported],
    [
      'no certificate',
      'SetDomainExtensionAttribute',
      { RegionId: 'cn-hangzhou', DomainExtensionId: DEMO.domainExtension },
      ['InvalidParameter', 400, 'The specified parameter ServerCertificateId is empty.'],
    ],
  ];

  it.each(refusals)('answers %s in %s with its documented code and changes nothing', async (_name, action, params, [code, status, message]) => {
    const before = await slb.call('DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443 });
    expectError(await slb.fail(action, params), code, status, message);
    const { RequestId: _before, ...unchanged } = before;
    const { RequestId: _after, ...after } = await slb.call('DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443 });
    expect(after).toEqual(unchanged);
  });

  it('pages DescribeLoadBalancers by 10 by default and returns every instance exactly once', async () => {
    const created: string[] = [];
    for (let i = 0; i < 24; i += 1) {
      const body = await slb.call<{ LoadBalancerId: string; Address: string; NetworkType: string }>('CreateLoadBalancer', {
        RegionId: 'cn-hangzhou',
        LoadBalancerName: `paging-${i}`,
        AddressType: i % 2 === 0 ? 'internet' : 'intranet',
      });
      expect(body.LoadBalancerId).toMatch(/^lb-bp1[a-z0-9]{20}$/);
      created.push(body.LoadBalancerId);
    }
    const all = [DEMO.loadBalancers.hangzhou, ...created];
    const walk = async (pageSize?: number) => {
      const seen: string[] = [];
      for (let page = 1; page < 30; page += 1) {
        const body = await slb.call<DescribeBody>('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', PageNumber: page, PageSize: pageSize });
        expect(body).toMatchObject({ PageNumber: page, PageSize: pageSize ?? 10, TotalCount: 25 });
        if (body.LoadBalancers.LoadBalancer.length === 0) break;
        seen.push(...body.LoadBalancers.LoadBalancer.map((item) => item.LoadBalancerId));
      }
      return seen;
    };
    expect(await walk()).toEqual(all);
    expect(await walk(7)).toEqual(all);
    expect(await walk(100)).toEqual(all);
    const narrowed = await slb.call<DescribeBody>('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', LoadBalancerId: `${created[3]},${created[5]},lb-unknown`, AddressType: 'intranet' });
    expect(narrowed.LoadBalancers.LoadBalancer.map((item) => item.LoadBalancerId)).toEqual([created[3], created[5]]);
    const shanghai = await slb.call<DescribeBody>('DescribeLoadBalancers', { RegionId: 'cn-shanghai' });
    expect(shanghai.TotalCount).toBe(1);
  });

  it.each([
    ['PageSize', 101],
    ['PageSize', 0],
    ['PageNumber', 0],
    ['PageSize', 'ten'],
  ])('refuses DescribeLoadBalancers with %s %j', async (name, value) => {
    expectError(await slb.fail('DescribeLoadBalancers', { RegionId: 'cn-hangzhou', [name]: value }), 'InvalidParameter', 400, `The specified parameter ${name} is not valid.`);
  });

  it('pages DescribeLoadBalancerListeners with MaxResults and NextToken', async () => {
    const first = await slb.call<ListenersBody>('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', MaxResults: 1 });
    expect(first).toMatchObject({ TotalCount: 2, MaxResults: 1, Listeners: [{ ListenerPort: 80, ListenerProtocol: 'http' }] });
    const second = await slb.call<ListenersBody>('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', MaxResults: 1, NextToken: first.NextToken });
    expect(second.Listeners).toEqual([expect.objectContaining({ ListenerPort: 443, HTTPSListenerConfig: expect.objectContaining({ ServerCertificateId: CERTIFICATES.wildcard }) })]);
    expect(second.NextToken).toBeUndefined();
    const byId = await slb.call<ListenersBody>('DescribeLoadBalancerListeners', { RegionId: 'cn-shanghai', 'LoadBalancerId.1': DEMO.loadBalancers.shanghai });
    expect(byId.Listeners.map((listener) => listener.ListenerPort)).toEqual([443]);
    expectError(await slb.fail('DescribeLoadBalancerListeners', { RegionId: 'cn-hangzhou', NextToken: 'not-a-token' }), 'InvalidParameter', 400);
  });

  it('creates and deletes domain extensions, one per domain on a listener', async () => {
    const created = await slb.call<{ DomainExtensionId: string; ListenerPort: number }>('CreateDomainExtension', {
      ...HANGZHOU,
      ListenerPort: 443,
      Domain: '*.shop.example.com',
      ServerCertificateId: CERTIFICATES.www,
    });
    expect(created).toEqual({ RequestId: expect.any(String), ListenerPort: 443, DomainExtensionId: expect.stringMatching(/^de-bp1[a-z0-9]{12}$/) });
    const listed = async () =>
      (await slb.call<{ DomainExtensions: { DomainExtension: Extension[] } }>('DescribeDomainExtensions', { ...HANGZHOU, ListenerPort: 443 })).DomainExtensions.DomainExtension.map(
        (extension) => extension.Domain,
      );
    expect(await listed()).toEqual(['www.example.com', '*.shop.example.com']);
    expectError(await slb.fail('CreateDomainExtension', { ...HANGZHOU, ListenerPort: 443, Domain: 'www.example.com', ServerCertificateId: CERTIFICATES.www }), 'InvalidParameter', 400);
    expectError(await slb.fail('CreateDomainExtension', { ...HANGZHOU, ListenerPort: 443, Domain: 'not a domain', ServerCertificateId: CERTIFICATES.www }), 'InvalidParameter', 400);
    expectError(await slb.fail('DeleteServerCertificate', { ServerCertificateId: CERTIFICATES.www }), 'CertificateAndPrivateKeyIsRefered', 400);
    await slb.call('DeleteDomainExtension', { RegionId: 'cn-hangzhou', DomainExtensionId: created.DomainExtensionId });
    expect(await listed()).toEqual(['www.example.com']);
    await slb.call('DeleteServerCertificate', { ServerCertificateId: CERTIFICATES.www });
    expectError(await slb.fail('DeleteDomainExtension', { RegionId: 'cn-hangzhou', DomainExtensionId: created.DomainExtensionId }), 'InvalidParameter.DomainExtensionId', 400);
  });

  it('creates an HTTPS listener on a new instance, stopped, once per port', async () => {
    const { LoadBalancerId } = await slb.call<{ LoadBalancerId: string }>('CreateLoadBalancer', { RegionId: 'cn-shanghai' });
    const listener = { RegionId: 'cn-shanghai', LoadBalancerId, ListenerPort: 8443, ServerCertificateId: CERTIFICATES.api, BackendServerPort: 8080, Bandwidth: -1 };
    await slb.call('CreateLoadBalancerHTTPSListener', listener);
    await expect(slb.call('DescribeLoadBalancerHTTPSListenerAttribute', { LoadBalancerId, ListenerPort: 8443 })).resolves.toMatchObject({
      Status: 'stopped',
      BackendServerPort: 8080,
      ServerCertificateId: CERTIFICATES.api,
    });
    expectError(await slb.fail('CreateLoadBalancerHTTPSListener', listener), 'ListenerAlreadyExists', 400);
    expectError(await slb.fail('CreateLoadBalancerHTTPSListener', { ...listener, ListenerPort: 9443, Bandwidth: 9999 }), 'InvalidParameter', 400, 'The listen bandwidth is not Support');
    expectError(await slb.fail('CreateLoadBalancerHTTPSListener', { ...listener, ListenerPort: 9443, ServerCertificateId: CERTIFICATES.www }), ...notSupported);
    await expect(slb.call('DescribeLoadBalancerAttribute', { LoadBalancerId })).resolves.toMatchObject({ LoadBalancerName: 'auto_named_slb', ListenerPorts: { ListenerPort: [8443] } });
  });

  it('keeps listeners and domain extensions across a restart with a state file; a reset brings the demo ones back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slb-state-'));
    const stateFile = join(dir, 'state.json');
    try {
      const first = await startTestEmulator({ stateFile });
      const before = new AlibabaTestClient(first, 'SLB');
      await before.call('SetLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443, ServerCertificateId: CERTIFICATES.www });
      const { DomainExtensionId } = await before.call<{ DomainExtensionId: string }>('CreateDomainExtension', {
        ...HANGZHOU,
        ListenerPort: 443,
        Domain: 'kept.example.com',
        ServerCertificateId: CERTIFICATES.www,
      });
      await first.stop();
      const second = await startTestEmulator({ stateFile });
      try {
        const after = new AlibabaTestClient(second, 'SLB');
        const body = await after.call<HttpsAttribute>('DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443 });
        expect(body.ServerCertificateId).toBe(CERTIFICATES.www);
        expect(body.DomainExtensions.DomainExtension.map((extension) => extension.DomainExtensionId)).toEqual([DEMO.domainExtension, DomainExtensionId]);
        expectError(await after.fail('DeleteServerCertificate', { ServerCertificateId: CERTIFICATES.www }), 'CertificateAndPrivateKeyIsRefered', 400);
        await second.admin('POST', 'reset');
        const reset = await after.call<HttpsAttribute>('DescribeLoadBalancerHTTPSListenerAttribute', { ...HANGZHOU, ListenerPort: 443 });
        expect(reset.ServerCertificateId).toBe(CERTIFICATES.wildcard);
        expect(reset.DomainExtensions.DomainExtension.map((extension) => extension.DomainExtensionId)).toEqual([DEMO.domainExtension]);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
