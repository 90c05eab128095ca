import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType, ID, registerEnumType } from 'type-graphql';
import { AccountType } from '../account/account.type';
import { CertificateType } from '../certificate/certificate.type';
import { CertificateKind, CertificateProvider, CertificateStatus } from '../certificate/enums';

export enum CertificateOrderField {
  NOT_AFTER = 'NOT_AFTER',
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
}

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}

registerEnumType(CertificateOrderField, { name: 'CertificateOrderField', description: 'What the inventory is ordered by; ties by id.' });
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType({ description: 'Every field given must hold (and within a list, any value).' })
export class CertificateFilter {
  @Field(() => [CertificateProvider], { nullable: true }) providers?: CertificateProvider[];
  @Field(() => [CertificateKind], { nullable: true }) kinds?: CertificateKind[];
  @Field(() => [CertificateStatus], { nullable: true }) statuses?: CertificateStatus[];
  @Field(() => [ID], { nullable: true }) accountIds?: string[];
  @Field(() => [ID], { nullable: true }) siteIds?: string[];
  @Field(() => [String], { nullable: true }) regionIds?: string[];
  @Field(() => String, { nullable: true, description: 'The CN or a SAN covers it: exactly, or as a wildcard one label deep.' }) hostname?: string;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name, the CN, a SAN or the native id.' }) search?: string;
  @Field(() => DateTimeResolver, { nullable: true }) expiresBefore?: Date;
  @Field(() => Int, { nullable: true, description: 'notAfter before now + N days (expired ones included).' }) expiringWithinDays?: number;
}

@InputType()
export class CertificateOrder {
  @Field(() => CertificateOrderField) field!: CertificateOrderField;
  @Field(() => OrderDirection) direction!: OrderDirection;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor?: string;
  @Field(() => String, { nullable: true }) endCursor?: string;
}

@ObjectType()
export class CertificateEdge {
  @Field() cursor!: string;
  @Field(() => CertificateType) node!: CertificateType;
}

@ObjectType({ description: 'A page of the inventory (Relay connection).' })
export class CertificateConnection {
  @Field(() => [CertificateEdge]) edges!: CertificateEdge[];
  @Field(() => [CertificateType]) nodes!: CertificateType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, { description: 'Every certificate the filter matches (that the caller may see).' }) totalCount!: number;
}

@ObjectType({ description: 'One list the sweep reads: an ESA site, an SLB region, the list of sites.' })
export class InventorySource {
  @Field({ description: 'What is listed: `ESA sites`, `ESA site 1234567890123`, `SLB regions`, `SLB cn-hangzhou`.' }) name!: string;
  @Field(() => ID, { description: 'The account it is read in.' }) accountId!: string;
  @Field(() => Int) certificates!: number;
  @Field(() => DateTimeResolver, { nullable: true }) lastSuccessAt?: Date;
  @Field(() => String, { nullable: true }) error?: string;
}

@ObjectType()
export class InventoryStatus {
  @Field({ description: 'A sweep has finished and no source failed in it.' }) complete!: boolean;
  @Field(() => Int) certificates!: number;
  @Field(() => DateTimeResolver, { nullable: true }) lastSweepFinishedAt?: Date;
  @Field(() => [InventorySource]) sources!: InventorySource[];
  @Field(() => [AccountType], { description: 'Each account the caller may use, with its health.' }) accounts!: AccountType[];
}
