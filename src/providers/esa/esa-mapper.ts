import { type Certificate, type DomainValidation, type SiteKey } from '../../domain/certificate';
import { type Site } from '../../domain/site';
import { type ApplyCertificateResult, type CreatedClientCertificate } from '../certificate-provider';
import {
  type EsaApplyCertificateBody,
  type EsaClientCertificateWire,
  type EsaCreateClientCertificateBody,
  type EsaEdgeCertificateWire,
  type EsaGetCertificateBody,
  type EsaGetCertificateQuotaBody,
  type EsaIssuedCertificateBody,
  type EsaListCertificatesBody,
  type EsaSiteWire,
} from './esa-shapes';
import { compact, text } from '../wire-values';

/**
 * ESA answers -> domain values. The cloud may leave out any field or send it with another type than
 * documented, so every value is checked before use and anything unexpected is left out: a mapper
 * never throws. Unknown fields are ignored.
 */

export type EsaKind = 'EDGE' | 'CLIENT' | 'ORIGIN_CLIENT';

/** Every field any ESA certificate answer carries; each kind fills its own subset. */
export type EsaAnyCertificateWire = EsaEdgeCertificateWire & EsaClientCertificateWire & EsaIssuedCertificateBody;

interface Scope {
  kind: EsaKind;
  accountId: string;
  /** The id the caller used: JSON numbers lose digits beyond 2^53, the caller's string does not. */
  siteId: string;
  nativeId: string;
  siteName?: string;
  status?: string;
  pem?: string;
}

/** GetSite's `SiteModel`; the id is the one asked for, whose digits JSON never rounded. */
export function mapSite(wire: EsaSiteWire | undefined, requested: SiteKey): Site {
  return siteOf(wire ?? {}, requested.siteId, requested.accountId);
}

/** ListSites' `Sites`; an entry without a SiteId cannot be addressed and is left out. */
export function mapSites(wires: unknown, accountId: string): Site[] {
  return listOf<EsaSiteWire>(wires).flatMap((wire) => {
    const id = digits(wire.SiteId);
    return id === undefined ? [] : [siteOf(wire, id, accountId)];
  });
}

function siteOf(wire: EsaSiteWire, id: string, accountId: string): Site {
  return compact({ id, accountId, name: text(wire.SiteName) ?? '', status: text(wire.Status), accessType: text(wire.AccessType) });
}

/** A Get*Certificate answer: the `Result` object, with the PEM and site name beside it. */
export function mapCertificateBody(
  kind: EsaKind,
  body: EsaGetCertificateBody<EsaAnyCertificateWire>,
  ref: SiteKey & { nativeId: string },
): Certificate {
  const result = objectOf<EsaAnyCertificateWire>(body.Result);
  return certificateOf(result, {
    kind,
    accountId: ref.accountId,
    siteId: ref.siteId,
    nativeId: text(result.Id) ?? ref.nativeId,
    siteName: text(body.SiteName),
    status: text(body.Status),
    pem: pem(body.Certificate),
  });
}

/** One page of a List*Certificates answer; entries without an Id cannot be addressed and are left out. */
export function mapCertificateList(kind: EsaKind, body: EsaListCertificatesBody<EsaAnyCertificateWire>, site: SiteKey): Certificate[] {
  const siteName = text(body.SiteName);
  return listOf<EsaAnyCertificateWire>(body.Result).flatMap((result) => {
    const nativeId = text(result.Id);
    return nativeId === undefined ? [] : [certificateOf(result, { kind, ...site, nativeId, siteName })];
  });
}

/** CreateClientCertificate: the certificate, and the key only when ESA generated the pair. */
export function mapCreatedClientCertificate(body: EsaCreateClientCertificateBody, site: SiteKey, nativeId: string): CreatedClientCertificate {
  const certificate = certificateOf(body, { kind: 'CLIENT', ...site, nativeId, pem: pem(body.Certificate) });
  const privateKey = pem(body.PrivateKey);
  return privateKey === undefined ? { certificate } : { certificate, privateKey };
}

/** UploadSiteOriginClientCertificate describes the stored certificate at the top level, without its PEM. */
export function mapUploadedOriginClientCertificate(body: EsaIssuedCertificateBody, site: SiteKey, nativeId: string): Certificate {
  return certificateOf(body, { kind: 'ORIGIN_CLIENT', ...site, nativeId });
}

