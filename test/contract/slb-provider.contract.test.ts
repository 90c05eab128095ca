import { type Certificate, type CertificateRef } from '../../src/domain/certificate';
import { GatewayError } from '../../src/domain/errors/gateway-error';
import { DEMO } from '../../src/emulator/state/demo';
import { RpcClient, type RpcAnswer } from '../../src/providers/alibaba/rpc-client';
import { SlbCloudProvider } from '../../src/providers/slb/slb-provider';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { makeCertificate, opensslFacts } from '../helpers/openssl';
import {
  Cleanup,
  cloudConnection,
  defineProviderContract,
  describeWithEnv,
  emulatorConnection,
  expectGatewayError,
  readOne,
  rejectionOf,
  rpcClient,
  rpcClientOptions,
  uniqueLabel,
  type Connection,
  type ContractFixture,
} from './provider-contract';

jest.setTimeout(60_000);

interface SlbTarget {
  connection: Connection;
  provider: SlbCloudProvider;
  regionId: string;
}

function slbProvider(connection: Connection): SlbCloudProvider {
  return new SlbCloudProvider(rpcClient('SLB', connection), { accountId: 'default', concurrency: 4 });
}

/** A PEM certificate uploaded through the adapter, deleted again by `cleanup`. */
async function uploaded(target: SlbTarget, cleanup: Cleanup): Promise<ContractFixture & { certificate: Certificate; name: string }> {
  const name = uniqueLabel('contract');
  const made = makeCertificate({ commonName: `${name}.example.com`, dnsNames: [`${name}.example.com`, `www.${name}.example.com`] });
  const certificate = await target.provider.uploadServerCertificate({
    regionId: target.regionId,
    serverCertificate: made.certificatePem,
    privateKey: made.privateKeyPem,
    name,
  });
  cleanup.add(() => target.provider.deleteCertificate(certificate.ref));
  return { ref: certificate.ref, pem: made.certificatePem, certificate, name };
}

