import { read, write, type ActionTable } from '../action';
import {
  createDomainExtension,
  deleteDomainExtension,
  findDomainExtension,
  listDomainExtensions,
  setDomainExtensionCertificate,
} from './domain-extensions.model';
import { domainExtensionIdOf, domainOf, listenerPortOf, loadBalancerIdOf, serverCertificateIdParam } from './load-balancer-params';
import { domainExtensionView } from './load-balancer-view';
import { findLoadBalancer } from './load-balancers.model';
import { regionIdOf } from './slb-params';

/**
 * Domain extensions, the additional certificates of an HTTPS listener
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describedomainextensions
 * and its siblings). RegionId is required on all of them.
 */
export const domainExtensionActions: ActionTable = {
  DescribeDomainExtensions: read(({ params, account }) => {
    const loadBalancer = findLoadBalancer(account, loadBalancerIdOf(params), regionIdOf(params));
    const id = params.optional('DomainExtensionId')?.trim();
    const extensions = listDomainExtensions(loadBalancer, listenerPortOf(params), id);
    return { DomainExtensions: { DomainExtension: extensions.map(domainExtensionView) } };
  }),

  DescribeDomainExtensionAttribute: read(({ params, account }) => {
    const { loadBalancer, listener, extension } = findDomainExtension(account, regionIdOf(params), domainExtensionIdOf(params));
    return { ...domainExtensionView(extension), LoadBalancerId: loadBalancer.id, ListenerPort: listener.port };
  }),

  SetDomainExtensionAttribute: write(({ params, account }) => {
    setDomainExtensionCertificate(account, regionIdOf(params), domainExtensionIdOf(params), serverCertificateIdParam(params));
    return {};
  }),

  CreateDomainExtension: write(({ params, account }) => {
    const loadBalancer = findLoadBalancer(account, loadBalancerIdOf(params), regionIdOf(params));
    const port = listenerPortOf(params);
    const extension = createDomainExtension(account, loadBalancer, port, domainOf(params), serverCertificateIdParam(params));
    return { ListenerPort: port, DomainExtensionId: extension.id };
  }),

  DeleteDomainExtension: write(({ params, account }) => {
    deleteDomainExtension(account, regionIdOf(params), domainExtensionIdOf(params));
    return {};
  }),
};
