import { type Certificate } from './certificate';
import { type Timed } from './request-clock';

/** The normalised lifecycle of a certificate, whichever cloud holds it and however it words it. */
export type CertificateStatus = 'PENDING' | 'ISSUED' | 'EXPIRING' | 'EXPIRED' | 'NOT_YET_VALID' | 'REVOKED' | 'FAILED' | 'CANCELED';

export const CERTIFICATE_STATUSES: readonly CertificateStatus[] = ['PENDING', 'ISSUED', 'EXPIRING', 'EXPIRED', 'NOT_YET_VALID', 'REVOKED', 'FAILED', 'CANCELED'];

const DAY_MS = 86_400_000;

/**
 * What the clouds' own words mean, where they decide the status rather than the dates: ESA's free
 * certificates are `Applying` until validated, then `OK`, `Expiring`, `Expired`, or `ApplyFailed` /
 * `Canceled`; its client certificates are `active` or `revoked`; SLB reports no status at all.
 */
const UPSTREAM: Record<string, CertificateStatus> = {
  applying: 'PENDING',
  pending: 'PENDING',
  issuing: 'PENDING',
  checking: 'PENDING',
  applyfailed: 'FAILED',
  failed: 'FAILED',
  canceled: 'CANCELED',
  cancelled: 'CANCELED',
  revoked: 'REVOKED',
  expired: 'EXPIRED',
};

/**
 * The status at `now`, and when it would next change by the clock alone. A certificate past notAfter
 * is EXPIRED whatever the cloud still says; one whose notBefore is ahead is NOT_YET_VALID; one with
 * `expiringDays` or fewer days left is EXPIRING.
 */
export function certificateStatus(certificate: Pick<Certificate, 'status' | 'notBefore' | 'notAfter'>, now: Date, expiringDays: number): Timed<CertificateStatus> {
  const at = now.getTime();
  const notAfter = certificate.notAfter?.getTime();
  const notBefore = certificate.notBefore?.getTime();
  if (notAfter !== undefined && notAfter <= at) return { value: 'EXPIRED' };
  const said = UPSTREAM[(certificate.status ?? '').toLowerCase()];
  if (said) return notAfter === undefined ? { value: said } : { value: said, changesAt: notAfter };
  if (notBefore !== undefined && notBefore > at) return { value: 'NOT_YET_VALID', changesAt: notBefore };
  if (notAfter === undefined) return { value: 'ISSUED' };
  const expiringFrom = notAfter - expiringDays * DAY_MS;
  return expiringFrom <= at ? { value: 'EXPIRING', changesAt: notAfter } : { value: 'ISSUED', changesAt: expiringFrom };
}

/** When renewal is due: two thirds of the way from notBefore to notAfter (cert-manager's default). */
export function renewalDueAt(certificate: Pick<Certificate, 'notBefore' | 'notAfter'>): Date | undefined {
  if (!certificate.notBefore || !certificate.notAfter) return undefined;
  const from = certificate.notBefore.getTime();
  return new Date(from + Math.round(((certificate.notAfter.getTime() - from) * 2) / 3));
}