function definePortableSlbCases(name: string, connect: () => Promise<SlbTarget>): void {
  describe(`${name}: SLB operations`, () => {
    let target: SlbTarget;
    const cleanup = new Cleanup();

    beforeAll(async () => {
      target = await connect();
    });
    afterEach(() => cleanup.run());

    it('lists the region it reads among the regions DescribeRegions answers, each once', async () => {
      const regions = await target.provider.describeRegions();
      expect(regions).toContain(target.regionId);
      expect(new Set(regions).size).toBe(regions.length);
    });

    it('uploads a PEM certificate and reports the fingerprint, names and expiry openssl reads from it', async () => {
      const { certificate, pem, name } = await uploaded(target, cleanup);
      const facts = opensslFacts(pem);
      expect(certificate).toMatchObject({
        ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: target.regionId },
        name,
        commonName: facts.commonName,
        fingerprintSha1: facts.fingerprintSha1,
        isAliCloudCertificate: false,
      });
      expect([...certificate.subjectAlternativeNames].sort()).toEqual([...facts.dnsNames].sort());
      expect(certificate.notAfter?.toISOString()).toBe(new Date(facts.notAfter).toISOString());
      expect(certificate.certificatePem).toBeUndefined();
    });

    it('lists a region’s certificates, narrowed to the ids asked for', async () => {
      const [one, two] = [await uploaded(target, cleanup), await uploaded(target, cleanup)];
      const all = (await target.provider.describeServerCertificates(target.regionId)).map((certificate) => certificate.ref);
      expect(all).toEqual(expect.arrayContaining([one.ref, two.ref]));
      const narrowed = await target.provider.describeServerCertificates(target.regionId, [two.ref.nativeId]);
      expect(narrowed.map((certificate) => certificate.ref)).toEqual([two.ref]);
    });

    it('renames a certificate', async () => {
      const { ref } = await uploaded(target, cleanup);
      const name = uniqueLabel('renamed');
      await target.provider.renameServerCertificate(ref, name);
      expect(await readOne(target.provider, ref)).toMatchObject({ ref, name });
    });

    it('deletes a certificate, after which reading it answers Certificate.NotFound', async () => {
      const { ref } = await uploaded(target, cleanup);
      await cleanup.run();
      const [gone] = await target.provider.getCertificates([ref]);
      expectGatewayError(gone, { code: 'Certificate.NotFound', category: 'NOT_FOUND', httpStatus: 404, provider: 'SLB', requestId: true });
    });

    it('refuses an unknown region with InvalidRegionId.NotFound, in each slot of that region only', async () => {
      const error = await rejectionOf(target.provider.describeServerCertificates('cn-nowhere'));
      expectGatewayError(error, {
        code: 'InvalidRegionId.NotFound',
        category: 'NOT_FOUND',
        httpStatus: 404,
        provider: 'SLB',
        action: 'DescribeServerCertificates',
        requestId: true,
      });
      const { ref } = await uploaded(target, cleanup);
      const elsewhere = (nativeId: string): CertificateRef => ({ provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-nowhere', nativeId });
      const results = await target.provider.getCertificates([elsewhere('a'), ref, elsewhere('b')]);
      expectGatewayError(results[0], { code: 'InvalidRegionId.NotFound' });
      expect(results[1]).toMatchObject({ ref });
      expectGatewayError(results[2], { code: 'InvalidRegionId.NotFound' });
    });

    it('reads where the region’s certificates are served, each usage an HTTPS listener or SNI domain of that region', async () => {
      const usages = await target.provider.describeCertificateUsages(target.regionId);
      for (const [certificateId, served] of usages) {
        expect(certificateId).not.toBe('');
        for (const usage of served) {
          expect(usage).toMatchObject({ accountId: 'default', regionId: target.regionId, loadBalancerId: expect.any(String), listenerPort: expect.any(Number) });
          expect(['SLB_LISTENER', 'SLB_DOMAIN_EXTENSION']).toContain(usage.type);
        }
      }
    });

    it('refuses a certificate with another key with CertificateNotMatchPrivateKey', async () => {
      const [one, other] = [makeCertificate({ commonName: 'one.example.com' }), makeCertificate({ commonName: 'other.example.com' })];
      const upload = target.provider.uploadServerCertificate({
        regionId: target.regionId,
        serverCertificate: one.certificatePem,
        privateKey: other.privateKeyPem,
      });
      expectGatewayError(await rejectionOf(upload), {
        code: 'CertificateNotMatchPrivateKey',
        category: 'BAD_USER_INPUT',
        httpStatus: 400,
        provider: 'SLB',
        action: 'UploadServerCertificate',
        requestId: true,
      });
    });

    it('refuses a request signed with the wrong secret with SignatureDoesNotMatch', async () => {
      const wrong = slbProvider({ ...target.connection, accessKeySecret: 'not-the-secret' });
      const error = await rejectionOf(wrong.describeServerCertificates(target.regionId));
      const refused = expectGatewayError(error, {
        code: 'SignatureDoesNotMatch',
        category: 'UNAUTHENTICATED',
        httpStatus: 400,
        provider: 'SLB',
        requestId: true,
      });
      expect(refused.message).not.toContain('string to sign');
    });
  });
}

/** The port suite's fixtures on an SLB target: two uploaded certificates. */
function slbPortTarget(connect: () => Promise<SlbTarget>) {
  return async () => {
    const target = await connect();
    const cleanup = new Cleanup();
    const made = [await uploaded(target, cleanup), await uploaded(target, cleanup)];
    return {
      provider: target.provider,
      fixtures: made.map(({ ref, pem }) => ({ ref, pem })),
      absent: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: target.regionId, nativeId: 'absent_0_0_0' } as const,
      foreign: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1234567890123', nativeId: 'x' } as const,
      teardown: () => cleanup.run(),
    };
  };
}

/** The real client, watched: how many of its calls overlap at most. */
class InFlightClient extends RpcClient {
  peak = 0;
  private inFlight = 0;

