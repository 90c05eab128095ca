import { type CertificateFacts } from '../pki/certificate-facts';

/** A certificate as the cloud keeps it: the PEM it was given or issued, and what was read from it. */
export interface StoredCertificate {
  /** Leaf followed by its chain. */
  pem: string;
  facts: CertificateFacts;
}

export type SiteStatus = 'active' | 'pending' | 'offline' | 'moved';
export type AccessType = 'NS' | 'CNAME';

export interface PlanRecord {
  name: string;
  /** `basic` (Entrance), `normal` (Pro), `enterprise`. */
  specName: string;
  /** Site origin mTLS (UploadSiteOriginClientCertificate). */
  originClientCertificates: boolean;
  /** ESA-managed client CA (CreateClientCertificate). */
  clientCertificates: boolean;
  /** Free certificates the site may hold at once (GetCertificateQuota Type `free`). */
  freeCertificateQuota: number;
  /**
   * Uploaded and CAS certificates the site may hold at once (GetCertificateQuota Type `paid`).
   * Optional because state files written before it existed lack it; the plan's preset fills in.
   */
  paidCertificateQuota?: number;
}

export interface SiteRecord {
  id: string;
  name: string;
  status: SiteStatus;
  accessType: AccessType;
  coverage: 'domestic' | 'global' | 'overseas';
  resourceGroupId: string;
  instanceId: string;
  plan: PlanRecord;
  createdAt: number;
  updatedAt: number;
}

export type FreeCertificateType = 'lets_encrypt' | 'digicert_single' | 'digicert_wildcard';

export interface DcvRecord {
  id: string;
  type: 'HTTP' | 'DNS';
  key: string;
  value: string;
  status: 'pending' | 'verified' | 'failed';
}

export interface ApplicationRecord {
  type: FreeCertificateType;
  domain: string;
  appliedAt: number;
  dcv: DcvRecord[];
  applyCode?: number;
  applyMessage?: string;
}

/** `OK` / `Expiring` / `Expired` are derived from the dates; the others are lifecycle states. */
export type EdgeCertificateState = 'Applying' | 'Issued' | 'ApplyFailed' | 'Canceled';

export interface EdgeCertificateRecord {
  id: string;
  siteId: string;
  name: string;
  type: 'free' | 'upload' | 'cas';
  state: EdgeCertificateState;
  region: string;
  casId?: string;
  certificate?: StoredCertificate;
  application?: ApplicationRecord;
  createdAt: number;
  updatedAt: number;
}

export interface ClientCertificateRecord {
  id: string;
  siteId: string;
  name: string;
  status: 'active' | 'revoked';
  caCertificateId: string;
  certificate: StoredCertificate;
  createdAt: number;
  updatedAt: number;
}

export interface OriginClientCertificateRecord {
  id: string;
  siteId: string;
  name: string;
  certificate: StoredCertificate;
  createdAt: number;
  updatedAt: number;
}

export interface ServerCertificateRecord {
  id: string;
  regionId: string;
  name: string;
  resourceGroupId: string;
  certificate: StoredCertificate;
  aliCloudCertificateId?: string;
  aliCloudCertificateName?: string;
  createdAt: number;
}

/** A certificate held by the account's Certificate Management Service (CAS), usable by id. */
export interface CasCertificateRecord {
  id: string;
  name: string;
  region: string;
  certificate: StoredCertificate;
}

/** A domain extension (additional certificate) of an HTTPS listener: SNI `domain` answered with its own certificate. */
export interface DomainExtensionRecord {
  /** `de-` followed by lowercase letters and digits (`de-bp1rp7ta191dv`). */
  id: string;
  domain: string;
  serverCertificateId: string;
}

/** What an HTTPS listener adds to a listener: its certificate and its domain extensions. */
export interface HttpsSettingsRecord {
  serverCertificateId: string;
  domainExtensions: DomainExtensionRecord[];
}

export interface ListenerRecord {
  port: number;
  protocol: 'http' | 'https';
  backendServerPort: number;
  /** Mbit/s; -1 is unlimited. */
  bandwidth: number;
  status: 'running' | 'stopped';
  description: string;
  /** Present exactly when `protocol` is `https`. */
  https?: HttpsSettingsRecord;
}

/** A Classic Load Balancer (SLB) instance with its listeners, in one record per instance. */
export interface LoadBalancerRecord {
  /** `lb-` followed by lowercase letters and digits (`lb-bp1b6c719dfa08exfuca5`). */
  id: string;
  regionId: string;
  name: string;
  status: 'active' | 'inactive' | 'locked';
  address: string;
  addressType: 'internet' | 'intranet';
  networkType: 'vpc' | 'classic';
  vpcId: string;
  vSwitchId: string;
  masterZoneId: string;
  slaveZoneId: string;
  loadBalancerSpec: string;
  resourceGroupId: string;
  createdAt: number;
  /** In the order they were added, which is the order answers list them. */
  listeners: ListenerRecord[];
}
