import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { Sources } from '../../inventory/sources';
import { type GatewayContext } from '../context';
import { toConnection, toFilter } from '../inventory/inventory.resolver';
import { CertificateConnection, CertificateFilter } from '../inventory/inventory.types';
import { SiteType } from './site.type';

@Resolver(() => SiteType)
export class SiteResolver {
  @Query(() => [SiteType])
  sites(@Ctx() ctx: GatewayContext): Promise<SiteType[]> {
    return ctx.certificates.sites();
  }

  @Query(() => SiteType, { nullable: true })
  site(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Default: the account the site was seen in, else the first.' }) accountId?: string,
  ): Promise<SiteType> {
    return ctx.certificates.site(id, accountId ?? undefined);
  }

  @FieldResolver(() => CertificateConnection, { description: 'Edge, client and origin client certificates of the site, from the inventory.' })
  async certificates(
    @Root() site: SiteType,
    @Ctx() ctx: GatewayContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('filter', () => CertificateFilter, { nullable: true }) filter?: CertificateFilter,
  ): Promise<CertificateConnection> {
    const page = { ...(first == null ? {} : { first }), ...(after == null ? {} : { after }) };
    // The index answers; when it cannot vouch for this site's list, the cloud's is read into it first.
    const key = { accountId: site.accountId, siteId: site.id };
    await ctx.inventory.settle(Sources.site(key), () => ctx.certificates.siteCertificates(key));
    return toConnection(await ctx.inventory.certificates(page, { ...toFilter(filter), siteIds: [site.id], accountIds: [site.accountId] }), ctx);
  }
}
