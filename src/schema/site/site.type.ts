import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { NodeInterface } from '../node/node.interface';

@Directive('@key(fields: "id")')
@ObjectType('Site', { description: 'An ESA site.', implements: NodeInterface })
export class SiteType implements NodeInterface {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true, description: 'NS or CNAME.' }) accessType?: string;
}
