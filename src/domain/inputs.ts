import { type Certificate, type CertificateRef } from './certificate';

/** What the gateway asks of the clouds, in its own terms. */

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

export interface ServerCertificateInput {
  regionId: string;
  serverCertificate?: string;
  privateKey?: string;
  name?: string;
  resourceGroupId?: string;
  aliCloudCertificateId?: string;
  aliCloudCertificateName?: string;
}