  override async call<T>(...args: Parameters<RpcClient['call']>): Promise<RpcAnswer<T>> {
    this.peak = Math.max(this.peak, ++this.inFlight);
    try {
      return await super.call<T>(...args);
    } finally {
      this.inFlight--;
    }
  }
}

/** Cases that need the emulator's demo account or its call counts. */
function defineSlbEmulatorCases(get: () => { emulator: TestEmulator; connection: Connection }): void {
  describe('SLB on the emulator: demo account and call counts', () => {
    let emulator: TestEmulator;
    let provider: SlbCloudProvider;
    const [hangzhou, shanghai] = DEMO.regions;

    beforeEach(async () => {
      ({ emulator } = get());
      provider = slbProvider(get().connection);
      await emulator.reset();
    });

    it("lists the demo account's regions, and only them", async () => {
      expect([...(await provider.describeRegions())].sort()).toEqual([...DEMO.regions].sort());
    });

    it('puts every certificate it reads in the account it was made for', async () => {
      const shop = new SlbCloudProvider(rpcClient('SLB', get().connection), { accountId: 'shop', concurrency: 4 });
      const listed = await shop.describeServerCertificates(hangzhou);
      expect(listed.length).toBeGreaterThan(0);
      expect(new Set(listed.map((certificate) => certificate.ref.accountId))).toEqual(new Set(['shop']));
      const [again] = await shop.getCertificates([(listed[0] as Certificate).ref]);
      expect(again).toMatchObject({ ref: { accountId: 'shop', regionId: hangzhou } });
    });

    it('lists the demo certificates of each region', async () => {
      const names = async (regionId: string) => (await provider.describeServerCertificates(regionId)).map((certificate) => certificate.name);
      expect(await names(hangzhou)).toEqual(['www-example-com', 'wildcard-example-com']);
      const [api] = await provider.describeServerCertificates(shanghai);
      expect(api).toMatchObject({
        name: 'api-example-com',
        subjectAlternativeNames: ['api.example.com', 'api2.example.com'],
        isAliCloudCertificate: false,
      });
    });

    it('reads three certificates of one region with exactly one DescribeServerCertificates', async () => {
      const { ref } = await uploaded({ connection: get().connection, provider, regionId: hangzhou }, new Cleanup());
      const refs = [...(await provider.describeServerCertificates(hangzhou)).map((certificate) => certificate.ref)].reverse();
      expect(refs).toHaveLength(3);
      await emulator.admin('DELETE', 'stats');
      const results = await provider.getCertificates(refs);
      expect(results.map((result) => (result as Certificate).ref)).toEqual(refs);
      expect(refs).toContainEqual(ref);
      expect(await emulator.stats()).toEqual({ 'SLB.DescribeServerCertificates': 1 });
    });

    it('reads a two-region batch with one DescribeServerCertificates per region, in the order asked', async () => {
      const [www, wildcard] = (await provider.describeServerCertificates(hangzhou)).map((certificate) => certificate.ref);
      const [api] = (await provider.describeServerCertificates(shanghai)).map((certificate) => certificate.ref);
      await emulator.admin('DELETE', 'stats');
      const refs = [www, api, wildcard] as CertificateRef[];
      const results = await provider.getCertificates(refs);
      expect(results.map((result) => (result instanceof GatewayError ? result.code : result.ref))).toEqual(refs);
      expect(await emulator.stats()).toEqual({ 'SLB.DescribeServerCertificates': 2 });
    });

    describe('where certificates are served', () => {
      const { www, wildcard, apiListener } = DEMO.serverCertificates;
      const lb = DEMO.loadBalancers;
      const listener = (regionId: string, loadBalancerId: string) => ({ type: 'SLB_LISTENER', accountId: 'default', regionId, loadBalancerId, listenerPort: 443 });
      const extension = {
        type: 'SLB_DOMAIN_EXTENSION',
        accountId: 'default',
        regionId: hangzhou,
        loadBalancerId: lb.hangzhou,
        listenerPort: 443,
        domain: 'www.example.com',
        domainExtensionId: DEMO.domainExtension,
      };

      it('reads the demo usages: each region’s HTTPS listener, and the cn-hangzhou domain extension on the same certificate', async () => {
        await emulator.admin('DELETE', 'stats');
        expect(await provider.describeCertificateUsages(hangzhou)).toEqual(new Map([[wildcard, [listener(hangzhou, lb.hangzhou), extension]]]));
        expect(await provider.describeCertificateUsages(shanghai)).toEqual(new Map([[apiListener, [listener(shanghai, lb.shanghai)]]]));
        // Per region: one page of HTTPS listeners, then one DescribeDomainExtensions per listener.
        expect(await emulator.stats()).toEqual({ 'SLB.DescribeLoadBalancerListeners': 2, 'SLB.DescribeDomainExtensions': 2 });
      });

      it('moves a listener and a domain extension to another certificate and reads both back', async () => {
        await provider.setListenerCertificate(hangzhou, lb.hangzhou, 443, www);
        expect(await provider.describeHttpsListener(hangzhou, lb.hangzhou, 443)).toEqual({
          regionId: hangzhou,
          loadBalancerId: lb.hangzhou,
          listenerPort: 443,
          serverCertificateId: www,
          domainExtensions: [{ domainExtensionId: DEMO.domainExtension, domain: 'www.example.com', serverCertificateId: wildcard }],
        });
        expect(await provider.describeCertificateUsages(hangzhou)).toEqual(
          new Map([
            [www, [listener(hangzhou, lb.hangzhou)]],
            [wildcard, [extension]],
          ]),
        );

        await provider.setDomainExtensionCertificate(hangzhou, DEMO.domainExtension, www);
        expect((await provider.describeHttpsListener(hangzhou, lb.hangzhou, 443)).domainExtensions).toEqual([
          { domainExtensionId: DEMO.domainExtension, domain: 'www.example.com', serverCertificateId: www },
        ]);
        expect(await provider.describeCertificateUsages(hangzhou)).toEqual(new Map([[www, [listener(hangzhou, lb.hangzhou), extension]]]));
      });

      it('refuses a port without an HTTPS listener with ListenerNotFound, and an unknown instance with InvalidLoadBalancerId.NotFound', async () => {
        for (const port of [8443, 80]) {
          expectGatewayError(await rejectionOf(provider.describeHttpsListener(hangzhou, lb.hangzhou, port)), {
            code: 'ListenerNotFound',
            httpStatus: 404,
            provider: 'SLB',
            action: 'DescribeLoadBalancerHTTPSListenerAttribute',
            requestId: true,
          });
        }
        expectGatewayError(await rejectionOf(provider.setListenerCertificate(hangzhou, lb.hangzhou, 8443, www)), { code: 'ListenerNotFound', action: 'SetLoadBalancerHTTPSListenerAttribute' });
        expectGatewayError(await rejectionOf(provider.describeHttpsListener(hangzhou, 'lb-bp1nothere000000000000', 443)), {
          code: 'InvalidLoadBalancerId.NotFound',
          httpStatus: 404,
          provider: 'SLB',
          action: 'DescribeLoadBalancerHTTPSListenerAttribute',
          requestId: true,
        });
      });

      it('answers Certificate.NotFound for a certificate SLB does not have in the region, and changes nothing', async () => {
        expectGatewayError(await rejectionOf(provider.setListenerCertificate(hangzhou, lb.hangzhou, 443, 'absent_0_0_0')), {
          code: 'Certificate.NotFound',
          provider: 'SLB',
          action: 'SetLoadBalancerHTTPSListenerAttribute',
          requestId: true,
        });
        // apiListener lives in cn-shanghai: a listener serves only a certificate of its own region.
        expectGatewayError(await rejectionOf(provider.setDomainExtensionCertificate(hangzhou, DEMO.domainExtension, apiListener)), {
          code: 'Certificate.NotFound',
          action: 'SetDomainExtensionAttribute',
        });
        expect(await provider.describeCertificateUsages(hangzhou)).toEqual(new Map([[wildcard, [listener(hangzhou, lb.hangzhou), extension]]]));
      });

      it('follows NextToken past a page of 100 listeners, reading domain extensions at most `concurrency` at once', async () => {
        const raw = rpcClient('SLB', get().connection);
        const created = await raw.call<{ LoadBalancerId: string }>('CreateLoadBalancer', { method: 'POST', query: { RegionId: hangzhou, LoadBalancerName: 'usages-paging' } });
        const loadBalancerId = created.body.LoadBalancerId;
        const ports = Array.from({ length: 100 }, (_, index) => 10_000 + index);
        for (let start = 0; start < ports.length; start += 10) {
          await Promise.all(
            ports.slice(start, start + 10).map((port) =>
              raw.call('CreateLoadBalancerHTTPSListener', { method: 'POST', query: { RegionId: hangzhou, LoadBalancerId: loadBalancerId, ListenerPort: port, ServerCertificateId: www } }),
            ),
          );
        }
        await emulator.admin('DELETE', 'stats');
        const counting = new InFlightClient(rpcClientOptions('SLB', get().connection));
        const usages = await new SlbCloudProvider(counting, { accountId: 'default', concurrency: 3 }).describeCertificateUsages(hangzhou);
        expect(usages.get(www)?.map((usage) => usage.listenerPort)).toEqual(ports);
        expect(usages.get(wildcard)).toEqual([listener(hangzhou, lb.hangzhou), extension]);
        expect(await emulator.stats()).toEqual({ 'SLB.DescribeLoadBalancerListeners': 2, 'SLB.DescribeDomainExtensions': 101 });
        expect(counting.peak).toBe(3);
      });

      it('fails the whole read when one listener’s domain extensions cannot be read', async () => {
        await emulator.admin('POST', 'faults', { product: 'SLB', action: 'DescribeDomainExtensions', status: 503, code: 'ServiceUnavailable' });
        expectGatewayError(await rejectionOf(provider.describeCertificateUsages(hangzhou)), {
          code: 'ServiceUnavailable',
          provider: 'SLB',
          action: 'DescribeDomainExtensions',
        });
      });
    });

    it('uploads a Certificate Management Service certificate by its id', async () => {
      const certificate = await provider.uploadServerCertificate({
        regionId: hangzhou,
        aliCloudCertificateId: DEMO.casCertificates.wildcard,
        name: 'from-cas',
      });
      expect(certificate).toMatchObject({
        ref: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: hangzhou },
        name: 'from-cas',
        isAliCloudCertificate: true,
        aliCloudCertificateId: '30000479',
        commonName: '*.example.com',
        subjectAlternativeNames: ['*.example.com', 'example.com'],
      });
      expect(certificate.fingerprintSha1).toMatch(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
    });
  });
}

describe('SLB provider against the emulator', () => {
  let emulator: TestEmulator;
  const connection = () => emulatorConnection(emulator);
  const connect = async (): Promise<SlbTarget> => ({ connection: connection(), provider: slbProvider(connection()), regionId: 'cn-hangzhou' });

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  defineProviderContract('SLB on the emulator', slbPortTarget(connect));
  definePortableSlbCases('SLB on the emulator', connect);
  defineSlbEmulatorCases(() => ({ emulator, connection: connection() }));
});

describeWithEnv('real SLB', ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET'], () => {
  const connect = async (): Promise<SlbTarget> => {
    const connection = cloudConnection('SLB_ENDPOINT', 'slb.aliyuncs.com');
    return { connection, provider: slbProvider(connection), regionId: process.env.SLB_CONTRACT_REGION_ID ?? 'cn-hangzhou' };
  };
  defineProviderContract('SLB in the cloud', slbPortTarget(connect));
  definePortableSlbCases('SLB in the cloud', connect);
});
