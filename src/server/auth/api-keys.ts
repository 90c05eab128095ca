import { hash, timingSafeEqual } from 'node:crypto';
import { Access, type Scope } from '../../domain/access';

export interface ApiKeySpec {
  key: string;
  scopes: Scope[];
  accounts?: string[];
  sites?: string[];
  regions?: string[];
}

export interface Caller {
  /** A short, non-reversible name for logs and rate limiting (never the key). */
  id: string;
  access: Access;
}

const SCOPES: readonly Scope[] = ['certificates:read', 'certificates:write'];

/**
 * A key must be one a caller can actually send: `identify` reads one token of at most this many
 * characters after `Bearer`, and header bytes arrive as latin1, so a key with a space, a non-ASCII
 * character or more characters would be accepted here and then never match.
 */
const MAX_KEY_LENGTH = 512;
const PRESENTABLE_KEY = new RegExp(`^[\\x21-\\x7e]{16,${MAX_KEY_LENGTH}}$`);
const BEARER = new RegExp(`^Bearer\\s+(\\S{1,${MAX_KEY_LENGTH}})\\s*$`, 'i');

/** Parses `API_KEYS` JSON; returns the specs or the one line that says what is wrong. */
export function parseApiKeys(text: string, source: string): ApiKeySpec[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `${source} must be JSON: [{"key":"...","scopes":["certificates:read"]}].`;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return `${source} must be a non-empty JSON array of keys.`;
  const specs: ApiKeySpec[] = [];
  for (const [index, item] of parsed.entries()) {
    const entry = item as Record<string, unknown>;
    if (typeof entry?.key !== 'string' || !PRESENTABLE_KEY.test(entry.key)) {
      return `${source}[${index}].key must be 16 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces.`;
    }
    if (!Array.isArray(entry.scopes) || entry.scopes.length === 0 || !entry.scopes.every((scope) => SCOPES.includes(scope as Scope))) {
      return `${source}[${index}].scopes must list ${SCOPES.join(' and/or ')}.`;
    }
    const list = (name: 'accounts' | 'sites' | 'regions', pattern: RegExp) => {
      const value = entry[name];
      if (value === undefined) return undefined;
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && pattern.test(item))) return null;
      return value as string[];
    };
    const accounts = list('accounts', /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    const sites = list('sites', /^(0|[1-9]\d{0,15})$/);
    const regions = list('regions', /^[a-z]{2,}(-[a-z0-9]+)+$/);
    if (accounts === null) return `${source}[${index}].accounts must be a list of account ids.`;
    if (sites === null) return `${source}[${index}].sites must be a list of site ids.`;
    if (regions === null) return `${source}[${index}].regions must be a list of region ids.`;
    specs.push({ key: entry.key, scopes: entry.scopes as Scope[], ...(accounts ? { accounts } : {}), ...(sites ? { sites } : {}), ...(regions ? { regions } : {}) });
  }
  if (new Set(specs.map((spec) => spec.key)).size !== specs.length) return `${source} lists the same key twice.`;
  return specs;
}

/**
 * Finds the caller behind `Authorization: Bearer <key>`. Keys are compared as SHA-256 digests with
 * timingSafeEqual, every configured key each time, so neither the comparison nor the loop says how
 * close a guess came.
 */
export class ApiKeyRing {
  private readonly entries: Array<{ digest: Buffer; caller: Caller }>;

  constructor(specs: readonly ApiKeySpec[]) {
    this.entries = specs.map((spec) => {
      const digest = sha256(spec.key);
      return { digest, caller: { id: `key-${digest.toString('hex').slice(0, 12)}`, access: Access.of(spec.scopes, spec) } };
    });
  }

  identify(authorization: string | undefined): Caller | undefined {
    const match = BEARER.exec(authorization ?? '');
    const offered = sha256(match?.[1] ?? '');
    let found: Caller | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, offered) && match) found = entry.caller;
    }
    return found;
  }
}

/** One-shot: no Hash object per request. */
function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}
