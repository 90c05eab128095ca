import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { untyped } from '../../helpers/callers';
import { gatewayForFile } from '../../helpers/gateway';

describe('the gateway as an Apollo Federation 2 subgraph', () => {
  const env = gatewayForFile();

  it('composes into a supergraph beside another subgraph that extends Certificate and Site', async () => {
    const sdl = ((await env.gateway.execute(untyped('{ _service { sdl } }'))).data as { _service: { sdl: string } })._service.sdl;
    const owners = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Certificate @key(fields: "id") { id: ID! owner: String }
      type Site @key(fields: "id") { id: ID! team: String }
      type Query { owners: [String!]! }`;

    const composed = composeServices([
      { name: 'certificates', typeDefs: parse(sdl), url: env.gateway.graphqlUrl },
      { name: 'owners', typeDefs: parse(owners), url: 'http://127.0.0.1:1/graphql' },
    ]);

    expect(composed.errors ?? []).toEqual([]);
    expect(sdl).toMatch(/type Certificate implements Node\s+@key\(fields: "id"\)/);
    expect(composed.supergraphSdl).toContain('owner: String');
  });

  it('resolves Certificate and Site entities by id, as node(id:) does', async () => {
    const listed = (await env.gateway.execute(untyped('{ certificates(first: 1, filter: { providers: [SLB] }) { nodes { id name } } }'))).data as {
      certificates: { nodes: Array<{ id: string; name: string }> };
    };
    const certificate = listed.certificates.nodes[0] as { id: string; name: string };

    const answer = await env.gateway.execute(
      untyped('query Entities($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Certificate { id certificateName: name provider } ... on Site { id name } } }'),
      { representations: [{ __typename: 'Certificate', id: certificate.id }, { __typename: 'Site', id: '1234567890123' }] },
    );

    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      _entities: [
        { __typename: 'Certificate', id: certificate.id, certificateName: certificate.name, provider: 'SLB' },
        { __typename: 'Site', id: '1234567890123', name: 'example.com' },
      ],
    });
  });

  it('answers node(id:) with the right type for a certificate and a site', async () => {
    const answer = await env.gateway.execute(untyped('{ site: node(id: "1234567890123") { __typename id } missing: node(id: "crt_nope") { id } }'));

    expect(answer.data).toEqual({ site: { __typename: 'Site', id: '1234567890123' }, missing: null });
    expect(answer.errors?.[0]?.extensions?.code).toBe('InvalidParameter');
  });
});
