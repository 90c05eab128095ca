import { GatewayError } from '../errors/gateway-error';

/** Canonical: no leading zeros, so one site has one spelling in every key and id built from it. */
const SITE_ID = /^(0|[1-9]\d{0,15})$/;
const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;

/** An ESA site id: a long, carried as a string. */
export function isSiteId(siteId: string): boolean {
  return SITE_ID.test(siteId) && Number.isSafeInteger(Number(siteId));
}

/** An Alibaba Cloud region id (`cn-hangzhou`, `ap-southeast-1`...). */
export function isRegionId(regionId: string): boolean {
  return REGION_ID.test(regionId);
}

/** ESA site ids are longs; they travel as strings. Missing: `MissingSiteId`; not a long: `InvalidParameter.SiteId`. */
export function checkSiteId(siteId: string | undefined, action?: string): string {
  const trimmed = siteId?.trim() ?? '';
  if (trimmed === '') throw GatewayError.refused('MissingSiteId', 'ESA', undefined, action);
  // `0001234567890123` is the site 1234567890123: canonical before any key, id or call is made of it.
  const canonical = /^\d{1,16}$/.test(trimmed) ? trimmed.replace(/^0+(?=\d)/, '') : trimmed;
  if (!isSiteId(canonical)) {
    throw GatewayError.refused('InvalidParameter.SiteId', 'ESA', undefined, action);
  }
  return canonical;
}

export function checkRegionId(regionId: string, action?: string): string {
  if (!isRegionId(regionId)) throw GatewayError.refused('InvalidParameter', 'SLB', `"${regionId.slice(0, 64)}" is not a region id.`, action);
  return regionId;
}

/** Client certificate validity: a whole number of days from 1 to 3650 (ten years). */
export function checkValidityDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw GatewayError.refused('InvalidParameter', 'ESA', 'validityDays must be a whole number from 1 to 3650.', 'CreateClientCertificate');
  }
  return days;
}
