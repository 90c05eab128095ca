import { PassThrough } from 'node:stream';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { createLogger } from '../../../src/server/logger';
import { CertificateDocument } from '../../generated/graphql';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

describe('the access log', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;
  const lines: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    });
    gateway = await startTestGateway(emulator, { logLevel: 'info' }, { logger: createLogger('info', stream) });
  });
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
  });

  it('logs each request under the caller\'s request id with the RequestId of every cloud call it made', async () => {
    const id = encodeCertificateId({ provider: 'ESA', kind: 'EDGE', siteId: DEMO.sites.example, nativeId: DEMO.edgeCertificates.cas });
    const answer = await gateway.execute(CertificateDocument, { id }, { headers: { 'x-request-id': 'trace-4711' } });
    expect(answer.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entry = lines.find((line) => line.msg === 'request' && line.requestId === 'trace-4711') as { status: number; upstream: Array<Record<string, unknown>> };
    expect(entry).toBeDefined();
    expect(entry.status).toBe(200);
    expect(entry.upstream).toEqual([
      expect.objectContaining({ product: 'ESA', action: 'GetCertificate', outcome: 'ok', requestId: expect.stringMatching(/^[0-9A-F-]{36}$/) }),
    ]);
  });

  it('gives a request without a usable id a fresh one, and returns it', async () => {
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'not allowed: spaces' },
      body: JSON.stringify({ query: '{ sites { id } }' }),
    });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
