import { type Params } from '../../protocol/params';
import { ROLE_NAME } from '../../state/role-record';
import { StsErrors } from './sts-errors';

/**
 * AssumeRole's parameters as its page documents them
 * (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
 */

/** `acs:ram::<account_id>:role/<role_name>`; a name RAM could not have created cannot name a role. */
const ROLE_ARN = /^acs:ram::(\d{1,20}):role\/([^/]+)$/;
/** 2 to 64 characters: letters, digits, `.` `@` `-` `_`. */
const ROLE_SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
/** 2 to 1,224 characters matching `[\w+=,.@:\/-]*`. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
/** "Minimum value: 900 ... Default value: 3600"; the maximum is the role's MaxSessionDuration, 3600 for every role here. */
export const DURATION_SECONDS = { min: 900, max: 3600, default: 3600 } as const;
const POLICY_MAX_BYTES = 2048;

export interface RoleReference {
  accountId: string;
  roleName: string;
}

export function roleArnOf(params: Params): RoleReference {
  const arn = params.required('RoleArn', () => StsErrors.missingParameter('RoleArn')).trim();
  const match = ROLE_ARN.exec(arn);
  const [, accountId = '', roleName = ''] = match ?? [];
  if (!match || !ROLE_NAME.test(roleName)) throw StsErrors.roleArn();
  return { accountId, roleName };
}

export function roleSessionNameOf(params: Params): string {
  const name = params.required('RoleSessionName', () => StsErrors.missingParameter('RoleSessionName'));
  if (!ROLE_SESSION_NAME.test(name)) throw StsErrors.roleSessionName();
  return name;
}

export function durationSecondsOf(params: Params): number {
  const value = params.optional('DurationSeconds')?.trim();
  if (value === undefined) return DURATION_SECONDS.default;
  const seconds = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= DURATION_SECONDS.min && seconds <= DURATION_SECONDS.max)) throw StsErrors.durationSeconds();
  return seconds;
}

/** Checked, then ignored: nothing emulated is refused by a policy. */
export function checkPolicy(params: Params): void {
  const policy = params.optional('Policy');
  if (policy === undefined) return;
  if (Buffer.byteLength(policy) > POLICY_MAX_BYTES) throw StsErrors.policySize();
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    throw StsErrors.policyGrammar();
  }
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  if (document === null || typeof document !== 'object' || Array.isArray(document) || !Array.isArray(statements)) {
    throw StsErrors.policyGrammar();
  }
}

/** Checked, then ignored: no role here demands one. */
export function checkExternalId(params: Params): void {
  const externalId = params.optional('ExternalId');
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId)) throw StsErrors.externalId();
}
