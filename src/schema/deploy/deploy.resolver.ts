import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { type DeploySource, type DeployTarget } from '../../domain/deploy-service';
import { GatewayError } from '../../domain/errors/gateway-error';
import { encodeCertificateId } from '../../domain/global-id';
import { toCertificateType } from '../certificate/certificate.mapper';
import { type GatewayContext } from '../context';
import { CertificateQuota, DeployCertificateInput, DeployCertificatePayload, DeployStatus, PurgeCertificatesPayload, type DeployTargetInput } from './deploy.types';

@Resolver()
export class DeployResolver {
  @Mutation(() => DeployCertificatePayload, {
    description: 'One certificate onto many targets, uploading a copy where a target needs its own; one result per target, so a partial failure is never ambiguous. Repeating it uploads nothing new.',
  })
  async deployCertificate(@Arg('input', () => DeployCertificateInput) input: DeployCertificateInput, @Ctx() ctx: GatewayContext): Promise<DeployCertificatePayload> {
    const results = await ctx.deploy.deploy(sourceOf(input.source), input.targets.map(targetOf));
    return {
      results: results.map((result) =>
        result.status === 'DEPLOYED'
          ? { status: DeployStatus.DEPLOYED, certificate: toCertificateType(result.certificate, ctx) }
          : { status: DeployStatus.FAILED, errorCode: result.error.code, errorMessage: result.error.message },
      ),
    };
  }

  @Query(() => CertificateQuota, { description: "An ESA site's certificate quota and how much of it is used." })
  async certificateQuota(
    @Arg('siteId', () => ID) siteId: string,
    @Ctx() ctx: GatewayContext,
    @Arg('accountId', () => ID, { nullable: true }) accountId?: string,
  ): Promise<CertificateQuota> {
    const quota = await ctx.maintenance.quota(siteId, accountId ?? undefined);
    const total = (field: 'quota' | 'usage') => quota.pools.reduce((sum, pool) => sum + pool[field], 0);
    return { siteId: quota.siteId, accountId: quota.accountId, quota: total('quota'), usage: total('usage'), pools: quota.pools };
  }

  @Mutation(() => PurgeCertificatesPayload, {
    description: "Lists, and unless dryRun deletes, a site's edge certificates that hold its quota and serve nothing: expired ones, and with expiredOnly false also failed, canceled or revoked ones.",
  })
  async purgeCertificates(
    @Arg('siteId', () => ID) siteId: string,
    @Ctx() ctx: GatewayContext,
    @Arg('expiredOnly', () => Boolean, { defaultValue: true }) expiredOnly: boolean,
    @Arg('dryRun', () => Boolean, { defaultValue: true }) dryRun: boolean,
    @Arg('accountId', () => ID, { nullable: true }) accountId?: string,
  ): Promise<PurgeCertificatesPayload> {
    const result = await ctx.maintenance.purge(siteId, { expiredOnly, dryRun, now: new Date(), ...(accountId === undefined || accountId === null ? {} : { accountId }) });
    return {
      certificates: result.certificates.map((certificate) => toCertificateType(certificate, ctx)),
      deleted: result.deleted,
      errors: result.errors.map(({ certificate, error }) => ({ certificateId: encodeCertificateId(certificate.ref), errorCode: error.code, errorMessage: error.message })),
    };
  }
}

function sourceOf(source: DeployCertificateInput['source']): DeploySource {
  const { certificateId, pem, casId } = source;
  // A field given empty is given all the same: it counts, and the service refuses it as what it is.
  // Exactly one, here where the input is read: the domain's DeploySource cannot hold more or fewer.
  if ([certificateId, pem, casId].filter(isGiven).length !== 1) throw GatewayError.refused('BAD_USER_INPUT', 'GATEWAY', 'Give exactly one source: certificateId, pem or casId.');
  if (isGiven(pem)) return { pem: { certificate: pem.certificate, privateKey: pem.privateKey, ...(pem.name ? { name: pem.name } : {}) } };
  if (isGiven(casId)) return { casId };
  return { certificateId: certificateId as string };
}

function isGiven<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function targetOf(target: DeployTargetInput, index: number): DeployTarget {
  const account = isGiven(target.accountId) ? { accountId: target.accountId } : {};
  if ([target.esaSiteId, target.slbListener, target.slbDomainExtension].filter(isGiven).length !== 1) throw GatewayError.refused('BAD_USER_INPUT', 'GATEWAY', `targets[${index}]: give exactly one of esaSiteId, slbListener and slbDomainExtension.`);
  if (isGiven(target.esaSiteId)) return { esaSite: { siteId: target.esaSiteId, ...account } };
  if (isGiven(target.slbListener)) return { slbListener: { ...target.slbListener, ...account } };
  return { slbDomainExtension: { ...(target.slbDomainExtension as NonNullable<DeployTargetInput['slbDomainExtension']>), ...account } };
}
