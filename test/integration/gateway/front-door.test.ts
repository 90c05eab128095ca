import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '../../../src/server/logger';
import { OPERATION_LABELS } from '../../../src/server/metrics';
import { nestedInlineFragments } from '../../helpers/abusive-documents';
import { type ErrorExtensions } from '../../helpers/answers';
import { apiKeysFromEnv, gatewayError, send } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';
import { twoGatewaysOnOneRedis } from '../../helpers/two-gateways';

type Answer = { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: ErrorExtensions }> };

const READER = 'front-door-reader-0123456789';
const JSON_POST = { 'content-type': 'application/json' };

describe('the front door', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;
  let withKeys: TestGateway;
  const lines: string[] = [];

  const post = async (body: unknown, headers: Record<string, string> = JSON_POST, target = gateway) => {
    const answer = await send(target.graphqlUrl, { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: answer.status, headers: answer.headers, json: JSON.parse(answer.text) as Answer | Answer[] };
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    const capture = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    gateway = await startTestGateway(emulator, { logLevel: 'debug' }, { logger: createLogger('debug', capture) });
    withKeys = await startTestGateway(emulator, { apiKeys: apiKeysFromEnv([{ key: READER, scopes: ['certificates:read'] }]) });
  });
  afterAll(async () => {
    await Promise.all([gateway.stop(), withKeys.stop()]);
    await emulator.stop();
  });

  it('answers a mutation sent over GET 405, saying 405 in the error too, and runs nothing', async () => {
    await emulator.admin('DELETE', 'stats');
    const query = 'mutation { deleteCertificate(id: "x") { deleted } }';

    const answer = await send(`${gateway.graphqlUrl}?${new URLSearchParams({ query })}`, { headers: { 'apollo-require-preflight': 'true' } });

    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
    expect((JSON.parse(answer.text) as Answer).errors?.map((error) => error.extensions)).toEqual([gatewayError('METHOD_NOT_ALLOWED', 'BAD_USER_INPUT', 405)]);
    expect(await emulator.stats()).toEqual({});
  });

  it('answers a batch 200 when one operation in it is forbidden, that operation with its error and the others with data', async () => {
    const answer = await post(
      [{ query: '{ sites { id } }' }, { query: 'mutation { deleteCertificate(id: "x") { deleted } }' }, { query: '{ site(id: "2345678901234") { name } }' }],
      { ...JSON_POST, authorization: `Bearer ${READER}` },
      withKeys,
    );

    expect(answer.status).toBe(200);
    const [sites, mutation, site] = answer.json as Answer[];
    expect(sites?.data?.sites).toEqual(expect.arrayContaining([{ id: '1234567890123' }]));
    expect(mutation?.errors?.map((error) => error.extensions)).toEqual([gatewayError('FORBIDDEN', 'FORBIDDEN', 403)]);
    expect(site?.data).toEqual({ site: { name: 'cname-example.com' } });
  });

  it(`keeps at most ${OPERATION_LABELS} operation names in its request metrics and counts the rest as "other"`, async () => {
    for (let start = 0; start < OPERATION_LABELS + 100; start += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, index) => post({ query: `query Name${start + index} { __typename }` })));
    }

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const operations = new Set([...metrics.matchAll(/gateway_graphql_request_duration_seconds_count\{operation="([^"]+)"/g)].map((match) => match[1]));
    expect(operations.size).toBeLessThanOrEqual(OPERATION_LABELS + 1);
    expect(operations).toContain('other');
  });

  it('writes every log line as JSON, a document nested 1500 deep included', async () => {
    await post({ query: nestedInlineFragments(1500) });
    await post({ query: `{${'a {'.repeat(6000)} b ${'}'.repeat(6001)}` });

    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('lets a client finish sending an oversized body and read the 413', async () => {
    const body = JSON.stringify({ query: `{ sites { id } } #${'x'.repeat(3 * 1024 * 1024)}` });

    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      });
      // Without Content-Length, the size is only found out while reading.
      const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: JSON_POST, body: stream, duplex: 'half' } as RequestInit);
      statuses.push(response.status);
      await response.text();
    }
    const declared = await fetch(gateway.graphqlUrl, { method: 'POST', headers: JSON_POST, body });

    expect(statuses).toEqual([413, 413, 413, 413, 413]);
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as Answer).errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('generates the same typed operations from its live URL as from schema.graphql (GraphQL Code Generator)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'codegen-'));
    // The command line tool, as a user runs it: its configuration loader is an ES module jest cannot load in-process.
    const generated = async (schema: string, name: string) => {
      const out = join(dir, `${name}.ts`);
      const config = join(dir, `${name}.json`);
      await writeFile(config, JSON.stringify({ schema, documents: ['test/operations/**/*.graphql'], generates: { [out]: { plugins: ['typescript-operations'] } } }));
      await promisify(execFile)(join('node_modules', '.bin', 'graphql-codegen'), ['--config', config, '--silent'], { timeout: 60_000 });
      return readFile(out, 'utf8');
    };
    try {
      const fromUrl = await generated(gateway.graphqlUrl, 'url');

      expect(fromUrl).toContain('export type CertificateQuery');
      expect(fromUrl).toEqual(await generated('schema.graphql', 'file'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('automatic persisted queries across instances', () => {
  const two = twoGatewaysOnOneRedis();
  const query = '{ site(id: "1234567890123") { name } }';
  const hash = createHash('sha256').update(query).digest('hex');
  const persisted = { persistedQuery: { version: 1, sha256Hash: hash } };

  const post = async (gateway: TestGateway, body: unknown) =>
    JSON.parse((await send(gateway.graphqlUrl, { method: 'POST', headers: JSON_POST, body: JSON.stringify(body) })).text) as Answer;

  it('serves on one instance a query registered through another', async () => {
    const unknown = await post(two.second, { extensions: persisted });
    const registered = await post(two.first, { query, extensions: persisted });
    const byHash = await post(two.second, { extensions: persisted });

    expect(unknown.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([['PersistedQueryNotFound', 'PERSISTED_QUERY_NOT_FOUND']]);
    expect(registered.data).toEqual({ site: { name: 'example.com' } });
    expect(byHash.data).toEqual({ site: { name: 'example.com' } });
  });

  it('serves a registered query by its hash over GET too', async () => {
    await post(two.first, { query, extensions: persisted });

    const answer = await send(`${two.second.graphqlUrl}?${new URLSearchParams({ extensions: JSON.stringify(persisted) })}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });

    expect((JSON.parse(answer.text) as Answer).data).toEqual({ site: { name: 'example.com' } });
  });

  it('refuses a hash that is not the query’s, and registers nothing the limits refuse', async () => {
    const wrong = await post(two.first, { query, extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } } });
    const deep = `{ ${'... on Query { '.repeat(200)} __typename ${'}'.repeat(200)} }`;
    const deepHash = createHash('sha256').update(deep).digest('hex');
    const refused = await post(two.first, { query: deep, extensions: { persistedQuery: { version: 1, sha256Hash: deepHash } } });
    const later = await post(two.second, { extensions: { persistedQuery: { version: 1, sha256Hash: deepHash } } });

    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(later.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
