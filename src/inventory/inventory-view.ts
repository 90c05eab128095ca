import { certificateStatus } from '../domain/certificate-status';
import { GatewayError } from '../domain/errors/gateway-error';
import { type InventoryEntry } from './inventory-entry';
import { DEFAULT_ORDER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type InventoryFilter, type InventoryOrder, type OrderField, type PageRequest } from './inventory-query';
import { SortedIndex, type SortKey } from './sorted-index';

const DAY_MS = 86_400_000;

/** An entry with what filtering and ordering read of it, worked out once when it arrives. */
interface Indexed {
  id: string;
  entry: InventoryEntry;
  notAfter: number;
  notBefore: number;
  name: string;
  created: number;
  /** CN and SANs, lower-cased. */
  hosts: string[];
  /** Name, CN, SANs and native id, lower-cased, for `search`. */
  text: string;
  /** When this process applied it (epoch ms): a list read before then does not know it. */
  appliedAt: number;
}

export interface InventoryPage {
  edges: Array<{ cursor: string; entry: InventoryEntry }>;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number;
  /** When the answer could first come out differently by the clock alone (epoch ms; Infinity: never). */
  validUntil: number;
}

export interface QueryOptions {
  filter?: InventoryFilter;
  order?: InventoryOrder;
  page?: PageRequest;
  /** What the caller may see (its key's allow-lists). */
  visible?: (entry: InventoryEntry) => boolean;
  now: Date;
  /** Days left under which a certificate is EXPIRING. */
  expiringDays: number;
}

/**
 * The inventory as one process holds it: every entry, and one ordered index per sort field, so a
 * page is a binary search and a walk that stops once the page is full (and, ordered by expiry with
 * an expiry bound, once the bound is passed). Kept up to date change by change (inventory.ts).
 */
