import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { NodeInterface } from '../node/node.interface';
import { CertificateKind, CertificateProvider, CertificateStatus } from './enums';
import { CertificateUsageObject } from './usage.type';

@ObjectType({ description: 'A domain-control validation record of a free certificate application.' })
export class DomainValidation {
  @Field(() => ID) id!: string;
  @Field({ description: 'HTTP or DNS.' }) type!: string;
  @Field({ description: 'The URL (HTTP) or the TXT record name (DNS).' }) key!: string;
  @Field() value!: string;
  @Field() status!: string;
}

@Directive('@key(fields: "id")')
@ObjectType('Certificate', { description: 'A certificate held in ESA or SLB, in one shape whatever its origin.', implements: NodeInterface })
export class CertificateType implements NodeInterface {
  @Field(() => ID, { description: 'Opaque global id; round-trips through certificate(id:).' }) id!: string;
  @Field(() => CertificateProvider) provider!: CertificateProvider;
  @Field(() => CertificateKind) kind!: CertificateKind;
  @Field({ description: 'The id the cloud API uses.' }) nativeId!: string;
  @Field(() => ID, { description: 'The account it is in (ACCOUNTS[].id; `default` without ACCOUNTS).' }) accountId!: string;
  @Field(() => ID, { nullable: true, description: 'ESA only.' }) siteId?: string;
  @Field(() => String, { nullable: true }) siteName?: string;
  @Field(() => String, { nullable: true }) regionId?: string;
  @Field(() => String, { nullable: true }) resourceGroupId?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => CertificateStatus, { description: "Normalised from the cloud's status and the dates." }) status!: CertificateStatus;
  @Field(() => String, { nullable: true, description: "The cloud's own status (OK, Applying, active, ...)." }) upstreamStatus?: string;
  @Field(() => DateTimeResolver, { nullable: true, description: 'Two thirds of the way from notBefore to notAfter.' }) renewalDueAt?: Date;
  @Field(() => String, { nullable: true, description: 'ESA: free / upload / cas / dcdn.' }) type?: string;
  @Field(() => String, { nullable: true }) commonName?: string;
  @Field(() => [String]) subjectAlternativeNames!: string[];
  @Field(() => String, { nullable: true }) issuer?: string;
  @Field(() => String, { nullable: true }) issuerCommonName?: string;
  @Field(() => String, { nullable: true }) serialNumber?: string;
  @Field(() => String, { nullable: true }) fingerprintSha256?: string;
  @Field(() => String, { nullable: true }) fingerprintSha1?: string;
  @Field(() => String, { nullable: true }) signatureAlgorithm?: string;
  @Field(() => String, { nullable: true }) publicKeyAlgorithm?: string;
  @Field(() => DateTimeResolver, { nullable: true }) notBefore?: Date;
  @Field(() => DateTimeResolver, { nullable: true }) notAfter?: Date;
  @Field(() => Int, { nullable: true }) validityDays?: number;
  @Field(() => Int, { nullable: true, description: 'Whole days until notAfter; negative once expired.' }) daysUntilExpiry?: number;
  @Field(() => DateTimeResolver, { nullable: true }) createdAt?: Date;
  @Field(() => DateTimeResolver, { nullable: true }) updatedAt?: Date;
  @Field(() => String, { nullable: true }) casId?: string;
  @Field(() => String, { nullable: true }) caCertificateId?: string;
  @Field(() => String, { nullable: true, description: 'The certificate chain, PEM (never a private key).' }) certificatePem?: string;
  @Field(() => [DomainValidation]) domainValidations!: DomainValidation[];
  @Field(() => Int, { nullable: true }) applyCode?: number;
  @Field(() => String, { nullable: true }) applyMessage?: string;
  @Field(() => Boolean, { nullable: true }) isAliCloudCertificate?: boolean;
  /** Read from the inventory, which holds no PEM and no domain validations: those are fetched when asked for. */
  fromIndex?: boolean;
  @Field(() => String, { nullable: true }) aliCloudCertificateId?: string;
  @Field(() => String, { nullable: true }) aliCloudCertificateName?: string;
  /** Undefined when the read it came from does not say: the field's resolver reads it from the inventory. */
  @Field(() => [CertificateUsageObject], { description: 'Where it is served: ESA certificates at their site (client certificates nowhere), SLB ones at listeners and domain extensions.' })
  usages?: CertificateUsageObject[];
}
