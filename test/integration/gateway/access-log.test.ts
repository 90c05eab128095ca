import { PassThrough } from 'node:stream';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import { createLogger } from '../../../src/server/logger';
import { type GatewayConfig } from '../../../src/config';
import { CertificateDocument, SitesDocument } from '../../generated/graphql';
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
    const id = encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.example, nativeId: DEMO.edgeCertificates.cas });
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

  /** A gateway of its own, its log read by the test, on `upstream` (default: the file's emulator). */
  async function loggedGateway(overrides: Partial<GatewayConfig>, upstream: TestEmulator = emulator) {
    const own: Array<Record<string, unknown>> = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) own.push(JSON.parse(line) as Record<string, unknown>);
    });
    const logged = await startTestGateway(upstream, { logLevel: 'info', ...overrides }, { logger: createLogger('info', stream) });
    /** The access line of the request sent with `requestId`, once written (when its connection closes). */
    const entry = async (requestId: string) => {
      for (let waited = 0; waited < 2_000; waited += 10) {
        const line = own.find((candidate) => candidate.msg === 'request' && candidate.requestId === requestId);
        if (line) return line as { upstream: Array<Record<string, unknown>> };
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`no access line for ${requestId}`);
    };
    return { gateway: logged, entry };
  }

  it('logs a cloud call that timed out, with outcome timeout', async () => {
    const { gateway: slow, entry } = await loggedGateway({ upstreamTimeoutMs: 300 });
    await emulator.admin('POST', 'faults', { product: 'ESA', action: 'ListSites', latencyMs: 2_000 });
    try {
      const answer = await slow.execute(SitesDocument, undefined, { headers: { 'x-request-id': 'timed-out-1' } });
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });

      const { upstream } = await entry('timed-out-1');
      expect(upstream).toEqual([{ product: 'ESA', action: 'ListSites', outcome: 'timeout', ms: expect.any(Number) }]);
      expect(upstream[0]?.ms).toBeGreaterThanOrEqual(250);
    } finally {
      await emulator.admin('DELETE', 'faults');
      await slow.stop();
    }
  });

  it('logs every attempt at a cloud that cannot be reached, with outcome unreachable', async () => {
    const gone = await startTestEmulator();
    const { gateway: stranded, entry } = await loggedGateway({}, gone);
    await gone.stop();
    try {
      const answer = await stranded.execute(SitesDocument, undefined, { headers: { 'x-request-id': 'unreachable-1' } });
      expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNREACHABLE' });

      const { upstream } = await entry('unreachable-1');
      expect(upstream.length).toBeGreaterThanOrEqual(1);
      for (const call of upstream) expect(call).toEqual({ product: 'ESA', action: 'ListSites', outcome: 'unreachable', ms: expect.any(Number) });
    } finally {
      await stranded.stop();
    }
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
