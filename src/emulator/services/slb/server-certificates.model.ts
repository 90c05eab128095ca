import { type Account } from '../../state/account';
import { type CasCertificateRecord, type ServerCertificateRecord, type StoredCertificate } from '../../state/records';
import { slbServerCertificateId } from '../ids';
import { acceptUpload, type UploadErrors } from '../key-pair-upload';
import { isCertificateServed } from './certificate-usage';
import { LoadBalancerErrors } from './load-balancer-errors';
import { SlbErrors } from './slb-errors';

/** The group a certificate joins when the caller names none: the demo account's default group. */
export const DEFAULT_RESOURCE_GROUP_ID = 'rg-acfmdemo0000001';

/** Where an uploaded certificate comes from: PEMs in the request, or the account's CAS by id. */
export type CertificateSource =
  | { kind: 'pem'; certificatePem: string | undefined; privateKeyPem: string | undefined }
  | { kind: 'cas'; id: string; name: string | undefined; regionId: string | undefined };

export interface UploadRequest {
  regionId: string;
  name: string | undefined;
  resourceGroupId: string | undefined;
  source: CertificateSource;
}

export interface DescribeFilter {
  serverCertificateId: string | undefined;
  resourceGroupId: string | undefined;
}

/**
 * How each refused key pair is answered. An unparsable certificate gets InvalidParameter "The
 * specified parameter ServerCertificate format is error." rather than `KeyFormatError`: both
 * messages name the certificate, but this one pairs with "...key format is error." for the key, and
 * the UploadServerCertificate page's own error table (https://www.alibabacloud.com/help/en/slb/classic-load-balancer/developer-reference/api-slb-2014-05-15-uploadservercertificate)
 * lists only InvalidParameter for
 * a pair that fails validation.
 */
const UPLOAD_PROBLEMS: UploadErrors = {
  certificateMissing: SlbErrors.certificateOrKeyEmpty,
  keyMissing: SlbErrors.certificateOrKeyEmpty,
  certificateMalformed: SlbErrors.certificateFormat,
  keyMalformed: SlbErrors.keyFormat,
  keyEncrypted: SlbErrors.keyEncrypted,
  mismatch: SlbErrors.certificateNotMatchPrivateKey,
};

export function requireRegion(account: Account, regionId: string): void {
  if (!account.regions.has(regionId)) throw SlbErrors.regionNotFound();
}

/**
 * Stores a server certificate in the region. Every check runs before the record is added, so a
 * refused upload leaves nothing behind (the doc calls the action transactional). Of a PEM upload
 * only the certificate chain is kept: the key proves the pair matches and is then dropped.
 */
export function uploadServerCertificate(account: Account, request: UploadRequest, nowMs: number): ServerCertificateRecord {
  requireRegion(account, request.regionId);
  const id = slbServerCertificateId(account.uid, nowMs);
  const common = { id, regionId: request.regionId, resourceGroupId: request.resourceGroupId ?? DEFAULT_RESOURCE_GROUP_ID, createdAt: nowMs };
  let record: ServerCertificateRecord;
  if (request.source.kind === 'cas') {
    const cas = casCertificate(account, request.source.id, request.source.regionId);
    record = {
      ...common,
      name: request.name ?? defaultName(cas.certificate, id),
      certificate: cas.certificate,
      aliCloudCertificateId: cas.id,
      aliCloudCertificateName: request.source.name ?? cas.name,
    };
  } else {
    const certificate = acceptUpload(request.source.certificatePem, request.source.privateKeyPem, UPLOAD_PROBLEMS);
    record = { ...common, name: request.name ?? defaultName(certificate, id), certificate };
  }
  account.serverCertificates.set(id, record);
  account.touch();
  return record;
}

/** The region's certificates in the order they were added, optionally narrowed by id and group. */
export function listServerCertificates(account: Account, regionId: string, filter: DescribeFilter): ServerCertificateRecord[] {
  requireRegion(account, regionId);
  return [...account.serverCertificates.values()].filter(
    (record) =>
      record.regionId === regionId &&
      (filter.serverCertificateId === undefined || record.id === filter.serverCertificateId) &&
      (filter.resourceGroupId === undefined || record.resourceGroupId === filter.resourceGroupId),
  );
}

/**
 * The certificate `id` in `regionId`, or anywhere in the account when no region is given (only
 * DeleteServerCertificate allows that).
 */
export function findServerCertificate(account: Account, id: string, regionId: string | undefined): ServerCertificateRecord {
  if (regionId !== undefined) requireRegion(account, regionId);
  const record = account.serverCertificates.get(id);
  if (!record || (regionId !== undefined && record.regionId !== regionId)) throw SlbErrors.certificateIdNotSupported();
  return record;
}

/**
 * Removes a certificate no listener serves. One that an HTTPS listener or a domain extension uses is
 * refused with `CertificateAndPrivateKeyIsRefered`, as the DeleteServerCertificate page says ("You
 * cannot delete server certificates that are in use").
 */
export function deleteServerCertificate(account: Account, id: string, regionId: string | undefined): void {
  const record = findServerCertificate(account, id, regionId);
  if (isCertificateServed(account, record.id)) throw LoadBalancerErrors.certificateInUse();
  account.serverCertificates.delete(record.id);
  account.touch();
}

export function renameServerCertificate(account: Account, regionId: string, id: string, name: string): void {
  const record = findServerCertificate(account, id, regionId);
  record.name = name;
  account.touch();
}

/** A CAS certificate of the account; when the caller names its region, it must be there too. */
function casCertificate(account: Account, id: string, regionId: string | undefined): CasCertificateRecord {
  const cas = account.casCertificates.get(id);
  if (!cas || (regionId !== undefined && cas.region !== regionId)) throw SlbErrors.resourceNotFound();
  return cas;
}

/**
 * Without a name the certificate is named after its CN, as the doc's example shows
 * (`ServerCertificateName` `*.example1.com` beside CommonName `*.example1.com`); a certificate
 * without a CN falls back to its first SAN, then to its id.
 */
function defaultName(certificate: StoredCertificate, id: string): string {
  return certificate.facts.commonName || certificate.facts.subjectAlternativeNames[0] || id;
}
