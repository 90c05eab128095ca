import { type Access } from './access';
import { regionOf, siteOf, type Certificate, type CertificateRef, type CertificateUsage, type RegionKey, type SiteKey } from './certificate';
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
import { type CloudAccount, type CloudAccounts, type InventoryUpdates } from './ports';

/**
 * The gateway's operations, per request. Reads go through the request's reader (batched, memoised);
 * writes validate what the documentation defines as invalid before calling the cloud, then make the
 * reader forget what it knew, here and in the shared cache: after a success, and after a call whose
 * outcome is unknown, since the cloud may have made that change too.
 */
export interface CertificateServiceOptions {
  /** Where mutations write what they made (the inventory). */
  inventory?: InventoryUpdates;
  /** The accounts a site was seen in (the inventory's sweeps), so a site id finds its account. */
  siteAccounts?: (siteId: string) => readonly string[];
  /** Where the index says a certificate is served (undefined: it does not hold it). */
  usagesOf?: (ref: CertificateRef) => Promise<readonly CertificateUsage[] | undefined>;
}

export class CertificateService {
  constructor(
    private readonly reader: CertificateReader,
    private readonly accounts: CloudAccounts,
    private readonly access: Access,
    private readonly options: CertificateServiceOptions = {},
  ) {}

  private get inventory(): InventoryUpdates | undefined {
    return this.options.inventory;
  }

  /** The reference behind a global id (ids minted before accounts name the first account). */
  ref(id: string): CertificateRef {
    return decodeCertificateId(id, this.accounts.first);
  }

  // Async so a refusal (a bad id, an id the caller may not see) is a rejection, never a throw; the
  // reader's load still happens in the caller's tick, so ids asked together are batched together.
  async certificate(id: string): Promise<Certificate> {
    return this.read(this.ref(id));
  }

  /** The accounts this caller may use, in configured order. */
  visibleAccounts(): string[] {
    return this.accounts.ids.filter((accountId) => this.access.seesAccount(accountId));
  }

  /**
   * The account a site id names: the one given (which must exist and be the caller's), else the one
   * account the site was seen in among the caller's, else the caller's first account. A site seen in
   * several of the caller's accounts is ambiguous: the caller names the account.
   */
  siteKey(siteId: string, accountId: string | undefined, action: string): SiteKey {
    const checked = checkSiteId(siteId, action);
    if (accountId !== undefined) return { accountId: this.account(accountId).id, siteId: checked };
    const seen = (this.options.siteAccounts?.(checked) ?? []).filter((id) => this.access.seesAccount(id) && this.accounts.ids.includes(id));
    if (seen.length > 1) {
      throw GatewayError.refused('InvalidParameter', 'GATEWAY', `Site ${checked} is in the accounts ${seen.join(', ')}: name the account (accountId).`, action);
    }
    return { accountId: seen[0] ?? this.defaultAccount(), siteId: checked };
  }

  /** The account an SLB region is used in: the one given, else the caller's first account. */
  regionKey(regionId: string, accountId: string | undefined, action: string): RegionKey {
    const checked = checkRegionId(regionId, action);
    return { accountId: accountId === undefined ? this.defaultAccount() : this.account(accountId).id, regionId: checked };
  }

  /** A configured account the caller may use, or BAD_USER_INPUT (unknown) / FORBIDDEN (not the caller's). */
  private account(accountId: string): CloudAccount {
    const account = this.accounts.get(accountId);
    this.access.requireAccount(account.id);
    return account;
  }

  private defaultAccount(): string {
    const [first] = this.visibleAccounts();
    if (first === undefined) throw new GatewayError('FORBIDDEN', 'This API key may not use any configured account.', { provider: 'GATEWAY' });
    return first;
  }

  /** One promise per id, in order: a bad or missing id fails its own slot only. */
  certificates(ids: readonly string[]): Array<Promise<Certificate>> {
    return ids.map((id) => this.certificate(id));
  }

  async esaCertificate(siteId: string, id: string, accountId?: string): Promise<Certificate> {
    const site = this.siteKey(siteId, accountId, 'GetCertificate');
    return this.read({ provider: 'ESA', kind: 'EDGE', ...site, nativeId: checkNativeId(id) });
  }

  /**
   * A region's server certificates: from `indexed` (the inventory, which reads the cloud through
   * `fetch` when it must) when given, else from the cloud.
   */
  async serverCertificates(
    regionId: string,
    ids?: readonly string[],
    indexed?: (region: RegionKey, fetch: () => Promise<Certificate[]>) => Promise<Certificate[]>,
    accountId?: string,
  ): Promise<{ certificates: Certificate[]; fromIndex: boolean }> {
    const region = this.regionKey(regionId, accountId, 'DescribeServerCertificates');
    this.access.requireRegion(region.regionId);
    const fetch = () => this.reader.regionCertificates(region);
    const all = indexed ? await indexed(region, fetch) : await fetch();
    const wanted = ids === undefined ? undefined : new Set(ids);
    return { certificates: wanted ? all.filter((certificate) => wanted.has(certificate.ref.nativeId)) : all, fromIndex: indexed !== undefined };
  }

