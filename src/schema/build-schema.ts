import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type PubSub } from 'type-graphql';
import { type GatewayContext } from './context';
import { CertificateApplicationResolver } from './certificate/application.resolver';
import { CertificateMutationResolver } from './certificate/certificate-mutation.resolver';
import { AccountResolver } from './account/account.resolver';
import { DeployResolver } from './deploy/deploy.resolver';
import { CertificateResolver } from './certificate/certificate.resolver';
import { CertificateEventResolver } from './events/certificate-event.resolver';
import { InventoryResolver, nodeOf } from './inventory/inventory.resolver';
import { SiteResolver } from './site/site.resolver';

/** Apollo's resolver map, whose context is `unknown`; ours is the gateway's. */
type SubgraphResolvers = NonNullable<Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers']>;

/** Federation 2, with the one directive the schema uses. */
const FEDERATION_LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n';

/**
 * type-graphql wants a PubSub whenever the schema has a subscription, though `certificateEvents`
 * brings its own `subscribe` (the event bus, filtered per subscriber) and never routes by topic.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('Certificate events are published on the event bus, not by topic.');
  },
  subscribe: () => {
    throw new Error('Certificate events are heard from the event bus, not by topic.');
  },
};

/**
 * The gateway's schema, code first, served as an Apollo Federation 2 subgraph: `Certificate` and
 * `Site` carry `@key(fields: "id")`, and `_service { sdl }` and `_entities` answer, an entity resolving
 * as `node(id:)` does (through the same loaders and the inventory). Input rules live in the domain
 * (documented codes), not class-validator.
 */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [AccountResolver, DeployResolver, CertificateResolver, CertificateMutationResolver, CertificateApplicationResolver, SiteResolver, InventoryResolver, CertificateEventResolver],
    validate: false,
    pubSub: NO_TOPICS,
  });
  // Subscription fields come through as { subscribe, resolve }, which the subgraph library keeps.
  const resolvers = createResolversMap(schema) as Record<string, object>;
  // A copy: the subgraph library marks what it returns with __typename, and cached values are frozen.
  const entity = { __resolveReference: async (reference: { id: string }, ctx: GatewayContext) => ({ ...(await nodeOf(reference.id, ctx)) }) };
  return buildSubgraphSchema({
    typeDefs: parse(FEDERATION_LINK + printSchemaWithDirectives(schema)),
    resolvers: { ...resolvers, Certificate: { ...resolvers.Certificate, ...entity }, Site: { ...resolvers.Site, ...entity } } as SubgraphResolvers,
  });
}
