import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { type GatewayContext } from '../context';
import { toCertificateType, toUsageObjects } from './certificate.mapper';
import { CertificateType, DomainValidation } from './certificate.type';
import { CertificateUsageObject } from './usage.type';

@Resolver(() => CertificateType)
export class CertificateResolver {
  @Query(() => CertificateType, { nullable: true, description: 'null with a Certificate.NotFound error when absent.' })
  async certificate(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.certificate(id), ctx);
  }

  @Query(() => CertificateType, { nullable: true, description: 'An ESA site certificate by its ESA id.' })
  async esaCertificate(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('id') id: string,
    @Ctx() ctx: GatewayContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Default: the account the site was seen in, else the first.' }) accountId?: string,
  ): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.esaCertificate(siteId, id, accountId ?? undefined), ctx);
  }

  @Query(() => [CertificateType], { description: 'SLB server certificates of a region, optionally only these ids.' })
  async serverCertificates(
    @Arg('regionId') regionId: string,
    @Arg('ids', () => [String], { nullable: true }) ids: string[] | undefined,
    @Ctx() ctx: GatewayContext,
    @Arg('accountId', () => ID, { nullable: true, description: 'Default: the first account.' }) accountId?: string,
  ): Promise<CertificateType[]> {
    // The region as the inventory holds it (no cloud call), else as the cloud lists it.
    const checked = await ctx.certificates.serverCertificates(
      regionId,
      ids ?? undefined,
      (region, fetch) => ctx.inventory.regionCertificates(region, fetch),
      accountId ?? undefined,
    );
    return checked.certificates.map((certificate) => toCertificateType(certificate, ctx, checked.fromIndex));
  }

  /** The inventory holds no PEM: a certificate read from it fetches its PEM only when asked (through the loaders and the cache). */
  @FieldResolver(() => String, { nullable: true, description: 'The certificate chain, PEM (never a private key).' })
  async certificatePem(@Root() certificate: CertificateType, @Ctx() ctx: GatewayContext): Promise<string | undefined> {
    // SLB never answers a certificate's PEM (DescribeServerCertificates lists what it has): nothing to fetch.
    if (!certificate.fromIndex || certificate.provider === 'SLB') return certificate.certificatePem;
    return (await ctx.certificates.certificate(certificate.id)).certificatePem;
  }

  /**
   * Only the sweep reads where SLB certificates are served, so a certificate read from the cloud (or
   * announced by an event) takes its usages from the inventory: reading them never makes a cloud call.
   */
  @FieldResolver(() => [CertificateUsageObject], { description: 'Where it is served: ESA certificates at their site (client certificates nowhere), SLB ones at listeners and domain extensions.' })
  async usages(@Root() certificate: CertificateType, @Ctx() ctx: GatewayContext): Promise<CertificateUsageObject[]> {
    // Every copy's places (the same certificate deployed to sites and regions), when the index holds it.
    const everywhere = await ctx.inventory.usages(certificate.id);
    return everywhere ? toUsageObjects(everywhere) : (certificate.usages ?? []);
  }

  @FieldResolver(() => [DomainValidation])
  async domainValidations(@Root() certificate: CertificateType, @Ctx() ctx: GatewayContext): Promise<DomainValidation[]> {
    // Only ESA's free (applied) certificates have domain validation records.
    if (!certificate.fromIndex || certificate.kind !== 'EDGE' || certificate.type !== 'free') return certificate.domainValidations;
    return (await ctx.certificates.certificate(certificate.id)).domainValidations;
  }
}
