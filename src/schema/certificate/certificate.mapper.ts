import { daysUntilExpiry, daysUntilExpiryChangeAt, regionOf, siteOf, type Certificate } from '../../domain/certificate';
import { encodeCertificateId } from '../../domain/global-id';
import { withPemFacts } from '../../domain/pem-facts';
import { type RequestClock } from '../../domain/request-clock';
import { type CertificateType } from './certificate.type';
import { type CertificateKind, type CertificateProvider } from './enums';

/**
 * The domain certificate as the schema shows it: global id, flattened reference, the X.509 values the
 * cloud left out read from its PEM, and the expiry computed against the request's clock (which
 * hears until when that number holds).
 */
export function toCertificateType(certificate: Certificate, clock: RequestClock): CertificateType {
  // Reads are completed before they are cached (loaders/request-reader.ts); what a mutation answered
  // directly is completed here. ESA never reports a SHA-1 fingerprint, so its presence means done.
  const complete = certificate.certificatePem !== undefined && certificate.fingerprintSha1 === undefined ? withPemFacts(certificate) : certificate;
  const { ref, ...rest } = complete;
  const siteId = siteOf(ref);
  const regionId = regionOf(ref);
  const days = daysUntilExpiry(complete, clock.now);
  if (days !== undefined && complete.notAfter) clock.holdsUntil(daysUntilExpiryChangeAt(complete.notAfter, days));
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
