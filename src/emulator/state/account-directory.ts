import { type Account, accountIdOf } from './account';
import { type StateStore } from './state-store';

export interface AccountEntry {
  accessKeyId: string;
  /** The 16-digit account id role ARNs name. */
  accountId: string;
}

/**
 * The configured access keys, each its own account, and the way from an account id (as a role ARN
 * names it) back to that account.
 */
export class AccountDirectory {
  private readonly byAccountId: ReadonlyMap<string, string>;

  constructor(
    accessKeyIds: Iterable<string>,
    private readonly store: StateStore,
  ) {
    this.byAccountId = new Map([...accessKeyIds].map((accessKeyId) => [accountIdOf(accessKeyId), accessKeyId]));
  }

  list(): AccountEntry[] {
    return [...this.byAccountId].map(([accountId, accessKeyId]) => ({ accessKeyId, accountId }));
  }

  has(accessKeyId: string): boolean {
    return this.byAccountId.get(accountIdOf(accessKeyId)) === accessKeyId;
  }

  /** The account with that id, or undefined when no configured key owns it. */
  async byId(accountId: string): Promise<Account | undefined> {
    const accessKeyId = this.byAccountId.get(accountId);
    return accessKeyId === undefined ? undefined : this.store.account(accessKeyId);
  }
}
