import { type AuthenticationError } from '../../protocol/authenticator';
import { type ProductService } from '../../protocol/dispatcher';
import { CommonErrors, EmulatorError } from '../../protocol/emulator-error';
import { isTokenFailure, SECURITY_TOKEN_ERRORS } from '../../protocol/security-token-errors';
import { PRODUCT_VERSIONS } from '../action';
import { regionActions } from './regions.handlers';
import { domainExtensionActions } from './domain-extensions.handlers';
import { httpsListenerActions } from './https-listeners.handlers';
import { loadBalancerActions } from './load-balancers.handlers';
import { serverCertificateActions } from './server-certificates.handlers';

/** SLB 2014-05-15. Signature problems get the POP gateway's common codes (https://github.com/AlibabaCloudDocs/slb/blob/master/intl.en-US/Classic%20Load%20Balancer/CLB%20Developer%20Guide/Developer%20Guide/Common%20error%20codes.md). */
export const slbService: ProductService = {
  product: 'SLB',
  version: PRODUCT_VERSIONS.SLB,
  actions: { ...serverCertificateActions, ...regionActions, ...loadBalancerActions, ...httpsListenerActions, ...domainExtensionActions },
  authenticationError: (error: AuthenticationError) => {
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
  },
};
