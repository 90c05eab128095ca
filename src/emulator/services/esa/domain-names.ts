/**
 * Domain names as ApplyCertificate takes them: host names of letters, digits and hyphens (RFC 1123),
 * optionally a wildcard `*.` in front, and always at or under the site's own name.
 */

const MAX_NAME_LENGTH = 253;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const WILDCARD_PREFIX = '*.';

/** The name lowercased and trimmed, or undefined when it is not a syntactically valid host name. */
export function normalizeDomain(raw: string): string | undefined {
  // ASCII case folding only: toLowerCase() would turn a Kelvin sign into a plain "k" and accept it.
  const name = raw.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return undefined;
  const labels = baseOf(name).split('.');
  // At least a name and a top-level label; a top-level label of digits only would be an IP address.
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return undefined;
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return undefined;
  return name;
}

export function isWildcard(domain: string): boolean {
  return domain.startsWith(WILDCARD_PREFIX);
}

/** The name without its wildcard: `*.example.com` -> `example.com`. */
export function baseOf(domain: string): string {
  return isWildcard(domain) ? domain.slice(WILDCARD_PREFIX.length) : domain;
}

/** True for the site's own name and any name under it (a wildcard counts by its base). */
export function belongsToSite(domain: string, siteName: string): boolean {
  const base = baseOf(domain);
  const site = siteName.toLowerCase();
  return base === site || base.endsWith(`.${site}`);
}

export type DomainList = { domains: string[] } | { malformed: string };

/**
 * Splits ApplyCertificate's comma-separated `Domains` into normalised names, each once, in the order
 * given; or names the first entry that is not a host name.
 */
export function parseDomainList(raw: string | undefined): DomainList {
  if (raw === undefined) return { malformed: '' };
  const domains = new Set<string>();
  for (const entry of raw.split(',')) {
    const domain = normalizeDomain(entry);
    if (domain === undefined) return { malformed: entry.trim() };
    domains.add(domain);
  }
  return { domains: [...domains] };
}
