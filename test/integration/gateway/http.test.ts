import { serverAudits } from 'graphql-http';
import { SitesDocument, DeleteCertificateDocument } from '../../generated/graphql';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

describe('the gateway over HTTP', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    gateway = await startTestGateway(emulator);
  });
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
  });

  it('answers queries over POST and GET alike', async () => {
    const post = await gateway.execute(SitesDocument);
    const get = await gateway.execute(SitesDocument, {}, { method: 'GET' });
    expect(post.status).toBe(200);
    expect(get.data).toEqual(post.data);
    expect(post.data?.sites).toHaveLength(4);
  });

  it('refuses a mutation over GET without calling the cloud', async () => {
    await emulator.admin('DELETE', 'stats');
    const answer = await gateway.execute(DeleteCertificateDocument, { id: 'crt_x' }, { method: 'GET' });
    expect(answer.status).toBe(405);
    expect(await emulator.stats()).toEqual({});
  });

  it('serves Apollo Sandbox to a browser on GET /graphql', async () => {
    const response = await fetch(gateway.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('embeddable-sandbox');
  });

  it('refuses a body over 1 MiB with 413 before parsing it', async () => {
    await emulator.admin('DELETE', 'stats');
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sites { id } }', variables: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    expect(await emulator.stats()).toEqual({});
  });

  it('answers malformed JSON with 400', async () => {
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it('reports liveness, readiness and Prometheus metrics', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { esa: 'ok', slb: 'ok' } }]);
    await gateway.execute(SitesDocument);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_upstream_calls_total\{product="ESA",action="ListSites",outcome="ok"\} \d+/);
    expect(metrics).toContain('gateway_graphql_request_duration_seconds_bucket{le="0.005",operation="Sites",outcome="ok"}');
  });

  it('passes every MUST of the GraphQL-over-HTTP server audit', async () => {
    const audits = serverAudits({ url: gateway.graphqlUrl, fetchFn: fetch });
    const results = await Promise.all(audits.map((audit) => audit.fn()));
    const failedMusts = results.filter((result) => result.name.startsWith('MUST') && result.status !== 'ok');
    expect(failedMusts.map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`)).toEqual([]);
    // The only audits left are MAYs about GET requests without a preflight header: CSRF prevention
    // refuses those on purpose.
    const others = results.filter((result) => result.status !== 'ok').map((result) => result.name);
    expect(others.every((name) => name.startsWith('MAY'))).toBe(true);
  });
});

describe('readiness without an upstream', () => {
  it('reports 503 with the reason when the cloud does not answer', async () => {
    const emulator = await startTestEmulator();
    const gateway = await startTestGateway(emulator);
    await emulator.stop();
    try {
      const ready = await fetch(`${gateway.url}/readyz`);
      const body = (await ready.json()) as { checks: Record<string, string> };
      expect(ready.status).toBe(503);
      expect(body.checks.esa).toMatch(/ECONNREFUSED/);
    } finally {
      await gateway.stop();
    }
  });
});
