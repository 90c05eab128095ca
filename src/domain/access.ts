import { type CertificateRef } from './certificate';
import { GatewayError } from './errors/gateway-error';

export type Scope = 'certificates:read' | 'certificates:write';

/** A caller's allow-lists: absent means every account (site, region). */
export interface Allowed {
  accounts?: readonly string[];
  sites?: readonly string[];
  regions?: readonly string[];
}

/**
 * What one caller may see and change. `accounts` / `sites` / `regions` are allow-lists: absent means
 * every account (site, region). Lists are filtered to what is allowed; direct access elsewhere is
 * FORBIDDEN.
 */
export class Access {
  private readonly accounts?: ReadonlySet<string>;
  private readonly sites?: ReadonlySet<string>;
  private readonly regions?: ReadonlySet<string>;

  private constructor(
    private readonly scopes: ReadonlySet<Scope>,
    allowed: Allowed = {},
  ) {
    if (allowed.accounts) this.accounts = new Set(allowed.accounts);
    if (allowed.sites) this.sites = new Set(allowed.sites);
    if (allowed.regions) this.regions = new Set(allowed.regions);
  }

  static unrestricted(): Access {
    return new Access(new Set<Scope>(['certificates:read', 'certificates:write']));
  }

  static of(scopes: readonly Scope[], allowed: Allowed = {}): Access {
    return new Access(new Set(scopes), allowed);
  }

  /** Whether some accounts, sites or regions are out of this caller's sight. */
  get limited(): boolean {
    return this.accounts !== undefined || this.sites !== undefined || this.regions !== undefined;
  }

  can(scope: Scope): boolean {
    return this.scopes.has(scope);
  }

  seesAccount(accountId: string): boolean {
    return !this.accounts || this.accounts.has(accountId);
  }

  seesSite(siteId: string): boolean {
    return !this.sites || this.sites.has(siteId);
  }

  seesRegion(regionId: string): boolean {
    return !this.regions || this.regions.has(regionId);
  }

  requireAccount(accountId: string): void {
    if (!this.seesAccount(accountId)) throw forbidden(`This API key may not use account ${accountId}.`);
  }

  requireSite(siteId: string): void {
    if (!this.seesSite(siteId)) throw forbidden(`This API key may not use site ${siteId}.`);
  }

  requireRegion(regionId: string): void {
    if (!this.seesRegion(regionId)) throw forbidden(`This API key may not use region ${regionId}.`);
  }

  /** Whether the caller sees this certificate: its account, and its site or region. */
  sees(ref: CertificateRef): boolean {
    return this.seesAccount(ref.accountId) && (ref.provider === 'ESA' ? this.seesSite(ref.siteId) : this.seesRegion(ref.regionId));
  }

  require(ref: CertificateRef): void {
    this.requireAccount(ref.accountId);
    if (ref.provider === 'ESA') this.requireSite(ref.siteId);
    else this.requireRegion(ref.regionId);
  }
}

function forbidden(detail: string): GatewayError {
  return new GatewayError('FORBIDDEN', detail, { provider: 'GATEWAY' });
}
