import { type Certificate, type RegionKey } from '../../domain/certificate';
import { type SlbDescribeServerCertificatesBody, type SlbServerCertificateWire } from './slb-shapes';
import { compact, text } from '../wire-values';

/**
 * SLB answers -> domain certificates. SLB never returns a PEM, only what it read from the
 * certificate, so `certificatePem` stays empty. Any field may be missing or oddly typed; the mapper
 * leaves such values out instead of throwing, and ignores fields it does not know.
 */

/**
 * One server certificate. The ref keeps the region the caller asked in: it is where the certificate
 * was found and where it will be asked for again, whatever alias the answer spells.
 */
export function mapServerCertificate(wire: SlbServerCertificateWire, region: RegionKey, nativeId: string): Certificate {
  return compact({
    ref: { provider: 'SLB', kind: 'SERVER', accountId: region.accountId, regionId: region.regionId, nativeId },
    name: text(wire.ServerCertificateName),
    resourceGroupId: text(wire.ResourceGroupId),
    commonName: text(wire.CommonName),
    subjectAlternativeNames: nestedList(wire.SubjectAlternativeNames, 'SubjectAlternativeName').flatMap((name) => text(name) ?? []),
    fingerprintSha1: text(wire.Fingerprint)?.toLowerCase(),
    notAfter: time(wire.ExpireTime) ?? time(wire.ExpireTimeStamp),
    createdAt: time(wire.CreateTime) ?? time(wire.CreateTimeStamp),
    isAliCloudCertificate: flag(wire.IsAliCloudCertificate),
    aliCloudCertificateId: text(wire.AliCloudCertificateId),
    aliCloudCertificateName: text(wire.AliCloudCertificateName),
    domainValidations: [],
  });
}

/** A DescribeServerCertificates answer; entries without an id cannot be addressed and are left out. */
export function mapServerCertificates(body: SlbDescribeServerCertificatesBody, region: RegionKey): Certificate[] {
  return nestedList(body.ServerCertificates, 'ServerCertificate').flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const wire = item as SlbServerCertificateWire;
    const nativeId = text(wire.ServerCertificateId);
    return nativeId === undefined ? [] : [mapServerCertificate(wire, region, nativeId)];
  });
}

/**
 * `{Outer: {Inner: [...]}}` as the JSON API sends it. A flat array (how an older SDK modelled it) and
 * a lone item where one was expected in an array (how XML-converted answers collapse) are read too.
 */
export function nestedList(container: unknown, key: string): unknown[] {
  if (Array.isArray(container)) return container;
  if (typeof container !== 'object' || container === null) return [];
  const inner = (container as Record<string, unknown>)[key];
  if (inner === undefined || inner === null) return [];
  return Array.isArray(inner) ? inner : [inner];
}

/**
 * ISO times, or milliseconds since the epoch as a number or a digit string (the
 * UploadServerCertificate page shows ExpireTime as `1504147745000`:
 * https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate).
 */
function time(value: unknown): Date | undefined {
  let date: Date | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) date = new Date(value);
  else if (typeof value === 'string' && /^\d{10,}$/.test(value.trim())) date = new Date(Number(value.trim()));
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value.trim())) {
    date = new Date(value.trim());
  }
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/** IsAliCloudCertificate is an integer 0/1; a string or boolean spelling means the same. */
function flag(value: unknown): boolean | undefined {
  if (value === 1 || value === '1' || value === true) return true;
  if (value === 0 || value === '0' || value === false) return false;
  return undefined;
}
