import { GatewayError } from '../domain/errors/gateway-error';
import { checkSiteId } from '../domain/validation/identifiers';
import { type InventoryFilter } from './inventory-query';

/** A hundred years either way: past that a day count says nothing a date could not. */
const MAX_DAYS = 36_500;
/** The longest DNS name (RFC 1035). */
const MAX_HOSTNAME = 253;
const MAX_SEARCH = 256;
const MAX_LIST = 1_000;

/**
 * A filter as a caller wrote it, refused with BAD_USER_INPUT where it cannot mean anything (an empty or
 * over-long hostname, a day count past any certificate's life, a list longer than any estate's), and
 * with site ids made canonical. Checked before the index is read, in time proportional to the filter.
 */
export function checkFilter(filter: InventoryFilter): InventoryFilter {
  const refuse = (message: string) => new GatewayError('BAD_USER_INPUT', message, { provider: 'GATEWAY' });
  for (const [name, list] of Object.entries(filter)) {
    if (Array.isArray(list) && list.length > MAX_LIST) throw refuse(`filter.${name} may list at most ${MAX_LIST} values.`);
  }
  const hostname = filter.hostname?.trim();
  if (hostname !== undefined && (hostname === '' || hostname.length > MAX_HOSTNAME)) throw refuse(`filter.hostname must be a name of 1 to ${MAX_HOSTNAME} characters.`);
  if (filter.search !== undefined && filter.search.length > MAX_SEARCH) throw refuse(`filter.search may be at most ${MAX_SEARCH} characters.`);
  const days = filter.expiringWithinDays;
  if (days !== undefined && Math.abs(days) > MAX_DAYS) throw refuse(`filter.expiringWithinDays must be from -${MAX_DAYS} to ${MAX_DAYS}.`);
  if (filter.expiresBefore !== undefined && Number.isNaN(filter.expiresBefore.getTime())) throw refuse('filter.expiresBefore is not a date.');
  return filter.siteIds ? { ...filter, siteIds: filter.siteIds.map((id) => checkSiteId(id)) } : filter;
}
