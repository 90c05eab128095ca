import { type Certificate, type CertificateRef } from '../../src/domain/certificate';
import { GatewayError } from '../../src/domain/errors/gateway-error';
import { StaticCredentials } from '../../src/accounts/credentials';
import { RpcClient, type RpcClientOptions } from '../../src/providers/alibaba/rpc-client';
import { type CloudProvider } from '../../src/providers/certificate-provider';
import { opensslFacts } from '../helpers/openssl';

/**
 * What every CloudProvider promises, whichever cloud is behind it: one suite, run against the
 * emulator always and against the real cloud when credentials are given (STYLE.md habit 8).
 */

export interface ContractFixture {
  ref: CertificateRef;
  /** The PEM the certificate was made from, read by openssl to know what the provider must report. */
  pem: string;
}

export interface PortTarget {
  provider: CloudProvider;
  /** At least two certificates that exist in the target. */
  fixtures: ContractFixture[];
  /** A ref in the fixtures' scope that names no certificate. */
  absent: CertificateRef;
  /** A ref of the other cloud, which this provider cannot serve. */
  foreign: CertificateRef;
  teardown(): Promise<void>;
}

export function defineProviderContract(name: string, setup: () => Promise<PortTarget>): void {
  describe(`${name}: the CloudProvider contract`, () => {
    let target: PortTarget;

    beforeAll(async () => {
      target = await setup();
    });
    afterAll(() => target?.teardown());

    it('answers one result per ref, in the order asked, with Certificate.NotFound in the slot of an absent certificate', async () => {
      const [first, second] = target.fixtures as [ContractFixture, ContractFixture];
      const results = await target.provider.getCertificates([second.ref, target.absent, first.ref, second.ref]);

      expect(results).toHaveLength(4);
      expect(results.map((result) => (result instanceof GatewayError ? result.code : result.ref))).toEqual([
        second.ref,
        'Certificate.NotFound',
        first.ref,
        second.ref,
      ]);
      expectGatewayError(results[1], { code: 'Certificate.NotFound', category: 'NOT_FOUND', httpStatus: 404, provider: target.provider.name });
    });

    it('reports the names, expiry and fingerprint openssl reads from each certificate', async () => {
      const results = await target.provider.getCertificates(target.fixtures.map((fixture) => fixture.ref));
      results.forEach((certificate, index) => {
        if (certificate instanceof GatewayError) throw certificate;
        const facts = opensslFacts((target.fixtures[index] as ContractFixture).pem);
        expect(certificate.commonName).toBe(facts.commonName);
        expect([...certificate.subjectAlternativeNames].sort()).toEqual([...facts.dnsNames].sort());
        expect(certificate.notAfter?.toISOString()).toBe(new Date(facts.notAfter).toISOString());
        const fingerprints = { fingerprintSha256: certificate.fingerprintSha256, fingerprintSha1: certificate.fingerprintSha1 };
        const reported = Object.entries(fingerprints).filter(([, value]) => value !== undefined);
        expect(reported.length).toBeGreaterThan(0);
        expect(Object.fromEntries(reported)).toEqual(Object.fromEntries(reported.map(([key]) => [key, facts[key as keyof typeof fingerprints]])));
      });
    });

    it('answers a ref of the other cloud with an error in its slot and still serves the rest of the batch', async () => {
      const [first] = target.fixtures as [ContractFixture];
      const [foreign, served] = await target.provider.getCertificates([target.foreign, first.ref]);
      expectGatewayError(foreign, { code: 'InvalidParameter', category: 'BAD_USER_INPUT' });
      expect(served).not.toBeInstanceOf(GatewayError);
      expect(served).toMatchObject({ ref: first.ref });
    });

    it("answers a ref of another account with an error in its slot: one account's credentials never read another's certificates", async () => {
      const [first] = target.fixtures as [ContractFixture];
      const elsewhere: CertificateRef = { ...first.ref, accountId: `not-${first.ref.accountId}` };
      const [refused, served] = await target.provider.getCertificates([elsewhere, first.ref]);
      expectGatewayError(refused, { code: 'InvalidParameter', category: 'BAD_USER_INPUT' });
      expect(served).toMatchObject({ ref: first.ref });
    });
  });
}

