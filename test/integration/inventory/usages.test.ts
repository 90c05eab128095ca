import { DEMO } from '../../../src/emulator/state/demo';
import { AlibabaTestClient } from '../../helpers/alibaba-client';
import { untyped } from '../../helpers/callers';
import { gatewayForFile } from '../../helpers/gateway';

type Usage = { type: string; regionId: string | null; loadBalancerId: string | null; listenerPort: number | null; domain: string | null };
type Page = { certificates: { nodes: Array<{ id: string; nativeId: string; usages: Usage[] }> } };

const SLB_USAGES = untyped(`{
  certificates(first: 100, filter: { providers: [SLB] }) { nodes { id nativeId usages { type regionId loadBalancerId listenerPort domain } } }
}`);

const { www, wildcard, api, apiListener } = DEMO.serverCertificates;
const [hangzhou, shanghai] = DEMO.regions;
const listener = (regionId: string, loadBalancerId: string): Usage => ({ type: 'SLB_LISTENER', regionId, loadBalancerId, listenerPort: 443, domain: null });
const wwwExtension: Usage = { type: 'SLB_DOMAIN_EXTENSION', regionId: hangzhou, loadBalancerId: DEMO.loadBalancers.hangzhou, listenerPort: 443, domain: 'www.example.com' };

describe('where certificates are served, from the inventory', () => {
  const env = gatewayForFile();

  async function usagesByCertificate(): Promise<Map<string, Usage[]>> {
    const answer = await env.gateway.execute(SLB_USAGES);
    expect(answer.errors).toBeUndefined();
    return new Map((answer.data as Page).certificates.nodes.map((node) => [node.nativeId, node.usages]));
  }

  it('shows after the first sweep each demo listener and the cn-hangzhou domain extension on the certificate it serves, without a cloud call', async () => {
    await env.emulator.admin('DELETE', 'stats');
    expect(await usagesByCertificate()).toEqual(
      new Map([
        [www, []],
        [wildcard, [listener(hangzhou, DEMO.loadBalancers.hangzhou), wwwExtension]],
        [api, []],
        [apiListener, [listener(shanghai, DEMO.loadBalancers.shanghai)]],
      ]),
    );
    expect(await env.emulator.stats()).toEqual({});
  });

  it('answers a certificate read from the cloud with the usages the inventory holds, reading no listener', async () => {
    const id = (await env.gateway.execute(SLB_USAGES)).data as Page;
    const wildcardId = id.certificates.nodes.find((node) => node.nativeId === wildcard)?.id;
    await env.emulator.admin('DELETE', 'stats');
    const answer = await env.gateway.execute(untyped('query One($id: ID!) { certificate(id: $id) { nativeId usages { type domain siteId } } }'), { id: wildcardId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      certificate: {
        nativeId: wildcard,
        usages: [
          { type: 'SLB_LISTENER', domain: null, siteId: null },
          { type: 'SLB_DOMAIN_EXTENSION', domain: 'www.example.com', siteId: null },
        ],
      },
    });
    const calls = Object.keys(await env.emulator.stats());
    expect(calls.filter((action) => /Listener|DomainExtension/.test(action))).toEqual([]);
  });

  it('shows an ESA edge certificate served at its site, and a client certificate nowhere', async () => {
    const answer = await env.gateway.execute(
      untyped(`{ certificates(first: 100, filter: { providers: [ESA] }) { nodes { nativeId kind siteId usages { type siteId accountId } } } }`),
    );
    expect(answer.errors).toBeUndefined();
    const nodes = (answer.data as { certificates: { nodes: Array<{ nativeId: string; kind: string; siteId: string; usages: unknown[] }> } }).certificates.nodes;
    const edge = nodes.find((node) => node.nativeId === DEMO.edgeCertificates.upload);
    expect(edge?.usages).toEqual([{ type: 'ESA_SITE', siteId: DEMO.sites.example, accountId: 'default' }]);
    expect(nodes.find((node) => node.nativeId === DEMO.clientCertificate)?.usages).toEqual([]);
  });

  it('moves a usage to the certificate a listener serves once the next sweep has read it', async () => {
    const slb = new AlibabaTestClient(env.emulator, 'SLB');
    await slb.call('SetLoadBalancerHTTPSListenerAttribute', { RegionId: shanghai, LoadBalancerId: DEMO.loadBalancers.shanghai, ListenerPort: 443, ServerCertificateId: api });
    // Until the sweep reads the listener again, the inventory says what it last read.
    expect((await usagesByCertificate()).get(apiListener)).toEqual([listener(shanghai, DEMO.loadBalancers.shanghai)]);

    const since = Date.now();
    await env.gateway.sweepNow();
    await env.gateway.inventory.swept(since);

    const usages = await usagesByCertificate();
    expect(usages.get(api)).toEqual([listener(shanghai, DEMO.loadBalancers.shanghai)]);
    expect(usages.get(apiListener)).toEqual([]);
    expect(usages.get(wildcard)).toEqual([listener(hangzhou, DEMO.loadBalancers.hangzhou), wwwExtension]);
  });
});
