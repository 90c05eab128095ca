import fc from 'fast-check';

/** One HTTP request to /graphql, as a caller (or an attacker) might send it. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS';
  /** Appended to /graphql, with its `?` when not empty. */
  search: string;
  headers: Record<string, string>;
  body?: string;
  /** The kind of body the generator made (`none` without one), named in a counterexample. */
  shape: string;
}

/** A short label of a request for fast-check's counterexample report (bodies can be 200 KB). */
function describeRequest(request: FuzzRequest): string {
  const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text);
  return `${request.method} /graphql${clip(request.search)} ${JSON.stringify(request.headers)} ${request.shape} ${clip(request.body ?? '')}`;
}

const FIELD_WORDS = ['sites', 'site', 'id', 'name', 'certificates', 'certificate', 'serverCertificates', 'esaCertificate', 'domainValidations', 'kind', 'status', 'commonName', '__typename', '__schema', '__type', 'types', 'fields', 'unknownField'];
const GRAPHQL_TOKENS = [
  '{', '}', '(', ')', '[', ']', ':', '!', '=', '$ids', '$id', '...', '@include(if: true)', '@skip(if: $x)', 'query', 'mutation', 'subscription',
  'fragment', 'on', 'Query', 'Certificate', 'Site', 'ids:', 'id:', 'regionId:', '"1234567890123"', '"cn-hangzhou"', '"crt_x"', '1', '3.5', 'true', 'null',
  '"""block"""', '#comment\n', ',', 'alias:', ...FIELD_WORDS,
];

/** Any text, including control characters and lone surrogates. */
const anyText = fc.string({ unit: 'binary', maxLength: 2_000 });
/** Text an HTTP header value may carry (fetch refuses control characters). */
const headerText = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });

/** Documents that look like GraphQL: real field names and punctuation in random order. */
const graphqlLike = fc.array(fc.constantFrom(...GRAPHQL_TOKENS), { maxLength: 300 }).map((tokens) => tokens.join(' '));

