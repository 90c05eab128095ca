import { type AuthenticationError } from './authenticator';
import { CommonErrors, EmulatorError } from './emulator-error';
import { isTokenFailure, SECURITY_TOKEN_ERRORS } from './security-token-errors';

/**
 * The POP gateway's answer to a call it cannot authenticate, in the common codes every RPC product
 * shares (https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md),
 * and for temporary credentials the security token codes (security-token-errors.ts).
 */
export function gatewayAuthenticationError(error: AuthenticationError): EmulatorError {
  if (isTokenFailure(error.failure)) return SECURITY_TOKEN_ERRORS[error.failure]();
  switch (error.failure) {
    case 'missing':
      return CommonErrors.missingParameter('Signature');
    case 'malformed':
      return CommonErrors.incompleteSignature(error.message);
    case 'unknownKey':
      return CommonErrors.accessKeyNotFound();
    case 'badSignature':
      return new EmulatorError(
        'SignatureDoesNotMatch',
        400,
        `Specified signature is not matched with our calculation. server string to sign is:${error.stringToSign ?? ''}`,
      );
    case 'missingTimestamp':
      return CommonErrors.illegalTimestamp();
    case 'expired':
      return CommonErrors.timestampExpired();
    case 'nonceUsed':
      return CommonErrors.signatureNonceUsed();
  }
}
