/** A gateway account id (`ACCOUNTS[].id`): letters, digits, '.', '_', '-'; never '/' or ':', which ids and keys use as separators. */
const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isAccountId(accountId: string): boolean {
  return ACCOUNT_ID.test(accountId);
}
