import { isoSeconds } from '../../pki/time-format';
import { read, type ActionTable } from '../action';
import { assumeRole, type StsDependencies } from './assume-role.model';
import { checkExternalId, checkPolicy, durationSecondsOf, roleArnOf, roleSessionNameOf } from './sts-params';

/**
 * STS 2015-04-01 AssumeRole (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole):
 * temporary credentials for a role, answered as `{AssumedRoleUser: {AssumedRoleId, Arn}, Credentials:
 * {AccessKeyId, AccessKeySecret, SecurityToken, Expiration}}`, the ARN with the session name appended
 * and the RoleId before it, as the page's example shows them.
 */
export function assumeRoleActions(deps: StsDependencies): ActionTable {
  return {
    AssumeRole: read(async ({ params, caller }) => {
      const role = roleArnOf(params);
      const sessionName = roleSessionNameOf(params);
      const durationSeconds = durationSecondsOf(params);
      checkPolicy(params);
      checkExternalId(params);
      const assumed = await assumeRole(deps, caller, { role, sessionName, durationSeconds });
      return {
        AssumedRoleUser: {
          AssumedRoleId: `${assumed.role.roleId}:${sessionName}`,
          Arn: `${assumed.arn}/${sessionName}`,
        },
        Credentials: {
          AccessKeyId: assumed.session.accessKeyId,
          AccessKeySecret: assumed.session.accessKeySecret,
          SecurityToken: assumed.session.securityToken,
          Expiration: isoSeconds(new Date(assumed.session.expiresAtMs)),
        },
      };
    }),
  };
}
