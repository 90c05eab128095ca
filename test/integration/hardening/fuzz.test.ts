import fc from 'fast-check';
import { SitesDocument } from '../../generated/graphql';
import { bearer, productionSettings } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { malformedRequests, type FuzzRequest } from '../../helpers/malformed-requests';

const KEY = 'fuzzing-caller-key-0123456789';
const RUNS = 300;
const REQUEST_TIMEOUT_MS = 15_000;
const JSON_TYPES = /^application\/(graphql-response\+)?json\b/;

interface Observed {
  status: number;
  contentType: string;
  text: string;
}

/** What HTTP allows to come back without a body. */
const EMPTY_ALLOWED = new Set([204, 405]);

describe('a production gateway under malformed requests', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    gateway = await startTestGateway(
      emulator,
      productionSettings([{ key: KEY, scopes: ['certificates:read', 'certificates:write'] }], { rateLimitPerMinute: 1_000_000 }),
    );
  });
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
  });

  async function sendFuzz(request: FuzzRequest): Promise<Observed> {
    const response = await fetch(`${gateway.graphqlUrl}${request.search}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
  }

  it(`answers ${RUNS} malformed requests below 500, in JSON, and keeps serving`, async () => {
    const statuses = new Map<number, number>();
    let sent = 0;
    let executed = 0;
    await fc.assert(
      fc.asyncProperty(malformedRequests(KEY), async (request) => {
        const observed = await sendFuzz(request);
        sent += 1;
        statuses.set(observed.status, (statuses.get(observed.status) ?? 0) + 1);

        expect(observed.status).toBeLessThan(500);
        if (observed.text === '') {
          expect(EMPTY_ALLOWED.has(observed.status)).toBe(true);
        } else {
          expect(observed.contentType).toMatch(JSON_TYPES);
          expect(() => JSON.parse(observed.text)).not.toThrow();
          const answers = ([] as Array<{ data?: unknown }>).concat(JSON.parse(observed.text) as { data?: unknown });
          if (answers.some((answer) => answer.data !== undefined)) executed += 1;
        }
        for (const leak of ['    at ', 'Signature=', 'emulator-secret', 'stacktrace']) expect(observed.text).not.toContain(leak);
        // A malformed request is the caller's mistake, never reported as the gateway's own fault.
        expect(observed.text).not.toContain('INTERNAL_SERVER_ERROR');
      }),
      { numRuns: RUNS, endOnFailure: true },
    );

    expect(sent).toBeGreaterThanOrEqual(RUNS);
    // The run reached GraphQL execution as well as every refusal in front of it.
    expect(executed).toBeGreaterThan(0);
    for (const status of [200, 400, 401]) expect({ status, seen: (statuses.get(status) ?? 0) > 0 }).toEqual({ status, seen: true });

    const after = await gateway.execute(SitesDocument, {}, bearer(KEY));
    expect(after.status).toBe(200);
    expect(after.data?.sites).toHaveLength(4);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  }, 300_000);
});