export class InventoryView {
  private readonly byId = new Map<string, Indexed>();
  private readonly indexes: Record<OrderField, SortedIndex<Indexed>> = {
    NOT_AFTER: new SortedIndex((item) => item.notAfter),
    NAME: new SortedIndex((item) => item.name),
    CREATED_AT: new SortedIndex((item) => item.created),
  };
  /** The entries of each source (an ESA site, an SLB region), so a source's list is read without a scan. */
  private readonly bySource = new Map<string, Map<string, Indexed>>();
  /** Entries whose notBefore was still ahead when they arrived: the only ones that can turn valid. */
  private readonly notYetValid = new Set<Indexed>();
  /** The copies of one X.509 certificate (an ESA site's, each SLB region's), by fingerprint. */
  private readonly byIdentity = new Map<string, Set<string>>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): InventoryEntry | undefined {
    return this.byId.get(id)?.entry;
  }

  /** When this process applied the entry (epoch ms); undefined when it holds none. */
  appliedAt(id: string): number | undefined {
    return this.byId.get(id)?.appliedAt;
  }

  /** The entries one source holds now, by id (a copy the caller may change). */
  entriesOf(source: string): Map<string, InventoryEntry> {
    return new Map([...(this.bySource.get(source) ?? [])].map(([id, item]) => [id, item.entry]));
  }

  /** Every entry holding the same X.509 certificate as this one (itself included), wherever it was uploaded. */
  copiesOf(id: string): InventoryEntry[] {
    const item = this.byId.get(id);
    if (!item) return [];
    const identity = identityOf(item.entry);
    const ids = identity === undefined ? [id] : [...(this.byIdentity.get(identity) ?? [id])];
    return ids.flatMap((copy) => this.byId.get(copy)?.entry ?? []);
  }

  entries(): IterableIterator<InventoryEntry> {
    const values = this.byId.values();
    return (function* () {
      for (const item of values) yield item.entry;
    })();
  }

  replaceAll(entries: readonly InventoryEntry[]): void {
    this.byId.clear();
    this.bySource.clear();
    this.notYetValid.clear();
    this.byIdentity.clear();
    const items = entries.map(indexed);
    for (const item of items) {
      this.byId.set(item.id, item);
      this.sourceOf(item).set(item.id, item);
      this.identify(item);
      if (item.notBefore > Date.now()) this.notYetValid.add(item);
    }
    for (const index of Object.values(this.indexes)) index.reset(items);
  }

  apply(upserts: readonly InventoryEntry[], removals: readonly string[]): void {
    for (const id of removals) this.drop(id);
    for (const entry of upserts) {
      this.drop(entry.id);
      const item = indexed(entry);
      this.byId.set(item.id, item);
      this.sourceOf(item).set(item.id, item);
      this.identify(item);
      if (item.notBefore > Date.now()) this.notYetValid.add(item);
      for (const index of Object.values(this.indexes)) index.insert(item);
    }
  }

  private drop(id: string): void {
    const item = this.byId.get(id);
    if (!item) return;
    this.byId.delete(id);
    const source = this.bySource.get(item.entry.source);
    source?.delete(id);
    if (source?.size === 0) this.bySource.delete(item.entry.source);
    const identity = identityOf(item.entry);
    const copies = identity === undefined ? undefined : this.byIdentity.get(identity);
    copies?.delete(id);
    if (identity !== undefined && copies?.size === 0) this.byIdentity.delete(identity);
    this.notYetValid.delete(item);
    for (const index of Object.values(this.indexes)) index.remove(item);
  }

  private identify(item: Indexed): void {
    const identity = identityOf(item.entry);
    if (identity === undefined) return;
    let copies = this.byIdentity.get(identity);
    if (!copies) this.byIdentity.set(identity, (copies = new Set()));
    copies.add(item.id);
  }

  private sourceOf(item: Indexed): Map<string, Indexed> {
    let held = this.bySource.get(item.entry.source);
    if (!held) this.bySource.set(item.entry.source, (held = new Map()));
    return held;
  }

  query(options: QueryOptions): InventoryPage {
    const order = options.order ?? DEFAULT_ORDER;
    const { size, forward, cursor } = pageOf(options.page ?? {}, order.field);
    const index = this.indexes[order.field];
    const items = index.items;
    const match = matcher(options);
    const now = options.now.getTime();
    const bound = upperBound(options.filter, now);
    // Ascending walks run up the array, descending ones down it; `last`/`before` walks the other way.
    const ascending = (order.direction === 'ASC') === forward;
    const step = ascending ? 1 : -1;
    let at: number;
    if (cursor) {
      const position = index.lowerBound(cursor.key, cursor.id);
      const exact = items[position]?.id === cursor.id;
      at = ascending ? (exact ? position + 1 : position) : position - 1;
    } else at = ascending ? 0 : items.length - 1;
    // Ordered by expiry and bounded by it: nothing past the bound can match.
    const sortedByExpiry = order.field === 'NOT_AFTER' && bound !== Infinity;
    const end = sortedByExpiry ? index.keyBound(bound) : items.length;
    if (!ascending && at >= end) at = end - 1;

    const found: Indexed[] = [];
    let more = false;
    for (let i = at; i >= 0 && i < end; i += step) {
      const item = items[i] as Indexed;
      if (!match(item)) continue;
      if (found.length === size) {
        more = true;
        break;
      }
      found.push(item);
    }
    // Whether anything matches on the other side of where the walk began.
    let behind = false;
    if (cursor) {
      for (let i = at - step; i >= 0 && i < end; i -= step) {
        if (match(items[i] as Indexed)) {
          behind = true;
          break;
        }
      }
    }
    if (!forward) found.reverse();
    // Counted over the expiry index, where an expiry bound cuts the walk short whatever the order.
    const byExpiry = this.indexes.NOT_AFTER.items;
    const countEnd = bound === Infinity ? byExpiry.length : this.indexes.NOT_AFTER.keyBound(bound);
    let totalCount = 0;
    for (let i = 0; i < countEnd; i += 1) if (match(byExpiry[i] as Indexed)) totalCount += 1;

    return {
      edges: found.map((item) => ({ cursor: encodeCursor(order.field, index.keyOf(item), item.id), entry: item.entry })),
      hasNextPage: forward ? more : behind,
      hasPreviousPage: forward ? behind : more,
      totalCount,
      validUntil: this.validUntil(options, now),
    };
  }

  /**
   * When the set of matches could change by the clock alone: the next certificate to come within an
   * expiry bound; with a status filter, the next one to cross any status boundary.
   */
  private validUntil(options: QueryOptions, now: number): number {
    const filter = options.filter ?? {};
    const byExpiry = this.indexes.NOT_AFTER;
    const nextNotAfterFrom = (from: number) => (byExpiry.items[byExpiry.keyBound(from + 1)]?.notAfter ?? Infinity);
    let until = Infinity;
    if (filter.expiringWithinDays !== undefined) {
      const span = filter.expiringWithinDays * DAY_MS;
      until = Math.min(until, nextNotAfterFrom(now + span) - span);
    }
    if (filter.statuses?.length) {
      const span = options.expiringDays * DAY_MS;
      until = Math.min(until, nextNotAfterFrom(now), nextNotAfterFrom(now + span) - span);
      for (const item of this.notYetValid) {
        if (item.notBefore <= now) this.notYetValid.delete(item);
        else until = Math.min(until, item.notBefore);
      }
    }
    return until;
  }
}

/** Whether one entry matches a filter (an event's certificate, say), as a query would judge it. */
export function matchesFilter(entry: InventoryEntry, options: Omit<QueryOptions, 'order' | 'page'>): boolean {
  return matcher(options)(indexed(entry));
}

