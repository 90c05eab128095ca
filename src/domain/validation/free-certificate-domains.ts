import { GatewayError } from '../errors/gateway-error';
import { type FreeCertificateType } from '../inputs';

/** ApplyCertificate's documented limits per type (https://www.alibabacloud.com/help/en/edge-security-acceleration/esa/api-esa-2024-09-10-applycertificate, error table). */
export const DOMAIN_LIMITS: Record<FreeCertificateType, number> = {
  lets_encrypt: 50,
  digicert_single: 10,
  digicert_wildcard: 1,
};

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isDomainName(candidate: string): boolean {
  const name = candidate.startsWith('*.') ? candidate.slice(2) : candidate;
  const labels = name.split('.');
  return name.length <= 253 && labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /[a-z]/.test(labels.at(-1) ?? '');
}

/**
 * The domains ESA would accept for `type`, normalised (trimmed, lowercase, duplicates once), or the
 * `InvalidParameter.Domains` it would answer: refused here so no call is spent on it.
 */
export function checkFreeCertificateDomains(domains: readonly string[], type: FreeCertificateType): string[] {
  const refuse = (detail: string) => GatewayError.refused('InvalidParameter.Domains', 'ESA', detail, 'ApplyCertificate');
  // ASCII case folding only: toLowerCase() turns a Kelvin sign (U+212A) into "k", so a name that is not
  // a host name would be applied for as a different, valid one.
  const normalised = [...new Set(domains.map((domain) => domain.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase())))];
  if (normalised.length === 0) throw refuse('At least one domain is required.');
  const malformed = normalised.find((domain) => !isDomainName(domain));
  if (malformed !== undefined) throw refuse(`"${malformed.slice(0, 100)}" is not a valid domain name.`);
  if (normalised.length > DOMAIN_LIMITS[type]) {
    throw new GatewayError(
      'InvalidParameter.Domains',
      `The maximum number of domain names specified by parameter Domains has been reached: ${type} takes at most ${DOMAIN_LIMITS[type]}.`,
      { provider: 'ESA', action: 'ApplyCertificate' },
    );
  }
  return normalised;
}
