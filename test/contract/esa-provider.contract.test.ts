import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { type Certificate, type CertificateRef } from '../../src/domain/certificate';
import { GatewayError } from '../../src/domain/errors/gateway-error';
import { DEMO } from '../../src/emulator/state/demo';
import { RpcClient, type RpcAnswer } from '../../src/providers/alibaba/rpc-client';
import { EsaCloudProvider } from '../../src/providers/esa/esa-provider';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { RecordingProxy } from '../helpers/recording-proxy';
import { makeCertificate, makeCsr, opensslFacts } from '../helpers/openssl';
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

function esaProvider(connection: Connection): EsaCloudProvider {
  return new EsaCloudProvider(rpcClient('ESA', connection), { accountId: 'default', concurrency: 4 });
}

/** A site with every certificate feature, and the means to reach it. */
interface EsaTarget {
  connection: Connection;
  provider: EsaCloudProvider;
  siteId: string;
  siteName: string;
}

/** Fixtures made through the adapter itself, each undone by `cleanup`: the same on both targets. */
const fixtures = {
  async edge(target: EsaTarget, cleanup: Cleanup): Promise<ContractFixture> {
    const label = uniqueLabel('contract');
    const made = makeCertificate({ commonName: `${label}.${target.siteName}`, dnsNames: [`${label}.${target.siteName}`] });
    const ref = await target.provider.setCertificate({
      siteId: target.siteId,
      kind: 'upload',
      name: label,
      certificate: made.certificatePem,
      privateKey: made.privateKeyPem,
    });
    cleanup.add(() => target.provider.deleteCertificate(ref));
    return { ref, pem: made.certificatePem };
  },
  async client(target: EsaTarget, cleanup: Cleanup, keyAlgorithm?: 'RSA' | 'ECDSA') {
    const csr = keyAlgorithm ? undefined : makeCsr({ commonName: `${uniqueLabel('client')}.${target.siteName}` });
    const created = await target.provider.createClientCertificate({ siteId: target.siteId, validityDays: 30, ...(csr ? { csr: csr.csrPem } : { keyAlgorithm }) });
    const ref = created.certificate.ref;
    // ESA deletes only revoked client certificates (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-deleteclientcertificate).
    cleanup.add(async () => {
      await target.provider.revokeClientCertificate(ref).catch(() => undefined);
      await target.provider.deleteCertificate(ref);
    });
    return { ref, pem: created.certificate.certificatePem ?? '', created, csr };
  },
  async origin(target: EsaTarget, cleanup: Cleanup): Promise<ContractFixture & { certificate: Certificate }> {
    const made = makeCertificate({ commonName: `${uniqueLabel('origin')}.${target.siteName}`, keyType: 'rsa' });
    const certificate = await target.provider.uploadOriginClientCertificate({
      siteId: target.siteId,
      certificate: made.certificatePem,
      privateKey: made.privateKeyPem,
    });
    cleanup.add(() => target.provider.deleteCertificate(certificate.ref));
    return { ref: certificate.ref, pem: made.certificatePem, certificate };
  },
};

