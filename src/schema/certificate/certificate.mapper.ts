import { daysUntilExpiry, regionOf, siteOf, type Certificate } from '../../domain/certificate';
import { encodeCertificateId } from '../../domain/global-id';
import { type CertificateType } from './certificate.type';
import { type CertificateKind, type CertificateProvider } from './enums';

/** The domain certificate as the schema shows it: global id, flattened reference, computed expiry. */
export function toCertificateType(certificate: Certificate, now: Date): CertificateType {
  const { ref, ...rest } = certificate;
  const siteId = siteOf(ref);
  const regionId = regionOf(ref);
  const days = daysUntilExpiry(certificate, now);
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
