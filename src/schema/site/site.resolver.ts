import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { toCertificateType } from '../certificate/certificate.mapper';
import { CertificateType } from '../certificate/certificate.type';
import { type GatewayContext } from '../context';
import { SiteType } from './site.type';

@Resolver(() => SiteType)
export class SiteResolver {
  @Query(() => [SiteType])
  sites(@Ctx() ctx: GatewayContext): Promise<SiteType[]> {
    return ctx.certificates.sites();
  }

  @Query(() => SiteType, { nullable: true })
  site(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<SiteType> {
    return ctx.certificates.site(id);
  }

  @FieldResolver(() => [CertificateType], { description: 'Edge, client and origin client certificates of the site.' })
  async certificates(@Root() site: SiteType, @Ctx() ctx: GatewayContext): Promise<CertificateType[]> {
    const certificates = await ctx.certificates.siteCertificates(site.id);
    return certificates.map((certificate) => toCertificateType(certificate, ctx.clock));
  }
}