function definePortableEsaCases(name: string, connect: () => Promise<EsaTarget>): void {
  describe(`${name}: ESA operations`, () => {
    let target: EsaTarget;
    const cleanup = new Cleanup();

    beforeAll(async () => {
      target = await connect();
    });
    afterEach(() => cleanup.run());

    it('lists the site the suite runs against', async () => {
      expect(await target.provider.listSites()).toContainEqual(expect.objectContaining({ id: target.siteId, name: target.siteName }));
    });

    it('reads the site’s free and paid certificate quota, each pool’s usage within its quota', async () => {
      const { siteId, pools } = await target.provider.getCertificateQuota(target.siteId);
      expect(siteId).toBe(target.siteId);
      expect(pools.map((pool) => pool.type)).toEqual(['free', 'paid']);
      for (const pool of pools) {
        expect(pool.quota).toBeGreaterThan(0);
        expect(pool.usage).toBeGreaterThanOrEqual(0);
        expect(pool.usage).toBeLessThanOrEqual(pool.quota);
      }
    });

    it('reads sites in the order asked, with SiteNotFound in the slot of an unknown site', async () => {
      const [unknown, known] = await target.provider.getSites(['999999999999', target.siteId]);
      expectGatewayError(unknown, { code: 'SiteNotFound', category: 'NOT_FOUND', provider: 'ESA', action: 'GetSite', requestId: true });
      expect(known).toMatchObject({ id: target.siteId, name: target.siteName });
    });

    it('uploads an edge certificate, reads it back as openssl reads it, and deletes it', async () => {
      const edge = await fixtures.edge(target, cleanup);
      const facts = opensslFacts(edge.pem);
      const certificate = await readOne(target.provider, edge.ref);
      expect(certificate).toMatchObject({ ref: edge.ref, type: 'upload', commonName: facts.commonName, fingerprintSha256: facts.fingerprintSha256 });
      expect(certificate.serialNumber).toBe(facts.serialNumber);
      expect(opensslFacts(certificate.certificatePem ?? '').fingerprintSha256).toBe(facts.fingerprintSha256);

      await cleanup.run();
      const [gone] = await target.provider.getCertificates([edge.ref]);
      expectGatewayError(gone, { code: 'Certificate.NotFound', httpStatus: 404, provider: 'ESA', action: 'GetCertificate', requestId: true });
    });

    it('issues a client certificate for a CSR, bound to the CSR’s key and without returning a key', async () => {
      const client = await fixtures.client(target, cleanup);
      const facts = opensslFacts(client.pem);
      expect(client.created.privateKey).toBeUndefined();
      expect(client.created.certificate).toMatchObject({ commonName: facts.commonName, fingerprintSha256: facts.fingerprintSha256, validityDays: 30 });
      expect(client.created.certificate.caCertificateId).toEqual(expect.stringMatching(/\S/));
      const spki = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
      expect(spki(new X509Certificate(client.pem).publicKey.export({ type: 'spki', format: 'pem' }) as string)).toBe(spki(client.csr?.privateKeyPem ?? ''));
    });

    it('generates an ECDSA key pair when no CSR is given and returns its PKCS#8 key once', async () => {
      const client = await fixtures.client(target, cleanup, 'ECDSA');
      const privateKey = client.created.privateKey ?? '';
      expect(privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      expect(createPrivateKey(privateKey).asymmetricKeyType).toBe('ec');
      expect(new X509Certificate(client.pem).checkPrivateKey(createPrivateKey(privateKey))).toBe(true);
      const readBack = await readOne(target.provider, client.ref);
      expect(readBack).toMatchObject({ publicKeyAlgorithm: 'ECDSA', fingerprintSha256: opensslFacts(client.pem).fingerprintSha256 });
      expect(JSON.stringify(readBack)).not.toContain('PRIVATE KEY');
    });

    it('revokes, re-activates and, once revoked, deletes a client certificate', async () => {
      const { ref } = await fixtures.client(target, cleanup);
      await target.provider.revokeClientCertificate(ref);
      expect((await readOne(target.provider, ref)).status).toBe('revoked');
      await target.provider.activateClientCertificate(ref);
      expect((await readOne(target.provider, ref)).status).toBe('active');

      await cleanup.run();
      const [gone] = await target.provider.getCertificates([ref]);
      expectGatewayError(gone, { code: 'Certificate.NotFound', category: 'NOT_FOUND', action: 'GetClientCertificate' });
    });

    it('uploads an origin client certificate and reads it back as openssl reads it', async () => {
      const origin = await fixtures.origin(target, cleanup);
      const facts = opensslFacts(origin.pem);
      expect(origin.certificate).toMatchObject({ commonName: facts.commonName, fingerprintSha256: facts.fingerprintSha256, status: 'OK' });
      expect(origin.certificate.notAfter?.toISOString()).toBe(new Date(facts.notAfter).toISOString());
      const readBack = await readOne(target.provider, origin.ref);
      expect(readBack).toMatchObject({ ref: origin.ref, publicKeyAlgorithm: 'RSA', serialNumber: facts.serialNumber });
    });

    it('lists the site’s certificates of all three kinds: edge first, then client, then origin client', async () => {
      const made = [await fixtures.origin(target, cleanup), await fixtures.client(target, cleanup), await fixtures.edge(target, cleanup)];
      const listed = await target.provider.listSiteCertificates(target.siteId);
      for (const { ref } of made) expect(listed.map((certificate) => certificate.ref)).toContainEqual(ref);
      const kinds = listed.map((certificate) => certificate.ref.kind);
      expect(kinds).toEqual([...kinds].sort((a, b) => KIND_ORDER.indexOf(a) - KIND_ORDER.indexOf(b)));
    });

    it('refuses a certificate with another key with CertificateNotMatchPrivateKey', async () => {
      const [one, other] = [makeCertificate({ commonName: `a.${target.siteName}` }), makeCertificate({ commonName: `b.${target.siteName}` })];
      const error = await rejectionOf(
        target.provider.uploadOriginClientCertificate({ siteId: target.siteId, certificate: one.certificatePem, privateKey: other.privateKeyPem }),
      );
      expectGatewayError(error, {
        code: 'CertificateNotMatchPrivateKey',
        category: 'BAD_USER_INPUT',
        httpStatus: 400,
        provider: 'ESA',
        action: 'UploadSiteOriginClientCertificate',
        requestId: true,
      });
    });

    it('refuses a request signed with the wrong secret with Unauthorized.InvalidToken', async () => {
      const wrong = esaProvider({ ...target.connection, accessKeySecret: 'not-the-secret' });
      const error = await rejectionOf(wrong.listSites());
      expectGatewayError(error, {
        code: 'Unauthorized.InvalidToken',
        category: 'UNAUTHENTICATED',
        httpStatus: 403,
        provider: 'ESA',
        action: 'ListSites',
        requestId: true,
      });
    });
  });
}

const KIND_ORDER = ['EDGE', 'CLIENT', 'ORIGIN_CLIENT'];

/** The port suite's fixtures on an ESA target: one certificate of each kind. */
function esaPortTarget(connect: () => Promise<EsaTarget>) {
  return async () => {
    const target = await connect();
    const cleanup = new Cleanup();
    const made = [await fixtures.edge(target, cleanup), await fixtures.client(target, cleanup), await fixtures.origin(target, cleanup)];
    return {
      provider: target.provider,
      fixtures: made.map(({ ref, pem }) => ({ ref, pem })),
      absent: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: target.siteId, nativeId: 'baba0000000000000000000000000000' } as const,
      foreign: { provider: 'SLB', kind: 'SERVER', accountId: 'default', regionId: 'cn-hangzhou', nativeId: 'x' } as const,
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

/** Cases that need the emulator's demo account or its controls: faults, call counts, validations. */
function defineEsaEmulatorCases(get: () => { emulator: TestEmulator; connection: Connection }): void {
  describe('ESA on the emulator: demo account and controls', () => {
    let emulator: TestEmulator;
    let provider: EsaCloudProvider;
    const example = DEMO.sites.example;
    const ref = (kind: 'EDGE' | 'CLIENT' | 'ORIGIN_CLIENT', nativeId: string) => ({ provider: 'ESA', kind, accountId: 'default', siteId: example, nativeId }) as const;

    beforeEach(async () => {
      ({ emulator } = get());
      provider = esaProvider(get().connection);
      await emulator.reset();
    });

    it('lists the four demo sites with their status and access type', async () => {
      expect(await provider.listSites()).toEqual([
        { id: '1234567890123', accountId: 'default', name: 'example.com', status: 'active', accessType: 'NS' },
        { id: '2345678901234', accountId: 'default', name: 'cname-example.com', status: 'active', accessType: 'CNAME' },
        { id: '3456789012345', accountId: 'default', name: 'pending-example.com', status: 'pending', accessType: 'NS' },
        { id: '4567890123456', accountId: 'default', name: 'basic-example.com', status: 'active', accessType: 'NS' },
      ]);
    });

    it('puts every site and certificate it reads in the account it was made for', async () => {
      const shop = new EsaCloudProvider(rpcClient('ESA', get().connection), { accountId: 'shop', concurrency: 4 });
      expect(new Set((await shop.listSites()).map((site) => site.accountId))).toEqual(new Set(['shop']));
      const listed = await shop.listSiteCertificates(example);
      expect(listed.length).toBeGreaterThan(0);
      expect(new Set(listed.map((certificate) => certificate.ref.accountId))).toEqual(new Set(['shop']));
      const [again] = await shop.getCertificates([(listed[0] as Certificate).ref]);
      expect(again).toMatchObject({ ref: { accountId: 'shop', siteId: example } });
    });

    it('reads a mixed batch of demo certificates in order, each reporting what openssl reads from its PEM', async () => {
      const refs = [
        ref('EDGE', DEMO.edgeCertificates.free),
        ref('CLIENT', DEMO.clientCertificate),
        ref('EDGE', 'baba0000000000000000000000000000'),
        ref('ORIGIN_CLIENT', DEMO.originClientCertificate),
      ];
      const results = await provider.getCertificates(refs);
      expectGatewayError(results[2], { code: 'Certificate.NotFound', category: 'NOT_FOUND', httpStatus: 404, action: 'GetCertificate', requestId: true });
      for (const index of [0, 1, 3]) {
        const certificate = results[index] as Certificate;
        const facts = opensslFacts(certificate.certificatePem ?? '');
        expect(certificate).toMatchObject({ ref: refs[index], siteName: 'example.com', commonName: facts.commonName, serialNumber: facts.serialNumber });
        expect(certificate.fingerprintSha256).toBe(facts.fingerprintSha256);
        expect(certificate.notBefore?.toISOString()).toBe(new Date(facts.notBefore).toISOString());
        expect(certificate.notAfter?.toISOString()).toBe(new Date(facts.notAfter).toISOString());
        expect(certificate.subjectAlternativeNames).toEqual(facts.dnsNames);
      }
      expect(results[0]).toMatchObject({ type: 'free', issuerCommonName: opensslFacts((results[0] as Certificate).certificatePem ?? '').issuerCommonName });
      expect((results[0] as Certificate).domainValidations).toEqual([expect.objectContaining({ type: 'HTTP', status: 'verified' })]);
      expect(results[1]).toMatchObject({ caCertificateId: DEMO.clientAuthority, status: 'active' });
    });

    it('lists the example site’s demo certificates of all three kinds', async () => {
      const listed = (await provider.listSiteCertificates(example)).map((certificate) => certificate.ref);
      expect(listed).toEqual([
        ref('EDGE', DEMO.edgeCertificates.upload),
        ref('EDGE', DEMO.edgeCertificates.free),
        ref('EDGE', DEMO.edgeCertificates.cas),
        ref('CLIENT', DEMO.clientCertificate),
        ref('ORIGIN_CLIENT', DEMO.originClientCertificate),
      ]);
    });

    it('applies for a free certificate and reads it back issued once its domain validation completes', async () => {
      const applied = await provider.applyCertificate({ siteId: example, domains: ['shop.example.com'], type: 'lets_encrypt' });
      expect(applied).toMatchObject({ siteName: 'example.com', totalCount: 1, applications: [{ domain: 'shop.example.com', status: 'Applying' }] });
      const application = applied.applications[0]?.ref as CertificateRef;
      const pending = await readOne(provider, application);
      expect(pending).toMatchObject({ status: 'Applying', type: 'free' });
      expect(pending.certificatePem).toBeUndefined();
      expect(pending.domainValidations).toEqual([expect.objectContaining({ status: 'pending' })]);

      expect((await emulator.admin('POST', 'validations/complete', { siteId: example })).status).toBe(200);
      const issued = await readOne(provider, application);
      expect(issued).toMatchObject({ status: 'OK', subjectAlternativeNames: ['shop.example.com'] });
      expect(issued.fingerprintSha256).toBe(opensslFacts(issued.certificatePem ?? '').fingerprintSha256);
    });

    it('follows TotalCount across pages of the largest size when a site holds more certificates than one page', async () => {
      const generated = await emulator.generate({ sites: 1, certificatesPerSite: 1_000, seed: 11 });
      await emulator.admin('DELETE', 'stats');
      const edges = (await provider.listSiteCertificates(generated.firstSiteId as string)).filter((certificate) => certificate.ref.kind === 'EDGE');
      expect(edges).toHaveLength(1_000);
      expect(new Set(edges.map((certificate) => certificate.ref.nativeId)).size).toBe(1_000);
      // 500 a page, the most ListCertificates serves.
      expect((await emulator.stats())['ESA.ListCertificates']).toBe(2);
    });

    it('keeps at most `concurrency` calls in flight while fanning a batch out', async () => {
      await emulator.admin('POST', 'faults', { product: 'ESA', action: 'GetSite', latencyMs: 150 });
      const counting = new InFlightClient(rpcClientOptions('ESA', get().connection));
      const ids = [...Object.values(DEMO.sites), ...Object.values(DEMO.sites)];
      const sites = await new EsaCloudProvider(counting, { accountId: 'default', concurrency: 3 }).getSites(ids);
      expect(sites.map((site) => (site instanceof GatewayError ? site.code : site.id))).toEqual(ids);
      expect(counting.peak).toBe(3);
    });

    it('refuses an origin client certificate on a plan without the feature with QuotaCheckFailed.Function', async () => {
      const made = makeCertificate({ commonName: 'origin.basic-example.com' });
      const error = await rejectionOf(
        provider.uploadOriginClientCertificate({ siteId: DEMO.sites.basic, certificate: made.certificatePem, privateKey: made.privateKeyPem }),
      );
      expectGatewayError(error, { code: 'QuotaCheckFailed.Function', category: 'QUOTA_EXCEEDED', httpStatus: 400, provider: 'ESA', requestId: true });
    });

    it('reads a plan’s refusal of the client certificate list as a site without client certificates', async () => {
      await emulator.admin('POST', 'faults', { product: 'ESA', action: 'ListClientCertificates', status: 400, code: 'QuotaCheckFailed.Function' });
      const kinds = (await provider.listSiteCertificates(example)).map((certificate) => certificate.ref.kind);
      expect(kinds).toEqual(['EDGE', 'EDGE', 'EDGE', 'ORIGIN_CLIENT']);
    });

    it('puts an injected ServiceUnavailable in the slot of the ref it hit, as a retryable error', async () => {
      await emulator.admin('POST', 'faults', { product: 'ESA', action: 'GetCertificate', status: 503, code: 'ServiceUnavailable' });
      const [failed, served] = await provider.getCertificates([ref('EDGE', DEMO.edgeCertificates.upload), ref('CLIENT', DEMO.clientCertificate)]);
      expectGatewayError(failed, {
        code: 'ServiceUnavailable',
        category: 'UPSTREAM_UNAVAILABLE',
        httpStatus: 503,
        retryable: true,
        action: 'GetCertificate',
        requestId: true,
      });
      expect(served).toMatchObject({ ref: ref('CLIENT', DEMO.clientCertificate) });
    });

    it('abandons a call slower than its timeout with a retryable UPSTREAM_TIMEOUT', async () => {
      await emulator.admin('POST', 'faults', { product: 'ESA', action: 'ListSites', latencyMs: 3_000 });
      const impatient = esaProvider({ ...get().connection, timeoutMs: 300 });
      const error = await rejectionOf(impatient.listSites());
      expectGatewayError(error, { code: 'UPSTREAM_TIMEOUT', category: 'UPSTREAM_UNAVAILABLE', retryable: true, provider: 'ESA', action: 'ListSites' });
    });

    it('reports each plan’s quota per pool, and an upload counted in the paid pool of its site only', async () => {
      expect(await provider.getCertificateQuota(example)).toEqual({
        siteId: example,
        pools: [
          { type: 'free', quota: 200, usage: 1 },
          { type: 'paid', quota: 2000, usage: 2 },
        ],
      });
      const basic = DEMO.sites.basic;
      const made = makeCertificate({ commonName: 'quota.basic-example.com' });
      await provider.setCertificate({ kind: 'upload', siteId: basic, name: 'quota', certificate: made.certificatePem, privateKey: made.privateKeyPem });
      expect(await provider.getCertificateQuota(basic)).toEqual({
        siteId: basic,
        pools: [
          { type: 'free', quota: 10, usage: 0 },
          { type: 'paid', quota: 5, usage: 1 },
        ],
      });
      expect((await provider.getCertificateQuota(example)).pools[1]).toEqual({ type: 'paid', quota: 2000, usage: 2 });
    });

    it('asks GetCertificateQuota with GET and every parameter in the query, once per pool', async () => {
      const proxy = await new RecordingProxy(emulator).start();
      try {
        const viaProxy = { ...get().connection, endpoint: proxy.endpoint };
        await esaProvider(viaProxy).getCertificateQuota(example);
        const seen = proxy.requests.map((request) => {
          const url = new URL(request.url, 'http://proxy');
          return `${request.headers['x-acs-action']} ${request.method} SiteId=${url.searchParams.get('SiteId')} Type=${url.searchParams.get('Type')} body:${request.body.length}`;
        });
        expect([...seen].sort()).toEqual([`GetCertificateQuota GET SiteId=${example} Type=free body:0`, `GetCertificateQuota GET SiteId=${example} Type=paid body:0`]);
      } finally {
        await proxy.stop();
      }
    });

    it('refuses the quota of an unknown site with InvalidParameter.SiteId', async () => {
      expectGatewayError(await rejectionOf(provider.getCertificateQuota('999999999999')), {
        code: 'InvalidParameter.SiteId',
        provider: 'ESA',
        action: 'GetCertificateQuota',
        requestId: true,
      });
    });

    it('sends each action with the documented method, keeping certificates, keys and CSRs out of the URL', async () => {
      const proxy = await new RecordingProxy(emulator).start();
      try {
        const viaProxy = { ...get().connection, endpoint: proxy.endpoint };
        const target = { connection: viaProxy, provider: esaProvider(viaProxy), siteId: example, siteName: 'example.com' };
        const cleanup = new Cleanup();
        const made = [await fixtures.edge(target, cleanup), await fixtures.client(target, cleanup), await fixtures.origin(target, cleanup)];
        await target.provider.getCertificates(made.map((fixture) => fixture.ref));
        const seen = proxy.requests.map((request) => {
          const url = new URL(request.url, 'http://proxy');
          const names = (params: URLSearchParams) => [...params.keys()].sort().join(',');
          return `${request.headers['x-acs-action']} ${request.method} ?${names(url.searchParams)} body:${names(new URLSearchParams(request.body.toString()))}`;
        });
        // As the generated SDK sends them (https://github.com/aliyun/alibabacloud-typescript-sdk/blob/master/esa-20240910/src/client.ts), written out here rather than read from the adapter's own table.
        expect([...seen].sort()).toEqual(
          [
            'SetCertificate POST ? body:Certificate,Name,PrivateKey,SiteId,Type',
            'CreateClientCertificate POST ?SiteId body:CSR,ValidityDays',
            'UploadSiteOriginClientCertificate POST ?SiteId body:Certificate,PrivateKey',
            'GetCertificate POST ?Id,SiteId body:',
            'GetClientCertificate GET ?Id,SiteId body:',
            'GetSiteOriginClientCertificate GET ?Id,SiteId body:',
          ].sort(),
        );
        await cleanup.run();
      } finally {
        await proxy.stop();
      }
    });
  });
}

describe('ESA provider against the emulator', () => {
  let emulator: TestEmulator;
  const connection = () => emulatorConnection(emulator);
  const connect = async (): Promise<EsaTarget> => ({
    connection: connection(),
    provider: esaProvider(connection()),
    siteId: DEMO.sites.example,
    siteName: 'example.com',
  });

  beforeAll(async () => {
    emulator = await startTestEmulator();
  });
  afterAll(() => emulator.stop());

  defineProviderContract('ESA on the emulator', esaPortTarget(connect));
  definePortableEsaCases('ESA on the emulator', connect);
  defineEsaEmulatorCases(() => ({ emulator, connection: connection() }));
});

describeWithEnv('real ESA', ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ESA_CONTRACT_SITE_ID'], () => {
  const connect = async (): Promise<EsaTarget> => {
    const connection = cloudConnection('ESA_ENDPOINT', 'esa.cn-hangzhou.aliyuncs.com');
    const provider = esaProvider(connection);
    const siteId = process.env.ESA_CONTRACT_SITE_ID ?? '';
    const [site] = await provider.getSites([siteId]);
    if (!site || site instanceof GatewayError) throw site ?? new Error(`ESA site ${siteId} was not answered.`);
    return { connection, provider, siteId, siteName: site.name };
  };
  defineProviderContract('ESA in the cloud', esaPortTarget(connect));
  definePortableEsaCases('ESA in the cloud', connect);
});
