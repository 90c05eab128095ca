import { EmulatorError } from './emulator-error';
import { type TokenFailure } from './session-registry';

/**
 * How the POP gateway refuses temporary credentials, before any product sees the call, so ESA, SLB
 * and STS answer alike. `InvalidSecurityToken.*` are the gateway's common codes, worded as the
 * services' error tables word them (Function Compute's, for one); `MissingSecurityToken` answers an
 * `STS.` key sent without its token ("How to handle the common errors when you access OSS by using
 * STS", https://www.alibabacloud.com/help/doc-detail/42775.htm).
 */
export const SECURITY_TOKEN_ERRORS: Record<TokenFailure, () => EmulatorError> = {
  tokenMissing: () => new EmulatorError('MissingSecurityToken', 400, 'SecurityToken is mandatory for this action.'),
  tokenMalformed: () => new EmulatorError('InvalidSecurityToken.Malformed', 400, 'Specified SecurityToken is malformed.'),
  tokenMismatch: () =>
    new EmulatorError('InvalidSecurityToken.MismatchWithAccessKey', 400, 'Specified SecurityToken mismatch with the AccessKey.'),
  tokenExpired: () => new EmulatorError('InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.'),
};

export function isTokenFailure(failure: string): failure is TokenFailure {
  return Object.hasOwn(SECURITY_TOKEN_ERRORS, failure);
}
