import { createHash } from 'node:crypto';
import { EmulatorError } from '../protocol/emulator-error';
import { ROLE_NAME, roleArn, roleKey, type RoleRecord } from '../state/role-record';

/**
 * `roles` of `POST /_emulator/seed`: `[{name, trustedAccessKeyIds}]`. Names follow RAM's rule, at most
 * once per seed whatever their case; every trusted key must be a configured one, so a typo is a 400
 * rather than a role no one can assume.
 */
export function rolesOf(value: unknown, accountId: string, isAccessKey: (accessKeyId: string) => boolean, now: number): RoleRecord[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw bad('roles is an array.');
  const seen = new Set<string>();
  return value.map((item, index) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad(`roles[${index}] is an object.`);
    const { name, trustedAccessKeyIds } = item as Record<string, unknown>;
    if (typeof name !== 'string' || !ROLE_NAME.test(name)) {
      throw bad(`roles[${index}].name is 1 to 64 letters, digits, '.' or '-'.`);
    }
    if (seen.has(roleKey(name))) throw bad(`roles[${index}].name repeats a role of this seed.`);
    seen.add(roleKey(name));
    if (!Array.isArray(trustedAccessKeyIds) || !trustedAccessKeyIds.every((key) => typeof key === 'string')) {
      throw bad(`roles[${index}].trustedAccessKeyIds is an array of access key ids.`);
    }
    const unknown = trustedAccessKeyIds.findIndex((key: string) => !isAccessKey(key));
    if (unknown >= 0) throw bad(`roles[${index}].trustedAccessKeyIds[${unknown}] is not an access key of the emulator.`);
    return { name, roleId: roleIdOf(roleArn(accountId, name)), trustedAccessKeyIds: [...new Set(trustedAccessKeyIds as string[])], createdAt: now };
  });
}

/** RAM RoleIds are long decimal numbers; this one follows from the ARN, so a re-seeded role keeps it. */
function roleIdOf(arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  return `3${(digest.readBigUInt64BE(0) % 10n ** 17n).toString().padStart(17, '0')}`;
}

function bad(message: string): EmulatorError {
  return new EmulatorError('InvalidParameter', 400, message);
}