export function mapApplication(body: EsaApplyCertificateBody, site: SiteKey): ApplyCertificateResult {
  const results = listOf<{ Domain?: unknown; Status?: unknown; Id?: unknown }>(body.Result);
  const applications = results.flatMap((result) => {
    const nativeId = text(result.Id);
    if (nativeId === undefined) return [];
    const ref = { provider: 'ESA', kind: 'EDGE', accountId: site.accountId, siteId: site.siteId, nativeId } as const;
    return [{ domain: text(result.Domain) ?? '', status: text(result.Status) ?? '', ref }];
  });
  return { siteName: text(body.SiteName) ?? '', totalCount: integer(body.TotalCount) ?? applications.length, applications };
}

/**
 * One pool of GetCertificateQuota: `Quota` and what counts against it, `QuotaUsage` (the answer's
 * `SiteUsage[]` breaks the same number down by site). Undefined where the answer left a number out.
 */
export function mapQuotaPool(body: EsaGetCertificateQuotaBody): { quota?: number; usage?: number } {
  return compact({ quota: integer(body.Quota), usage: integer(body.QuotaUsage) });
}

function certificateOf(wire: EsaAnyCertificateWire, scope: Scope): Certificate {
  // Edge certificates say SigAlg/PubAlg, client and origin client ones SignatureAlgorithm/PubkeyAlgorithm (the SDK's models; esa-shapes.ts).
  const edge = scope.kind === 'EDGE';
  return compact({
    ref: { provider: 'ESA', kind: scope.kind, accountId: scope.accountId, siteId: scope.siteId, nativeId: scope.nativeId },
    siteName: scope.siteName,
    name: text(wire.Name),
    status: text(wire.Status) ?? scope.status,
    type: text(wire.Type),
    commonName: text(wire.CommonName),
    subjectAlternativeNames: sanList(wire.SAN),
    issuer: text(wire.Issuer),
    issuerCommonName: text(wire.IssuerCN),
    serialNumber: text(wire.SerialNumber),
    fingerprintSha256: text(wire.FingerprintSha256),
    signatureAlgorithm: text(edge ? wire.SigAlg : wire.SignatureAlgorithm),
    publicKeyAlgorithm: text(edge ? wire.PubAlg : wire.PubkeyAlgorithm),
    notBefore: time(wire.NotBefore),
    notAfter: time(wire.NotAfter),
    validityDays: integer(wire.ValidityDays),
    createdAt: time(wire.CreateTime),
    updatedAt: time(wire.UpdateTime),
    casId: digits(wire.CasId) ?? text(wire.CasId),
    caCertificateId: text(wire.CACertificateId),
    certificatePem: scope.pem,
    domainValidations: listOf<Record<string, unknown>>(wire.DCV).map(domainValidation),
    applyCode: integer(wire.ApplyCode),
    applyMessage: text(wire.ApplyMessage),
  });
}

function domainValidation(wire: Record<string, unknown>): DomainValidation {
  return {
    id: text(wire.Id) ?? '',
    type: text(wire.Type) ?? '',
    key: text(wire.Key) ?? '',
    value: text(wire.Value) ?? '',
    status: text(wire.Status) ?? '',
  };
}

/** `www.example.com, *.example.com,` -> both names. */
function sanList(value: unknown): string[] {
  return typeof value === 'string' ? value.split(',').flatMap((name) => name.trim() || []) : [];
}

/**
 * ESA mixes `2023-11-26T16:00:00Z` (validity) and `2022-06-24 07:48:51` (CreateTime/UpdateTime), the
 * latter without a zone but UTC (examples of https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate).
 */
const ESA_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/;

function time(value: unknown): Date | undefined {
  const match = typeof value === 'string' ? ESA_TIME.exec(value.trim()) : null;
  if (!match) return undefined;
  const date = new Date(`${match[1]}T${match[2]}${match[3] ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}


function pem(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Whole numbers, sent as numbers or as numeric strings (ValidityDays is documented as string). */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : undefined;
}

/**
 * Decimal digits of a numeric id. Numbers are written through BigInt so a large one never turns into
 * exponent notation; one beyond 2^53 was already rounded by JSON.parse, which is why callers prefer
 * the id they sent wherever they have it.
 */
function digits(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? BigInt(value).toString() : undefined;
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? value.trim() : undefined;
}

function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? value.filter((item): item is T => typeof item === 'object' && item !== null) : [];
}

function objectOf<T>(value: unknown): T {
  return (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}) as T;
}
