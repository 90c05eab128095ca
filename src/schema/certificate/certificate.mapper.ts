import { expiryCountdown, regionOf, siteOf, siteUsage, type Certificate, type CertificateUsage } from '../../domain/certificate';
import { encodeCertificateId } from '../../domain/global-id';
import { certificateStatus, renewalDueAt } from '../../domain/certificate-status';
import { type GatewayContext } from '../context';
import { type CertificateType } from './certificate.type';
import { type CertificateKind, type CertificateProvider, type CertificateStatus } from './enums';
import { type CertificateUsageKind, type CertificateUsageObject } from './usage.type';

/**
 * The domain certificate as the schema shows it: global id, flattened reference, and the expiry
 * read from the request's clock (which registers until when that number holds). The X.509 values
 * the cloud left out were read from the PEM before (domain/pem-facts.ts): reads when they are fetched,
 * mutation answers in the service.
 */
/** `id`: the certificate's global id when the caller has it already (the inventory does), so it is not encoded again. */
export function toCertificateType(certificate: Certificate, ctx: Pick<GatewayContext, 'clock' | 'expiringDays'>, fromIndex = false, id?: string): CertificateType {
  const { ref, status: upstreamStatus, usages: held, ...rest } = certificate;
  // ESA serves a certificate at its site; SLB's usages come with the certificate when its read knew them.
  const usages = ref.provider === 'ESA' ? siteUsage(ref) : held;
  const { clock, expiringDays } = ctx;
  const siteId = siteOf(ref);
  const regionId = regionOf(ref);
  const days = clock.read((now) => expiryCountdown(certificate, now));
  const status = clock.read((now) => certificateStatus(certificate, now, expiringDays)) as CertificateStatus;
  const renewal = renewalDueAt(certificate);
  return {
    ...rest,
    id: id ?? encodeCertificateId(ref),
    provider: ref.provider as CertificateProvider,
    kind: ref.kind as CertificateKind,
    nativeId: ref.nativeId,
    accountId: ref.accountId,
    status,
    ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
    ...(renewal ? { renewalDueAt: renewal } : {}),
    ...(fromIndex ? { fromIndex } : {}),
    ...(siteId === undefined ? {} : { siteId }),
    ...(regionId === undefined ? {} : { regionId }),
    ...(days === undefined ? {} : { daysUntilExpiry: days }),
    ...(usages === undefined ? {} : { usages: toUsageObjects(usages) }),
  };
}

export function toUsageObjects(usages: readonly CertificateUsage[]): CertificateUsageObject[] {
  return usages.map(({ type, ...place }) => ({ type: type as CertificateUsageKind, ...place }));
}
