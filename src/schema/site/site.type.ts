import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { NodeInterface } from '../node/node.interface';

@Directive('@key(fields: "id")')
@ObjectType('Site', { description: 'An ESA site.', implements: NodeInterface })
export class SiteType implements NodeInterface {
  @Field(() => ID, { description: "ESA's site id." }) id!: string;
  @Field(() => ID, { description: 'The account it is in.' }) accountId!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true, description: 'NS or CNAME.' }) accessType?: string;
}
