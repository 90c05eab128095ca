import { connect } from 'node:net';
import { parseConfig } from '../../../src/config';
import { MAX_DOCUMENT_TOKENS } from '../../../src/server/limits/document-reader';
import { NodesDocument, SchemaQueryTypeDocument } from '../../generated/graphql';
import { onlyError, type ErrorExtensions } from '../../helpers/answers';
import { bearer, gatewayError, productionSettings, send, untyped } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

const KEY = 'limits-test-key-0123456789';
const AUTHORIZED = { authorization: `Bearer ${KEY}` };
const JSON_POST = { 'content-type': 'application/json', ...AUTHORIZED };
const REFUSED_OPERATION = gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400);
const MiB = 1024 * 1024;

type Answer = { data?: unknown; errors?: Array<{ message: string; extensions?: ErrorExtensions }> };

/** `{ __schema { types { fields { type { ofType ... { name } } } } } }` nested `levels` selection sets deep. */
function introspectionNested(levels: number): string {
  const inner = ['types', 'fields', 'type', ...Array.from({ length: levels - 5 }, () => 'ofType')];
  return `{ __schema { ${inner.join(' { ')} { name ${'} '.repeat(inner.length)}} }`;
}

describe('a production gateway bounds every request before any upstream work', () => {
  let emulator: TestEmulator;
  let production: TestGateway;
  let withIntrospection: TestGateway;
  let development: TestGateway;
  const keys = [{ key: KEY, scopes: ['certificates:read' as const, 'certificates:write' as const] }];

  const post = async (body: string, headers: Record<string, string> = JSON_POST, gateway = production) => {
    const answer = await send(gateway.graphqlUrl, { method: 'POST', headers, body });
    return { ...answer, json: JSON.parse(answer.text) as Answer };
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    production = await startTestGateway(emulator, productionSettings(keys));
    withIntrospection = await startTestGateway(emulator, productionSettings(keys, { introspection: true }));
    development = await startTestGateway(emulator);
  });
  beforeEach(() => emulator.admin('DELETE', 'stats'));
  afterAll(async () => {
    await Promise.all([production.stop(), withIntrospection.stop(), development.stop()]);
    await emulator.stop();
  });

  describe('the operation limits', () => {
    it('refuses 500 aliases GRAPHQL_VALIDATION_FAILED (BAD_USER_INPUT), before any upstream call', async () => {
      const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: sites { id }`).join(' ');

      const answer = await production.execute(untyped(`{ ${aliases} }`), {}, bearer(KEY));

      expect(answer.data ?? null).toBeNull();
      expect(onlyError(answer).extensions).toEqual(REFUSED_OPERATION);
      expect(onlyError(answer).message).toContain('500 aliases');
      expect(await emulator.stats()).toEqual({});
    });

    it('answers a refused operation 400 to a client that accepts application/graphql-response+json', async () => {
      const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: sites { id }`).join(' ');

      const answer = await post(JSON.stringify({ query: `{ ${aliases} }` }), { ...JSON_POST, accept: 'application/graphql-response+json' });

      expect(answer.status).toBe(400);
      expect(answer.json.errors?.map((error) => error.extensions)).toEqual([REFUSED_OPERATION]);
    });

    it('refuses introspection nested deeper than its limit of 20, and runs one exactly 20 deep', async () => {
      const deep = await withIntrospection.execute(untyped(introspectionNested(21)), {}, bearer(KEY));
      const limit = await withIntrospection.execute(untyped(introspectionNested(20)), {}, bearer(KEY));

      expect(onlyError(deep).extensions).toEqual(REFUSED_OPERATION);
      expect(onlyError(deep).message).toContain('introspects 21 levels deep');
      expect(limit.errors).toBeUndefined();
      expect(limit.data).toEqual({ __schema: { types: expect.any(Array) } });
    });

    it('refuses an operation deeper than QUERY_MAX_DEPTH, before any upstream call', async () => {
      const { limits } = parseConfig({ QUERY_MAX_DEPTH: '3' });
      const shallow = await startTestGateway(emulator, productionSettings(keys, { limits }));
      // Its first sweep's list calls are its start, not this request's.
      await emulator.admin('DELETE', 'stats');
      try {
        const answer = await shallow.execute(untyped('{ site(id: "1234567890123") { certificates { nodes { domainValidations { id } } } } }'), {}, bearer(KEY));

        expect(onlyError(answer).extensions).toEqual(REFUSED_OPERATION);
        expect(await emulator.stats()).toEqual({});
      } finally {
        await shallow.stop();
      }
    });

    it('refuses 1001 ids GRAPHQL_VALIDATION_FAILED, before any upstream call', async () => {
      const ids = Array.from({ length: 1001 }, (_, i) => `crt_${i}`);

      const answer = await production.execute(NodesDocument, { ids }, bearer(KEY));

      expect(answer.data ?? null).toBeNull();
      expect(onlyError(answer).extensions).toEqual(REFUSED_OPERATION);
      expect(onlyError(answer).message).toContain('1001 ids');
      expect(await emulator.stats()).toEqual({});
    });

    it('refuses 1001 ids given as the default value of a variable the request leaves out', async () => {
      const ids = Array.from({ length: 1001 }, (_, i) => `"crt_${i}"`).join(', ');

      const answer = await production.execute(untyped(`query Defaults($ids: [ID!]! = [${ids}]) { nodes(ids: $ids) { id } }`), {}, bearer(KEY));

      expect(answer.data ?? null).toBeNull();
      expect(onlyError(answer).extensions).toEqual(REFUSED_OPERATION);
      expect(onlyError(answer).message).toContain('1001 ids');
    });

    it('runs 1000 ids, answering each slot on its own', async () => {
      const ids = Array.from({ length: 1000 }, (_, i) => `crt_${i}`);

      const answer = await production.execute(NodesDocument, { ids }, bearer(KEY));

      expect(answer.data?.nodes).toHaveLength(1000);
      expect(new Set(answer.errors?.map((error) => error.extensions?.code))).toEqual(new Set(['InvalidParameter']));
    });

    it(`refuses a document of more than ${MAX_DOCUMENT_TOKENS} tokens while parsing it`, async () => {
      const answer = await post(JSON.stringify({ query: `{ ${'sites { id } '.repeat(MAX_DOCUMENT_TOKENS / 4 + 1)}}` }));

      expect(answer.json.errors).toHaveLength(1);
      expect(answer.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(answer.json.errors?.[0]?.message).toContain(`${MAX_DOCUMENT_TOKENS} tokens`);
      expect(await emulator.stats()).toEqual({});
    });

    it('refuses a document nested too deeply to parse as a parse failure, in its own words', async () => {
      // Three tokens a level: deep enough to exhaust the parser's stack, short of the token limit.
      const levels = Math.floor(MAX_DOCUMENT_TOKENS / 3) - 10;
      const answer = await post(JSON.stringify({ query: `{${'a {'.repeat(levels)} b ${'}'.repeat(levels + 1)}` }));

      expect(answer.status).toBeLessThan(500);
      expect(answer.json.errors?.map((error) => error.extensions?.code)).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(answer.json.errors?.[0]?.message).toMatch(/nested too deeply/);
      expect(answer.text).not.toMatch(/call stack/i);
    });

    it('refuses a subscription as an operation this gateway does not serve, not as its own fault', async () => {
      const answer = await production.execute(untyped('subscription { sites { id } }'), {}, bearer(KEY));

      expect(answer.data ?? null).toBeNull();
      expect(onlyError(answer).extensions).toEqual(REFUSED_OPERATION);
    });
  });

  describe('the size of a request', () => {
    it('answers a 3 MiB body 413, before any upstream call', async () => {
      const answer = await post(JSON.stringify({ query: '{ sites { id } }', variables: { pad: 'x'.repeat(3 * MiB) } }));

      expect(answer.status).toBe(413);
      expect(answer.json.errors?.map((error) => error.extensions)).toEqual([gatewayError('PAYLOAD_TOO_LARGE', 'BAD_USER_INPUT', 413)]);
      expect(await emulator.stats()).toEqual({});
    });

    it('answers a 3 MiB body sent without Content-Length 413, before any upstream call', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"query":"{ sites { id } }","variables":{"pad":"'));
          if (sent >= 3 * MiB) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });

      const response = await fetch(production.graphqlUrl, { method: 'POST', headers: JSON_POST, body, duplex: 'half' } as RequestInit);

      expect(response.status).toBe(413);
      expect(response.headers.get('content-length')).not.toBeNull();
      expect(await emulator.stats()).toEqual({});
    });

    it('answers a URL longer than the server reads 431, in JSON like every other refusal', async () => {
      const answer = await send(`${production.graphqlUrl}?query=${encodeURIComponent(`{ sites { ${'id '.repeat(20_000)}} }`)}`, {
        headers: { ...AUTHORIZED, 'apollo-require-preflight': 'true' },
      });

      expect(answer.status).toBe(431);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect((JSON.parse(answer.text) as Answer).errors?.map((error) => error.extensions)).toEqual([
        gatewayError('REQUEST_HEADER_FIELDS_TOO_LARGE', 'BAD_USER_INPUT', 431),
      ]);
      expect(await emulator.stats()).toEqual({});
    });

    it('answers bytes that are not HTTP 400, in JSON', async () => {
      const { port } = new URL(production.url);
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });

      const [head = '', body = ''] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head.toLowerCase()).toContain('content-type: application/json');
      expect((JSON.parse(body) as Answer).errors?.map((error) => error.extensions)).toEqual([gatewayError('BAD_REQUEST', 'BAD_USER_INPUT', 400)]);
    });

    it('refuses a batch of 200 operations, before any upstream call', async () => {
      const batch = Array.from({ length: 200 }, () => ({ query: '{ sites { id } }' }));

      const answer = await post(JSON.stringify(batch));

      expect(answer.status).toBe(400);
      expect(answer.json.errors?.map((error) => error.extensions)).toEqual([REFUSED_OPERATION]);
      expect(await emulator.stats()).toEqual({});
    });

    it('answers a batch of 3 queries with 3 answers, in order', async () => {
      const answer = await post(
        JSON.stringify([
          { query: '{ sites { id } }' },
          { query: 'query One($id: ID!) { site(id: $id) { name } }', variables: { id: '2345678901234' } },
          { query: '{ serverCertificates(regionId: "cn-shanghai") { regionId } }' },
        ]),
      );

      expect(answer.status).toBe(200);
      expect(answer.json).toEqual([
        { data: { sites: expect.arrayContaining([{ id: '1234567890123' }]) } },
        { data: { site: { name: 'cname-example.com' } } },
        // The demo's two cn-shanghai certificates: its own and the one its HTTPS listener serves.
        { data: { serverCertificates: [{ regionId: 'cn-shanghai' }, { regionId: 'cn-shanghai' }] } },
      ]);
    });
  });

  describe('what a production gateway shows', () => {
    it('refuses introspection in production', async () => {
      const answer = await production.execute(SchemaQueryTypeDocument, {}, bearer(KEY));

      expect(answer.data ?? null).toBeNull();
      expect(onlyError(answer).extensions).toEqual(gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400));
      expect(onlyError(answer).message).toContain('introspection');
    });

    it('answers introspection in production when introspection is turned on', async () => {
      const answer = await withIntrospection.execute(SchemaQueryTypeDocument, {}, bearer(KEY));

      expect(answer.errors).toBeUndefined();
      expect(answer.data?.__schema.queryType.name).toBe('Query');
    });

    it('serves no Sandbox page to a browser in production, where development does', async () => {
      const browser = { headers: { accept: 'text/html,application/xhtml+xml' } };

      const inProduction = await send(production.graphqlUrl, browser);
      const inDevelopment = await send(development.graphqlUrl, browser);

      expect(inDevelopment.headers.get('content-type')).toContain('text/html');
      expect(inDevelopment.text).toContain('embeddable-sandbox');
      expect(inProduction.headers.get('content-type')).not.toContain('text/html');
      expect(inProduction.text).not.toContain('embeddable-sandbox');
      expect(inProduction.status).toBeGreaterThanOrEqual(400);
    });
  });

  describe('what HTTP requests are accepted', () => {
    const query = encodeURIComponent('{ sites { id } }');

    it('refuses a GET query without a preflight header 400 (CSRF prevention), before any upstream call', async () => {
      const answer = await send(`${production.graphqlUrl}?query=${query}`, { headers: AUTHORIZED });

      expect(answer.status).toBe(400);
      expect(answer.text).toContain('Cross-Site Request Forgery');
      expect(await emulator.stats()).toEqual({});
    });

    it('answers the same GET query with a preflight header', async () => {
      const answer = await send(`${production.graphqlUrl}?query=${query}`, { headers: { ...AUTHORIZED, 'apollo-require-preflight': 'true' } });

      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.text) as { data: { sites: unknown[] } }).data.sites).toHaveLength(4);
    });

    it('answers malformed JSON 400', async () => {
      const answer = await post('{"query": "{ sites { id } }"');

      expect(answer.status).toBe(400);
      expect(answer.json.errors?.map((error) => error.extensions)).toEqual([gatewayError('BAD_REQUEST', 'BAD_USER_INPUT', 400)]);
      expect(await emulator.stats()).toEqual({});
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'refuses a POST with content-type %s with a 4xx, before any upstream call',
      async (contentType) => {
        const answer = await post(JSON.stringify({ query: '{ sites { id } }' }), { ...AUTHORIZED, 'content-type': contentType });

        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(await emulator.stats()).toEqual({});
      },
    );
  });
});
