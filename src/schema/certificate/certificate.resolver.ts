import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { type GatewayContext } from '../context';
import { toCertificateType } from './certificate.mapper';
import { CertificateType } from './certificate.type';

@Resolver(() => CertificateType)
export class CertificateResolver {
  @Query(() => CertificateType, { nullable: true, description: 'null with a Certificate.NotFound error when absent.' })
  async certificate(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.certificate(id), ctx.clock);
  }

  @Query(() => [CertificateType], { nullable: 'items', description: 'One entry per id, in order; a null carries its error by path.' })
  certificates(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: GatewayContext): Array<Promise<CertificateType>> {
    return ctx.certificates.certificates(ids).map(async (certificate) => toCertificateType(await certificate, ctx.clock));
  }

  @Query(() => CertificateType, { nullable: true, description: 'An ESA site certificate by its ESA id.' })
  async esaCertificate(@Arg('siteId', () => ID) siteId: string, @Arg('id') id: string, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.esaCertificate(siteId, id), ctx.clock);
  }

  @Query(() => [CertificateType], { description: 'SLB server certificates of a region, optionally only these ids.' })
  async serverCertificates(
    @Arg('regionId') regionId: string,
    @Arg('ids', () => [String], { nullable: true }) ids: string[] | undefined,
    @Ctx() ctx: GatewayContext,
  ): Promise<CertificateType[]> {
    const certificates = await ctx.certificates.serverCertificates(regionId, ids ?? undefined);
    return certificates.map((certificate) => toCertificateType(certificate, ctx.clock));
  }
}
