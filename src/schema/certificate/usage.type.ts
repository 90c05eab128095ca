import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Where a certificate is served (the GraphQL enum CertificateUsageType). */
export enum CertificateUsageKind {
  SLB_LISTENER = 'SLB_LISTENER',
  SLB_DOMAIN_EXTENSION = 'SLB_DOMAIN_EXTENSION',
  ESA_SITE = 'ESA_SITE',
}

registerEnumType(CertificateUsageKind, {
  name: 'CertificateUsageType',
  description: 'SLB_LISTENER: the certificate of an SLB HTTPS listener; SLB_DOMAIN_EXTENSION: the certificate of one SNI domain of it; ESA_SITE: an ESA site serves it.',
});

@ObjectType('CertificateUsage', { description: 'One place a certificate is served. SLB usages are as the inventory sweep last read them.' })
export class CertificateUsageObject {
  @Field(() => CertificateUsageKind) type!: CertificateUsageKind;
  @Field(() => ID) accountId!: string;
  @Field(() => String, { nullable: true, description: 'SLB.' }) regionId?: string;
  @Field(() => String, { nullable: true, description: 'SLB.' }) loadBalancerId?: string;
  @Field(() => Int, { nullable: true, description: 'SLB: the HTTPS listener.' }) listenerPort?: number;
  @Field(() => String, { nullable: true, description: 'SLB_DOMAIN_EXTENSION: the SNI domain.' }) domain?: string;
  @Field(() => String, { nullable: true, description: 'SLB_DOMAIN_EXTENSION.' }) domainExtensionId?: string;
  @Field(() => ID, { nullable: true, description: 'ESA_SITE.' }) siteId?: string;
}
