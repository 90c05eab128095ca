import { esaDateTime } from '../../pki/time-format';
import { type SiteRecord, type StoredCertificate } from '../../state/records';

/**
 * Response fields shared by the client certificate (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-createclientcertificate)
 * and site origin client certificate (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-uploadsiteoriginclientcertificate)
 * actions. Every certificate value comes from the facts read from the certificate
 * when it was stored, so all actions report the same values for it.
 */

/** What CreateClientCertificate and UploadSiteOriginClientCertificate report about the new certificate. */
export function issuedFields(certificate: StoredCertificate): Record<string, unknown> {
  const facts = certificate.facts;
  return {
    CommonName: facts.commonName,
    NotBefore: facts.notBefore,
    NotAfter: facts.notAfter,
    Issuer: facts.issuer,
    SerialNumber: facts.serialNumber,
    FingerprintSha256: facts.fingerprintSha256,
    SignatureAlgorithm: facts.signatureAlgorithm,
    // Typed string in the docs, shown as a number in their example; the generated SDK coerces either.
    ValidityDays: facts.validityDays,
  };
}

export interface DescribedCertificate {
  id: string;
  name: string;
  status: string;
  /** `dcdn` for ESA-issued client certificates, `upload` for uploaded origin client certificates. */
  type: string;
  certificate: StoredCertificate;
  createdAt: number;
  updatedAt: number;
}

/**
 * The `Result` of the Get and List actions of both kinds. These use `PubkeyAlgorithm` and
 * `SignatureAlgorithm`, where the edge certificate lists say `PubAlg` / `SigAlg` (the SDK's models,
 * https://github.com/aliyun/alibabacloud-typescript-sdk/tree/master/esa-20240910/src/models).
 */
export function resultFields(described: DescribedCertificate): Record<string, unknown> {
  const facts = described.certificate.facts;
  return {
    Id: described.id,
    Name: described.name,
    Type: described.type,
    Status: described.status,
    CommonName: facts.commonName,
    SAN: facts.subjectAlternativeNames.join(','),
    Issuer: facts.issuer,
    SerialNumber: facts.serialNumber,
    FingerprintSha256: facts.fingerprintSha256,
    PubkeyAlgorithm: facts.publicKeyAlgorithm,
    SignatureAlgorithm: facts.signatureAlgorithm,
    NotBefore: facts.notBefore,
    NotAfter: facts.notAfter,
    CreateTime: esaDateTime(new Date(described.createdAt)),
    UpdateTime: esaDateTime(new Date(described.updatedAt)),
  };
}

/** The body of the Revoke / Activate / Delete actions. */
export function siteReference(site: SiteRecord, id: string): Record<string, unknown> {
  return { Id: id, SiteId: Number(site.id), SiteName: site.name };
}
