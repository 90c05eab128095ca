import { type Certificate } from '../domain/certificate';
import { encodeCertificateId } from '../domain/global-id';

/**
 * One certificate in the inventory: its facts as the list operations give them, completed from the
 * PEM where the cloud left values out, without the PEM itself, any key, or the domain validations
 * (those are read from the cloud when a caller asks for them). `source` is the list it came from;
 * `accountId` the account it is in (its ref's).
 */
export interface InventoryEntry {
  id: string;
  source: string;
  accountId: string;
  certificate: Certificate;
}

/**
 * What the index stores: no PEM, no key, no domain validations. `usages` (plain JSON) goes last
 * whatever the certificate's own key order, so the same facts always encode alike (`sameEntry`).
 */
export function entryOf(certificate: Certificate, source: string): InventoryEntry {
  const { certificatePem: _pem, domainValidations: _validations, usages, ...facts } = certificate;
  return {
    id: encodeCertificateId(certificate.ref),
    source,
    accountId: certificate.ref.accountId,
    certificate: { ...facts, domainValidations: [], ...(usages === undefined ? {} : { usages }) },
  };
}

const DATE_FIELDS = ['notBefore', 'notAfter', 'createdAt', 'updatedAt'] as const;

export function encodeEntry(entry: InventoryEntry): string {
  return JSON.stringify(entry);
}

export function decodeEntry(text: string): InventoryEntry {
  const entry = JSON.parse(text) as InventoryEntry;
  const certificate = entry.certificate as Certificate & Record<(typeof DATE_FIELDS)[number], string | Date | undefined>;
  for (const field of DATE_FIELDS) {
    const value = certificate[field];
    if (typeof value === 'string') certificate[field] = new Date(value);
  }
  // Written before refs carried their account: its entry's account, until the next sweep replaces it.
  if ((certificate.ref as { accountId?: string }).accountId === undefined) Object.assign(certificate.ref, { accountId: entry.accountId });
  return entry;
}

/** Equal facts: a sweep writes only what changed. */
export function sameEntry(a: InventoryEntry, b: InventoryEntry): boolean {
  return a.source === b.source && a.accountId === b.accountId && encodeEntry(a) === encodeEntry(b);
}
