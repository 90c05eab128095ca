import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('Site', { description: 'An ESA site.' })
export class SiteType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true, description: 'NS or CNAME.' }) accessType?: string;
}
