import { createHash, randomUUID } from 'node:crypto';
import { type Certificate } from '../domain/certificate';
import { certificateStatus, renewalDueAt, type CertificateStatus } from '../domain/certificate-status';
import { encodeCertificateId } from '../domain/global-id';

export type CertificateEventType = 'certificate.expiring' | 'certificate.expired' | 'certificate.issued' | 'certificate.application_failed' | 'certificate.changed';

export const EVENT_TYPES: readonly CertificateEventType[] = [
  'certificate.expiring',
  'certificate.expired',
  'certificate.issued',
  'certificate.application_failed',
  'certificate.changed',
];

/**
 * A certificate as events carry it: the GraphQL Certificate's scalar fields, never a PEM or a key
 * (webhook payloads and subscription messages are built from this alone).
 */
export interface EventCertificate {
  id: string;
  nativeId: string;
  accountId: string;
  provider: string;
  kind: string;
  siteId?: string;
  regionId?: string;
  name?: string;
  commonName?: string;
  subjectAlternativeNames: string[];
  issuer?: string;
  serialNumber?: string;
  fingerprintSha256?: string;
  notBefore?: string;
  notAfter?: string;
  renewalDueAt?: string;
  status: CertificateStatus;
  upstreamStatus?: string;
}

export interface CertificateEvent {
  /** Unique per event: the webhook-id of every delivery of it, retries included. */
  id: string;
  type: CertificateEventType;
  /** When it was detected (ISO-8601). */
  at: string;
  certificate: EventCertificate;
  /** Days, with certificate.expiring. */
  threshold?: number;
  /** For certificate.changed: what happened (uploaded, deleted, revoked, activated, renamed, seen). */
  change?: string;
}

export function eventCertificate(certificate: Certificate, now: Date, expiringDays: number): EventCertificate {
  const { ref } = certificate;
  const renewal = renewalDueAt(certificate);
  const optional = {
    siteId: ref.provider === 'ESA' ? ref.siteId : undefined,
    regionId: ref.provider === 'SLB' ? ref.regionId : undefined,
    name: certificate.name,
    commonName: certificate.commonName,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    fingerprintSha256: certificate.fingerprintSha256,
    notBefore: certificate.notBefore?.toISOString(),
    notAfter: certificate.notAfter?.toISOString(),
    renewalDueAt: renewal?.toISOString(),
    upstreamStatus: certificate.status,
  };
  return {
    id: encodeCertificateId(ref),
    nativeId: ref.nativeId,
    accountId: ref.accountId,
    provider: ref.provider,
    kind: ref.kind,
    subjectAlternativeNames: [...certificate.subjectAlternativeNames],
    status: certificateStatus(certificate, now, expiringDays).value,
    ...(Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)) as Partial<EventCertificate>),
  };
}

/** `mark`: a once-ever announcement's key, from which the event's id is derived, so a repeat of it is known as the same event. */
export function newEvent(type: CertificateEventType, certificate: EventCertificate, at: Date, extra: { threshold?: number; change?: string; mark?: string } = {}): CertificateEvent {
  const { mark, ...rest } = extra;
  const id = mark ? `evt_${createHash('sha256').update(mark).digest('base64url').slice(0, 32)}` : `evt_${randomUUID()}`;
  return { id, type, at: at.toISOString(), certificate, ...rest };
}
