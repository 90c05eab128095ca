import { type AuthenticationError } from '../../protocol/authenticator';
import { type ProductService } from '../../protocol/dispatcher';
import { isTokenFailure, SECURITY_TOKEN_ERRORS } from '../../protocol/security-token-errors';
import { PRODUCT_VERSIONS } from '../action';
import { certificateQuotaActions } from './certificate-quota.handlers';
import { clientCertificateActions } from './client-certificates.handlers';
import { edgeCertificateActions } from './edge-certificates.handlers';
import { EsaErrors } from './esa-errors';
import { originClientCertificateActions } from './origin-client-certificates.handlers';
import { siteActions } from './sites.handlers';

/**
 * ESA 2024-09-10. Its API documents its own 403s for every signature problem; temporary credentials
 * are refused by the gateway before ESA, with the common security token codes.
 */
export const esaService: ProductService = {
  product: 'ESA',
  version: PRODUCT_VERSIONS.ESA,
  actions: {
    ...siteActions,
    ...edgeCertificateActions,
    ...clientCertificateActions,
    ...originClientCertificateActions,
    ...certificateQuotaActions,
  },
  authenticationError: (error: AuthenticationError) => {
    if (isTokenFailure(error.failure)) return SECURITY_TOKEN_ERRORS[error.failure]();
    return error.failure === 'expired' || error.failure === 'missingTimestamp' ? EsaErrors.invalidTime() : EsaErrors.invalidToken();
  },
};
