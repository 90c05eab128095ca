import { daysUntilExpiry, daysUntilExpiryChangeAt, regionOf, siteOf, type Certificate } from '../../domain/certificate';
import { encodeCertificateId } from '../../domain/global-id';
import { type RequestClock } from '../../domain/request-clock';
import { type CertificateType } from './certificate.type';
import { type CertificateKind, type CertificateProvider } from './enums';

/**
 * The domain certificate as the schema shows it: global id, flattened reference, and the expiry
 * computed against the request's clock (which hears until when that number holds). The X.509 values
 * the cloud left out were read from the PEM before (domain/pem-facts.ts): reads when they are fetched,
 * mutation answers in the service.
 */
export function toCertificateType(certificate: Certificate, clock: RequestClock): CertificateType {
  const { ref, ...rest } = certificate;
  const siteId = siteOf(ref);
  const regionId = regionOf(ref);
  const days = daysUntilExpiry(certificate, clock.now);
  if (days !== undefined && certificate.notAfter) clock.holdsUntil(daysUntilExpiryChangeAt(certificate.notAfter, days));
  return {
    ...rest,
    id: encodeCertificateId(ref),
    provider: ref.provider as CertificateProvider,
    kind: ref.kind as CertificateKind,
    nativeId: ref.nativeId,
    ...(siteId === undefined ? {} : { siteId }),
    ...(regionId === undefined ? {} : { regionId }),
    ...(days === undefined ? {} : { daysUntilExpiry: days }),
  };
}
