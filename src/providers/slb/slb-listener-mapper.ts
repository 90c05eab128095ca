import { type CertificateUsage } from '../../domain/certificate';
import { type HttpsListener } from '../../domain/ports';
import { compact, text } from '../wire-values';
import { nestedList } from './slb-mapper';
import { type SlbDescribeListenersBody, type SlbDomainExtensionWire, type SlbHttpsListenerAttributeBody, type SlbListenerWire } from './slb-shapes';

/**
 * SLB listener answers -> where certificates are served. As with certificates, a value missing or
 * oddly typed is left out rather than thrown on; a listener without its instance or port cannot be
 * named, so it is left out whole.
 */

export type HttpsListenerPlace = Pick<HttpsListener, 'loadBalancerId' | 'listenerPort' | 'serverCertificateId'>;
export type DomainExtension = HttpsListener['domainExtensions'][number];

/** One page of DescribeLoadBalancerListeners: its HTTPS listeners, and the token of the next page. */
export function mapListenerPage(body: SlbDescribeListenersBody): { listeners: HttpsListenerPlace[]; nextToken?: string } {
  const listeners = nestedList(body.Listeners, 'Listener').flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const wire = item as SlbListenerWire;
    const protocol = text(wire.ListenerProtocol)?.toLowerCase();
    const loadBalancerId = text(wire.LoadBalancerId);
    const listenerPort = port(wire.ListenerPort);
    if ((protocol !== undefined && protocol !== 'https') || loadBalancerId === undefined || listenerPort === undefined) return [];
    return [compact({ loadBalancerId, listenerPort, serverCertificateId: text(wire.HTTPSListenerConfig?.ServerCertificateId) })];
  });
  const nextToken = text(body.NextToken);
  return nextToken === undefined ? { listeners } : { listeners, nextToken };
}

/** `{DomainExtensions: {DomainExtension: [...]}}` of DescribeDomainExtensions and of the HTTPS listener's attribute. */
export function mapDomainExtensions(container: unknown): DomainExtension[] {
  return nestedList(container, 'DomainExtension').flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const wire = item as SlbDomainExtensionWire;
    const domainExtensionId = text(wire.DomainExtensionId);
    const domain = text(wire.Domain);
    if (domainExtensionId === undefined || domain === undefined) return [];
    return [compact({ domainExtensionId, domain, serverCertificateId: text(wire.ServerCertificateId) })];
  });
}

/** The listener is named by what was asked, as certificates keep the region they were asked in. */
export function mapHttpsListener(body: SlbHttpsListenerAttributeBody, place: { regionId: string; loadBalancerId: string; listenerPort: number }): HttpsListener {
  return compact({
    ...place,
    serverCertificateId: text(body.ServerCertificateId),
    domainExtensions: mapDomainExtensions(body.DomainExtensions),
  });
}

/**
 * Each certificate's usages in one region: the listeners serving it, then each listener's SNI
 * domains that serve it, in the order SLB listed them. Fields follow the order of CertificateUsage so
 * two reads of the same place serialise alike.
 */
export function usagesByCertificate(
  where: { accountId: string; regionId: string },
  listeners: ReadonlyArray<HttpsListenerPlace & { domainExtensions: readonly DomainExtension[] }>,
): Map<string, CertificateUsage[]> {
  const usages = new Map<string, CertificateUsage[]>();
  const add = (certificateId: string | undefined, usage: CertificateUsage) => {
    if (certificateId === undefined) return;
    const list = usages.get(certificateId);
    if (list) list.push(usage);
    else usages.set(certificateId, [usage]);
  };
  for (const listener of listeners) {
    const place = { accountId: where.accountId, regionId: where.regionId, loadBalancerId: listener.loadBalancerId, listenerPort: listener.listenerPort };
    add(listener.serverCertificateId, { type: 'SLB_LISTENER', ...place });
    for (const extension of listener.domainExtensions) {
      add(extension.serverCertificateId, { type: 'SLB_DOMAIN_EXTENSION', ...place, domain: extension.domain, domainExtensionId: extension.domainExtensionId });
    }
  }
  return usages;
}

/** ListenerPort is an integer 1-65535; a digit string means the same. */
function port(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 65_535 ? number : undefined;
}