/** Where and as whom an adapter connects: the emulator, or a real endpoint. */
export interface Connection {
  endpoint: string;
  protocol: 'http' | 'https';
  accessKeyId: string;
  accessKeySecret: string;
  timeoutMs?: number;
}

export function emulatorConnection(emulator: { endpoint: string }): Connection {
  return { endpoint: emulator.endpoint, protocol: 'http', accessKeyId: 'emulator-key', accessKeySecret: 'emulator-secret' };
}

/** The real cloud, configured as the gateway is (README.md, Settings). */
export function cloudConnection(endpointVariable: 'ESA_ENDPOINT' | 'SLB_ENDPOINT', defaultEndpoint: string): Connection {
  return {
    endpoint: process.env[endpointVariable] ?? defaultEndpoint,
    protocol: process.env.ALIBABA_CLOUD_PROTOCOL === 'http' ? 'http' : 'https',
    accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
    accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
  };
}

const VERSIONS = { ESA: '2024-09-10', SLB: '2014-05-15' } as const;

/** The client settings of one product over a connection, signed with the connection's access key. */
export function rpcClientOptions(product: 'ESA' | 'SLB', connection: Connection): RpcClientOptions {
  const { accessKeyId, accessKeySecret, ...where } = connection;
  return { product, version: VERSIONS[product], timeoutMs: 15_000, ...where, credentials: new StaticCredentials({ accessKeyId, accessKeySecret }) };
}

export function rpcClient(product: 'ESA' | 'SLB', connection: Connection): RpcClient {
  return new RpcClient(rpcClientOptions(product, connection));
}

/** The one certificate a single-ref batch answers; its slot's error is thrown. */
export async function readOne(provider: CloudProvider, ref: CertificateRef): Promise<Certificate> {
  const [result] = await provider.getCertificates([ref]);
  if (result instanceof GatewayError || result === undefined) throw result ?? new Error('The batch answered nothing.');
  return result;
}

export interface ExpectedError {
  code: string;
  category?: GatewayError['category'];
  httpStatus?: number;
  retryable?: boolean;
  provider?: GatewayError['details']['provider'];
  action?: string;
  /** The upstream answered, so its RequestId travels with the error. */
  requestId?: boolean;
}

/** Asserts `value` is a GatewayError with these properties; returns it for further checks. */
export function expectGatewayError(value: unknown, expected: ExpectedError): GatewayError {
  expect(value).toBeInstanceOf(GatewayError);
  const error = value as GatewayError;
  const { provider, action, requestId, ...own } = expected;
  expect(error).toMatchObject(own);
  if (provider !== undefined) expect(error.details.provider).toBe(provider);
  if (action !== undefined) expect(error.details.action).toBe(action);
  if (requestId) expect(error.details.requestId).toEqual(expect.stringMatching(/\S/));
  return error;
}

/** What a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the call succeeded.');
}

/**
 * Undo steps for what a test created, run newest first. Against the real cloud nothing may stay
 * behind, so a step that fails is reported after the others have run.
 */
export class Cleanup {
  private steps: Array<() => Promise<unknown>> = [];

  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    const steps = this.steps.reverse();
    this.steps = [];
    const failures: unknown[] = [];
    for (const step of steps) await step().catch((error: unknown) => failures.push(error));
    if (failures.length) throw new AggregateError(failures, `${failures.length} clean-up step(s) failed; resources may remain in the cloud.`);
  }
}

/**
 * `describe` when every variable is set, else a `describe.skip` whose title says what to set, so a
 * run without credentials shows the real-cloud suite as skipped rather than silently absent.
 */
export function describeWithEnv(title: string, variables: readonly string[], body: () => void): void {
  const missing = variables.filter((variable) => !process.env[variable]);
  if (missing.length === 0) describe(title, body);
  else describe.skip(`${title}: set ${missing.join(', ')} to run`, body);
}

/** A name no earlier run used, so real-cloud runs never collide. */
export function uniqueLabel(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
