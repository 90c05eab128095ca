import { type Access } from './access';
import { regionOf, siteOf, type Certificate, type CertificateRef } from './certificate';
import { type Change, type CertificateReader } from './certificate-reader';
import { GatewayError } from './errors/gateway-error';
import { decodeCertificateId } from './global-id';
import {
  type ApplyCertificateResult,
  type CreatedClientCertificate,
  type FreeCertificateType,
  type ServerCertificateInput,
} from './inputs';
import { withPemFacts } from './pem-facts';
import { type Site } from './site';
import { checkFreeCertificateDomains } from './validation/free-certificate-domains';
import { checkRegionId, checkSiteId, checkValidityDays } from './validation/identifiers';
import { checkAliCloudCertificateName, checkNewName, checkUploadedName } from './validation/server-certificate-names';
import { checkCertificateAndKey, checkCsr } from './validation/pem-checks';
import { type EsaProvider, type InventoryUpdates, type SlbProvider } from './ports';

/**
 * The gateway's operations, per request. Reads go through the request's reader (batched, memoised);
 * writes validate what the documentation defines as invalid before calling the cloud, then make the
 * reader forget what it knew, here and in the shared cache: after a success, and after a call whose
 * outcome is unknown, since the cloud may have made that change too.
 */
export class CertificateService {
  constructor(
    private readonly reader: CertificateReader,
    private readonly esa: EsaProvider,
    private readonly slb: SlbProvider,
    private readonly access: Access,
    private readonly inventory?: InventoryUpdates,
  ) {}

  // Async so a refusal (a bad id, an id the caller may not see) is a rejection, never a throw; the
  // reader's load still happens in the caller's tick, so ids asked together are batched together.
  async certificate(id: string): Promise<Certificate> {
    return this.read(decodeCertificateId(id));
  }

  /** One promise per id, in order: a bad or missing id fails its own slot only. */
  certificates(ids: readonly string[]): Array<Promise<Certificate>> {
    return ids.map((id) => this.certificate(id));
  }

  esaCertificate(siteId: string, id: string): Promise<Certificate> {
    return this.read({ provider: 'ESA', kind: 'EDGE', siteId: checkSiteId(siteId, 'GetCertificate'), nativeId: checkNativeId(id) });
  }

  /**
   * A region's server certificates: from `indexed` (the inventory, which reads the cloud through
   * `fetch` when it must) when given, else from the cloud.
   */
  async serverCertificates(
    regionId: string,
    ids?: readonly string[],
    indexed?: (regionId: string, fetch: () => Promise<Certificate[]>) => Promise<Certificate[]>,
  ): Promise<{ certificates: Certificate[]; fromIndex: boolean }> {
    this.access.requireRegion(checkRegionId(regionId, 'DescribeServerCertificates'));
    const fetch = () => this.reader.regionCertificates(regionId);
    const all = indexed ? await indexed(regionId, fetch) : await fetch();
    const wanted = ids === undefined ? undefined : new Set(ids);
    return { certificates: wanted ? all.filter((certificate) => wanted.has(certificate.ref.nativeId)) : all, fromIndex: indexed !== undefined };
  }

  /** The sites this caller may see. */
  async sites(): Promise<Site[]> {
    return (await this.reader.sites()).filter((site) => this.access.seesSite(site.id));
  }

  site(siteId: string): Promise<Site> {
    const checked = checkSiteId(siteId, 'GetSite');
    this.access.requireSite(checked);
    return this.reader.site(checked);
  }

  siteCertificates(siteId: string): Promise<Certificate[]> {
    this.access.requireSite(siteId);
    return this.reader.siteCertificates(siteId);
  }

  /** The certificate an application created, read through the batch reader. */
  applicationCertificate(ref: CertificateRef): Promise<Certificate> {
    return this.read(ref);
  }

  /** Every read of one certificate goes through here: refused before any call when the caller may not see it. */
  private async read(ref: CertificateRef): Promise<Certificate> {
    this.access.require(ref);
    return this.reader.certificate(ref);
  }

  async applyCertificate(siteId: string, domains: readonly string[], type: FreeCertificateType): Promise<ApplyCertificateResult> {
    const checkedSiteId = checkSiteId(siteId, 'ApplyCertificate');
    this.access.requireSite(checkedSiteId);
    const input = { siteId: checkedSiteId, domains: checkFreeCertificateDomains(domains, type), type };
    const result = await this.change({ siteId: input.siteId }, () => this.esa.applyCertificate(input));
    await this.reader.changed({ siteId: input.siteId });
    await this.indexed(Promise.all(result.applications.map((application) => this.reader.certificate(application.ref))), 'applied');
    return result;
  }

