import { type Params } from '../../protocol/params';
import { SlbErrors } from './slb-errors';

/** How many ids or names one filter takes: "You can specify up to 10" (DescribeLoadBalancers, DescribeLoadBalancerListeners). */
const MAX_LIST_ITEMS = 10;

/** A wildcard or exact domain name, as CreateDomainExtension's `Domain` takes it (`*.example1.com`). */
const DOMAIN = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function loadBalancerIdOf(params: Params): string {
  return params.required('LoadBalancerId', () => SlbErrors.missingParameter('LoadBalancerId')).trim();
}

export function domainExtensionIdOf(params: Params): string {
  return params.required('DomainExtensionId', () => SlbErrors.missingParameter('DomainExtensionId')).trim();
}

/** ListenerPort: "Valid values: 1 to 65535" on every listener page. */
export function listenerPortOf(params: Params): number {
  const port = optionalListenerPortOf(params);
  if (port === undefined) throw SlbErrors.missingParameter('ListenerPort');
  return port;
}

export function optionalListenerPortOf(params: Params): number | undefined {
  const invalid = () => SlbErrors.invalidParameter('The specified parameter ListenerPort is not valid.');
  const port = params.optionalInteger('ListenerPort', invalid);
  if (port !== undefined && (port < 1 || port > 65_535)) throw invalid();
  return port;
}

/** A required ServerCertificateId (SetDomainExtensionAttribute, CreateDomainExtension), or the documented "is empty" answer. */
export function serverCertificateIdParam(params: Params): string {
  return params.required('ServerCertificateId', SlbErrors.certificateIdEmpty).trim();
}

export function domainOf(params: Params): string {
  const domain = params.required('Domain', () => SlbErrors.missingParameter('Domain')).trim().toLowerCase();
  if (!DOMAIN.test(domain)) throw SlbErrors.invalidParameter('The specified parameter Domain is not valid.');
  return domain;
}

/** A comma-separated filter (`lb-1,lb-2`), at most ten items. */
export function commaListOf(params: Params, name: string): string[] | undefined {
  const value = params.optional(name);
  if (value === undefined) return undefined;
  return limited(
    value.split(',').map((item) => item.trim()).filter((item) => item !== ''),
    name,
  );
}

/** A repeated filter sent as `Name.1`, `Name.2`, … (how the SDKs flatten a list), at most ten items. */
export function repeatedListOf(params: Params, name: string): string[] | undefined {
  const items: string[] = [];
  for (const [key, value] of params.entries()) {
    if (new RegExp(`^${name}\\.\\d+$`).test(key) && value.trim() !== '') items.push(value.trim());
  }
  return items.length === 0 ? undefined : limited(items, name);
}

function limited(items: string[], name: string): string[] {
  if (items.length > MAX_LIST_ITEMS) throw SlbErrors.invalidParameter(`The specified parameter ${name} takes at most ${MAX_LIST_ITEMS} values.`);
  return items;
}

export interface SlbPage {
  pageNumber: number;
  pageSize: number;
}

/**
 * DescribeLoadBalancers pages with PageNumber (from 1) and PageSize, "Valid values: 1 to 100"
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancers).
 * The page gives no default size; 10 is the one its sibling DescribeAccessControlLists documents
 * ("Default value: 10"). A value outside the documented range is refused, as SLB validates ranges.
 */
export function slbPageOf(params: Params): SlbPage {
  const invalid = (name: string) => () => SlbErrors.invalidParameter(`The specified parameter ${name} is not valid.`);
  const pageNumber = params.optionalInteger('PageNumber', invalid('PageNumber')) ?? 1;
  const pageSize = params.optionalInteger('PageSize', invalid('PageSize')) ?? 10;
  if (pageNumber < 1) throw invalid('PageNumber')();
  if (pageSize < 1 || pageSize > 100) throw invalid('PageSize')();
  return { pageNumber, pageSize };
}

export interface TokenPage {
  offset: number;
  maxResults: number;
}

/**
 * DescribeLoadBalancerListeners pages with MaxResults ("Valid values: 1 to 100. Default value: 20")
 * and an opaque NextToken
 * (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-describeloadbalancerlisteners).
 * The token here is the offset of the next item, encoded; one this emulator did not issue is refused.
 */
export function tokenPageOf(params: Params): TokenPage {
  const invalid = (name: string) => () => SlbErrors.invalidParameter(`The specified parameter ${name} is not valid.`);
  const maxResults = params.optionalInteger('MaxResults', invalid('MaxResults')) ?? 20;
  if (maxResults < 1 || maxResults > 100) throw invalid('MaxResults')();
  const token = params.optional('NextToken')?.trim();
  if (token === undefined) return { offset: 0, maxResults };
  const match = /^o(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (!match) throw invalid('NextToken')();
  return { offset: Number(match[1]), maxResults };
}

export function nextTokenOf(offset: number): string {
  return Buffer.from(`o${offset}`, 'latin1').toString('base64url');
}
