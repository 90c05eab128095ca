import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { type GatewayContext } from '../context';
import { toCertificateType } from './certificate.mapper';
import { CertificateApplication } from './certificate.payloads';
import { CertificateType } from './certificate.type';

@Resolver(() => CertificateApplication)
export class CertificateApplicationResolver {
  @FieldResolver(() => CertificateType, { nullable: true, description: 'The applied certificate, read through the batching loader.' })
  async certificate(@Root() application: CertificateApplication, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.applicationCertificate(application.ref), ctx);
  }
}
