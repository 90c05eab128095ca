/**
 * A RAM role of an account and the access keys that may assume it: the emulator's reduction of a
 * trust policy. Seeded with `POST /_emulator/seed` (`roles`); assumed with STS AssumeRole.
 */
export interface RoleRecord {
  /** As given. RAM names are unique whatever their case, and ARNs carry them lowercased. */
  name: string;
  /** RAM's numeric RoleId, which AssumeRole answers as the first half of `AssumedRoleId`. */
  roleId: string;
  /** Callers signing with one of these access keys may assume the role. */
  trustedAccessKeyIds: string[];
  createdAt: number;
}

/**
 * RoleName as CreateRole documents it: 1 to 64 characters, letters, digits, `.` and `-`
 * (https://www.alibabacloud.com/help/en/resource-management/api-createrole).
 */
export const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;

/** The key a role is kept under in its account: names compare without case, as in RAM. */
export function roleKey(name: string): string {
  return name.toLowerCase();
}

/** `acs:ram::<accountId>:role/<name>`, the name lowercased as RAM writes role ARNs. */
export function roleArn(accountId: string, name: string): string {
  return `acs:ram::${accountId}:role/${roleKey(name)}`;
}
