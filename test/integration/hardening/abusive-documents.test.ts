import { getIntrospectionQuery } from 'graphql';
import { CertificateDocument } from '../../generated/graphql';
import { abusiveShapes, fragmentFanOut, introspectionNest, nestedInlineFragments } from '../../helpers/abusive-documents';
import { type ErrorExtensions } from '../../helpers/answers';
import { send } from '../../helpers/callers';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { startTestGateway, type TestGateway } from '../../helpers/gateway';

type Answer = { data?: unknown; errors?: Array<{ message: string; extensions?: ErrorExtensions }> };

const REFUSAL_CODES = ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED'];

describe('documents built to be expensive are refused before anything runs', () => {
  let emulator: TestEmulator;
  let gateway: TestGateway;
  let certificateId: string;

  const post = async (query: string) => {
    const answer = await send(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: answer.status, json: JSON.parse(answer.text) as Answer };
  };

  beforeAll(async () => {
    emulator = await startTestEmulator();
    gateway = await startTestGateway(emulator);
    const listed = (await post('{ site(id: "1234567890123") { certificates { nodes { id } } } }')).json as { data: { site: { certificates: { nodes: Array<{ id: string }> } } } };
    certificateId = listed.data.site.certificates.nodes[0]?.id as string;
  });
  afterAll(async () => {
    await gateway.stop();
    await emulator.stop();
  });
  beforeEach(() => emulator.admin('DELETE', 'stats'));

  it.each(abusiveShapes().map((shape) => [shape.name, shape.description, shape.query] as const))(
    'refuses %s (%s) with a coded error and no cloud call',
    async (_name, _description, query) => {
      const answer = await post(query);

      expect(answer.json.data ?? null).toBeNull();
      expect(answer.json.errors).toHaveLength(1);
      expect(REFUSAL_CODES).toContain(answer.json.errors?.[0]?.extensions?.code);
      expect(answer.json.errors?.[0]?.extensions).toMatchObject({ category: 'BAD_USER_INPUT', provider: 'GATEWAY', retryable: false });
      expect(await emulator.stats()).toEqual({});
    },
  );

  it('says what a fragment chain would cost without expanding it', async () => {
    const answer = await post(fragmentFanOut(30, 2));

    expect(answer.json.errors?.[0]?.message).toMatch(/selects \d+ fields, over the limit of 2500/);
  });

  it('answers every shape at once and still serves a cached query to another caller among them', async () => {
    await gateway.execute(CertificateDocument, { id: certificateId });

    const [cached, ...refused] = await Promise.all([
      gateway.execute(CertificateDocument, { id: certificateId }),
      ...abusiveShapes().map((shape) => post(shape.query)),
    ]);

    expect(cached.data?.certificate?.id).toBe(certificateId);
    expect(refused.map((answer) => REFUSAL_CODES.includes(String(answer.json.errors?.[0]?.extensions?.code)))).not.toContain(false);
  });

  it('refuses 1500 nested inline fragments by their nesting, as a parse failure in its own words', async () => {
    const answer = await post(nestedInlineFragments(1500));

    expect(answer.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(answer.json.errors?.[0]?.message).toMatch(/nested too deeply/);
  });

  it('answers the standard introspection query of graphql-js, exactly as tools send it', async () => {
    const answer = await post(getIntrospectionQuery());

    expect(answer.json.errors).toBeUndefined();
    const schema = (answer.json.data as { __schema: { queryType: { name: string }; types: Array<{ name: string }> } }).__schema;
    expect(schema.queryType.name).toBe('Query');
    expect(schema.types.map((type) => type.name)).toEqual(expect.arrayContaining(['Certificate', 'Site', 'Mutation']));
  });

  it('answers the introspection query with every option graphql-js offers turned on', async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });

    const answer = await post(query);

    expect(answer.json.errors).toBeUndefined();
  });

  it('refuses introspection that nests the lists of types in one another', async () => {
    const answer = await post(introspectionNest());

    expect(answer.json.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.json.errors?.[0]?.message).toMatch(/nests \d introspection lists/);
  });
});
