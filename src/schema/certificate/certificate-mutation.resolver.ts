import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { encodeCertificateId } from '../../domain/global-id';
import { type GatewayContext } from '../context';
import {
  ApplyCertificateInput,
  CreateClientCertificateInput,
  UploadOriginClientCertificateInput,
  UploadServerCertificateInput,
  UploadSiteCertificateInput,
} from './certificate.inputs';
import { toCertificateType } from './certificate.mapper';
import { ApplyCertificatePayload, CreateClientCertificatePayload, DeleteCertificatePayload } from './certificate.payloads';
import { CertificateType } from './certificate.type';
import { FreeCertificateType } from './enums';

@Resolver()
export class CertificateMutationResolver {
  @Mutation(() => CertificateType)
  async uploadOriginClientCertificate(@Arg('input', () => UploadOriginClientCertificateInput) input: UploadOriginClientCertificateInput, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.uploadOriginClientCertificate(withoutNulls(input)), ctx);
  }

  @Mutation(() => CreateClientCertificatePayload)
  async createClientCertificate(@Arg('input', () => CreateClientCertificateInput) input: CreateClientCertificateInput, @Ctx() ctx: GatewayContext): Promise<CreateClientCertificatePayload> {
    const created = await ctx.certificates.createClientCertificate(withoutNulls(input));
    return { certificate: toCertificateType(created.certificate, ctx), ...(created.privateKey ? { privateKey: created.privateKey } : {}) };
  }

  @Mutation(() => ApplyCertificatePayload)
  async applyCertificate(@Arg('input', () => ApplyCertificateInput) input: ApplyCertificateInput, @Ctx() ctx: GatewayContext): Promise<ApplyCertificatePayload> {
    const result = await ctx.certificates.applyCertificate(input.siteId, input.domains, input.type ?? FreeCertificateType.LETS_ENCRYPT, input.accountId ?? undefined);
    return {
      siteName: result.siteName,
      totalCount: result.totalCount,
      applications: result.applications.map((application) => ({
        domain: application.domain,
        status: application.status,
        certificateId: encodeCertificateId(application.ref),
        ref: application.ref,
      })),
    };
  }

  @Mutation(() => CertificateType)
  async uploadServerCertificate(@Arg('input', () => UploadServerCertificateInput) input: UploadServerCertificateInput, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.uploadServerCertificate(withoutNulls(input)), ctx);
  }

  @Mutation(() => CertificateType, { description: 'ESA SetCertificate: your own PEM and key, or a CAS id.' })
  async uploadSiteCertificate(@Arg('input', () => UploadSiteCertificateInput) input: UploadSiteCertificateInput, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.uploadSiteCertificate(withoutNulls(input)), ctx);
  }

  @Mutation(() => CertificateType)
  async revokeClientCertificate(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.revokeClientCertificate(id), ctx);
  }

  @Mutation(() => CertificateType)
  async activateClientCertificate(@Arg('id', () => ID) id: string, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.activateClientCertificate(id), ctx);
  }

  @Mutation(() => CertificateType, { description: 'SLB SetServerCertificateName.' })
  async renameCertificate(@Arg('id', () => ID) id: string, @Arg('name') name: string, @Ctx() ctx: GatewayContext): Promise<CertificateType> {
    return toCertificateType(await ctx.certificates.renameCertificate(id, name), ctx);
  }

  @Mutation(() => DeleteCertificatePayload, {
    description: 'Any kind, routed by the id. One an SLB listener or domain extension serves is refused (CertificateAndPrivateKeyIsRefered, naming where); force leaves the judgement to the cloud.',
  })
  async deleteCertificate(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GatewayContext,
    @Arg('force', () => Boolean, { defaultValue: false }) force: boolean,
  ): Promise<DeleteCertificatePayload> {
    const ref = await ctx.certificates.deleteCertificate(id, force);
    return { id: encodeCertificateId(ref), deleted: true };
  }
}

/** GraphQL gives explicit nulls for omitted nullable input fields; the domain speaks in absent fields. */
function withoutNulls<T extends object>(input: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}
