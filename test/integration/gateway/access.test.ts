import { DEFAULT_LIMITS } from '../../../src/server/limits/operation-cost';
import { type TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { encodeCertificateId } from '../../../src/domain/global-id';
import { DEMO } from '../../../src/emulator/state/demo';
import {
  CertificateDocument,
  CreateClientCertificateDocument,
  NodesDocument,
  ServerCertificatesDocument,
  SiteSummaryDocument,
  SitesDocument,
} from '../../generated/graphql';
import { expectNothingLeaks, onlyError, type ErrorExtensions } from '../../helpers/answers';
import { type TestEmulator } from '../../helpers/emulator';
import { gatewaysPerTest } from '../../helpers/gateway';

const READER = 'reader-key-0123456789abcdef';
const WRITER = 'writer-key-0123456789abcdef';
const EXAMPLE_ONLY = 'example-site-key-0123456789';
const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const gatewayError = (code: string, category: string, httpStatus: number, retryable = false): ErrorExtensions => ({
  code,
  category,
  httpStatus,
  provider: 'GATEWAY',
  retryable,
});
const untyped = (source: string) => parse(source) as unknown as TypedDocumentNode<unknown, Record<string, unknown>>;

describe("callers' keys and request limits", () => {
  const cloud = gatewaysPerTest();
  const { gatewayWith } = cloud;
  let emulator: TestEmulator;
  beforeAll(() => ({ emulator } = cloud));
  const withKeys = () =>
    gatewayWith({
      apiKeys: [
        { key: READER, scopes: ['certificates:read'] },
        { key: WRITER, scopes: ['certificates:read', 'certificates:write'] },
        { key: EXAMPLE_ONLY, scopes: ['certificates:read', 'certificates:write'], sites: [DEMO.sites.example], regions: ['cn-shanghai'] },
      ],
    });

  it.each([
    ['no Authorization header', {}],
    ['a key no one was given', bearer('guessed-key-0123456789abcdef')],
    ['a key in another scheme', { headers: { authorization: `Basic ${READER}` } }],
  ])('answers a request with %s 401 UNAUTHENTICATED, before any upstream call', async (_name, options) => {
    const gateway = await withKeys();

    const answer = await gateway.execute(SitesDocument, {}, options);

    expect(answer.status).toBe(401);
    expect(onlyError(answer).extensions).toEqual(gatewayError('UNAUTHENTICATED', 'UNAUTHENTICATED', 401));
    expect(await emulator.stats()).toEqual({});
    expectNothingLeaks(answer.text, ['guessed-key', READER]);
  });

  it('serves a known key', async () => {
    const gateway = await withKeys();
    const answer = await gateway.execute(SitesDocument, {}, bearer(READER));
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.sites).toHaveLength(4);
  });

  it('refuses a mutation to a key without the write scope with FORBIDDEN, before any upstream call', async () => {
    const gateway = await withKeys();

    const answer = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: DEMO.sites.example, keyAlgorithm: 'ECDSA', validityDays: 30 } }, bearer(READER));

    expect(answer.status).toBe(403);
    expect(onlyError(answer).extensions).toEqual(gatewayError('FORBIDDEN', 'FORBIDDEN', 403));
    expect(await emulator.stats()).toEqual({});
    const allowed = await gateway.execute(CreateClientCertificateDocument, { input: { siteId: DEMO.sites.example, keyAlgorithm: 'ECDSA', validityDays: 30 } }, bearer(WRITER));
    expect(allowed.data?.createClientCertificate.certificate.kind).toBe('CLIENT');
  });

  it('shows a key limited to some sites and regions only those, and refuses the rest with FORBIDDEN', async () => {
    const gateway = await withKeys();
    const elsewhere = encodeCertificateId({ provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: DEMO.sites.cname, nativeId: 'baba0000000000000000000000000001' });

    const sites = await gateway.execute(SitesDocument, {}, bearer(EXAMPLE_ONLY));
    expect(sites.data?.sites.map((site) => site.id)).toEqual([DEMO.sites.example]);
    await emulator.admin('DELETE', 'stats');

    const site = await gateway.execute(SiteSummaryDocument, { id: DEMO.sites.cname }, bearer(EXAMPLE_ONLY));
    const region = await gateway.execute(ServerCertificatesDocument, { regionId: 'cn-hangzhou' }, bearer(EXAMPLE_ONLY));
    const certificate = await gateway.execute(CertificateDocument, { id: elsewhere }, bearer(EXAMPLE_ONLY));

    for (const [answer, path] of [[site, 'site'], [region, 'serverCertificates'], [certificate, 'certificate']] as const) {
      expect(onlyError(answer)).toMatchObject({ path: [path], extensions: gatewayError('FORBIDDEN', 'FORBIDDEN', 403) });
    }
    expect(await emulator.stats()).toEqual({});
  });

  it('answers a key over its per-minute budget 429 Throttling.User, worth a retry later', async () => {
    const gateway = await gatewayWith({ apiKeys: [{ key: READER, scopes: ['certificates:read'] }], rateLimitPerMinute: 2 });
    const send = () => gateway.execute(untyped('{ __typename }'), {}, bearer(READER));

    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    // The budget is per clock minute: if a minute turns over, at most one more request passes.
    let refused = await send();
    for (let tries = 0; refused.status === 200 && tries < 3; tries++) refused = await send();

    expect(refused.status).toBe(429);
    expect(onlyError(refused).extensions).toEqual(gatewayError('Throttling.User', 'THROTTLED', 429, true));
  });

  it.each([
    ['more ids than a list may take', { maxListArgument: 5 }, NodesDocument, { ids: Array.from({ length: 6 }, (_, index) => `crt_${index}`) }],
    ['more aliases than allowed', { maxAliases: 2 }, untyped('{ a: sites { id } b: sites { id } c: sites { id } }'), {}],
    ['a selection nested too deep', { maxDepth: 2 }, untyped('{ site(id: "1234567890123") { certificates { nodes { domainValidations { id } } } } }'), {}],
    ['an operation over the cost limit', { maxCost: 10 }, untyped('{ sites { certificates { nodes { id } } } }'), {}],
  ] as const)('refuses %s as GRAPHQL_VALIDATION_FAILED, before any upstream call', async (_name, limit, document, variables) => {
    const gateway = await gatewayWith({ limits: { ...DEFAULT_LIMITS, ...limit } });

    const answer = await gateway.execute(document as TypedDocumentNode<unknown, Record<string, unknown>>, variables);

    expect(answer.data ?? null).toBeNull();
    expect(onlyError(answer).extensions).toEqual(gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400));
    expect(await emulator.stats()).toEqual({});
  });

  it('refuses a batch of more operations than allowed, before any upstream call', async () => {
    const gateway = await gatewayWith({ maxBatch: 2 });
    const operation = { query: '{ sites { id } }' };

    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
      body: JSON.stringify([operation, operation, operation]),
    });

    const body = (await response.json()) as { errors: Array<{ extensions: ErrorExtensions }> };
    expect(response.status).toBe(400);
    expect(body.errors.map((error) => error.extensions)).toEqual([gatewayError('GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 400)]);
    expect(await emulator.stats()).toEqual({});
  });
});
