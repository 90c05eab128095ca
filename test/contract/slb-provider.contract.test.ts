import { type Certificate, type CertificateRef } from '../../src/domain/certificate';
import { GatewayError } from '../../src/domain/errors/gateway-error';
import { DEMO } from '../../src/emulator/state/demo';
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
