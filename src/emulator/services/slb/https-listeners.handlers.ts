import { type Params } from '../../protocol/params';
import { read, write, type ActionTable } from '../action';
import { listenerPortOf, loadBalancerIdOf } from './load-balancer-params';
import { httpsListenerAttribute } from './load-balancer-view';
import { createHttpsListener, findHttpsListener, findLoadBalancer, setListenerCertificate } from './load-balancers.model';
import { SlbErrors } from './slb-errors';
import { optionalRegionIdOf } from './slb-params';

/**
 * HTTPS listeners (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerhttpslistenerattribute
 * and its Set/Create siblings). RegionId is optional on these pages; when given, the instance must be
 * in it. Of the many listener settings only the certificate and the description are kept; the others
 * are accepted and the documented defaults reported.
 */
export const httpsListenerActions: ActionTable = {
  DescribeLoadBalancerHTTPSListenerAttribute: read(({ params, account }) => {
    const loadBalancer = findLoadBalancer(account, loadBalancerIdOf(params), optionalRegionIdOf(params));
    const { listener } = findHttpsListener(loadBalancer, listenerPortOf(params));
    return httpsListenerAttribute(loadBalancer, listener);
  }),

  SetLoadBalancerHTTPSListenerAttribute: write(({ params, account }) => {
    const loadBalancer = findLoadBalancer(account, loadBalancerIdOf(params), optionalRegionIdOf(params));
    const port = listenerPortOf(params);
    const { listener } = findHttpsListener(loadBalancer, port);
    const certificateId = params.optional('ServerCertificateId')?.trim();
    const description = params.optional('Description');
    // Every check runs before either change, so a refused call changes nothing.
    if (certificateId !== undefined) setListenerCertificate(account, loadBalancer, port, certificateId);
    if (description !== undefined) {
      listener.description = description;
      account.touch();
    }
    return {};
  }),

  CreateLoadBalancerHTTPSListener: write(({ params, account }) => {
    const loadBalancer = findLoadBalancer(account, loadBalancerIdOf(params), optionalRegionIdOf(params));
    createHttpsListener(account, loadBalancer, {
      port: listenerPortOf(params),
      backendServerPort: backendPortOf(params),
      bandwidth: bandwidthOf(params),
      description: params.optional('Description'),
      serverCertificateId: params.required('ServerCertificateId', SlbErrors.certificateIdEmpty).trim(),
    });
    return {};
  }),
};

function backendPortOf(params: Params): number | undefined {
  const invalid = () => SlbErrors.invalidParameter('The specified parameter BackendServerPort is not valid.');
  const port = params.optionalInteger('BackendServerPort', invalid);
  if (port !== undefined && (port < 1 || port > 65_535)) throw invalid();
  return port;
}

/** Bandwidth: -1 (unlimited) or 1 to 5120 Mbit/s; anything else gets the documented "The listen bandwidth is not Support". */
function bandwidthOf(params: Params): number | undefined {
  const value = params.optional('Bandwidth')?.trim();
  if (value === undefined) return undefined;
  const bandwidth = Number(value);
  if (!/^-?\d{1,4}$/.test(value) || !(bandwidth === -1 || (bandwidth >= 1 && bandwidth <= 5120))) {
    throw SlbErrors.invalidParameter('The listen bandwidth is not Support');
  }
  return bandwidth;
}
