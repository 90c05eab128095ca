import { EVENT_TYPES, type CertificateEventType } from './certificate-event';

export interface WebhookTarget {
  url: string;
  /** `whsec_` + base64, as Standard Webhooks writes secrets. */
  secret: string;
  events: CertificateEventType[];
}

const SECRET = /^whsec_[A-Za-z0-9+/]{24,}={0,2}$/;

/** Parses `WEBHOOKS` JSON; the targets, or the one line that says what is wrong (never quoting a secret). */
export function parseWebhooks(text: string, source: string): WebhookTarget[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `${source} must be JSON: [{"url":"https://…","secret":"whsec_…","events":["certificate.expiring"]}].`;
  }
  if (!Array.isArray(parsed)) return `${source} must be a JSON array of webhooks.`;
  const targets: WebhookTarget[] = [];
  for (const [index, item] of parsed.entries()) {
    const entry = item as Record<string, unknown>;
    let url: URL | undefined;
    try {
      url = typeof entry?.url === 'string' ? new URL(entry.url) : undefined;
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
      return `${source}[${index}].url must be an http(s) URL without credentials.`;
    }
    if (typeof entry.secret !== 'string' || !SECRET.test(entry.secret)) return `${source}[${index}].secret must be a Standard Webhooks secret: whsec_ and base64.`;
    const events = entry.events ?? EVENT_TYPES;
    if (!Array.isArray(events) || events.length === 0 || !events.every((event) => EVENT_TYPES.includes(event as CertificateEventType))) {
      return `${source}[${index}].events must list some of ${EVENT_TYPES.join(', ')}.`;
    }
    targets.push({ url: url.toString(), secret: entry.secret, events: [...new Set(events as CertificateEventType[])] });
  }
  return targets;
}

/** `30,14,7,1`: whole days, each at least 1, largest first. */
export function parseThresholds(text: string): number[] | string {
  const days = text.split(',').map((part) => part.trim());
  if (days.length === 0 || !days.every((day) => /^\d{1,4}$/.test(day) && Number(day) >= 1)) {
    return `EXPIRY_THRESHOLDS_DAYS must be whole days separated by commas (30,14,7,1), got "${text}".`;
  }
  return [...new Set(days.map(Number))].sort((a, b) => b - a);
}
