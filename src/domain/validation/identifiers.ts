import { GatewayError } from '../errors/gateway-error';

const SITE_ID = /^\d{1,16}$/;
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
  if (!isSiteId(trimmed)) {
    throw GatewayError.refused('InvalidParameter.SiteId', 'ESA', undefined, action);
  }
  return trimmed;
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