  /**
   * The sites this caller may see, in every account it may use. An account that cannot be read
   * leaves its sites out while others answer; when none can, its error is the answer.
   */
  async sites(): Promise<Site[]> {
    const read = await Promise.allSettled(this.visibleAccounts().map((accountId) => this.reader.sites(accountId)));
    const failed = read.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed && read.every((result) => result.status === 'rejected')) throw failed.reason;
    return read.flatMap((result) => (result.status === 'fulfilled' ? result.value : [])).filter((site) => this.access.seesSite(site.id));
  }

  async site(siteId: string, accountId?: string): Promise<Site> {
    const key = this.siteKey(siteId, accountId, 'GetSite');
    this.access.requireSite(key.siteId);
    return this.reader.site(key);
  }

  siteCertificates(site: SiteKey): Promise<Certificate[]> {
    this.access.requireAccount(site.accountId);
    this.access.requireSite(site.siteId);
    return this.reader.siteCertificates(site);
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

  async applyCertificate(siteId: string, domains: readonly string[], type: FreeCertificateType, accountId?: string): Promise<ApplyCertificateResult> {
    const site = this.siteKey(siteId, accountId, 'ApplyCertificate');
    this.access.requireSite(site.siteId);
    const input = { siteId: site.siteId, domains: checkFreeCertificateDomains(domains, type), type };
    const result = await this.change(site, () => this.esa(site).applyCertificate(input));
    await this.reader.changed(site);
    await this.indexed(Promise.all(result.applications.map((application) => this.reader.certificate(application.ref))), 'applied');
    return result;
  }

  async uploadSiteCertificate(input: { siteId: string; accountId?: string; certificate?: string; privateKey?: string; name?: string; casId?: string }): Promise<Certificate> {
    const site = this.siteKey(input.siteId, input.accountId, 'SetCertificate');
    const { siteId } = site;
    this.access.requireSite(siteId);
    checkName(input.name, 'ESA', 'SetCertificate');
    const name = input.name === undefined ? {} : { name: input.name };
    let ref: CertificateRef;
    if (input.casId !== undefined) {
      if (input.certificate !== undefined || input.privateKey !== undefined) throw refusedBoth();
      const attach = { siteId, kind: 'cas' as const, casId: input.casId, ...name };
      ref = await this.change(site, () => this.esa(site).setCertificate(attach));
    } else {
      if (input.certificate === undefined || input.privateKey === undefined) {
        throw GatewayError.refused('InvalidParameter', 'ESA', 'Give certificate and privateKey, or casId.', 'SetCertificate');
      }
      checkCertificateAndKey(input.certificate, input.privateKey, 'ESA', 'SetCertificate');
      const upload = { siteId, kind: 'upload' as const, certificate: input.certificate, privateKey: input.privateKey, ...name };
      ref = await this.change(site, () => this.esa(site).setCertificate(upload));
    }
    await this.reader.changed({ ...site, ref });
    return this.indexed(this.reader.certificate(ref), 'uploaded');
  }

  async uploadOriginClientCertificate(input: { siteId: string; accountId?: string; certificate: string; privateKey: string; name?: string }): Promise<Certificate> {
    const site = this.siteKey(input.siteId, input.accountId, 'UploadSiteOriginClientCertificate');
    this.access.requireSite(site.siteId);
    checkName(input.name, 'ESA', 'UploadSiteOriginClientCertificate');
    checkCertificateAndKey(input.certificate, input.privateKey, 'ESA', 'UploadSiteOriginClientCertificate');
    const upload = { siteId: site.siteId, certificate: input.certificate, privateKey: input.privateKey, ...(input.name === undefined ? {} : { name: input.name }) };
    const certificate = await this.change(site, () => this.esa(site).uploadOriginClientCertificate(upload));
    await this.reader.changed(site);
    // The upload answer describes the certificate without its name, PEM or SANs
    // (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-uploadsiteoriginclientcertificate): the
    // name is the one just given, and the PEM just uploaded is the certificate.
    const given = input.name?.trim();
    const named = certificate.name === undefined && given ? { ...certificate, name: given } : certificate;
    return this.indexed(Promise.resolve(withPemFacts(named, input.certificate)), 'uploaded');
  }

  async createClientCertificate(input: { siteId: string; accountId?: string; csr?: string; keyAlgorithm?: 'RSA' | 'ECDSA'; validityDays: number }): Promise<CreatedClientCertificate> {
    const site = this.siteKey(input.siteId, input.accountId, 'CreateClientCertificate');
    const { siteId } = site;
    this.access.requireSite(siteId);
    const validityDays = checkValidityDays(input.validityDays);
    if (input.csr !== undefined) {
      if (input.keyAlgorithm !== undefined) {
        throw GatewayError.refused('InvalidParameter', 'ESA', 'Give a CSR or a keyAlgorithm, not both.', 'CreateClientCertificate');
      }
      checkCsr(input.csr);
    }
    const request = { siteId, validityDays, ...(input.csr === undefined ? {} : { csr: input.csr }), ...(input.keyAlgorithm === undefined ? {} : { keyAlgorithm: input.keyAlgorithm }) };
    const created = await this.change(site, () => this.esa(site).createClientCertificate(request));
    await this.reader.changed(site);
    // Completed from its PEM like every read (the create answer has no SANs or key algorithm).
    return { ...created, certificate: await this.indexed(Promise.resolve(withPemFacts(created.certificate)), 'created') };
  }

  async uploadServerCertificate(input: ServerCertificateInput & { accountId?: string }): Promise<Certificate> {
    const region = this.regionKey(input.regionId, input.accountId, 'UploadServerCertificate');
    const { regionId } = region;
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
    const { accountId: _account, ...upload } = input;
    const uploaded = await this.change(region, () => this.slb(region).uploadServerCertificate({ ...upload, regionId, name }));
    await this.reader.changed(region);
    // SLB answers no PEM and no SHA-256 fingerprint: both facts come from the PEM just uploaded (the
    // index keeps them, so copies of one certificate in ESA and other regions are known as one).
    const { certificatePem: _pem, ...certificate } = withPemFacts(uploaded, input.serverCertificate);
    return this.indexed(Promise.resolve(certificate), 'uploaded');
  }

  async revokeClientCertificate(id: string): Promise<Certificate> {
    const ref = clientRef(this.ref(id));
    this.access.require(ref);
    const touched = { accountId: ref.accountId, ref, siteId: siteOf(ref) };
    await this.change(touched, () => this.esa(ref).revokeClientCertificate(ref));
    await this.reader.changed(touched);
    return this.indexed(this.reader.certificate(ref), 'revoked');
  }

  async activateClientCertificate(id: string): Promise<Certificate> {
    const ref = clientRef(this.ref(id));
    this.access.require(ref);
    const touched = { accountId: ref.accountId, ref, siteId: siteOf(ref) };
    await this.change(touched, () => this.esa(ref).activateClientCertificate(ref));
    await this.reader.changed(touched);
    return this.indexed(this.reader.certificate(ref), 'activated');
  }

  async renameCertificate(id: string, name: string): Promise<Certificate> {
    const ref = this.ref(id);
    this.access.require(ref);
    if (ref.provider !== 'SLB') {
      throw GatewayError.refused('InvalidParameter', 'GATEWAY', 'Only SLB server certificates can be renamed.', 'SetServerCertificateName');
    }
    const newName = checkNewName(name);
    const touched = { accountId: ref.accountId, ref, regionId: regionOf(ref) };
    await this.change(touched, () => this.slb(ref).renameServerCertificate(ref, newName));
    await this.reader.changed(touched);
    return this.indexed(this.reader.certificate(ref), 'renamed');
  }

  /**
   * Deletes a certificate. One that an SLB listener or domain extension serves (as the index knows) is
   * refused with SLB's own code for it, naming where it is served; `force` leaves the judgement to the
   * cloud (which refuses it too while a listener uses it). ESA serves a site's certificates by
   * hostname, so a site's certificate is never held back here.
   */
  async deleteCertificate(id: string, force = false): Promise<CertificateRef> {
    const ref = this.ref(id);
    this.access.require(ref);
    const serving = force ? [] : ((await this.options.usagesOf?.(ref)) ?? []).filter((usage) => usage.type !== 'ESA_SITE');
    if (serving.length > 0) {
      const where = serving.map(describeUsage).join(', ');
      throw GatewayError.refusedAs('CertificateAndPrivateKeyIsRefered', 'SLB', `Certificate and PrivateKey Is Refered. It is served by ${where}.`, 'DeleteServerCertificate');
    }
    const touched = { accountId: ref.accountId, ref, siteId: siteOf(ref), regionId: regionOf(ref) };
    await this.change(touched, () => (ref.provider === 'ESA' ? this.esa(ref) : this.slb(ref)).deleteCertificate(ref));
    await this.reader.changed(touched);
    await this.inventory?.remove([ref]).catch(() => undefined);
    return ref;
  }

  private esa(where: { accountId: string }) {
    return this.accounts.get(where.accountId).esa;
  }

  private slb(where: { accountId: string }) {
    return this.accounts.get(where.accountId).slb;
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

  /** A change made for another operation (deploying binds listeners), with the same care for unknown outcomes. */
  changing<T>(touched: Change, work: () => Promise<T>): Promise<T> {
    return this.change(touched, work);
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

function describeUsage(usage: CertificateUsage): string {
  const listener = `${usage.regionId} ${usage.loadBalancerId}:${usage.listenerPort}`;
  return usage.type === 'SLB_DOMAIN_EXTENSION' ? `the domain ${usage.domain} of the listener ${listener}` : `the listener ${listener}`;
}

function clientRef(ref: CertificateRef): CertificateRef {
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
