import { createHash } from 'node:crypto';
import { type IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { SILENT_OBSERVER } from '../../../src/cache/cache-observer';
import { GuardedStore } from '../../../src/cache/guarded-store';
import { MemoryStore } from '../../../src/cache/memory-store';
import { Access } from '../../../src/domain/access';
import { ApiKeyRing } from '../../../src/server/auth/api-keys';
import { DocumentReader } from '../../../src/server/limits/document-reader';
import { DEFAULT_LIMITS } from '../../../src/server/limits/operation-cost';
import { RateLimiter } from '../../../src/server/limits/rate-limiter';
import { authenticate } from '../../../src/server/pipeline/authenticate';
import { runStages, type Answer, type Exchange, type Stage } from '../../../src/server/pipeline/exchange';
import { checkOperations } from '../../../src/server/pipeline/operations';
import { persistedQueries, registerPersistedQueries } from '../../../src/server/pipeline/persisted-queries';
import { rateLimit } from '../../../src/server/pipeline/rate-limit';
import { readBody } from '../../../src/server/pipeline/read-body';
import { readOperations } from '../../../src/server/pipeline/read-operations';

const KEY = 'stage-test-key-0123456789';

/** A request as node:http hands it over: headers, and a body that streams in `chunks`. */
function request(method: string, headers: Record<string, string> = {}, chunks: string[] = []): IncomingMessage {
  const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk))) as unknown as IncomingMessage;
  Object.assign(stream, { method, headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])) });
  return stream;
}

function exchange(method: string, options: { headers?: Record<string, string>; body?: string; search?: string } = {}): Exchange {
  const req = request(method, options.headers, options.body === undefined ? [] : [options.body]);
  return { request: req, requestId: 'test', method, search: options.search ?? '', upstream: [], ...(options.body === undefined ? {} : { body: Buffer.from(options.body) }) };
}

const bodyOf = (answer: Answer | undefined) => JSON.parse(String(answer?.body)) as { errors: Array<{ message: string; extensions: { code: string } }> };
const store = () => new GuardedStore(new MemoryStore(), { timeoutMs: 100, failureThreshold: 3, openMs: 1_000 }, SILENT_OBSERVER);