  async uploadSiteCertificate(input: { siteId: string; certificate?: string; privateKey?: string; name?: string; casId?: string }): Promise<Certificate> {
    const siteId = checkSiteId(input.siteId, 'SetCertificate');
    this.access.requireSite(siteId);
    checkName(input.name, 'ESA', 'SetCertificate');
    const name = input.name === undefined ? {} : { name: input.name };
    let ref: CertificateRef;
    if (input.casId !== undefined) {
      if (input.certificate !== undefined || input.privateKey !== undefined) throw refusedBoth();
      const attach = { siteId, kind: 'cas' as const, casId: input.casId, ...name };
      ref = await this.change({ siteId }, () => this.esa.setCertificate(attach));
    } else {
      if (input.certificate === undefined || input.privateKey === undefined) {
        throw GatewayError.refused('InvalidParameter', 'ESA', 'Give certificate and privateKey, or casId.', 'SetCertificate');
      }
      checkCertificateAndKey(input.certificate, input.privateKey, 'ESA', 'SetCertificate');
      const upload = { siteId, kind: 'upload' as const, certificate: input.certificate, privateKey: input.privateKey, ...name };
      ref = await this.change({ siteId }, () => this.esa.setCertificate(upload));
    }
    await this.reader.changed({ siteId, ref });
    return this.indexed(this.reader.certificate(ref), 'uploaded');
  }

  async uploadOriginClientCertificate(input: { siteId: string; certificate: string; privateKey: string; name?: string }): Promise<Certificate> {
    const siteId = checkSiteId(input.siteId, 'UploadSiteOriginClientCertificate');
    this.access.requireSite(siteId);
    checkName(input.name, 'ESA', 'UploadSiteOriginClientCertificate');
    checkCertificateAndKey(input.certificate, input.privateKey, 'ESA', 'UploadSiteOriginClientCertificate');
    const certificate = await this.change({ siteId }, () => this.esa.uploadOriginClientCertificate({ ...input, siteId }));
    await this.reader.changed({ siteId });
    // The upload answer describes the certificate without its name, PEM or SANs
    // (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-uploadsiteoriginclientcertificate): the
    // name is the one just given, and the PEM just uploaded is the certificate.
    const given = input.name?.trim();
    const named = certificate.name === undefined && given ? { ...certificate, name: given } : certificate;
    return this.indexed(Promise.resolve(withPemFacts(named, input.certificate)), 'uploaded');
  }

  async createClientCertificate(input: { siteId: string; csr?: string; keyAlgorithm?: 'RSA' | 'ECDSA'; validityDays: number }): Promise<CreatedClientCertificate> {
    const siteId = checkSiteId(input.siteId, 'CreateClientCertificate');
    this.access.requireSite(siteId);
    const validityDays = checkValidityDays(input.validityDays);
    if (input.csr !== undefined) {
      if (input.keyAlgorithm !== undefined) {
        throw GatewayError.refused('InvalidParameter', 'ESA', 'Give a CSR or a keyAlgorithm, not both.', 'CreateClientCertificate');
      }
      checkCsr(input.csr);
    }
    const created = await this.change({ siteId }, () => this.esa.createClientCertificate({ ...input, siteId, validityDays }));
    await this.reader.changed({ siteId });
    // Completed from its PEM like every read (the create answer has no SANs or key algorithm).
    return { ...created, certificate: await this.indexed(Promise.resolve(withPemFacts(created.certificate)), 'created') };
  }

  async uploadServerCertificate(input: ServerCertificateInput): Promise<Certificate> {
    const regionId = checkRegionId(input.regionId, 'UploadServerCertificate');
    this.access.requireRegion(regionId);
    const name = checkUploadedName(input.name);
    checkName(input.aliCloudCertificateName, 'SLB', 'UploadServerCertificate');
    checkAliCloudCertificateName(input.aliCloudCertificateName);
    const byPem = input.serverCertificate !== undefined || input.privateKey !== undefined;
    if (byPem && input.aliCloudCertificateId !== undefined) throw refusedBoth('SLB');
    if (byPem) {
      if (input.serverCertificate === undefined || input.privateKey === undefined) {
        throw GatewayError.refused('InvalidParameter', 'SLB', 'The specified parameter ServerCertificate or Key is empty.', 'UploadServerCertificate');
      }
      checkCertificateAndKey(input.serverCertificate, input.privateKey, 'SLB', 'UploadServerCertificate');
    } else if (input.aliCloudCertificateId === undefined) {
      throw GatewayError.refused('InvalidParameter', 'SLB', 'Give serverCertificate and privateKey, or aliCloudCertificateId.', 'UploadServerCertificate');
    }
    const certificate = await this.change({ regionId }, () => this.slb.uploadServerCertificate({ ...input, regionId, name }));
    await this.reader.changed({ regionId });
    return this.indexed(Promise.resolve(certificate), 'uploaded');
  }

