import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CertificateType } from '../certificate/certificate.type';

@InputType({ description: 'A certificate and its private key, in PEM. The key goes to the cloud with each upload and is kept nowhere.' })
export class PemInput {
  @Field() certificate!: string;
  @Field({ description: 'Sent to the cloud once per copy; never cached, logged or returned.' }) privateKey!: string;
  @Field(() => String, { nullable: true }) name?: string;
}

@InputType({ description: 'Exactly one: a certificate the gateway knows, a PEM and its key, or a Certificate Management Service id.' })
export class CertificateSourceInput {
  @Field(() => ID, { nullable: true }) certificateId?: string;
  @Field(() => PemInput, { nullable: true }) pem?: PemInput;
  @Field(() => String, { nullable: true }) casId?: string;
}

@InputType()
export class SlbListenerInput {
  @Field() regionId!: string;
  @Field() loadBalancerId!: string;
  @Field(() => Int) listenerPort!: number;
}

@InputType()
export class SlbDomainExtensionInput {
  @Field() regionId!: string;
  @Field() loadBalancerId!: string;
  @Field(() => Int) listenerPort!: number;
  @Field({ description: 'The SNI domain of the extension.' }) domain!: string;
}

@InputType({ description: 'Exactly one of esaSiteId, slbListener and slbDomainExtension.' })
export class DeployTargetInput {
  @Field(() => ID, { nullable: true }) esaSiteId?: string;
  @Field(() => SlbListenerInput, { nullable: true }) slbListener?: SlbListenerInput;
  @Field(() => SlbDomainExtensionInput, { nullable: true }) slbDomainExtension?: SlbDomainExtensionInput;
  @Field(() => ID, { nullable: true, description: "The target's account; default: the site's, else the first." }) accountId?: string;
}

@InputType()
export class DeployCertificateInput {
  @Field(() => CertificateSourceInput) source!: CertificateSourceInput;
  @Field(() => [DeployTargetInput], { description: '1 to 50 targets.' }) targets!: DeployTargetInput[];
}

export enum DeployStatus {
  DEPLOYED = 'DEPLOYED',
  FAILED = 'FAILED',
}
registerEnumType(DeployStatus, { name: 'DeployStatus' });

@ObjectType({ description: "One target's outcome: DEPLOYED with the certificate it now serves, or FAILED with the documented code." })
export class DeployResult {
  @Field(() => DeployStatus) status!: DeployStatus;
  @Field(() => CertificateType, { nullable: true, description: "The copy in the target's site or region." }) certificate?: CertificateType;
  @Field(() => String, { nullable: true }) errorCode?: string;
  @Field(() => String, { nullable: true }) errorMessage?: string;
}

@ObjectType()
export class DeployCertificatePayload {
  @Field(() => [DeployResult], { description: 'In the order of the targets.' }) results!: DeployResult[];
}

@ObjectType({ description: 'One pool of an ESA site certificate quota: free (applied) or paid (uploaded and CAS).' })
export class CertificateQuotaPool {
  @Field() type!: string;
  @Field(() => Int) quota!: number;
  @Field(() => Int) usage!: number;
}

@ObjectType({ description: "An ESA site's certificate quota (GetCertificateQuota): both pools together, and each." })
export class CertificateQuota {
  @Field(() => ID) siteId!: string;
  @Field(() => ID) accountId!: string;
  @Field(() => Int) quota!: number;
  @Field(() => Int) usage!: number;
  @Field(() => [CertificateQuotaPool]) pools!: CertificateQuotaPool[];
}

@ObjectType()
export class PurgeError {
  @Field(() => ID) certificateId!: string;
  @Field() errorCode!: string;
  @Field() errorMessage!: string;
}

@ObjectType()
export class PurgeCertificatesPayload {
  @Field(() => [CertificateType], { description: 'What was deleted, or with dryRun would be.' }) certificates!: CertificateType[];
  @Field({ description: 'Every listed certificate was deleted (false on a dry run).' }) deleted!: boolean;
  @Field(() => [PurgeError], { description: 'The certificates that could not be deleted.' }) errors!: PurgeError[];
}
