import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { parseConfig } from '../../../src/config';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  CertificateDocument,
  CreateClientCertificateDocument,
  UploadOriginClientCertificateDocument,
  UploadServerCertificateDocument,
  UploadSiteCertificateDocument,
} from '../../generated/graphql';
import { bearer, productionSettings, send } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { makeCertificate } from '../../helpers/openssl';
import { OtlpReceiver } from '../../helpers/otlp-receiver';

const KEY = 'secret-caller-key-0123456789';
const WRONG_KEY = 'wrong-caller-key-0123456789';
const SITE = DEMO.sites.example;
const CLIENT = 3;

/** Runs of a PEM block's base64 body long enough to be unmistakable, which survive JSON encoding. */
function material(pem: string): string[] {
  const body = pem.split('\n').filter((line) => !line.startsWith('-----')).join('');
  return (body.match(/[A-Za-z0-9]{16,}/g) ?? []).map((run) => run.slice(0, 16));
}

describe('secrets stay out of traces', () => {
  let emulator: TestEmulator;
  let receiver: OtlpReceiver;
  let gateway: TestGateway;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    receiver = await new OtlpReceiver().start();
    const { tracing } = parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '20' });
    gateway = await startTestGateway(emulator, productionSettings([{ key: KEY, scopes: ['certificates:read', 'certificates:write'] }], { tracing }));
  });
  afterAll(async () => {
    await receiver.stop();
    await emulator.stop();
  });

  it('holds no key, PEM, access key secret, API key or signature in any span of a run that uploads keys and certificates', async () => {
    const site = makeCertificate({ commonName: 'secure.example.com', dnsNames: ['secure.example.com'] });
    const other = makeCertificate({ commonName: 'other.example.com', dnsNames: ['other.example.com'], keyType: 'rsa' });
    const run = <T, V>(document: TypedDocumentNode<T, V>, variables: V, key = KEY) => gateway.execute(document, variables, bearer(key));

    const uploaded = await run(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem, name: 'secure' } });
    expect(uploaded.errors).toBeUndefined();
    const server = await run(UploadServerCertificateDocument, { input: { regionId: 'cn-hangzhou', serverCertificate: other.certificatePem, privateKey: other.privateKeyPem } });
    expect(server.errors).toBeUndefined();
    await run(UploadOriginClientCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem } });
    const mismatched = await run(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: other.privateKeyPem } });
    expect(mismatched.errors?.[0]?.extensions?.code).toBe('CertificateNotMatchPrivateKey');
    // A key pasted where a name goes, and an upload the cloud fails.
    await run(UploadSiteCertificateDocument, { input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem, name: site.privateKeyPem } });
    await emulator.admin('POST', 'faults', { product: 'SLB', status: 503, code: 'ServiceUnavailable' });
    try {
      await run(UploadServerCertificateDocument, { input: { regionId: 'cn-shanghai', serverCertificate: site.certificatePem, privateKey: site.privateKeyPem } });
    } finally {
      await emulator.admin('DELETE', 'faults');
    }
    const created = await run(CreateClientCertificateDocument, { input: { siteId: SITE, keyAlgorithm: 'RSA', validityDays: 30 } });
    const generatedKey = created.data?.createClientCertificate.privateKey ?? '';
    expect(generatedKey).toContain('PRIVATE KEY');
    await run(CertificateDocument, { id: created.data?.createClientCertificate.certificate.id ?? '' });
    expect((await run(CertificateDocument, { id: 'crt_x' }, WRONG_KEY)).status).toBe(401);
    const overGet = await send(
      `${gateway.graphqlUrl}?${new URLSearchParams({ query: print(UploadSiteCertificateDocument), variables: JSON.stringify({ input: { siteId: SITE, certificate: site.certificatePem, privateKey: site.privateKeyPem } }) })}`,
      { headers: { authorization: `Bearer ${KEY}`, 'apollo-require-preflight': 'true' } },
    );
    expect(overGet.status).toBe(405);
    // Stopping sends every span still batched.
    await gateway.stop();

    const [, accessKeySecret] = [...emulator.accessKeys][0] as [string, string];
    const secrets = [
      'PRIVATE KEY',
      'PRIVATE+KEY',
      'PRIVATE%20KEY',
      '-----BEGIN',
      KEY,
      WRONG_KEY,
      'Bearer',
      accessKeySecret,
      'Signature',
      ...[site.privateKeyPem, other.privateKeyPem, generatedKey, site.certificatePem, other.certificatePem].flatMap(material),
    ];
    // The run was traced: requests, operations and cloud calls, failures included.
    expect(receiver.malformed).toEqual([]);
    expect(receiver.spans.filter((span) => span.name === 'mutation UploadSiteCertificate').length).toBeGreaterThanOrEqual(3);
    expect(receiver.spans.filter((span) => span.kind === CLIENT).length).toBeGreaterThanOrEqual(5);
    expect(receiver.spans.some((span) => span.status.message === 'CertificateNotMatchPrivateKey')).toBe(true);
    for (const span of receiver.spans) {
      const text = JSON.stringify(span);
      for (const secret of secrets) expect({ span: span.name, secret, found: text.includes(secret) }).toEqual({ span: span.name, secret, found: false });
    }
  });
});
