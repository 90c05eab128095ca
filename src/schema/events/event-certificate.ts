import { type Certificate, type CertificateRef } from '../../domain/certificate';
import { entryOf, type InventoryEntry } from '../../inventory/inventory-entry';
import { Sources } from '../../inventory/sources';
import { type EventCertificate } from '../../radar/certificate-event';

/**
 * An event's certificate as the domain holds it: its reference, facts and upstream status, with no
 * PEM and no domain validations (events never carry them; the schema fetches them when asked, as it
 * does for certificates read from the inventory).
 */
export function certificateOfEvent(event: EventCertificate): Certificate {
  const ref: CertificateRef =
    event.provider === 'SLB'
      ? { provider: 'SLB', kind: 'SERVER', accountId: event.accountId, regionId: event.regionId ?? '', nativeId: event.nativeId }
      : { provider: 'ESA', kind: event.kind as 'EDGE' | 'ORIGIN_CLIENT' | 'CLIENT', accountId: event.accountId, siteId: event.siteId ?? '', nativeId: event.nativeId };
  const optional = {
    name: event.name,
    commonName: event.commonName,
    issuer: event.issuer,
    serialNumber: event.serialNumber,
    fingerprintSha256: event.fingerprintSha256,
    notBefore: event.notBefore === undefined ? undefined : new Date(event.notBefore),
    notAfter: event.notAfter === undefined ? undefined : new Date(event.notAfter),
    status: event.upstreamStatus,
  };
  return {
    ref,
    subjectAlternativeNames: [...event.subjectAlternativeNames],
    domainValidations: [],
    ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) as Partial<Certificate>),
  };
}

/** The event's certificate as an inventory entry, so a filter judges it as a query over the inventory would. */
export function entryOfEvent(event: EventCertificate): InventoryEntry {
  const certificate = certificateOfEvent(event);
  return entryOf(certificate, Sources.of(certificate.ref));
}
