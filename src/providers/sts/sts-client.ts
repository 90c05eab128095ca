import { sealCredentials, type CloudCredentials, type RoleAssumer } from '../../accounts/credentials';
import { GatewayError } from '../../domain/errors/gateway-error';
import { type RpcAnswer, type RpcCall } from '../alibaba/rpc-client';

export const STS_VERSION = '2015-04-01';
export const STS_ENDPOINT = 'sts.aliyuncs.com';

/** The one thing StsClient needs of an RPC client (RpcClient has it), signed by the credentials that assume the role. */
export interface StsCaller {
  call<T>(action: string, call: RpcCall): Promise<RpcAnswer<T>>;
}

/** AssumeRole's answer (https://api.alibabacloud.com/api/Sts/2015-04-01/AssumeRole). */
interface AssumeRoleBody {
  RequestId?: string;
  AssumedRoleUser?: { Arn?: string; AssumedRoleId?: string };
  Credentials?: { AccessKeyId?: unknown; AccessKeySecret?: unknown; SecurityToken?: unknown; Expiration?: unknown };
}

/** `2015-04-09T11:52:19Z`, as STS writes Expiration (UTC, seconds; fractions accepted). */
const EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * STS's AssumeRole: temporary credentials of a RAM role. The parameters travel form-encoded in a
 * POST, as Alibaba's credentials library sends them; a refusal arrives from the caller as a
 * GatewayError with STS's documented code, and an answer without usable credentials becomes one here.
 */
export class StsClient implements RoleAssumer {
  constructor(private readonly rpc: StsCaller) {}

  async assumeRole(request: { roleArn: string; sessionName: string; durationSeconds: number; externalId?: string }): Promise<{ credentials: CloudCredentials; expiresAt: number }> {
    const answer = await this.rpc.call<AssumeRoleBody>('AssumeRole', {
      method: 'POST',
      body: {
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName,
        DurationSeconds: request.durationSeconds,
        ExternalId: request.externalId,
      },
    });
    const given = answer.body?.Credentials;
    const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
    const accessKeyId = text(given?.AccessKeyId);
    const accessKeySecret = text(given?.AccessKeySecret);
    const securityToken = text(given?.SecurityToken);
    if (!accessKeyId || !accessKeySecret || !securityToken) throw malformed('AccessKeyId, AccessKeySecret and SecurityToken', answer.requestId);
    const expiration = text(given?.Expiration);
    const expiresAt = expiresAtOf(expiration);
    if (expiresAt === undefined) throw malformed('a valid Expiration', answer.requestId);
    return { credentials: sealCredentials({ accessKeyId, accessKeySecret, securityToken }), expiresAt };
  }
}

/** Epoch milliseconds, or undefined for anything but a real UTC time (Date.parse rolls 30 February over into March). */
function expiresAtOf(expiration: string | undefined): number | undefined {
  if (expiration === undefined || !EXPIRATION.test(expiration)) return undefined;
  const at = Date.parse(expiration);
  return Number.isFinite(at) && new Date(at).toISOString().slice(0, 19) === expiration.slice(0, 19) ? at : undefined;
}

/** Names what is missing, never what was there: the answer carries a secret and a token. */
function malformed(missing: string, requestId: string | undefined): GatewayError {
  return new GatewayError('INTERNAL_SERVER_ERROR', `STS AssumeRole answered without ${missing} in Credentials.`, {
    provider: 'GATEWAY',
    action: 'AssumeRole',
    ...(requestId ? { requestId } : {}),
  });
}
