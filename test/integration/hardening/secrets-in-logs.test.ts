import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { print } from 'graphql';
import { DEMO } from '../../../src/emulator/state/demo';
import { createLogger } from '../../../src/server/logger';
import {
  CertificateDocument,
  CreateClientCertificateDocument,
  UploadOriginClientCertificateDocument,
  UploadServerCertificateDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, type ErrorExtensions } from '../../helpers/answers';
import { bearer, productionSettings, send } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type GraphQLAnswer, type TestGateway } from '../../helpers/gateway';
import { makeCertificate, type TestCertificate } from '../../helpers/openssl';

const KEY = 'secret-caller-key-0123456789';
const WRONG_KEY = 'wrong-caller-key-0123456789';
const SITE = DEMO.sites.example;

/** What must never appear in a log line or an error answer; the keys' own material is added as it is made. */
const SECRETS = ['PRIVATE KEY', 'PRIVATE+KEY', 'PRIVATE%20KEY', KEY, WRONG_KEY, 'emulator-secret', 'Signature='];

/** A run of a private key's base64 body that survives URL and JSON encoding unchanged. */
function keyMaterial(pem: string): string {
  const body = pem.split('\n').slice(1, -2).join('');
  const run = body.match(/[A-Za-z0-9]{16,}/g)?.sort((a, b) => b.length - a.length)[0];
  if (!run) throw new Error('the key has no run of 16 plain base64 characters');
  return run.slice(0, 24);
}

