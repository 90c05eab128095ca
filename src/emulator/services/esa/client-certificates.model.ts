import { type DistinguishedName } from '../../pki/certificate-authority';
import { verifyCsr } from '../../pki/csr';
import { generateKeys, pkcs8Pem, type KeyAlgorithm } from '../../pki/key-pairs';
import { PemError } from '../../pki/pem';
import { type Account } from '../../state/account';
import { type ClientCertificateRecord, type SiteRecord } from '../../state/records';
import { esaCertificateId } from '../ids';
import { storeCertificate } from '../stored-certificate';
import { resolveClientAuthority } from './client-authority';
import { EsaErrors } from './esa-errors';

/** The key types ESA generates for a client certificate: RSA 2048 or ECDSA P-256 (src/emulator/README.md, Certificates). */
const KEY_TYPES: readonly KeyAlgorithm[] = ['RSA', 'ECDSA'];
const MAX_VALIDITY_DAYS = 3650;

export interface CreateClientCertificateRequest {
  /** Undefined when absent or not a whole number. */
  validityDays: number | undefined;
  csrPem: string | undefined;
  keyType: string | undefined;
}

export interface CreatedClientCertificate {
  record: ClientCertificateRecord;
  /** Only for a key generated here; handed to the caller once and kept nowhere. */
  privateKeyPem?: string;
}

interface Subject {
  name: DistinguishedName;
  dnsNames: string[];
  publicKeyDer: ArrayBuffer;
  privateKeyPem?: string;
}

/**
 * Issues a client certificate from the account's CA, for the CSR's key or for a key pair generated
 * here. Every check runs before the CA is created or anything is stored.
 */
export async function createClientCertificate(
  account: Account,
  site: SiteRecord,
  request: CreateClientCertificateRequest,
  now: Date,
): Promise<CreatedClientCertificate> {
  if (!site.plan.clientCertificates) throw EsaErrors.featureNotInPlan();
  const validityDays = request.validityDays;
  if (validityDays === undefined || validityDays < 1 || validityDays > MAX_VALIDITY_DAYS) {
    throw EsaErrors.invalidParameter(`ValidityDays must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}.`);
  }
  const keyType = keyTypeOf(request.keyType);
  const id = esaCertificateId();
  const subject = request.csrPem === undefined ? await generatedSubject(keyType, id) : await csrSubject(request.csrPem);

  const ca = await resolveClientAuthority(account, now);
  const leafPem = await ca.signer.issue({
    subject: subject.name,
    dnsNames: subject.dnsNames,
    publicKeyDer: subject.publicKeyDer,
    notBefore: now,
    validityDays,
    usage: 'client',
  });
  const record: ClientCertificateRecord = {
    id,
    siteId: site.id,
    name: subject.name.commonName,
    status: 'active',
    caCertificateId: ca.authority.id,
    certificate: storeCertificate(leafPem),
    createdAt: now.getTime(),
    updatedAt: now.getTime(),
  };
  account.clientAuthority = ca.authority;
  account.clientCertificates.set(id, record);
  account.touch();
  return subject.privateKeyPem === undefined ? { record } : { record, privateKeyPem: subject.privateKeyPem };
}

/** PkeyType is checked even beside a CSR (whose own key then decides), so a typo never goes unnoticed. */
function keyTypeOf(value: string | undefined): KeyAlgorithm {
  if (value === undefined) return 'RSA';
  const keyType = KEY_TYPES.find((candidate) => candidate === value.trim());
  if (!keyType) throw EsaErrors.invalidParameter(`PkeyType must be one of ${KEY_TYPES.join(', ')}.`);
  return keyType;
}

/**
 * A generated key has no subject of its own. Its Common Name is the certificate's Id: unique per
 * client, and it lets an origin that sees the certificate find its record in ESA.
 */
async function generatedSubject(keyType: KeyAlgorithm, id: string): Promise<Subject> {
  const keys = await generateKeys(keyType);
  return { name: { commonName: id }, dnsNames: [], publicKeyDer: keys.publicKeyDer, privateKeyPem: pkcs8Pem(keys.privateKey) };
}

/** Subject (CN, O) and DNS names come from the CSR, whose self-signature proves the requester holds the key. */
async function csrSubject(csrPem: string): Promise<Subject> {
  try {
    const csr = await verifyCsr(csrPem);
    if (csr.commonName.trim() === '') throw EsaErrors.invalidParameter('The CSR has no Common Name (CN) in its subject.');
    return {
      name: { commonName: csr.commonName, ...(csr.organization === undefined ? {} : { organization: csr.organization }) },
      dnsNames: csr.dnsNames,
      publicKeyDer: csr.publicKeyDer,
    };
  } catch (error) {
    if (error instanceof PemError) throw EsaErrors.invalidParameter(`CSR: ${error.message}`);
    throw error;
  }
}

export function listClientCertificates(account: Account, site: SiteRecord): ClientCertificateRecord[] {
  return [...account.clientCertificates.values()].filter((record) => record.siteId === site.id);
}

/** A certificate of another site is as unknown as one that never existed. */
export function findClientCertificate(account: Account, site: SiteRecord, id: string): ClientCertificateRecord {
  const record = account.clientCertificates.get(id);
  if (!record || record.siteId !== site.id) throw EsaErrors.certificateNotFound();
  return record;
}

/** RevokeClientCertificate: "Revokes an activated client certificate" (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-revokeclientcertificate). */
export function revokeClientCertificate(account: Account, site: SiteRecord, id: string, now: Date): ClientCertificateRecord {
  const record = findClientCertificate(account, site, id);
  if (record.status !== 'active') throw EsaErrors.certificateStatusError('Only an active certificate can be revoked.');
  return setStatus(account, record, 'revoked', now);
}

export function activateClientCertificate(account: Account, site: SiteRecord, id: string, now: Date): ClientCertificateRecord {
  const record = findClientCertificate(account, site, id);
  if (record.status !== 'revoked') throw EsaErrors.certificateStatusError('Only a revoked certificate can be activated.');
  return setStatus(account, record, 'active', now);
}

/** DeleteClientCertificate: "Deletes a revoked client certificate" (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-deleteclientcertificate). */
export function deleteClientCertificate(account: Account, site: SiteRecord, id: string): ClientCertificateRecord {
  const record = findClientCertificate(account, site, id);
  if (record.status !== 'revoked') throw EsaErrors.certificateStatusError('Only a revoked certificate can be deleted; revoke it first.');
  account.clientCertificates.delete(id);
  account.touch();
  return record;
}

function setStatus(account: Account, record: ClientCertificateRecord, status: ClientCertificateRecord['status'], now: Date): ClientCertificateRecord {
  record.status = status;
  record.updatedAt = now.getTime();
  account.touch();
  return record;
}
