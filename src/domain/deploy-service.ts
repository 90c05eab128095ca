import { type Access } from './access';
import { type Certificate, type CertificateRef, type RegionKey, type SiteKey } from './certificate';
import { type CertificateService } from './certificate-service';
import { GatewayError } from './errors/gateway-error';
import { encodeCertificateId } from './global-id';
import { pemFacts } from './pem-facts';
import { type CloudAccounts, type ExclusiveRuns, type InventoryUpdates } from './ports';
import { checkCertificateAndKey } from './validation/pem-checks';
import { checkUploadedName } from './validation/server-certificate-names';

/** What is deployed: a certificate the gateway knows, a PEM and its key, or a Certificate Management Service id. */
export type DeploySource = { certificateId: string } | { pem: { certificate: string; privateKey: string; name?: string } } | { casId: string };

export type DeployTarget =
  | { esaSite: { siteId: string; accountId?: string } }
  | { slbListener: { regionId: string; loadBalancerId: string; listenerPort: number; accountId?: string } }
  | { slbDomainExtension: { regionId: string; loadBalancerId: string; listenerPort: number; domain: string; accountId?: string } };

export type DeployResult = { status: 'DEPLOYED'; certificate: Certificate } | { status: 'FAILED'; error: GatewayError };

/** Where a copy of the certificate lives: one per ESA site, one per SLB region of an account. */
type Scope = { kind: 'site'; key: SiteKey } | { kind: 'region'; key: RegionKey };

/** A source as deploying needs it: what identifies its copies, and how to make one. */
interface Source {
  /** The certificate itself, when it lives in that scope already. */
  ref?: CertificateRef;
  fingerprintSha1?: string;
  fingerprintSha256?: string;
  casId?: string;
  pem?: { certificate: string; privateKey: string; name?: string };
}

const MAX_TARGETS = 50;

export interface DeployOptions {
  /** Where deploying writes the usages it changed (the inventory). */
  inventory?: InventoryUpdates;
  /** Orders the making of one copy across instances, so deploys that race for it upload it once. */
  exclusive?: ExclusiveRuns;
}

/**
 * One certificate onto many targets: ESA sites, SLB HTTPS listeners, SLB domain extensions. A target
 * needs the certificate in its own scope (its site, its account's region): the copy already there is
 * used (the source itself, or an earlier upload of the same certificate, found by fingerprint or CAS
 * id, so repeating a deploy uploads nothing), else one is uploaded, once per scope however many
 * targets share it. Then each listener or domain extension is pointed at its copy. Every target gets
 * its own result, in order: a failure is that target's alone.
 */
export class DeployService {
  constructor(
    private readonly certificates: CertificateService,
    private readonly accounts: CloudAccounts,
    private readonly access: Access,
    private readonly options: DeployOptions = {},
  ) {}

  private get inventory(): InventoryUpdates | undefined {
    return this.options.inventory;
  }

  async deploy(source: DeploySource, targets: readonly DeployTarget[]): Promise<DeployResult[]> {
    if (targets.length === 0 || targets.length > MAX_TARGETS) {
      throw GatewayError.refused('BAD_USER_INPUT', 'GATEWAY', `Give 1 to ${MAX_TARGETS} targets.`);
    }
    const from = await this.source(source);
    // A name SLB would refuse fails the whole deploy before anything is uploaded, not one region's targets after another's.
    if (from.pem?.name !== undefined && targets.some((target) => !('esaSite' in target))) checkUploadedName(from.pem.name);
    // Each target's scope, refused alone when it is not one (a bad site id, an account the key may not use).
    const scopes = targets.map((target) => settle(() => this.scopeOf(target)));
    const copies = new Map<string, Promise<Certificate>>();
    const copyIn = (scope: Scope) => {
      const key = scopeKey(scope);
      let copy = copies.get(key);
      if (!copy) {
        copy = this.copyIn(scope, from);
        copies.set(key, copy);
      }
      return copy;
    };
    const results = await Promise.all(
      targets.map(async (target, index): Promise<DeployResult> => {
        try {
          const scope = scopes[index] as Scope | GatewayError;
          if (scope instanceof GatewayError) throw scope;
          const copy = await copyIn(scope);
          await this.bind(target, copy);
          return { status: 'DEPLOYED', certificate: copy };
        } catch (error) {
          return { status: 'FAILED', error: asGatewayError(error) };
        }
      }),
    );
    await this.recordUsages(targets, results);
    return results;
  }

