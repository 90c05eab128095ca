import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { CertificateType } from '../certificate/certificate.type';

@ObjectType('CertificateEvent', { description: 'Something that happened to a certificate, as webhooks announce it.' })
export class CertificateEventType {
  @Field({ description: 'certificate.expiring, certificate.expired, certificate.issued, certificate.application_failed or certificate.changed.' })
  type!: string;

  @Field(() => DateTimeResolver, { description: 'When it was detected.' })
  at!: Date;

  @Field(() => CertificateType)
  certificate!: CertificateType;

  @Field(() => Int, { nullable: true, description: 'Days: the threshold crossed, with certificate.expiring.' })
  threshold?: number;
}
