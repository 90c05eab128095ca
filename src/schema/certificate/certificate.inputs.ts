import { Field, ID, InputType, Int } from 'type-graphql';
import { FreeCertificateType, KeyAlgorithm } from './enums';

@InputType({ description: 'ESA UploadSiteOriginClientCertificate: the client certificate ESA presents to the origin (mTLS).' })
export class UploadOriginClientCertificateInput {
  @Field(() => ID) siteId!: string;
  @Field(() => ID, { nullable: true, description: 'The account (ACCOUNTS[].id); default: the one the site was seen in, else the first.' }) accountId?: string;
  @Field() certificate!: string;
  @Field({ description: 'Sent to ESA once; never cached, logged or returned.' }) privateKey!: string;
  @Field(() => String, { nullable: true }) name?: string;
}

@InputType({ description: 'ESA CreateClientCertificate: from your CSR, or with a key pair ESA generates (keyAlgorithm).' })
export class CreateClientCertificateInput {
  @Field(() => ID) siteId!: string;
  @Field(() => ID, { nullable: true, description: 'The account (ACCOUNTS[].id); default: the one the site was seen in, else the first.' }) accountId?: string;
  @Field(() => String, { nullable: true }) csr?: string;
  @Field(() => KeyAlgorithm, { nullable: true }) keyAlgorithm?: KeyAlgorithm;
  @Field(() => Int, { description: '1 to 3650.' }) validityDays!: number;
}

@InputType({ description: 'ESA ApplyCertificate: free certificates, one per domain.' })
export class ApplyCertificateInput {
  @Field(() => ID) siteId!: string;
  @Field(() => ID, { nullable: true, description: 'The account (ACCOUNTS[].id); default: the one the site was seen in, else the first.' }) accountId?: string;
  @Field(() => [String]) domains!: string[];
  @Field(() => FreeCertificateType, { nullable: true, description: 'Default LETS_ENCRYPT.' }) type?: FreeCertificateType;
}

@InputType({ description: 'SLB UploadServerCertificate: PEM certificate and key, or a Certificate Management Service id.' })
export class UploadServerCertificateInput {
  @Field() regionId!: string;
  @Field(() => ID, { nullable: true, description: 'The account (ACCOUNTS[].id); default: the first.' }) accountId?: string;
  @Field(() => String, { nullable: true }) serverCertificate?: string;
  @Field(() => String, { nullable: true, description: 'Sent to SLB once; never cached, logged or returned.' }) privateKey?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) resourceGroupId?: string;
  @Field(() => String, { nullable: true }) aliCloudCertificateId?: string;
  @Field(() => String, { nullable: true }) aliCloudCertificateName?: string;
}

@InputType({ description: 'ESA SetCertificate: your own certificate and key, or a Certificate Management Service id (casId).' })
export class UploadSiteCertificateInput {
  @Field(() => ID) siteId!: string;
  @Field(() => ID, { nullable: true, description: 'The account (ACCOUNTS[].id); default: the one the site was seen in, else the first.' }) accountId?: string;
  @Field(() => String, { nullable: true }) certificate?: string;
  @Field(() => String, { nullable: true, description: 'Sent to ESA once; never cached, logged or returned.' }) privateKey?: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) casId?: string;
}
