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
  /** The per-certificate series in the Prometheus text format (UTF-8), HELP and TYPE lines included. */
  body: Buffer;
  counts: CertificateCount[];
}

/**
 * What is kept of an entry between scrapes: its status, from the scrape that read it until the clock
 * could change it, and its two lines for that status. An entry is never changed in place (a change
 * brings a new one), so what is kept holds while it is in the view.
 */
interface Kept {
  status: CertificateStatus;
  from: number;
  until: number;
  expiration?: Buffer;
  renewal?: Buffer;
}

const EXPIRATION_HEADER = Buffer.from(
  `# HELP ${EXPIRATION_SERIES} When the certificate expires (notAfter), in seconds since the epoch; one series per certificate in the inventory.\n# TYPE ${EXPIRATION_SERIES} gauge\n`,
);
const RENEWAL_HEADER = Buffer.from(
  `# HELP ${RENEWAL_SERIES} When the certificate is due for renewal (two thirds from notBefore to notAfter), in seconds since the epoch.\n# TYPE ${RENEWAL_SERIES} gauge\n`,
);

/**
 * One expiration and one renewal series per certificate, written as text: prom-client keeps a
 * labelled child per series and hashes its labels on every set, which at 10,000 certificates took
 * most of a second per scrape (bench/phases/metrics-scrape.ts measures both). Each entry's status
 * and encoded lines are kept until the clock moves its status (joining 20,000 strings into one took
 * several times longer than concatenating their buffers), and while the inventory has not changed
 * and no status has moved, the whole answer is reused.
 * A certificate without notAfter has no expiration series; one without notBefore has no renewal.
 */
export class CertificateSeriesWriter {
  private readonly kept = new WeakMap<InventoryEntry, Kept>();
  /** The last answer, reused while no entry changed (see `changed`) and no status can have moved. */
  private last?: { series: CertificateSeries; from: number; until: number };

  /** `expiringDays`: EXPIRING_DAYS, under which a certificate's status is EXPIRING. */
  constructor(private readonly expiringDays: number) {}

  /** The entries changed: the next write reads them again. Without this, every write reads them. */
  changed(): void {
    this.last = undefined;
  }

  /** `unchanged`: the caller hears changes (through `changed`), so the last answer may be reused. */
  write(entries: Iterable<InventoryEntry>, now: Date, unchanged = false): CertificateSeries {
    const at = now.getTime();
    if (unchanged && this.last && at >= this.last.from && at < this.last.until) return this.last.series;
    let until = Infinity;
    const counts = {} as Record<CertificateKind, Record<CertificateStatus, number>>;
    for (const [, kind] of PROVIDER_KINDS) counts[kind] = Object.fromEntries(CERTIFICATE_STATUSES.map((status) => [status, 0])) as Record<CertificateStatus, number>;
    const expirations: Buffer[] = [EXPIRATION_HEADER];
    const renewals: Buffer[] = [RENEWAL_HEADER];
    for (const entry of entries) {
      let kept = this.kept.get(entry);
      if (!kept || at < kept.from || at >= kept.until) {
        kept = this.keep(entry, now, kept);
        this.kept.set(entry, kept);
      }
      if (kept.until < until) until = kept.until;
      counts[entry.certificate.ref.kind][kept.status] += 1;
      if (kept.expiration) expirations.push(kept.expiration);
      if (kept.renewal) renewals.push(kept.renewal);
    }
    const series = {
      body: Buffer.concat(expirations.concat(renewals)),
      counts: PROVIDER_KINDS.flatMap(([provider, kind]) => CERTIFICATE_STATUSES.map((status) => ({ provider, kind, status, count: counts[kind][status] }))),
    };
    this.last = { series, from: at, until };
    return series;
  }

  private keep(entry: InventoryEntry, now: Date, previous: Kept | undefined): Kept {
    const { value: status, changesAt } = certificateStatus(entry.certificate, now, this.expiringDays);
    const lines = previous?.status === status ? previous : linesOf(entry, status);
    return { ...lines, status, from: now.getTime(), until: changesAt ?? Infinity };
  }
}

/** The series of `entries` at `now` as one text, nothing kept between calls. */
export function certificateSeries(entries: Iterable<InventoryEntry>, now: Date, expiringDays: number): { text: string; counts: CertificateCount[] } {
  const { body, counts } = new CertificateSeriesWriter(expiringDays).write(entries, now);
  return { text: body.toString('utf8'), counts };
}

function linesOf(entry: InventoryEntry, status: CertificateStatus): Pick<Kept, 'expiration' | 'renewal'> {
  const { certificate } = entry;
  const { ref, notAfter } = certificate;
  if (!notAfter) return {};
  const labels =
    `{id="${labelValue(entry.id)}",account="${labelValue(entry.accountId)}",provider="${ref.provider}",kind="${ref.kind}",` +
    `site="${ref.provider === 'ESA' ? labelValue(ref.siteId) : ''}",region="${ref.provider === 'SLB' ? labelValue(ref.regionId) : ''}",` +
    `common_name="${labelValue(certificate.commonName ?? '')}",status="${status}"} `;
  const renewal = renewalDueAt(certificate);
  return {
    expiration: Buffer.from(`${EXPIRATION_SERIES}${labels}${seconds(notAfter)}\n`),
    ...(renewal ? { renewal: Buffer.from(`${RENEWAL_SERIES}${labels}${seconds(renewal)}\n`) } : {}),
  };
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
