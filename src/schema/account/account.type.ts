import { Field, ID, ObjectType } from 'type-graphql';
import { NodeInterface } from '../node/node.interface';

@ObjectType('Account', { description: 'A cloud account the gateway reads (ACCOUNTS), with how its last reads went.', implements: NodeInterface })
export class AccountType implements NodeInterface {
  @Field(() => ID, { description: 'ACCOUNTS[].id (`default` without ACCOUNTS).' }) id!: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field({ description: 'healthy: its lists were read in the last sweep; unhealthy: they could not be (see error); unknown: not read yet.' }) status!: string;
  @Field(() => String, { nullable: true, description: "The documented code and message of the last failure (an STS code when its role cannot be assumed)." }) error?: string;
  /** Tells the Node interface this object from a site or a certificate. */
  readonly typename = 'Account';
}