describe('secrets stay out of logs and error answers', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;
  const lines: string[] = [];
  let site: TestCertificate;
  let other: TestCertificate;
  /** Raw answers that carry errors, and how many requests were sent to /graphql. */
  const errorAnswers: string[] = [];
  let requests = 0;

  /** Runs an operation with the caller's key and keeps its raw answer when it carries errors. */
  async function run<T, V>(document: TypedDocumentNode<T, V>, variables: V, key = KEY): Promise<GraphQLAnswer<T>> {
    requests += 1;
    const answer = await gateway.execute(document, variables, bearer(key));
    if (answer.errors) errorAnswers.push(answer.text);
    return answer;
  }

  /**
   * The access line of a request is written when its connection closes, which may be just after the
   * client has read the answer: waits for one line per request sent, then checks everything so far.
   */
  async function expectNoSecretsSoFar(): Promise<void> {
    const accessLines = () => lines.filter((line) => (JSON.parse(line) as { msg?: string }).msg === 'request').length;
    for (let waited = 0; accessLines() < requests && waited < 2_000; waited += 10) await sleep(10);
    expect(accessLines()).toBe(requests);
    expectNothingLeaks(lines.join(''), SECRETS);
    for (const answer of errorAnswers) expectNothingLeaks(answer, SECRETS);
  }

  const codeOf = (answer: GraphQLAnswer<unknown>) => (onlyError(answer).extensions as unknown as ErrorExtensions).code;

  beforeAll(async () => {
    site = makeCertificate({ commonName: 'secure.example.com', dnsNames: ['secure.example.com'] });
    other = makeCertificate({ commonName: 'other.example.com', dnsNames: ['other.example.com'], keyType: 'rsa' });
    SECRETS.push(keyMaterial(site.privateKeyPem), keyMaterial(other.privateKeyPem));
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    emulator = await startTestEmulator();
    gateway = await startTestGateway(emulator, productionSettings([{ key: KEY, scopes: ['certificates:read', 'certificates:write'] }]), {
      logger: createLogger('debug', capture),
    });
  });
  beforeEach(() => emulator.admin('DELETE', 'stats'));
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
  });

  it('refuses an upload whose key does not match the certificate, without calling the cloud', async () => {
    const answer = await run(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: other.privateKeyPem } });

    expect(codeOf(answer)).toBe('CertificateNotMatchPrivateKey');
    expect(await emulator.stats()).toEqual({});
    await expectNoSecretsSoFar();
  });

  it('refuses junk PEM in certificate and key fields', async () => {
    const junkCertificate = await run(UploadSiteCertificateDocument, {
      input: { siteId: SITE, certificate: '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----', privateKey: site.privateKeyPem },
    });
    const junkKey = await run(UploadServerCertificateDocument, {
      input: { regionId: 'cn-hangzhou', serverCertificate: site.certificatePem, privateKey: `${site.privateKeyPem.slice(0, 80)}\n-----END PRIVATE KEY-----` },
    });

    expect(codeOf(junkCertificate)).toBe('InvalidParameter');
    expect(codeOf(junkKey)).toBe('InvalidParameter');
    expect(await emulator.stats()).toEqual({});
    await expectNoSecretsSoFar();
  });

  it.each([
    ['an edge certificate', 'InvalidParameter', () => run(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem, name: site.privateKeyPem } })],
    ['an origin client certificate', 'InvalidParameter', () => run(UploadOriginClientCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem, name: site.privateKeyPem } })],
    // SLB checks a name's length (1 to 80) before its characters.
    ['a server certificate', 'InvalidParameterLength', () => run(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: site.certificatePem, privateKey: site.privateKeyPem, name: site.privateKeyPem } })],
  ])('refuses a private key pasted into the name of %s, so the cloud never stores it as a label', async (_kind, code, upload) => {
    const answer = await upload();

    expect(answer.data ?? null).toBeNull();
    expect(codeOf(answer)).toBe(code);
    expect(await emulator.stats()).toEqual({});
    await expectNoSecretsSoFar();
  });

  it('keeps a private key out of the answer when the cloud quotes a field that held it', async () => {
    const answer = await run(UploadSiteCertificateDocument, { input: { siteId: SITE, casId: site.privateKeyPem } });

    expect(codeOf(answer)).toBe('InvalidParameter');
    expect(onlyError(answer).extensions?.provider).toBe('ESA');
    expect(answer.text).toContain('[redacted PEM]');
    await expectNoSecretsSoFar();
  });

  it('keeps a private key out of the answer when GraphQL quotes an input it cannot coerce', async () => {
    const answer = await run(UploadSiteCertificateDocument, {
      input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem, unexpected: true } as never,
    });

    expect(codeOf(answer)).toBe('BAD_USER_INPUT');
    expect(await emulator.stats()).toEqual({});
    await expectNoSecretsSoFar();
  });

  it('returns a generated client key to its caller once, and logs nothing of it', async () => {
    const answer = await run(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'RSA', validityDays: 30 } });

    expect(answer.errors).toBeUndefined();
    const generated = answer.data?.createClientCertificate.privateKey ?? '';
    expect(generated).toContain('PRIVATE KEY');
    SECRETS.push(keyMaterial(generated));
    const again = await run(CertificateDocument, { id: answer.data?.createClientCertificate.certificate.id ?? '' });
    expect(again.text).not.toContain('PRIVATE KEY');
    await expectNoSecretsSoFar();
  });

  it('uploads a matching certificate and key, and answers with the certificate only', async () => {
    const answer = await run(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem, name: 'secure' } });

    expect(answer.errors).toBeUndefined();
    expect(answer.data?.uploadSiteCertificate.commonName).toBe('secure.example.com');
    expect(answer.text).not.toContain('PRIVATE KEY');
    await expectNoSecretsSoFar();
  });

  it('refuses a mutation sent over GET with its key in the URL, without logging the URL', async () => {
    const query = print(UploadSiteCertificateDocument);
    const variables = JSON.stringify({ input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem } });

    requests += 1;
    const answer = await send(`${gateway.graphqlUrl}?${new URLSearchParams({ query, variables })}`, {
      headers: { authorization: `Bearer ${KEY}`, 'apollo-require-preflight': 'true' },
    });

    expect(answer.status).toBe(405);
    errorAnswers.push(answer.text);
    await expectNoSecretsSoFar();
  });

  it('answers a wrong key 401 and an upstream outage as an upstream error', async () => {
    const wrong = await run(CertificateDocument, { id: 'crt_x' }, WRONG_KEY);
    await emulator.admin('POST', 'faults', { product: 'SLB', status: 503, code: 'ServiceUnavailable' });
    try {
      const outage = await run(UploadServerCertificateDocument, {
        input: { regionId: 'cn-shanghai', serverCertificate: site.certificatePem, privateKey: site.privateKeyPem },
      });

      expect(wrong.status).toBe(401);
      expect(onlyError(outage).extensions).toMatchObject({ category: 'UPSTREAM_UNAVAILABLE', provider: 'SLB' });
    } finally {
      await emulator.admin('DELETE', 'faults');
    }
    await expectNoSecretsSoFar();
  });
});