/** A selection nested `depth` levels, of a real field or of nonsense. */
const nestedSelection = fc
  .tuple(fc.integer({ min: 1, max: 8_000 }), fc.constantFrom('sites', 'certificates', 'a', '__schema'), fc.boolean())
  .map(([depth, field, closed]) => `{${` ${field} {`.repeat(depth)} id ${closed ? '}'.repeat(depth + 1) : ''}`);

/** Long strings, up to about 200 KB, as documents or inside them. */
const hugeString = fc
  .tuple(fc.integer({ min: 10_000, max: 200_000 }), fc.constantFrom('a', '{', '"', '\\', 'é', ' ', 'sites { id } ', '$'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** Operations the schema knows, so that wrong variables and operation names reach coercion and resolvers. */
const schemaOperations = fc.constantFrom(
  '{ sites { id name } }',
  'query Q($ids: [ID!]!) { nodes(ids: $ids) { id ... on Certificate { commonName } } }',
  'query Q($id: ID!) { certificate(id: $id) { id } site(id: $id) { name } }',
  'query Q($id: ID!) { site(id: $id) { certificates { nodes { id kind } } } }',
  'mutation M($input: UploadSiteCertificateInput!) { uploadSiteCertificate(input: $input) { id } }',
  'mutation M($input: ApplyCertificateInput!) { applyCertificate(input: $input) { totalCount } }',
  'query Q { a: sites { id } } mutation M { deleteCertificate(id: "crt_x") { deleted } }',
  'subscription S { sites { id } }',
);

const documents = fc.oneof(
  { arbitrary: graphqlLike, weight: 4 },
  { arbitrary: nestedSelection, weight: 2 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: anyText, weight: 2 },
  { arbitrary: schemaOperations, weight: 5 },
);

/** A value of any JSON type, to put where a string or object belongs. */
const anyJson = fc.jsonValue({ maxDepth: 4 });

/** Variables shaped like the operations' own, with values of the right or the wrong type. */
const variables = fc.record(
  {
    ids: fc.oneof(anyJson, fc.array(fc.oneof(fc.string(), fc.constant('crt_x')), { maxLength: 30 })),
    id: fc.oneof(anyJson, fc.constantFrom('1234567890123', 'crt_x', '')),
    input: fc.oneof(
      anyJson,
      fc.record(
        { siteId: fc.oneof(anyJson, fc.constant('1234567890123')), domains: anyJson, certificate: anyJson, privateKey: anyJson, name: anyJson },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
);

/** Mostly `right`, sometimes a JSON value of any type, sometimes absent. */
const mostly = <T>(right: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: anyJson, weight: 1 }, { arbitrary: fc.constant(undefined), weight: 2 });

/** A GraphQL-over-HTTP request object whose members are mostly of the right type, sometimes not. */
const operationObject = fc
  .record({
    query: fc.oneof({ arbitrary: documents, weight: 8 }, { arbitrary: anyJson, weight: 1 }),
    variables: mostly(variables),
    operationName: mostly(fc.constantFrom('Q', 'M', 'Missing', '')),
    extensions: fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, { arbitrary: anyJson, weight: 1 }),
  })
  .map((members) => Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined)));

const labelled = (shape: string, arbitrary: fc.Arbitrary<string>) => arbitrary.map((text) => ({ shape, text }));

const bodies = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: labelled('text', anyText), weight: 2 },
  { arbitrary: labelled('json', fc.json({ maxDepth: 5 })), weight: 2 },
  { arbitrary: labelled('operation', operationObject.map((operation) => JSON.stringify(operation))), weight: 6 },
  { arbitrary: labelled('schema operation', fc.record({ query: schemaOperations, variables }).map((operation) => JSON.stringify(operation))), weight: 5 },
  { arbitrary: labelled('batch', fc.array(operationObject, { maxLength: 15 }).map((batch) => JSON.stringify(batch))), weight: 2 },
  { arbitrary: labelled('huge', hugeString.map((text) => JSON.stringify({ query: text }))), weight: 1 },
  { arbitrary: labelled('deep json', fc.integer({ min: 1, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`)), weight: 1 },
  {
    arbitrary: labelled(
      'deep variables',
      fc.integer({ min: 1, max: 20_000 }).map((depth) => `{"query":"{ sites { id } }","variables":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
    ),
    weight: 1,
  },
);

const searches = fc.oneof(
  { arbitrary: fc.constant(''), weight: 3 },
  {
    arbitrary: fc
      .record({ query: documents, variables: fc.oneof(anyText, fc.json()), operationName: headerText(20) }, { requiredKeys: [] })
      .map((params) => `?${new URLSearchParams(params as Record<string, string>)}`),
    weight: 3,
  },
  {
    arbitrary: fc
      .record({ query: schemaOperations, variables: variables.map((values) => JSON.stringify(values)) })
      .map((params) => `?${new URLSearchParams(params)}`),
    weight: 2,
  },
  { arbitrary: headerText(300).map((text) => `?${text.replace(/#/g, '%23')}`), weight: 1 },
);

/** Content types besides plain `application/json`: variants, ones CSRF prevention refuses, and non-JSON. */
const otherContentTypes = fc.constantFrom(
  'application/json; charset=utf-8',
  'application/graphql-response+json',
  'application/graphql',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
);

const contentTypes = fc.oneof({ arbitrary: fc.constant('application/json'), weight: 8 }, { arbitrary: otherContentTypes, weight: 6 });

/**
 * Authorization as callers get it wrong: mostly the valid key, else junk, another scheme, the key with
 * something appended, a huge value or nothing at all.
 */
function authorizations(validKey: string) {
  return fc.oneof(
    { arbitrary: fc.constant(`Bearer ${validKey}`), weight: 20 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: headerText(200), weight: 1 },
    { arbitrary: headerText(60).map((text) => `Bearer ${text}`), weight: 1 },
    { arbitrary: headerText(8).map((text) => `Bearer ${validKey}${text}`), weight: 1 },
    { arbitrary: fc.constantFrom(`Basic ${validKey}`, 'Bearer', 'Bearer ', `bearer\t${validKey}`, `Bearer ${'k'.repeat(600)}`), weight: 1 },
    { arbitrary: fc.integer({ min: 1_000, max: 12_000 }).map((length) => `Bearer ${'x'.repeat(length)}`), weight: 1 },
  );
}

export function malformedRequests(validKey: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof(
        { arbitrary: fc.constant('POST' as const), weight: 6 },
        { arbitrary: fc.constant('GET' as const), weight: 3 },
        { arbitrary: fc.constantFrom('PUT' as const, 'DELETE' as const, 'OPTIONS' as const), weight: 1 },
      ),
      search: searches,
      contentType: fc.option(contentTypes, { freq: 5 }),
      accept: fc.option(fc.constantFrom('application/json', 'application/graphql-response+json', 'text/html', '*/*', 'multipart/mixed', 'image/png'), { freq: 2 }),
      preflight: fc.boolean(),
      authorization: authorizations(validKey),
      body: bodies,
      requestId: fc.option(headerText(200), { freq: 4 }),
    })
    .map(({ method, search, contentType, accept, preflight, authorization, body, requestId }) => {
      const headers: Record<string, string> = {};
      if (contentType !== null) headers['content-type'] = contentType;
      if (accept !== null) headers.accept = accept;
      if (preflight) headers['apollo-require-preflight'] = 'true';
      if (authorization !== undefined) headers.authorization = authorization;
      if (requestId !== null) headers['x-request-id'] = requestId;
      // fetch refuses a body on GET.
      const withBody = method !== 'GET' && body !== undefined ? body : undefined;
      const request: FuzzRequest = { method, search, headers, ...(withBody ? { body: withBody.text } : {}), shape: withBody?.shape ?? 'none' };
      return Object.defineProperty(request, fc.toStringMethod, { value: () => describeRequest(request) });
    });
}
