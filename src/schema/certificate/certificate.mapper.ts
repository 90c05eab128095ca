import { expiryCountdown, regionOf, siteOf, type Certificate } from '../../domain/certificate';
import { encodeCertificateId } from '../../domain/global-id';
import { type RequestClock } from '../../domain/request-clock';
import { type CertificateType } from './certificate.type';
import { type CertificateKind, type CertificateProvider } from './enums';

/**
 * The domain certificate as the schema shows it: global id, flattened reference, and the expiry
 * read from the request's clock (which registers until when that number holds). The X.509 values
 * the cloud left out were read from the PEM before (domain/pem-facts.ts): reads when they are fetched,
 * mutation answers in the service.
 */
export function toCertificateType(certificate: Certificate, clock: RequestClock): CertificateType {
  const { ref, ...rest } = certificate;
  const siteId = siteOf(ref);
  const regionId = regionOf(ref);
  const days = clock.read((now) => expiryCountdown(certificate, now));
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
