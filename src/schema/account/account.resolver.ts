import { Ctx, Query, Resolver } from 'type-graphql';
import { type GatewayContext } from '../context';
import { AccountType } from './account.type';

@Resolver(() => AccountType)
export class AccountResolver {
  @Query(() => [AccountType], { description: 'The accounts this caller may use, in configured order, with their health (from the inventory; no cloud call).' })
  async accounts(@Ctx() ctx: GatewayContext): Promise<AccountType[]> {
    return (await ctx.inventory.accounts()).map(toAccountType);
  }
}

export function toAccountType(account: { id: string; name?: string; status: string; error?: string }): AccountType {
  return Object.assign(new AccountType(), account);
}
