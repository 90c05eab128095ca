import { type Caller } from '../../protocol/authenticator';
import { type SessionRegistry, type StsSession } from '../../protocol/session-registry';
import { type AccountDirectory } from '../../state/account-directory';
import { roleArn, roleKey, type RoleRecord } from '../../state/role-record';
import { StsErrors } from './sts-errors';
import { type RoleReference } from './sts-params';

export interface StsDependencies {
  accounts: AccountDirectory;
  sessions: SessionRegistry;
  /** Keeps the new session in the state file, when there is one. */
  save(): Promise<void>;
}

export interface AssumeRoleRequest {
  role: RoleReference;
  sessionName: string;
  durationSeconds: number;
}

export interface AssumedRole {
  role: RoleRecord;
  arn: string;
  session: StsSession;
}

/**
 * The role must exist in the account its ARN names (else EntityNotExist.Role), and trust the access
 * key the caller signed with (else NoPermission). Only configured keys are ever trusted, so
 * temporary credentials cannot assume a role in turn.
 */
export async function assumeRole(deps: StsDependencies, caller: Caller | undefined, request: AssumeRoleRequest): Promise<AssumedRole> {
  const account = await deps.accounts.byId(request.role.accountId);
  const role = account?.roles.get(roleKey(request.role.roleName));
  if (!account || !role) throw StsErrors.roleNotFound();
  if (!caller || caller.session || !role.trustedAccessKeyIds.includes(caller.accessKeyId)) throw StsErrors.noPermission();

  const arn = roleArn(account.uid, role.name);
  const session = deps.sessions.issue({
    accountKeyId: account.accessKeyId,
    roleArn: arn,
    sessionName: request.sessionName,
    durationSeconds: request.durationSeconds,
  });
  await deps.save();
  return { role, arn, session };
}
