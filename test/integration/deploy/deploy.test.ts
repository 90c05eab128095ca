import { DEMO } from '../../../src/emulator/state/demo';
import { type CertificateEvent } from '../../../src/radar/certificate-event';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { untyped } from '../../helpers/callers';
import { type TestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

const DEPLOY = `mutation Deploy($input: DeployCertificateInput!) {
  deployCertificate(input: $input) {
    results { status errorCode errorMessage certificate { id provider siteId regionId nativeId } }
  }
}`;
const USAGES = `query Usages($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Certificate { id usages { type accountId regionId loadBalancerId listenerPort domain siteId } } }
}`;
const DELETE = `mutation Delete($id: ID!, $force: Boolean) { deleteCertificate(id: $id, force: $force) { id deleted } }`;

type Result = { status: string; errorCode: string | null; errorMessage: string | null; certificate: { id: string; provider: string; siteId: string | null; regionId: string | null; nativeId: string } | null };
type Usage = { type: string; accountId: string; regionId: string | null; loadBalancerId: string | null; listenerPort: number | null; domain: string | null; siteId: string | null };

type Listener = { regionId: string; loadBalancerId: string; listenerPort: number };
const HANGZHOU: Listener = { regionId: 'cn-hangzhou', loadBalancerId: DEMO.loadBalancers.hangzhou, listenerPort: 443 };
const SHANGHAI: Listener = { regionId: 'cn-shanghai', loadBalancerId: DEMO.loadBalancers.shanghai, listenerPort: 443 };

describe('deploying one certificate to a site and to listeners in two regions', () => {
  const two = twoGatewaysOnOneRedis();
  let slb: AlibabaTestClient;

  beforeAll(() => {
    slb = new AlibabaTestClient(two.emulator, 'SLB');
  });

  const deploy = async (gateway: TestGateway, input: unknown) => {
    const answer = await gateway.execute(untyped(DEPLOY), { input });
    expect(answer.errors).toBeUndefined();
    return (answer.data as { deployCertificate: { results: Result[] } }).deployCertificate.results;
  };
  const usagesOn = async (gateway: TestGateway, ids: string[]) => {
    const answer = await gateway.execute(untyped(USAGES), { ids });
    expect(answer.errors).toBeUndefined();
    return (answer.data as { nodes: Array<{ id: string; usages: Usage[] }> }).nodes;
  };
  const listenerCertificate = async (listener: Listener) =>
    (await slb.call<{ ServerCertificateId?: string }>('DescribeLoadBalancerHTTPSListenerAttribute', { RegionId: listener.regionId, LoadBalancerId: listener.loadBalancerId, ListenerPort: listener.listenerPort }))
      .ServerCertificateId;

  function newPem(name: string) {
    return makeCertificate({ commonName: `${name}.example.com`, dnsNames: [`${name}.example.com`, 'www.example.com', 'api.example.com'] });
  }

  it('deploys to all three, each listener serves the new certificate, and its usages list all three on both instances at once', async () => {
    const pem = newPem('deploy-one');
    const results = await deploy(two.first, {
      source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem, name: 'deploy-one' } },
      targets: [{ esaSiteId: DEMO.sites.example }, { slbListener: HANGZHOU }, { slbListener: SHANGHAI }],
    });
    expect(results.map((result) => result.status)).toEqual(['DEPLOYED', 'DEPLOYED', 'DEPLOYED']);
    const [site, hangzhou, shanghai] = results.map((result) => result.certificate as NonNullable<Result['certificate']>);
    expect(site).toMatchObject({ provider: 'ESA', siteId: DEMO.sites.example });
    expect(hangzhou).toMatchObject({ provider: 'SLB', regionId: 'cn-hangzhou' });
    expect(shanghai).toMatchObject({ provider: 'SLB', regionId: 'cn-shanghai' });

    // Read back through the emulator's own API.
    expect(await listenerCertificate(HANGZHOU)).toBe(hangzhou?.nativeId);
    expect(await listenerCertificate(SHANGHAI)).toBe(shanghai?.nativeId);

    // The three places the certificate is served, read from the index (no cloud call), on the other instance too.
    await two.emulator.admin('DELETE', 'stats');
    const expected = [
      { type: 'ESA_SITE', accountId: 'default', regionId: null, loadBalancerId: null, listenerPort: null, domain: null, siteId: DEMO.sites.example },
      { type: 'SLB_LISTENER', accountId: 'default', regionId: 'cn-hangzhou', loadBalancerId: HANGZHOU.loadBalancerId, listenerPort: 443, domain: null, siteId: null },
      { type: 'SLB_LISTENER', accountId: 'default', regionId: 'cn-shanghai', loadBalancerId: SHANGHAI.loadBalancerId, listenerPort: 443, domain: null, siteId: null },
    ];
    for (const gateway of [two.first, two.second]) {
      const nodes = await usagesOn(gateway, [site?.id, hangzhou?.id, shanghai?.id] as string[]);
      for (const node of nodes) expect(sortUsages(node.usages)).toEqual(sortUsages(expected));
    }
    expect(await two.emulator.stats()).toEqual({});
  });

  it('announces each deployed certificate as certificate.changed (deployed), on the other instance too', async () => {
    const heard: CertificateEvent[] = [];
    const stop = two.second.events.subscribe((event) => heard.push(event));
    try {
      const pem = newPem('deploy-events');
      const results = await deploy(two.first, {
        source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } },
        targets: [{ esaSiteId: DEMO.sites.example }, { slbListener: SHANGHAI }],
      });
      const deployed = results.map((result) => result.certificate?.id);
      const announced = () => new Set(heard.filter((event) => event.type === 'certificate.changed' && event.change === 'deployed').map((event) => event.certificate.id));
      for (let tries = 0; deployed.some((id) => !announced().has(id as string)) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const id of deployed) expect(announced()).toContain(id);
      // The certificate the listener served before lost its usage: it is announced too.
      const before = heard.find((event) => event.change === 'deployed' && event.certificate.nativeId === DEMO.serverCertificates.apiListener);
      expect(before).toBeDefined();
    } finally {
      stop();
    }
  });

  it('uploads nothing when the same deploy is repeated', async () => {
    const pem = newPem('deploy-twice');
    const input = {
      source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } },
      targets: [{ esaSiteId: DEMO.sites.example }, { slbListener: HANGZHOU }, { slbListener: SHANGHAI }],
    };
    const first = await deploy(two.first, input);
    const stats = await two.emulator.stats();
    const second = await deploy(two.second, input);
    const after = await two.emulator.stats();
    expect(second.map((result) => result.certificate?.id)).toEqual(first.map((result) => result.certificate?.id));
    expect(after['SLB.UploadServerCertificate']).toBe(stats['SLB.UploadServerCertificate']);
    expect(after['ESA.SetCertificate']).toBe(stats['ESA.SetCertificate']);
    expect(after['SLB.SetLoadBalancerHTTPSListenerAttribute']).toBe(stats['SLB.SetLoadBalancerHTTPSListenerAttribute']);
  });

  it('uploads one copy per region however many of its targets share it, and moves a domain extension', async () => {
    const pem = newPem('deploy-shared');
    const results = await deploy(two.first, {
      source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } },
      targets: [{ slbListener: HANGZHOU }, { slbDomainExtension: { ...HANGZHOU, domain: 'www.example.com' } }],
    });
    expect(results.map((result) => result.status)).toEqual(['DEPLOYED', 'DEPLOYED']);
    expect(results[0]?.certificate?.id).toBe(results[1]?.certificate?.id);
    expect((await two.emulator.stats())['SLB.UploadServerCertificate']).toBe(1);
    const extension = await slb.call<{ DomainExtensions?: { DomainExtension?: Array<{ ServerCertificateId?: string }> } }>('DescribeDomainExtensions', {
      RegionId: 'cn-hangzhou',
      LoadBalancerId: HANGZHOU.loadBalancerId,
      ListenerPort: 443,
    });
    expect(extension.DomainExtensions?.DomainExtension?.[0]?.ServerCertificateId).toBe(results[0]?.certificate?.nativeId);
  });

  it('reports one failing target with its documented code and deploys the others', async () => {
    const pem = newPem('deploy-partial');
    const results = await deploy(two.first, {
      source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } },
      targets: [{ slbListener: HANGZHOU }, { slbListener: { ...SHANGHAI, loadBalancerId: 'lb-uf6nosuchbalancer000' } }, { slbListener: { ...SHANGHAI, listenerPort: 8443 } }, { slbListener: SHANGHAI }],
    });
    expect(results.map((result) => [result.status, result.errorCode])).toEqual([
      ['DEPLOYED', null],
      ['FAILED', 'InvalidLoadBalancerId.NotFound'],
      ['FAILED', 'ListenerNotFound'],
      ['DEPLOYED', null],
    ]);
    expect(results[1]?.certificate).toBeNull();
    expect(await listenerCertificate(SHANGHAI)).toBe(results[3]?.certificate?.nativeId);
    expect(await listenerCertificate(HANGZHOU)).toBe(results[0]?.certificate?.nativeId);
  });

  it('refuses to delete a certificate a listener serves, naming it, and deletes it once the deploy moved every listener away', async () => {
    // The demo listener in cn-shanghai serves the apiListener certificate.
    const old = (await usagesByNative(two.first, DEMO.serverCertificates.apiListener)) as { id: string; usages: Usage[] };
    expect(old.usages).toEqual([expect.objectContaining({ type: 'SLB_LISTENER', regionId: 'cn-shanghai', loadBalancerId: SHANGHAI.loadBalancerId, listenerPort: 443 })]);

    const refused = await two.second.execute(untyped(DELETE), { id: old.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CertificateAndPrivateKeyIsRefered', category: 'BAD_USER_INPUT' });
    expect(refused.errors?.[0]?.message).toContain(SHANGHAI.loadBalancerId);
    expect(await listenerCertificate(SHANGHAI)).toBe(DEMO.serverCertificates.apiListener);

    const pem = newPem('deploy-replace');
    const results = await deploy(two.first, { source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } }, targets: [{ slbListener: SHANGHAI }] });
    expect(results[0]?.status).toBe('DEPLOYED');
    expect((await usagesByNative(two.second, DEMO.serverCertificates.apiListener))?.usages).toEqual([]);
    const deleted = await two.second.execute(untyped(DELETE), { id: old.id });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data).toEqual({ deleteCertificate: { id: old.id, deleted: true } });
  });

  it('leaves the judgement to the cloud with force, which refuses a certificate still in use with the same code', async () => {
    const used = (await usagesByNative(two.first, DEMO.serverCertificates.wildcard)) as { id: string; usages: Usage[] };
    expect(used.usages.length).toBeGreaterThan(0);
    const forced = await two.first.execute(untyped(DELETE), { id: used.id, force: true });
    expect(forced.errors?.[0]?.extensions).toMatchObject({ code: 'CertificateAndPrivateKeyIsRefered' });
    expect((await two.emulator.stats())['SLB.DeleteServerCertificate']).toBe(1);
  });

  it('refuses a target that names none or two places, and a source that is not exactly one', async () => {
    const pem = newPem('deploy-bad');
    const noTarget = await two.first.execute(untyped(DEPLOY), { input: { source: { casId: '12345' }, targets: [{}] } });
    expect(noTarget.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const twoSources = await two.first.execute(untyped(DEPLOY), {
      input: { source: { casId: '12345', pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem } }, targets: [{ slbListener: HANGZHOU }] },
    });
    expect(twoSources.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(twoSources.text).not.toContain('PRIVATE KEY');
    // Given empty is given: a site id of "" is refused as a site id, one result of its own.
    const emptySite = await two.first.execute(untyped(DEPLOY), { input: { source: { casId: '12345' }, targets: [{ esaSiteId: '' }] } });
    expect(emptySite.errors).toBeUndefined();
    expect((emptySite.data as { deployCertificate: { results: Result[] } }).deployCertificate.results).toEqual([
      { status: 'FAILED', errorCode: 'MissingSiteId', errorMessage: expect.any(String), certificate: null },
    ]);
    expect(await two.emulator.stats()).toEqual({});
  });

  it('refuses a copy name SLB would refuse before uploading anywhere', async () => {
    const pem = newPem('deploy-badname');
    const answer = await two.first.execute(untyped(DEPLOY), {
      input: { source: { pem: { certificate: pem.certificatePem, privateKey: pem.privateKeyPem, name: 'not a valid name!' } }, targets: [{ esaSiteId: DEMO.sites.example }, { slbListener: HANGZHOU }] },
    });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'InvalidParameter', category: 'BAD_USER_INPUT' });
    expect(await two.emulator.stats()).toEqual({});
  });

  async function usagesByNative(gateway: TestGateway, nativeId: string) {
    const answer = await gateway.execute(untyped(`query { certificates(first: 100, filter: { providers: [SLB] }) { nodes { id nativeId usages { type accountId regionId loadBalancerId listenerPort domain siteId } } } }`));
    expect(answer.errors).toBeUndefined();
    return (answer.data as { certificates: { nodes: Array<{ id: string; nativeId: string; usages: Usage[] }> } }).certificates.nodes.find((node) => node.nativeId === nativeId);
  }
});

function sortUsages(usages: Usage[]): Usage[] {
  return [...usages].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
