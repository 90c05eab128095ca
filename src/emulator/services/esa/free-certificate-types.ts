import { type IssuerName } from '../../pki/issuing-authorities';
import { type KeyAlgorithm } from '../../pki/key-pairs';
import { type DcvRecord, type FreeCertificateType } from '../../state/records';
import { esaCertificateId, token } from '../ids';
import { baseOf, isWildcard } from './domain-names';

/** How each free certificate type of ApplyCertificate is validated and issued. */
export interface FreeCertificateProfile {
  /** ApplyCertificate's documented per-request limit on `Domains`. */
  maxDomains: number;
  issuer: IssuerName;
  keyAlgorithm: KeyAlgorithm;
  validityDays: number;
  /** Why this type cannot cover `domain`, or undefined when it can. */
  refusal(domain: string): string | undefined;
  /** The names the issued certificate carries in its SAN. */
  dnsNames(domain: string): string[];
  /** The challenge the domain's owner has to answer. */
  challenge(domain: string): DcvRecord;
}

/** Let's Encrypt: ECDSA leaves for 90 days; HTTP-01 for a host, DNS-01 for a wildcard (ACME, RFC 8555 8.3-8.4). */
const LETS_ENCRYPT: FreeCertificateProfile = {
  maxDomains: 50,
  issuer: 'lets_encrypt',
  keyAlgorithm: 'ECDSA',
  validityDays: 90,
  refusal: () => undefined,
  dnsNames: (domain) => [domain],
  challenge: (domain) => {
    if (isWildcard(domain)) return pending('DNS', `_acme-challenge.${baseOf(domain)}`, token());
    const challengeToken = token();
    // The key authorisation: the token, a dot, and the account key's thumbprint (RFC 8555 8.1).
    return pending('HTTP', `http://${domain}/.well-known/acme-challenge/${challengeToken}`, `${challengeToken}.${token()}`);
  },
};

/** DigiCert's DV certificates: RSA leaves for a year, validated by a `_dnsauth` TXT record. */
const digicert = (maxDomains: number, wildcard: boolean): FreeCertificateProfile => ({
  maxDomains,
  issuer: 'digicert',
  keyAlgorithm: 'RSA',
  validityDays: 365,
  refusal: (domain) => {
    if (wildcard && !isWildcard(domain)) return `${domain}: digicert_wildcard certificates are for a wildcard name such as *.example.com`;
    if (!wildcard && isWildcard(domain)) return `${domain}: digicert_single certificates are for one host name, not a wildcard`;
    return undefined;
  },
  // A wildcard certificate also covers the name it stands under, as DigiCert's wildcard products do.
  dnsNames: (domain) => (wildcard ? [domain, baseOf(domain)] : [domain]),
  challenge: (domain) => pending('DNS', `_dnsauth.${baseOf(domain)}`, token(24)),
});

export const FREE_CERTIFICATE_TYPES: Record<FreeCertificateType, FreeCertificateProfile> = {
  lets_encrypt: LETS_ENCRYPT,
  digicert_single: digicert(10, false),
  digicert_wildcard: digicert(1, true),
};

export function isFreeCertificateType(value: string): value is FreeCertificateType {
  return Object.hasOwn(FREE_CERTIFICATE_TYPES, value);
}

function pending(type: DcvRecord['type'], key: string, value: string): DcvRecord {
  return { id: esaCertificateId(), type, key, value, status: 'pending' };
}
