import { gatewayAuthenticationError } from '../../protocol/gateway-authentication-errors';
import { type ProductService } from '../../protocol/dispatcher';
import { PRODUCT_VERSIONS } from '../action';
import { assumeRoleActions } from './assume-role.handlers';
import { type StsDependencies } from './assume-role.model';

export { type StsDependencies } from './assume-role.model';

/**
 * STS 2015-04-01 on the emulator's one port, told apart from ESA and SLB by Version. Built around the
 * account directory and the session registry the authenticator also reads, since the sessions it
 * issues sign calls to the other products. Signature problems get the POP gateway's common codes.
 */
export function createStsService(deps: StsDependencies): ProductService {
  return {
    product: 'STS',
    version: PRODUCT_VERSIONS.STS,
    actions: assumeRoleActions(deps),
    authenticationError: gatewayAuthenticationError,
  };
}
