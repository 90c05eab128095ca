import { type CertificateRef } from './certificate';
import { GatewayError } from './errors/gateway-error';

export type Scope = 'certificates:read' | 'certificates:write';

/**
 * What one caller may see and change. `sites` / `regions` are allow-lists: absent means every site
 * (region). Lists are filtered to what is allowed; direct access elsewhere is FORBIDDEN.
 */
export class Access {
  private constructor(
    private readonly scopes: ReadonlySet<Scope>,
    private readonly sites?: ReadonlySet<string>,
    private readonly regions?: ReadonlySet<string>,
  ) {}

  static unrestricted(): Access {
    return new Access(new Set<Scope>(['certificates:read', 'certificates:write']));
  }

  static of(scopes: readonly Scope[], sites?: readonly string[], regions?: readonly string[]): Access {
    return new Access(new Set(scopes), sites ? new Set(sites) : undefined, regions ? new Set(regions) : undefined);
  }

  /** Whether some sites or regions are out of this caller's sight. */
  get limited(): boolean {
    return this.sites !== undefined || this.regions !== undefined;
  }

  can(scope: Scope): boolean {
    return this.scopes.has(scope);
  }

  seesSite(siteId: string): boolean {
    return !this.sites || this.sites.has(siteId);
  }

  seesRegion(regionId: string): boolean {
    return !this.regions || this.regions.has(regionId);
  }

  requireSite(siteId: string): void {
    if (!this.seesSite(siteId)) throw forbidden(`This API key may not use site ${siteId}.`);
  }

  requireRegion(regionId: string): void {
    if (!this.seesRegion(regionId)) throw forbidden(`This API key may not use region ${regionId}.`);
  }

  require(ref: CertificateRef): void {
    if (ref.provider === 'ESA') this.requireSite(ref.siteId);
    else this.requireRegion(ref.regionId);
  }
}

function forbidden(detail: string): GatewayError {
  return new GatewayError('FORBIDDEN', detail, { provider: 'GATEWAY' });
}
