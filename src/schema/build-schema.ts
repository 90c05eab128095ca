import 'reflect-metadata';
import { type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { CertificateApplicationResolver } from './certificate/application.resolver';
import { CertificateMutationResolver } from './certificate/certificate-mutation.resolver';
import { CertificateResolver } from './certificate/certificate.resolver';
import { InventoryResolver } from './inventory/inventory.resolver';
import { SiteResolver } from './site/site.resolver';

/** The gateway's schema, code first. Input rules live in the domain (documented codes), not class-validator. */
export function buildGatewaySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [CertificateResolver, CertificateMutationResolver, CertificateApplicationResolver, SiteResolver, InventoryResolver],
    validate: false,
  });
}
