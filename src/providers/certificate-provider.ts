import { type Certificate, type CertificateRef, type ProviderName } from '../domain/certificate';
import { type GatewayError } from '../domain/errors/gateway-error';
import { type Site } from '../domain/site';

/** One slot of a batch answer: the certificate, or why it could not be had. */
export type Fetched<T> = T | GatewayError;

/**
 * What every cloud behind the gateway offers. Batch reads keep DataLoader's contract: exactly one
 * result per ref, in order, a GatewayError (never a throw) for a ref that failed alone.
 */
export interface CertificateProvider {
  readonly name: ProviderName;
  getCertificates(refs: readonly CertificateRef[]): Promise<Fetched<Certificate>[]>;
  deleteCertificate(ref: CertificateRef): Promise<void>;
}

export type FreeCertificateType = 'lets_encrypt' | 'digicert_single' | 'digicert_wildcard';

export interface ApplyCertificateInput {
  siteId: string;
  domains: string[];
  type: FreeCertificateType;
}

export interface ApplyCertificateResult {
  siteName: string;
  totalCount: number;
  applications: Array<{ domain: string; status: string; ref: CertificateRef }>;
}

/** SetCertificate: the site's own PEM + key (`upload`), or a Certificate Management Service id (`cas`). */
export type SiteCertificateInput =
  | { siteId: string; kind: 'upload'; certificate: string; privateKey: string; name?: string }
  | { siteId: string; kind: 'cas'; casId: string; name?: string };

export interface CreateClientCertificateInput {
  siteId: string;
  csr?: string;
  keyAlgorithm?: 'RSA' | 'ECDSA';
  validityDays: number;
}

export interface CreatedClientCertificate {
  certificate: Certificate;
  /** Only when ESA generated the key pair: returned once, never kept. */
  privateKey?: string;
}

export interface OriginClientCertificateInput {
  siteId: string;
  certificate: string;
  privateKey: string;
  name?: string;
}

export interface EsaProvider extends CertificateProvider {
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
}

export interface ServerCertificateInput {
  regionId: string;
  serverCertificate?: string;
  privateKey?: string;
  name?: string;
  resourceGroupId?: string;
  aliCloudCertificateId?: string;
  aliCloudCertificateName?: string;
}

export interface SlbProvider extends CertificateProvider {
  readonly name: 'SLB';
  describeServerCertificates(regionId: string, ids?: readonly string[]): Promise<Certificate[]>;
  uploadServerCertificate(input: ServerCertificateInput): Promise<Certificate>;
  renameServerCertificate(ref: CertificateRef, name: string): Promise<void>;
}
