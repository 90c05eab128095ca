import { type Certificate, type CertificateRef, type CertificateUsage, type ProviderName, type RegionKey } from './certificate';
import { type GatewayError } from './errors/gateway-error';
import {
  type ApplyCertificateInput,
  type ApplyCertificateResult,
  type CreateClientCertificateInput,
  type CreatedClientCertificate,
  type OriginClientCertificateInput,
  type ServerCertificateInput,
  type SiteCertificateInput,
} from './inputs';
import { type Site } from './site';

export type * from './inputs';

/** One slot of a batch answer: the certificate, or why it could not be had. */
export type Fetched<T> = T | GatewayError;

/**
 * The port every cloud behind the gateway implements (named apart from the GraphQL enum
 * `CertificateProvider`, which says which cloud holds a certificate). Batch reads keep DataLoader's
 * contract: exactly one result per ref, in order, a GatewayError (never a throw) for a ref that
 * failed alone.
 */
export interface CloudProvider {
  readonly name: ProviderName;
  getCertificates(refs: readonly CertificateRef[]): Promise<Fetched<Certificate>[]>;
  deleteCertificate(ref: CertificateRef): Promise<void>;
}

export interface EsaProvider extends CloudProvider {
  readonly name: 'ESA';
  listSites(): Promise<Site[]>;
  getSites(ids: readonly string[]): Promise<Fetched<Site>[]>;
  /** Every certificate of the site: edge, client and origin client. */
  listSiteCertificates(siteId: string): Promise<Certificate[]>;
  applyCertificate(input: ApplyCertificateInput): Promise<ApplyCertificateResult>;
  setCertificate(input: SiteCertificateInput): Promise<CertificateRef>;
  createClientCertificate(input: CreateClientCertificateInput): Promise<CreatedClientCertificate>;
  uploadOriginClientCertificate(input: OriginClientCertificateInput): Promise<Certificate>;
  revokeClientCertificate(ref: CertificateRef): Promise<void>;
  activateClientCertificate(ref: CertificateRef): Promise<void>;
  /** GetCertificateQuota of the site, for each pool (`free`: applied certificates; `paid`: uploaded and CAS ones). */
  getCertificateQuota(siteId: string): Promise<CertificateQuota>;
}

export interface CertificateQuota {
  siteId: string;
  pools: Array<{ type: 'free' | 'paid'; quota: number; usage: number }>;
}

/** An HTTPS listener as SLB describes it: the certificate it serves, and its SNI domains'. */
export interface HttpsListener {
  regionId: string;
  loadBalancerId: string;
  listenerPort: number;
  serverCertificateId?: string;
  domainExtensions: Array<{ domainExtensionId: string; domain: string; serverCertificateId?: string }>;
}

/** One cloud account behind the gateway: its two products, signed with its credentials. */
export interface CloudAccount {
  readonly id: string;
  readonly esa: EsaProvider;
  readonly slb: SlbProvider;
}

/**
 * Every account the gateway reads, in the order configured. The first is where ids minted before
 * accounts existed resolve, and where a change that names no account goes.
 */
export interface CloudAccounts {
  readonly first: string;
  readonly ids: readonly string[];
  /** The account, or a BAD_USER_INPUT refusal naming the unknown id. */
  get(accountId: string): CloudAccount;
}

/**
 * One holder at a time for a key, across instances: deploying makes each copy of a certificate under
 * one, so deploys that race for the same copy upload it once, and the later ones find it.
 */
export interface ExclusiveRuns {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/**
 * The inventory's side of a mutation: what was made or changed goes into the shared index at once, so
 * every instance lists it in its next request; what was deleted leaves it.
 */
export interface InventoryUpdates {
  /** `change`: what the mutation did (uploaded, created, applied, revoked, activated, renamed). */
  upsert(certificates: readonly Certificate[], change: string): Promise<void>;
  remove(refs: readonly CertificateRef[]): Promise<void>;
  /** A change whose outcome is unknown touched these lists: they are read from the cloud until read again. */
  unsettle(touched: { accountId: string; siteId?: string; regionId?: string }): Promise<void>;
  /**
   * A region's usages as just read (ServerCertificateId -> where it is served): each certificate of
   * the region the index holds gets its own (none when absent); those whose usages changed are
   * written, announced with `change`, and answered.
   */
  setUsages(region: RegionKey, usages: ReadonlyMap<string, readonly CertificateUsage[]>, change: string): Promise<Certificate[]>;
}

export interface SlbProvider extends CloudProvider {
  readonly name: 'SLB';
  /** The regions the account has (DescribeRegions). */
  describeRegions(): Promise<string[]>;
  describeServerCertificates(regionId: string, ids?: readonly string[]): Promise<Certificate[]>;
  uploadServerCertificate(input: ServerCertificateInput): Promise<Certificate>;
  renameServerCertificate(ref: CertificateRef, name: string): Promise<void>;
  /**
   * Where each server certificate of the region is served: every HTTPS listener (all pages of
   * DescribeLoadBalancerListeners) and each one's domain extensions, keyed by ServerCertificateId.
   */
  describeCertificateUsages(regionId: string): Promise<Map<string, CertificateUsage[]>>;
  /** One HTTPS listener (DescribeLoadBalancerHTTPSListenerAttribute), with its domain extensions. */
  describeHttpsListener(regionId: string, loadBalancerId: string, listenerPort: number): Promise<HttpsListener>;
  /** SetLoadBalancerHTTPSListenerAttribute: the listener serves this certificate. */
  setListenerCertificate(regionId: string, loadBalancerId: string, listenerPort: number, serverCertificateId: string): Promise<void>;
  /** SetDomainExtensionAttribute: the SNI domain serves this certificate. */
  setDomainExtensionCertificate(regionId: string, domainExtensionId: string, serverCertificateId: string): Promise<void>;
}