  async revokeClientCertificate(id: string): Promise<Certificate> {
    const ref = clientRef(id);
    this.access.require(ref);
    await this.change({ ref, siteId: siteOf(ref) }, () => this.esa.revokeClientCertificate(ref));
    await this.reader.changed({ ref, siteId: siteOf(ref) });
    return this.indexed(this.reader.certificate(ref), 'revoked');
  }

  async activateClientCertificate(id: string): Promise<Certificate> {
    const ref = clientRef(id);
    this.access.require(ref);
    await this.change({ ref, siteId: siteOf(ref) }, () => this.esa.activateClientCertificate(ref));
    await this.reader.changed({ ref, siteId: siteOf(ref) });
    return this.indexed(this.reader.certificate(ref), 'activated');
  }

  async renameCertificate(id: string, name: string): Promise<Certificate> {
    const ref = decodeCertificateId(id);
    this.access.require(ref);
    if (ref.provider !== 'SLB') {
      throw GatewayError.refused('InvalidParameter', 'GATEWAY', 'Only SLB server certificates can be renamed.', 'SetServerCertificateName');
    }
    const newName = checkNewName(name);
    await this.change({ ref, regionId: regionOf(ref) }, () => this.slb.renameServerCertificate(ref, newName));
    await this.reader.changed({ ref, regionId: regionOf(ref) });
    return this.indexed(this.reader.certificate(ref), 'renamed');
  }

  async deleteCertificate(id: string): Promise<CertificateRef> {
    const ref = decodeCertificateId(id);
    this.access.require(ref);
    const touched = { ref, siteId: siteOf(ref), regionId: regionOf(ref) };
    await this.change(touched, () => (ref.provider === 'ESA' ? this.esa : this.slb).deleteCertificate(ref));
    await this.reader.changed(touched);
    await this.inventory?.remove([ref]).catch(() => undefined);
    return ref;
  }

  /**
   * What a mutation made or changed, into the inventory before the caller hears of it. The cloud has
   * made the change whatever happens here: an index that cannot be written is left for the next sweep.
   */
  private async indexed<T extends Certificate | Certificate[]>(made: Promise<T>, change: string): Promise<T> {
    const value = await made;
    await this.inventory?.upsert(Array.isArray(value) ? value : [value], change).catch(() => undefined);
    return value;
  }

  /**
   * Runs one change at the cloud. When its outcome is unknown (sent, never answered), the cloud may
   * have made it: what it may have touched is forgotten as after a success, so no read serves what
   * was true before it, and the caller hears the unknown outcome, never a cache failure instead.
   */
  private async change<T>(touched: Change, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof GatewayError && error.outcomeUnknown) {
        await this.reader.changed(touched).catch(() => undefined);
        await this.inventory?.unsettle(touched).catch(() => undefined);
      }
      throw error;
    }
  }
}

function clientRef(id: string): CertificateRef {
  const ref = decodeCertificateId(id);
  if (ref.kind !== 'CLIENT') throw GatewayError.refused('InvalidParameter', 'GATEWAY', 'The id is not an ESA client certificate.');
  return ref;
}

function checkNativeId(id: string): string {
  if (!/^[\w.-]{1,128}$/.test(id)) throw GatewayError.refused('InvalidParameter', 'ESA', 'The certificate id is malformed.', 'GetCertificate');
  return id;
}

const PEM_ARMOR = /-----(BEGIN|END) [A-Z0-9 ]+-----/;

/**
 * A name is a label the cloud stores and shows back on every read (and the gateway caches). PEM pasted
 * into it, a private key above all, would be kept and served as plain text, so it is refused here.
 */
function checkName(name: string | undefined, provider: 'ESA' | 'SLB', action: string): void {
  if (name !== undefined && PEM_ARMOR.test(name)) {
    throw GatewayError.refused('InvalidParameter', provider, 'A name cannot hold PEM material (a certificate or a key).', action);
  }
}

function refusedBoth(provider: 'ESA' | 'SLB' = 'ESA'): GatewayError {
  return GatewayError.refused('InvalidParameter', provider, 'Give an uploaded certificate or a Certificate Management Service id, not both.');
}