describe('the read-body stage', () => {
  it('reads a body whole, chunk by chunk', async () => {
    const current: Exchange = { request: request('POST', {}, ['{"query":', '"{ sites { id } }"}']), requestId: 't', method: 'POST', search: '', upstream: [] };

    expect(await readBody(1_000)(current)).toBeUndefined();
    expect(current.body?.toString()).toBe('{"query":"{ sites { id } }"}');
  });

  it('answers 413 PAYLOAD_TOO_LARGE, whether the size is declared or found while reading, once the client is done', async () => {
    const declared = await readBody(10)({ request: request('POST', { 'content-length': '100' }, ['x'.repeat(100)]), requestId: 't', method: 'POST', search: '', upstream: [] });
    const streamed = await readBody(10)({ request: request('POST', {}, ['x'.repeat(6), 'x'.repeat(6)]), requestId: 't', method: 'POST', search: '', upstream: [] });

    for (const answer of [declared, streamed]) {
      expect(answer?.status).toBe(413);
      expect(bodyOf(answer).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
      expect(answer?.headers).toContainEqual(['connection', 'close']);
    }
  });
});

describe('the authenticate stage', () => {
  const stage = authenticate(new ApiKeyRing([{ key: KEY, scopes: ['certificates:read'] }]));

  it('knows the caller behind a valid key, and hands the request on', async () => {
    const current = exchange('POST', { headers: { authorization: `Bearer ${KEY}` } });

    expect(await stage(current)).toBeUndefined();
    expect(current.caller?.access.can('certificates:read')).toBe(true);
  });

  it('answers 401 UNAUTHENTICATED with WWW-Authenticate to a request without a valid key', async () => {
    const answer = await stage(exchange('POST', { headers: { authorization: 'Bearer nope-nope-nope-nope' } }));

    expect(answer?.status).toBe(401);
    expect(answer?.headers).toContainEqual(['www-authenticate', 'Bearer']);
    expect(bodyOf(answer).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('lets the Sandbox page (a GET without an operation) through without a key', async () => {
    expect(await stage(exchange('GET'))).toBeUndefined();
  });
});

describe('the rate-limit stage', () => {
  it('answers 429 Throttling.User with Retry-After once the caller has spent its minute', async () => {
    const stage = rateLimit(new RateLimiter(store(), 2));
    const caller = { id: 'key-a', access: Access.unrestricted() };
    const answers: Array<Answer | undefined> = [];
    for (let i = 0; i < 3; i += 1) answers.push(await stage({ ...exchange('POST'), caller }));

    expect(answers.slice(0, 2)).toEqual([undefined, undefined]);
    expect(answers[2]?.status).toBe(429);
    expect(answers[2]?.headers.find(([name]) => name === 'retry-after')?.[1]).toMatch(/^\d+$/);
    expect(bodyOf(answers[2]).errors[0]?.extensions.code).toBe('Throttling.User');
  });
});

describe('the read-operations stage', () => {
  const stage = readOperations(3);
  const json = { 'content-type': 'application/json' };

  it('reads one operation, a batch, or a GET’s parameters', async () => {
    const one = exchange('POST', { headers: json, body: '{"query":"{ a }","variables":{"x":1}}' });
    const batch = exchange('POST', { headers: json, body: '[{"query":"{ a }"},{"query":"{ b }"}]' });
    const get = exchange('GET', { search: 'query=%7B%20a%20%7D&variables=%7B%22x%22%3A1%7D&operationName=A' });
    for (const current of [one, batch, get]) expect(await stage(current)).toBeUndefined();

    expect(one.operations).toEqual([{ query: '{ a }', variables: { x: 1 } }]);
    expect(batch.batched).toBe(true);
    expect(batch.operations).toHaveLength(2);
    expect(get.operations).toEqual([{ query: '{ a }', variables: { x: 1 }, operationName: 'A' }]);
  });

  it.each([
    ['a body that is not JSON', exchange('POST', { headers: json, body: '{nope' }), 'BAD_REQUEST', 400],
    ['a batch over the cap', exchange('POST', { headers: json, body: JSON.stringify(Array(4).fill({ query: '{ a }' })) }), 'GRAPHQL_VALIDATION_FAILED', 400],
    ['GET variables that are not an object', exchange('GET', { search: 'query=%7Ba%7D&variables=%5B1%5D' }), 'BAD_REQUEST', 400],
  ])('refuses %s', async (_name, current, code, status) => {
    const answer = await stage(current);

    expect(bodyOf(answer).errors[0]?.extensions.code).toBe(code);
    expect(answer?.status).toBe(status);
  });
});

describe('the persisted-queries stage', () => {
  const query = '{ sites { id } }';
  const hash = createHash('sha256').update(query).digest('hex');
  const persisted = (extra: Record<string, unknown>) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } }, ...extra });

  it('answers an unknown hash PERSISTED_QUERY_NOT_FOUND, registers a query sent with its hash, then serves it by hash', async () => {
    const shared = store();
    const stage = persistedQueries(shared);
    const unknown: Exchange = { ...exchange('POST'), operations: [persisted({})] };
    const registering: Exchange = { ...exchange('POST'), operations: [persisted({ query })] };
    const byHash: Exchange = { ...exchange('POST'), operations: [persisted({})] };

    await stage(unknown);
    await stage(registering);
    registerPersistedQueries(shared, registering);
    await new Promise((resolve) => setImmediate(resolve));
    await stage(byHash);

    expect(unknown.checked?.[0]?.refused?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(registering.checked?.[0]).toBeUndefined();
    expect(byHash.operations?.[0]).toEqual({ query, extensions: {} });
  });

  it('refuses a hash that is not the query’s', async () => {
    const current: Exchange = { ...exchange('POST'), operations: [{ query: '{ other }', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }] };

    await persistedQueries(store())(current);

    expect(current.checked?.[0]?.refused?.message).toBe('provided sha does not match query');
  });
});

describe('the check-operations stage', () => {
  const stage = (access?: Access) => checkOperations({ reader: new DocumentReader(), limits: DEFAULT_LIMITS, access: () => access });

  it('answers a mutation over GET 405 with Allow: POST', async () => {
    const answer = await stage()({ ...exchange('GET'), operations: [{ query: 'mutation { deleteCertificate(id: "x") { deleted } }' }] });

    expect(answer?.status).toBe(405);
    expect(answer?.headers).toContainEqual(['allow', 'POST']);
  });

  it('refuses in a batch only the operation the key may not run', async () => {
    const current: Exchange = { ...exchange('POST'), batched: true, operations: [{ query: '{ sites { id } }' }, { query: 'mutation { deleteCertificate(id: "x") { deleted } }' }] };

    expect(await stage(Access.of(['certificates:read']))(current)).toBeUndefined();
    expect(current.checked?.map((entry) => entry.refused?.code)).toEqual([undefined, 'FORBIDDEN']);
  });
});

describe('the stages in a row', () => {
  it('runs until one answers, and no further', async () => {
    const ran: string[] = [];
    const stages: Stage[] = [
      () => void ran.push('first'),
      async () => {
        ran.push('second');
        return { status: 204, headers: [], body: '' };
      },
      () => void ran.push('third'),
    ];

    const answer = await runStages(stages, exchange('POST'));

    expect(answer.status).toBe(204);
    expect(ran).toEqual(['first', 'second']);
  });
});