  /** Checks the source and learns what identifies its copies. */
  private async source(source: DeploySource): Promise<Source> {
    if ('pem' in source) {
      checkCertificateAndKey(source.pem.certificate, source.pem.privateKey, 'SLB', 'UploadServerCertificate');
      const facts = pemFacts(source.pem.certificate);
      return { pem: source.pem, ...(facts ? { fingerprintSha1: facts.fingerprintSha1, fingerprintSha256: facts.fingerprintSha256 } : {}) };
    }
    if ('casId' in source) {
      if (!/^\d{1,20}$/.test(source.casId)) throw GatewayError.refused('InvalidParameter', 'GATEWAY', 'casId is the numeric id of a Certificate Management Service certificate.');
      return { casId: source.casId };
    }
    const certificate = await this.certificates.certificate(source.certificateId);
    const casId = certificate.casId ?? certificate.aliCloudCertificateId;
    return {
      ref: certificate.ref,
      ...(certificate.fingerprintSha1 ? { fingerprintSha1: certificate.fingerprintSha1.toLowerCase() } : {}),
      ...(certificate.fingerprintSha256 ? { fingerprintSha256: certificate.fingerprintSha256.toLowerCase() } : {}),
      ...(casId ? { casId } : {}),
    };
  }

  private scopeOf(target: DeployTarget): Scope {
    if ('esaSite' in target) {
      const key = this.certificates.siteKey(target.esaSite.siteId, target.esaSite.accountId, 'SetCertificate');
      this.access.requireSite(key.siteId);
      return { kind: 'site', key };
    }
    const slb = 'slbListener' in target ? target.slbListener : target.slbDomainExtension;
    const key = this.certificates.regionKey(slb.regionId, slb.accountId, 'UploadServerCertificate');
    this.access.requireRegion(key.regionId);
    if (!/^[\w.-]{1,64}$/.test(slb.loadBalancerId)) throw GatewayError.refused('InvalidParameter', 'SLB', 'The specified LoadBalancerId is not valid.', 'SetLoadBalancerHTTPSListenerAttribute');
    if (!Number.isInteger(slb.listenerPort) || slb.listenerPort < 1 || slb.listenerPort > 65_535) {
      throw GatewayError.refused('InvalidParameter', 'SLB', 'ListenerPort is a port from 1 to 65535.', 'SetLoadBalancerHTTPSListenerAttribute');
    }
    return { kind: 'region', key };
  }

  /**
   * The certificate in this scope: the source itself, a copy made before, or a new upload. Looking for
   * a copy and uploading one happen under one key per scope and certificate, held by one deploy at a
   * time on any instance: a deploy that raced another finds the copy the other just made.
   */
  private async copyIn(scope: Scope, source: Source): Promise<Certificate> {
    if (source.ref && inScope(source.ref, scope)) return this.certificates.certificate(encodeRef(source.ref));
    const identity = source.fingerprintSha256 ?? source.fingerprintSha1 ?? source.casId;
    const { exclusive } = this.options;
    const mayUpload = source.pem !== undefined || source.casId !== undefined;
    if (!exclusive || !mayUpload || identity === undefined) return this.findOrUpload(scope, source);
    return exclusive.run(`${scopeKey(scope)}/${identity}`, () => this.findOrUpload(scope, source));
  }

  private async findOrUpload(scope: Scope, source: Source): Promise<Certificate> {
    const held = scope.kind === 'site' ? await this.certificates.siteCertificates(scope.key) : (await this.certificates.serverCertificates(scope.key.regionId, undefined, undefined, scope.key.accountId)).certificates;
    const same = held.find((certificate) => sameCertificate(certificate, source));
    if (same) return same;
    if (source.pem) {
      const { certificate, privateKey, name } = source.pem;
      return scope.kind === 'site'
        ? this.certificates.uploadSiteCertificate({ ...scope.key, certificate, privateKey, ...(name ? { name } : {}) })
        : this.certificates.uploadServerCertificate({ ...scope.key, serverCertificate: certificate, privateKey, ...(name ? { name } : {}) });
    }
    if (source.casId) {
      return scope.kind === 'site'
        ? this.certificates.uploadSiteCertificate({ ...scope.key, casId: source.casId })
        : this.certificates.uploadServerCertificate({ ...scope.key, aliCloudCertificateId: source.casId });
    }
    const where = scope.kind === 'site' ? `ESA site ${scope.key.siteId}` : `SLB ${scope.key.regionId}`;
    throw GatewayError.refused('InvalidParameter', 'GATEWAY', `A copy in ${where} needs the certificate's private key or a Certificate Management Service id: deploy from pem or casId.`);
  }

