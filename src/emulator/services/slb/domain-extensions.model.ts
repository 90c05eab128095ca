import { type Account } from '../../state/account';
import { type DomainExtensionRecord, type ListenerRecord, type LoadBalancerRecord } from '../../state/records';
import { LoadBalancerErrors } from './load-balancer-errors';
import { domainExtensionId } from './load-balancer-ids';
import { findHttpsListener, requireServableCertificate } from './load-balancers.model';
import { requireRegion } from './server-certificates.model';
import { SlbErrors } from './slb-errors';

/** Where a domain extension lives: it is reached by id alone, so its listener and instance come with it. */
export interface PlacedExtension {
  loadBalancer: LoadBalancerRecord;
  listener: ListenerRecord;
  extension: DomainExtensionRecord;
}

/** The domain extension `id` in `regionId`; one of another region is as unknown as one that never existed. */
export function findDomainExtension(account: Account, regionId: string, id: string): PlacedExtension {
  requireRegion(account, regionId);
  for (const loadBalancer of account.loadBalancers.values()) {
    if (loadBalancer.regionId !== regionId) continue;
    for (const listener of loadBalancer.listeners) {
      const extension = listener.https?.domainExtensions.find((candidate) => candidate.id === id);
      if (extension) return { loadBalancer, listener, extension };
    }
  }
  throw LoadBalancerErrors.domainExtensionNotFound(id);
}

/** DescribeDomainExtensions: the listener's extensions in the order they were added, or the one `id` names. */
export function listDomainExtensions(loadBalancer: LoadBalancerRecord, port: number, id: string | undefined): DomainExtensionRecord[] {
  const { https } = findHttpsListener(loadBalancer, port);
  return https.domainExtensions.filter((extension) => id === undefined || extension.id === id);
}

/** SetDomainExtensionAttribute: the extension's domain is answered with another certificate of the same region. */
export function setDomainExtensionCertificate(account: Account, regionId: string, id: string, certificateId: string): DomainExtensionRecord {
  const { extension } = findDomainExtension(account, regionId, id);
  requireServableCertificate(account, regionId, certificateId);
  extension.serverCertificateId = certificateId;
  account.touch();
  return extension;
}

/** CreateDomainExtension: one extension per domain on a listener. */
export function createDomainExtension(
  account: Account,
  loadBalancer: LoadBalancerRecord,
  port: number,
  domain: string,
  certificateId: string,
): DomainExtensionRecord {
  const { https } = findHttpsListener(loadBalancer, port);
  if (https.domainExtensions.some((extension) => extension.domain === domain)) {
    throw SlbErrors.invalidParameter(`The specified Domain ${domain} already has a domain extension on this listener.`);
  }
  requireServableCertificate(account, loadBalancer.regionId, certificateId);
  const extension: DomainExtensionRecord = { id: domainExtensionId(loadBalancer.regionId), domain, serverCertificateId: certificateId };
  https.domainExtensions.push(extension);
  account.touch();
  return extension;
}

export function deleteDomainExtension(account: Account, regionId: string, id: string): void {
  const { listener } = findDomainExtension(account, regionId, id);
  const https = listener.https;
  if (!https) return;
  https.domainExtensions = https.domainExtensions.filter((extension) => extension.id !== id);
  account.touch();
}