/** One predicate for the whole filter, with the clock read once. */
function matcher(options: Omit<QueryOptions, 'order' | 'page'>): (item: Indexed) => boolean {
  const filter = options.filter ?? {};
  const providers = set(filter.providers);
  const kinds = set(filter.kinds);
  const statuses = set(filter.statuses);
  const accounts = set(filter.accountIds);
  const sites = set(filter.siteIds);
  const regions = set(filter.regionIds);
  const hostname = filter.hostname?.trim().toLowerCase().replace(/\.$/, '');
  const search = filter.search?.toLowerCase();
  const bound = upperBound(filter, options.now.getTime());
  const { visible, now, expiringDays } = options;
  return (item) => {
    const { certificate } = item.entry;
    const { ref } = certificate;
    if (item.notAfter >= bound) return false;
    if (providers && !providers.has(ref.provider)) return false;
    if (kinds && !kinds.has(ref.kind)) return false;
    if (accounts && !accounts.has(item.entry.accountId)) return false;
    if (sites && (ref.provider !== 'ESA' || !sites.has(ref.siteId))) return false;
    if (regions && (ref.provider !== 'SLB' || !regions.has(ref.regionId))) return false;
    if (search !== undefined && !item.text.includes(search)) return false;
    if (hostname !== undefined && !covers(item.hosts, hostname)) return false;
    if (statuses && !statuses.has(certificateStatus(certificate, now, expiringDays).value)) return false;
    return visible ? visible(item.entry) : true;
  };
}


function set<T>(values: readonly T[] | undefined): Set<T> | undefined {
  return values === undefined ? undefined : new Set(values);
}

/** The expiry bound a filter sets: notAfter must be below it. */
function upperBound(filter: InventoryFilter | undefined, now: number): number {
  let bound = Infinity;
  if (filter?.expiresBefore) bound = Math.min(bound, filter.expiresBefore.getTime());
  if (filter?.expiringWithinDays !== undefined) bound = Math.min(bound, now + filter.expiringWithinDays * DAY_MS);
  return bound;
}

/** A CN or SAN covers a hostname exactly, or as a wildcard one label deep (`*.example.com` covers `a.example.com`). */
function covers(hosts: readonly string[], hostname: string): boolean {
  const dot = hostname.indexOf('.');
  const wildcard = dot > 0 ? `*${hostname.slice(dot)}` : undefined;
  return hosts.some((host) => host === hostname || host === wildcard);
}

/** Epoch ms with a fraction: an entry applied and a read begun in the same millisecond are still ordered. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

function indexed(entry: InventoryEntry): Indexed {
  const { certificate } = entry;
  const hosts = [...new Set([certificate.commonName, ...certificate.subjectAlternativeNames].filter((host): host is string => !!host).map((host) => host.toLowerCase()))];
  return {
    id: entry.id,
    entry,
    appliedAt: preciseNow(),
    notAfter: certificate.notAfter?.getTime() ?? Number.MAX_VALUE,
    notBefore: certificate.notBefore?.getTime() ?? 0,
    name: (certificate.name ?? '').toLowerCase(),
    created: certificate.createdAt?.getTime() ?? 0,
    hosts,
    text: [certificate.name, certificate.commonName, ...certificate.subjectAlternativeNames, certificate.ref.nativeId]
      .filter((part): part is string => !!part)
      .join('\n')
      .toLowerCase(),
  };
}

interface Cursor {
  key: SortKey;
  id: string;
}

/** Opaque to callers: the sort field, the key and the id the page ended on (keyset pagination). */
function encodeCursor(field: OrderField, key: SortKey, id: string): string {
  return Buffer.from(JSON.stringify([field, key, id]), 'utf8').toString('base64url');
}

function decodeCursor(text: string, field: OrderField): Cursor {
  const refused = () => new GatewayError('BAD_USER_INPUT', 'The cursor is not one this gateway gave for this order.', { provider: 'GATEWAY' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw refused();
  const [cursorField, key, id] = parsed as [unknown, unknown, unknown];
  if (cursorField !== field || typeof id !== 'string' || (typeof key !== 'number' && typeof key !== 'string')) throw refused();
  if (typeof key === 'number' ? field === 'NAME' : field !== 'NAME') throw refused();
  return { key, id };
}

function pageOf(page: PageRequest, field: OrderField): { size: number; forward: boolean; cursor?: Cursor } {
  const refuse = (message: string) => new GatewayError('BAD_USER_INPUT', message, { provider: 'GATEWAY' });
  if (page.first !== undefined && page.last !== undefined) throw refuse('Give first or last, not both.');
  const backward = page.last !== undefined || (page.before !== undefined && page.first === undefined);
  if (backward && page.after !== undefined) throw refuse('Give after with first, or before with last.');
  if (!backward && page.before !== undefined) throw refuse('Give after with first, or before with last.');
  const size = (backward ? page.last : page.first) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) throw refuse(`${backward ? 'last' : 'first'} must be from 1 to ${MAX_PAGE_SIZE}.`);
  const text = backward ? page.before : page.after;
  return { size, forward: !backward, ...(text === undefined ? {} : { cursor: decodeCursor(text, field) }) };
}


/**
 * What names one X.509 certificate across its copies: its SHA-256 fingerprint (ESA lists it; the
 * gateway reads it from the PEM of what it uploads to SLB), else SLB's SHA-1.
 */
function identityOf(entry: InventoryEntry): string | undefined {
  const { fingerprintSha256, fingerprintSha1 } = entry.certificate;
  if (fingerprintSha256) return `sha256:${fingerprintSha256.toLowerCase()}`;
  return fingerprintSha1 ? `sha1:${fingerprintSha1.toLowerCase()}` : undefined;
}
