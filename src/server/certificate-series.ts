import { type CertificateKind, type ProviderName } from '../domain/certificate';
import { CERTIFICATE_STATUSES, certificateStatus, renewalDueAt, type CertificateStatus } from '../domain/certificate-status';
import { type InventoryEntry } from '../inventory/inventory-entry';

export const EXPIRATION_SERIES = 'gateway_certificate_expiration_timestamp_seconds';
export const RENEWAL_SERIES = 'gateway_certificate_renewal_timestamp_seconds';

/** Longer label values are cut here: an id is at most 256 characters, a common name at most 64 (RFC 5280's ub-common-name). */
export const MAX_LABEL_CHARS = 256;

/** Every provider and the kinds it holds: the counts start at zero for each, so a rule sees 0 rather than nothing. */
const PROVIDER_KINDS: ReadonlyArray<readonly [ProviderName, CertificateKind]> = [
  ['ESA', 'EDGE'],
  ['ESA', 'CLIENT'],
  ['ESA', 'ORIGIN_CLIENT'],
  ['SLB', 'SERVER'],
];

export interface CertificateCount {
  provider: ProviderName;
  kind: CertificateKind;
  status: CertificateStatus;
  count: number;
}

export interface CertificateSeries {
  /** The per-certificate series in the Prometheus text format, HELP and TYPE lines included. */
  text: string;
  counts: CertificateCount[];
}

/**
 * One expiration and one renewal series per certificate, written as text in one pass: prom-client
 * keeps a labelled child per series and hashes its labels on every set, which at 10,000 certificates
 * took most of a second per scrape; this takes a few milliseconds (bench/phases/metrics-scrape.ts).
 * A certificate without notAfter has no expiration series; one without notBefore has no renewal.
 */
export function certificateSeries(entries: Iterable<InventoryEntry>, now: Date, expiringDays: number): CertificateSeries {
  const counts = new Map<string, CertificateCount>();
  for (const [provider, kind] of PROVIDER_KINDS) {
    for (const status of CERTIFICATE_STATUSES) counts.set(`${provider}/${kind}/${status}`, { provider, kind, status, count: 0 });
  }
  const expirations: string[] = [];
  const renewals: string[] = [];
  for (const entry of entries) {
    const { certificate } = entry;
    const { ref } = certificate;
    const status = certificateStatus(certificate, now, expiringDays).value;
    const counted = counts.get(`${ref.provider}/${ref.kind}/${status}`);
    if (counted) counted.count += 1;
    if (!certificate.notAfter) continue;
    const labels =
      `{id="${labelValue(entry.id)}",account="${labelValue(entry.accountId)}",provider="${ref.provider}",kind="${ref.kind}",` +
      `site="${ref.provider === 'ESA' ? labelValue(ref.siteId) : ''}",region="${ref.provider === 'SLB' ? labelValue(ref.regionId) : ''}",` +
      `common_name="${labelValue(certificate.commonName ?? '')}",status="${status}"} `;
    expirations.push(EXPIRATION_SERIES + labels + seconds(certificate.notAfter));
    const renewal = renewalDueAt(certificate);
    if (renewal) renewals.push(RENEWAL_SERIES + labels + seconds(renewal));
  }
  const text = [
    `# HELP ${EXPIRATION_SERIES} When the certificate expires (notAfter), in seconds since the epoch; one series per certificate in the inventory.`,
    `# TYPE ${EXPIRATION_SERIES} gauge`,
    ...expirations,
    `# HELP ${RENEWAL_SERIES} When the certificate is due for renewal (two thirds from notBefore to notAfter), in seconds since the epoch.`,
    `# TYPE ${RENEWAL_SERIES} gauge`,
    ...renewals,
    '',
  ].join('\n');
  return { text, counts: [...counts.values()] };
}

/**
 * A label value as the text format wants it: backslash, double quote and line feed escaped
 * (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format); other control
 * characters, which some parsers refuse, become U+FFFD; cut at MAX_LABEL_CHARS without splitting a
 * surrogate pair. Names and common names are whatever a caller uploaded.
 */
export function labelValue(value: string): string {
  let text = value;
  if (text.length > MAX_LABEL_CHARS) {
    const cut = isHighSurrogate(text.charCodeAt(MAX_LABEL_CHARS - 1)) ? MAX_LABEL_CHARS - 1 : MAX_LABEL_CHARS;
    text = text.slice(0, cut);
  }
  let at = 0;
  while (at < text.length && !needsCare(text.charCodeAt(at))) at += 1;
  if (at === text.length) return text;
  let escaped = text.slice(0, at);
  for (; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    if (!needsCare(code)) escaped += text[at];
    else if (code === BACKSLASH) escaped += '\\\\';
    else if (code === QUOTE) escaped += '\\"';
    else if (code === LINE_FEED) escaped += '\\n';
    else escaped += '\uFFFD';
  }
  return escaped;
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const LINE_FEED = 0x0a;

function needsCare(code: number): boolean {
  return code < 0x20 || code === 0x7f || code === BACKSLASH || code === QUOTE;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function seconds(date: Date): string {
  return String(date.getTime() / 1000);
}