  /** Points a listener or a domain extension at its copy; an ESA site serves its certificates by hostname, so there is nothing to point. */
  private async bind(target: DeployTarget, copy: Certificate): Promise<void> {
    if ('esaSite' in target || copy.ref.provider !== 'SLB') return;
    const { accountId, nativeId } = copy.ref;
    const slb = this.accounts.get(accountId).slb;
    if ('slbListener' in target) {
      const { regionId, loadBalancerId, listenerPort } = target.slbListener;
      const listener = await slb.describeHttpsListener(regionId, loadBalancerId, listenerPort);
      if (listener.serverCertificateId !== nativeId) await this.certificates.changing({ accountId, regionId }, () => slb.setListenerCertificate(regionId, loadBalancerId, listenerPort, nativeId));
      return;
    }
    const { regionId, loadBalancerId, listenerPort, domain } = target.slbDomainExtension;
    const listener = await slb.describeHttpsListener(regionId, loadBalancerId, listenerPort);
    const extension = listener.domainExtensions.find((candidate) => candidate.domain.toLowerCase() === domain.trim().toLowerCase());
    if (!extension) {
      throw GatewayError.refusedAs(
        'InvalidParameter.DomainExtensionId',
        'SLB',
        `The listener ${loadBalancerId}:${listenerPort} has no domain extension for ${domain.slice(0, 253)}.`,
        'SetDomainExtensionAttribute',
      );
    }
    if (extension.serverCertificateId !== nativeId) {
      await this.certificates.changing({ accountId, regionId }, () => slb.setDomainExtensionCertificate(regionId, extension.domainExtensionId, nativeId));
    }
  }

  /**
   * The regions whose listeners changed are read again, and their certificates' usages written into
   * the index at once (each certificate whose usages changed is announced as changed), so every
   * instance lists the new usages in its next request. Deploying made its changes whatever happens
   * here: a region that cannot be read is left to the next sweep.
   */
  private async recordUsages(targets: readonly DeployTarget[], results: readonly DeployResult[]): Promise<void> {
    if (!this.inventory) return;
    const regions = new Map<string, RegionKey>();
    const deployed = new Map<string, Certificate>();
    results.forEach((result, index) => {
      if (result.status !== 'DEPLOYED') return;
      deployed.set(encodeRef(result.certificate.ref), result.certificate);
      const target = targets[index] as DeployTarget;
      if ('esaSite' in target || result.certificate.ref.provider !== 'SLB') return;
      const key = { accountId: result.certificate.ref.accountId, regionId: result.certificate.ref.regionId };
      regions.set(`${key.accountId}/${key.regionId}`, key);
    });
    await Promise.all(
      [...regions.values()].map(async (region) => {
        try {
          const usages = await this.accounts.get(region.accountId).slb.describeCertificateUsages(region.regionId);
          await this.inventory?.setUsages(region, usages, 'deployed');
        } catch {
          // The next sweep reads them.
        }
      }),
    );
    // ESA copies: the site serves them; they are announced as deployed too.
    const siteCopies = [...deployed.values()].filter((certificate) => certificate.ref.provider === 'ESA');
    if (siteCopies.length) await this.inventory.upsert(siteCopies, 'deployed').catch(() => undefined);
  }
}

function inScope(ref: CertificateRef, scope: Scope): boolean {
  if (ref.accountId !== scope.key.accountId) return false;
  return scope.kind === 'site' ? ref.provider === 'ESA' && ref.kind === 'EDGE' && ref.siteId === scope.key.siteId : ref.provider === 'SLB' && ref.regionId === scope.key.regionId;
}

function sameCertificate(certificate: Certificate, source: Source): boolean {
  if (source.casId && (certificate.casId === source.casId || certificate.aliCloudCertificateId === source.casId)) return true;
  if (certificate.ref.provider === 'ESA' && certificate.ref.kind !== 'EDGE') return false;
  if (source.fingerprintSha256 && certificate.fingerprintSha256?.toLowerCase() === source.fingerprintSha256) return true;
  return source.fingerprintSha1 !== undefined && certificate.fingerprintSha1?.toLowerCase() === source.fingerprintSha1;
}

function scopeKey(scope: Scope): string {
  return scope.kind === 'site' ? `site/${scope.key.accountId}/${scope.key.siteId}` : `region/${scope.key.accountId}/${scope.key.regionId}`;
}

const encodeRef = encodeCertificateId;

function settle<T>(work: () => T): T | GatewayError {
  try {
    return work();
  } catch (error) {
    return asGatewayError(error);
  }
}

function asGatewayError(error: unknown): GatewayError {
  return error instanceof GatewayError ? error : new GatewayError('INTERNAL_SERVER_ERROR', 'Internal server error.', { provider: 'GATEWAY' });
}
