import { Field, ID, Int, ObjectType } from 'type-graphql';
import { type CertificateRef } from '../../domain/certificate';
import { CertificateType } from './certificate.type';

@ObjectType()
export class CreateClientCertificatePayload {
  @Field(() => CertificateType) certificate!: CertificateType;
  @Field(() => String, { nullable: true, description: 'Only when ESA generated the key pair: shown this once, kept nowhere.' })
  privateKey?: string;
}

@ObjectType()
export class CertificateApplication {
  @Field() domain!: string;
  @Field() status!: string;
  @Field(() => ID) certificateId!: string;
  /** Where the application's certificate lives; resolved lazily through the request's loader. */
  ref!: CertificateRef;
}

@ObjectType()
export class ApplyCertificatePayload {
  @Field() siteName!: string;
  @Field(() => Int) totalCount!: number;
  @Field(() => [CertificateApplication]) applications!: CertificateApplication[];
}

@ObjectType()
export class DeleteCertificatePayload {
  @Field(() => ID) id!: string;
  @Field() deleted!: boolean;
}
