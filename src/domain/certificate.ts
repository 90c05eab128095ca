/** The unified certificate every provider maps to: plain data, no GraphQL, no cloud SDK types. */

import { type Timed } from './request-clock';

export type ProviderName = 'ESA' | 'SLB';

/** ESA site (edge) certificate, ESA origin mTLS client certificate, ESA-CA client certificate, SLB server certificate. */
export type CertificateKind = 'EDGE' | 'ORIGIN_CLIENT' | 'CLIENT' | 'SERVER';

/** Where a certificate lives: enough to fetch it again from its cloud API, in its account. */
export type CertificateRef =
  | { provider: 'ESA'; kind: 'EDGE' | 'ORIGIN_CLIENT' | 'CLIENT'; accountId: string; siteId: string; nativeId: string }
  | { provider: 'SLB'; kind: 'SERVER'; accountId: string; regionId: string; nativeId: string };

/** An ESA site of one account: what a site's lists are read for. */
export interface SiteKey {
  accountId: string;
  siteId: string;
}

/** An SLB region of one account: what a region's list is read for. */
export interface RegionKey {
  accountId: string;
  regionId: string;
}

export type CertificateUsageType = 'SLB_LISTENER' | 'SLB_DOMAIN_EXTENSION' | 'ESA_SITE';

/** Where a certificate is served: an SLB HTTPS listener, one SNI domain of it, or an ESA site. */
export interface CertificateUsage {
  type: CertificateUsageType;
  accountId: string;
  regionId?: string;
  loadBalancerId?: string;
  listenerPort?: number;
  /** SLB_DOMAIN_EXTENSION: the SNI domain, and the extension's id. */
  domain?: string;
  domainExtensionId?: string;
  siteId?: string;
}

export interface DomainValidation {
  id: string;
  type: string;
  key: string;
  value: string;
  status: string;
}

export interface Certificate {
  ref: CertificateRef;
  siteName?: string;
  resourceGroupId?: string;
  name?: string;
  /** The upstream status as given: OK, Applying, active, revoked... */
  status?: string;
  /** ESA: free / upload / cas / dcdn. */
  type?: string;
  commonName?: string;
  subjectAlternativeNames: string[];
  issuer?: string;
  issuerCommonName?: string;
  serialNumber?: string;
  fingerprintSha256?: string;
  fingerprintSha1?: string;
  signatureAlgorithm?: string;
  publicKeyAlgorithm?: string;
  notBefore?: Date;
  notAfter?: Date;
  validityDays?: number;
  createdAt?: Date;
  updatedAt?: Date;
  casId?: string;
  caCertificateId?: string;
  certificatePem?: string;
  domainValidations: DomainValidation[];
  applyCode?: number;
  applyMessage?: string;
  isAliCloudCertificate?: boolean;
  aliCloudCertificateId?: string;
  aliCloudCertificateName?: string;
  /**
   * SLB: the listeners and domain extensions serving it, as the sweep last read them (the inventory
   * keeps them); undefined when the read it came from does not say (a certificate list alone).
   */
  usages?: CertificateUsage[];
}

/** ESA serves a site's edge and origin client certificates itself: their usage is their site. */
export function siteUsage(ref: CertificateRef): CertificateUsage[] {
  return ref.provider === 'ESA' && ref.kind !== 'CLIENT' ? [{ type: 'ESA_SITE', accountId: ref.accountId, siteId: ref.siteId }] : [];
}

export function regionOf(ref: CertificateRef): string | undefined {
  return ref.provider === 'SLB' ? ref.regionId : undefined;
}

export function siteOf(ref: CertificateRef): string | undefined {
  return ref.provider === 'ESA' ? ref.siteId : undefined;
}

const DAY_MS = 86_400_000;

/** Whole days left before `notAfter` (negative once expired), or undefined without a date. */
export function daysUntilExpiry(certificate: Pick<Certificate, 'notAfter'>, now: Date): number | undefined {
  return certificate.notAfter ? Math.floor((certificate.notAfter.getTime() - now.getTime()) / DAY_MS) : undefined;
}

/** When `daysUntilExpiry` next changes: `days` stays right while notAfter - t >= days whole days. */
export function daysUntilExpiryChangeAt(notAfter: Date, days: number): number {
  return notAfter.getTime() - days * DAY_MS + 1;
}

/** Days until expiry at `now`, with the moment that count changes (for RequestClock.read). */
export function expiryCountdown(certificate: Pick<Certificate, 'notAfter'>, now: Date): Timed<number | undefined> {
  const days = daysUntilExpiry(certificate, now);
  return days === undefined || !certificate.notAfter ? { value: days } : { value: days, changesAt: daysUntilExpiryChangeAt(certificate.notAfter, days) };
}
