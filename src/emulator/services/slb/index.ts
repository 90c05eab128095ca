import { type ProductService } from '../../protocol/dispatcher';
import { gatewayAuthenticationError } from '../../protocol/gateway-authentication-errors';
import { PRODUCT_VERSIONS } from '../action';
import { regionActions } from './regions.handlers';
import { domainExtensionActions } from './domain-extensions.handlers';
import { httpsListenerActions } from './https-listeners.handlers';
import { loadBalancerActions } from './load-balancers.handlers';
import { serverCertificateActions } from './server-certificates.handlers';

/** SLB 2014-05-15. Signature problems get the POP gateway's common codes (gateway-authentication-errors.ts), as STS's do. */
export const slbService: ProductService = {
  product: 'SLB',
  version: PRODUCT_VERSIONS.SLB,
  actions: { ...serverCertificateActions, ...regionActions, ...loadBalancerActions, ...httpsListenerActions, ...domainExtensionActions },
  authenticationError: gatewayAuthenticationError,
};
