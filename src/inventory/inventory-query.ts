import { type CertificateKind, type ProviderName } from '../domain/certificate';
import { type CertificateStatus } from '../domain/certificate-status';

export interface InventoryFilter {
  providers?: readonly ProviderName[];
  kinds?: readonly CertificateKind[];
  statuses?: readonly CertificateStatus[];
  accountIds?: readonly string[];
  siteIds?: readonly string[];
  regionIds?: readonly string[];
  /** The CN or a SAN covers it: exactly, or as a wildcard one label deep. */
  hostname?: string;
  /** Case-insensitive substring of the name, the CN, a SAN or the native id. */
  search?: string;
  expiresBefore?: Date;
  /** notAfter before now + N days (expired ones included). */
  expiringWithinDays?: number;
}

export type OrderField = 'NOT_AFTER' | 'NAME' | 'CREATED_AT';
export type OrderDirection = 'ASC' | 'DESC';

export interface InventoryOrder {
  field: OrderField;
  direction: OrderDirection;
}

export const DEFAULT_ORDER: InventoryOrder = { field: 'NOT_AFTER', direction: 'ASC' };

/** Relay's page arguments, as given: `first`/`after` forward, or `last`/`before` backward. */
export interface PageRequest {
  first?: number;
  after?: string;
  last?: number;
  before?: string;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
