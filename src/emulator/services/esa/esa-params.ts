import { type Params } from '../../protocol/params';
import { type Account } from '../../state/account';
import { type SiteRecord } from '../../state/records';
import { EsaErrors } from './esa-errors';

/**
 * How an unknown SiteId is reported differs by operation: ApplyCertificate documents `SiteNotFound`,
 * the certificate operations `InvalidParameter.SiteId`.
 */
export type UnknownSite = 'SiteNotFound' | 'InvalidParameter.SiteId';

export function requireSite(account: Account, params: Params, unknown: UnknownSite = 'InvalidParameter.SiteId'): SiteRecord {
  const notFound = unknown === 'SiteNotFound' ? EsaErrors.siteNotFound : EsaErrors.invalidSiteId;
  const siteId = params.optionalInteger('SiteId', notFound);
  if (siteId === undefined) throw EsaErrors.missingSiteId();
  const site = account.sites.get(String(siteId));
  if (!site) throw notFound();
  return site;
}

export function requireId(params: Params): string {
  return params.required('Id', EsaErrors.idMissing).trim();
}

export interface Page {
  pageNumber: number;
  /** The size served, which is what the answer's `PageSize` reports. */
  pageSize: number;
}

/** How one list operation pages: its default page size and the largest it serves. */
export interface PageRule {
  defaultSize: number;
  maxSize: number;
}

/**
 * PageNumber from 1 and PageSize from 1; a value that is not a positive whole number is refused with
 * InvalidParameter. A PageSize above the operation's maximum is served at the maximum, and the answer's
 * PageSize says so: no ESA page documents an error for a large page (see esa-paging.ts), so a caller
 * must page by the PageSize it gets back, not the one it asked for.
 */
export function pageOf(params: Params, rule: PageRule): Page {
  const invalid = (name: string) => () => EsaErrors.invalidParameter(`${name} must be a positive integer.`);
  const pageNumber = params.optionalInteger('PageNumber', invalid('PageNumber')) ?? 1;
  const pageSize = params.optionalInteger('PageSize', invalid('PageSize')) ?? rule.defaultSize;
  if (pageNumber < 1) throw invalid('PageNumber')();
  if (pageSize < 1) throw invalid('PageSize')();
  return { pageNumber, pageSize: Math.min(pageSize, rule.maxSize) };
}

export function paginate<T>(items: T[], page: Page): T[] {
  const start = (page.pageNumber - 1) * page.pageSize;
  return items.slice(start, start + page.pageSize);
}

/** The envelope every ESA certificate list answers with. */
export function listBody(site: SiteRecord, page: Page, total: number, result: unknown[]): Record<string, unknown> {
  return {
    SiteId: Number(site.id),
    SiteName: site.name,
    PageNumber: page.pageNumber,
    PageSize: page.pageSize,
    TotalCount: total,
    Result: result,
  };
}
