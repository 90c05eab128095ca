import { parseCertificate } from '../pki/certificate-facts';
import { type StoredCertificate } from '../state/records';

/** Keeps a certificate with the facts read from it once, so every answer reports the same values. */
export function storeCertificate(pem: string): StoredCertificate {
  const parsed = parseCertificate(pem);
  return { pem: parsed.chainPem, facts: parsed.facts };
}

/** Only the leaf block of a stored chain. */
export function leafOf(stored: StoredCertificate): string {
  const end = stored.pem.indexOf('-----END CERTIFICATE-----');
  return end < 0 ? stored.pem : stored.pem.slice(0, end + '-----END CERTIFICATE-----'.length) + '\n';
}
