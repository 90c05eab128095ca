/**
 * The ESA response bodies the adapter reads, in the cloud's own PascalCase: the operation pages (for
 * example https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificate) and the
 * generated SDK's models (https://github.com/aliyun/alibabacloud-typescript-sdk/tree/master/esa-20240910/src/models). Every field is optional because the cloud may leave any out, and where the docs
 * and the examples disagree on a type both are allowed: the mapper checks each value before use.
 * These types stay inside src/providers; the rest of the gateway sees only the domain Certificate.
 */

/** Long ids (`SiteId`) arrive as JSON numbers; docs' examples sometimes quote them. */
type WireId = number | string;

export interface EsaSiteWire {
  SiteId?: WireId;
  SiteName?: string;
  Status?: string;
  AccessType?: string;
}

export interface EsaListSitesBody {
  Sites?: EsaSiteWire[];
  TotalCount?: number;
}

export interface EsaGetSiteBody {
  SiteModel?: EsaSiteWire;
}

export interface EsaDcvWire {
  Id?: string;
  Type?: string;
  Key?: string;
  Value?: string;
  Status?: string;
}

/** Fields every certificate `Result` of the three ESA kinds carries. */
export interface EsaCertificateWire {
  Id?: string;
  Name?: string;
  Status?: string;
  Type?: string;
  CommonName?: string;
  /** Comma-joined: `www.example.com,*.example.com`. */
  SAN?: string;
  Issuer?: string;
  SerialNumber?: string;
  FingerprintSha256?: string;
  /** `2023-11-26T16:00:00Z` or `2023-03-31 02:08:00` (UTC), depending on the action. */
  NotBefore?: string;
  NotAfter?: string;
  /** `2022-06-24 07:48:51`, UTC. */
  CreateTime?: string;
  UpdateTime?: string;
}

/** Edge certificates name their algorithms `SigAlg` / `PubAlg` (the SDK's ListCertificates and GetCertificate models, https://github.com/aliyun/alibabacloud-typescript-sdk/tree/master/esa-20240910/src/models). */
export interface EsaEdgeCertificateWire extends EsaCertificateWire {
  /** A string in the SDK model, a number in GetCertificate's example. */
  CasId?: WireId;
  IssuerCN?: string;
  SigAlg?: string;
  PubAlg?: string;
  Region?: string;
  DCV?: EsaDcvWire[];
  ApplyCode?: number | string;
  ApplyMessage?: string;
}

/** Client and origin client certificates say `SignatureAlgorithm` / `PubkeyAlgorithm`. */
export interface EsaClientCertificateWire extends EsaCertificateWire {
  SignatureAlgorithm?: string;
  PubkeyAlgorithm?: string;
  CACertificateId?: string;
}

/** GetCertificate, GetClientCertificate and GetSiteOriginClientCertificate all answer this envelope. */
export interface EsaGetCertificateBody<Result> {
  SiteId?: WireId;
  SiteName?: string;
  Status?: string;
  /** The PEM; the Result beside it never carries one. */
  Certificate?: string;
  Result?: Result;
}

/** The envelope of the three certificate lists. */
export interface EsaListCertificatesBody<Result> {
  SiteId?: WireId;
  SiteName?: string;
  TotalCount?: number;
  Result?: Result[];
}

/**
 * CreateClientCertificate and UploadSiteOriginClientCertificate describe the new certificate at the
 * top level. `ValidityDays` is typed string in the docs and sent as a number in their examples.
 */
export interface EsaIssuedCertificateBody {
  Id?: string;
  Status?: string;
  Certificate?: string;
  CommonName?: string;
  NotBefore?: string;
  NotAfter?: string;
  Issuer?: string;
  SerialNumber?: string;
  FingerprintSha256?: string;
  SignatureAlgorithm?: string;
  ValidityDays?: number | string;
  CACertificateId?: string;
}

/** Only for a key pair ESA generated: the key, once. */
export interface EsaCreateClientCertificateBody extends EsaIssuedCertificateBody {
  PrivateKey?: string;
}

export interface EsaApplyCertificateBody {
  SiteName?: string;
  TotalCount?: number;
  Result?: Array<{ Domain?: string; Status?: string; Id?: string }>;
}

export interface EsaSetCertificateBody {
  Id?: string;
}

/**
 * GetCertificateQuota (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-getcertificatequota):
 * one pool (`Type`) at a time. `SiteUsage[].SiteId` is a string, unlike `SiteId` everywhere else.
 */
export interface EsaGetCertificateQuotaBody {
  Type?: string;
  Quota?: number;
  QuotaUsage?: number;
  SiteCount?: number;
  SiteUsage?: Array<{ SiteId?: string; SiteName?: string; SiteUsage?: number }>;
}
