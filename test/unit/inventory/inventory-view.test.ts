import { type Certificate, type CertificateRef } from '../../../src/domain/certificate';
import { certificateStatus } from '../../../src/domain/certificate-status';
import { entryOf, type InventoryEntry } from '../../../src/inventory/inventory-entry';
import { type InventoryFilter, type InventoryOrder } from '../../../src/inventory/inventory-query';
import { InventoryView } from '../../../src/inventory/inventory-view';
import { Sources } from '../../../src/inventory/sources';

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY = 86_400_000;
const SITES = ['1000000000001', '1000000000002', '1000000000003'];
const REGIONS = ['cn-hangzhou', 'cn-shanghai'];

/** A small deterministic generator, so every run sees the same estate. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function estate(count: number, seed = 7): InventoryEntry[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const accountId = index % 2 ? 'prod' : 'shop';
    const ref: CertificateRef =
      next() < 0.7
        ? { provider: 'ESA', kind: pick(['EDGE', 'CLIENT', 'ORIGIN_CLIENT'] as const), accountId, siteId: pick(SITES), nativeId: `n${index}` }
        : { provider: 'SLB', kind: 'SERVER', accountId, regionId: pick(REGIONS), nativeId: `s${index}` };
    const notAfter = new Date(NOW.getTime() + Math.round((next() * 400 - 40) * DAY));
    const host = `${pick(['www', 'api', 'shop', 'mail'])}.${pick(['example.com', 'example.org'])}`;
    const certificate: Certificate = {
      ref,
      name: `cert-${pick(['alpha', 'beta', 'gamma'])}-${index}`,
      commonName: next() < 0.2 ? `*.${host.split('.').slice(1).join('.')}` : host,
      subjectAlternativeNames: [host],
      status: pick(['OK', 'OK', 'OK', 'Applying', 'revoked', undefined]),
      notBefore: new Date(notAfter.getTime() - 365 * DAY + (next() < 0.05 ? 400 * DAY : 0)),
      notAfter,
      createdAt: new Date(NOW.getTime() - Math.round(next() * 100 * DAY)),
      domainValidations: [],
    };
    return entryOf(certificate, Sources.of(ref));
  });
}

function viewOf(entries: readonly InventoryEntry[]): InventoryView {
  const view = new InventoryView();
  view.replaceAll(entries);
  return view;
}

/** Every page of a walk with `first: size`, following endCursor. */
function walk(view: InventoryView, options: { filter?: InventoryFilter; order?: InventoryOrder; size?: number; between?: (page: number) => void } = {}): string[] {
  const ids: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 10_000; page += 1) {
    const result = view.query({ now: NOW, expiringDays: 30, ...(options.filter ? { filter: options.filter } : {}), ...(options.order ? { order: options.order } : {}), page: { first: options.size ?? 100, ...(after ? { after } : {}) } });
    ids.push(...result.edges.map((edge) => edge.entry.id));
    if (!result.hasNextPage) return ids;
    after = result.edges[result.edges.length - 1]?.cursor;
    options.between?.(page);
  }
  throw new Error('the walk did not end');
}

/** The brute-force reading of a filter, as written in the contract. */
function bruteForce(entries: readonly InventoryEntry[], filter: InventoryFilter): string[] {
  return entries
    .filter(({ certificate: c, accountId }) => {
      const { ref } = c;
      const hosts = [c.commonName, ...c.subjectAlternativeNames].filter(Boolean).map((host) => host!.toLowerCase());
      if (filter.providers && !filter.providers.includes(ref.provider)) return false;
      if (filter.kinds && !filter.kinds.includes(ref.kind)) return false;
      if (filter.accountIds && !filter.accountIds.includes(accountId)) return false;
      if (filter.siteIds && !(ref.provider === 'ESA' && filter.siteIds.includes(ref.siteId))) return false;
      if (filter.regionIds && !(ref.provider === 'SLB' && filter.regionIds.includes(ref.regionId))) return false;
      if (filter.statuses && !filter.statuses.includes(certificateStatus(c, NOW, 30).value)) return false;
      if (filter.expiresBefore && !(c.notAfter! < filter.expiresBefore)) return false;
      if (filter.expiringWithinDays !== undefined && !(c.notAfter!.getTime() < NOW.getTime() + filter.expiringWithinDays * DAY)) return false;
      if (filter.search && ![c.name, c.commonName, ...c.subjectAlternativeNames, ref.nativeId].some((text) => text?.toLowerCase().includes(filter.search!.toLowerCase()))) return false;
      if (filter.hostname) {
        const name = filter.hostname.toLowerCase();
        const wildcard = `*${name.slice(name.indexOf('.'))}`;
        if (!hosts.some((host) => host === name || host === wildcard)) return false;
      }
      return true;
    })
    .map((entry) => entry.id)
    .sort();
}

describe('the inventory view', () => {
  const entries = estate(1_500);
  const view = viewOf(entries);

  it('pages through everything with first: 100, each certificate exactly once, in expiry order', () => {
    const ids = walk(view);

    expect(ids).toHaveLength(entries.length);
    expect(new Set(ids).size).toBe(entries.length);
    const notAfter = ids.map((id) => view.get(id)!.certificate.notAfter!.getTime());
    expect(notAfter).toEqual([...notAfter].sort((a, b) => a - b));
  });

  it.each([
    ['NAME', 'ASC'],
    ['NAME', 'DESC'],
    ['CREATED_AT', 'DESC'],
    ['NOT_AFTER', 'DESC'],
  ] as const)('pages through everything ordered by %s %s, each exactly once', (field, direction) => {
    const ids = walk(view, { order: { field, direction }, size: 37 });

    expect(new Set(ids).size).toBe(entries.length);
  });

  it('pages backwards with last/before over the same certificates', () => {
    const forward = walk(view, { size: 50 });
    const backward: string[] = [];
    let before: string | undefined;
    for (;;) {
      const result = view.query({ now: NOW, expiringDays: 30, page: { last: 50, ...(before ? { before } : {}) } });
      backward.unshift(...result.edges.map((edge) => edge.entry.id));
      if (!result.hasPreviousPage) break;
      before = result.edges[0]?.cursor;
    }
    expect(backward).toEqual(forward);
  });

  it('never repeats or skips a certificate that did not change while others are added and removed during the walk', () => {
    const live = viewOf(entries);
    const extra = estate(400, 99).map((entry, index) => ({ ...entry, id: `${entry.id}-new${index}` }));
    const removed = new Set<string>();
    const added = new Set<string>();
    const ids = walk(live, {
      size: 60,
      between: (page) => {
        const batch = extra.slice(page * 20, page * 20 + 20);
        batch.forEach((entry) => added.add(entry.id));
        const gone = entries.slice(page * 15, page * 15 + 15).map((entry) => entry.id);
        gone.forEach((id) => removed.add(id));
        live.apply(batch, gone);
      },
    });

    const unchanged = entries.map((entry) => entry.id).filter((id) => !removed.has(id));
    const seen = ids.filter((id) => !added.has(id) && !removed.has(id));
    expect(seen.sort()).toEqual(unchanged.sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each<[string, InventoryFilter]>([
    ['providers', { providers: ['SLB'] }],
    ['kinds', { kinds: ['CLIENT', 'SERVER'] }],
    ['statuses', { statuses: ['EXPIRING', 'EXPIRED'] }],
    ['pending and revoked', { statuses: ['PENDING', 'REVOKED', 'NOT_YET_VALID'] }],
    ['accounts', { accountIds: ['shop'] }],
    ['sites', { siteIds: [SITES[0] as string] }],
    ['regions', { regionIds: ['cn-shanghai'] }],
    ['an exact hostname', { hostname: 'shop.example.com' }],
    ['a hostname a wildcard covers', { hostname: 'other.example.org' }],
    ['search', { search: 'GAMMA-1' }],
    ['expiresBefore', { expiresBefore: new Date(NOW.getTime() + 45 * DAY) }],
    ['expiringWithinDays', { expiringWithinDays: 30 }],
    ['several at once', { providers: ['ESA'], expiringWithinDays: 90, search: 'beta' }],
  ])('filters by %s exactly as the brute-force reading does, totalCount included', (_name, filter) => {
    const expected = bruteForce(entries, filter);

    const ids = walk(view, { filter, size: 100 });
    const first = view.query({ now: NOW, expiringDays: 30, filter, page: { first: 10 } });

    expect(expected.length).toBeGreaterThan(0);
    expect([...ids].sort()).toEqual(expected);
    expect(first.totalCount).toBe(expected.length);
  });

  it('counts and lists only what the caller may see', () => {
    const visible = (entry: InventoryEntry) => entry.certificate.ref.provider === 'SLB';
    const result = view.query({ now: NOW, expiringDays: 30, visible, page: { first: 100 } });

    expect(result.totalCount).toBe(bruteForce(entries, { providers: ['SLB'] }).length);
    expect(result.edges.every((edge) => edge.entry.certificate.ref.provider === 'SLB')).toBe(true);
  });

  it('says when an expiry-bounded answer would first change: the next certificate to come within the bound', () => {
    const result = view.query({ now: NOW, expiringDays: 30, filter: { expiringWithinDays: 30 }, page: { first: 1 } });
    const next = Math.min(...entries.map((entry) => entry.certificate.notAfter!.getTime()).filter((at) => at >= NOW.getTime() + 30 * DAY));

    expect(result.validUntil).toBe(next - 30 * DAY);
  });

  it.each([
    [{ first: 0 }, 'first must be from 1 to 100'],
    [{ first: 101 }, 'first must be from 1 to 100'],
    [{ last: 500 }, 'last must be from 1 to 100'],
    [{ first: 5, last: 5 }, 'not both'],
    [{ first: 5, after: 'not-a-cursor' }, 'cursor'],
  ])('refuses %j as BAD_USER_INPUT', (page, message) => {
    expect(() => view.query({ now: NOW, expiringDays: 30, page })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining(message) }));
  });

  it('refuses a cursor given for another order', () => {
    const cursor = view.query({ now: NOW, expiringDays: 30, page: { first: 1 } }).edges[0]?.cursor as string;

    expect(() => view.query({ now: NOW, expiringDays: 30, order: { field: 'NAME', direction: 'ASC' }, page: { first: 1, after: cursor } })).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});

describe('the normalised certificate status', () => {
  const at = (days: number) => new Date(NOW.getTime() + days * DAY);

  it.each([
    ['past notAfter, whatever the cloud says', { status: 'OK', notBefore: at(-300), notAfter: at(-1) }, 'EXPIRED'],
    ['past notAfter and revoked', { status: 'revoked', notBefore: at(-300), notAfter: at(-1) }, 'EXPIRED'],
    ['an application under way', { status: 'Applying' }, 'PENDING'],
    ['a failed application', { status: 'ApplyFailed' }, 'FAILED'],
    ['a canceled application', { status: 'Canceled' }, 'CANCELED'],
    ['a revoked client certificate', { status: 'revoked', notBefore: at(-1), notAfter: at(100) }, 'REVOKED'],
    ['a notBefore still ahead', { status: 'OK', notBefore: at(2), notAfter: at(300) }, 'NOT_YET_VALID'],
    ['30 days left', { status: 'active', notBefore: at(-300), notAfter: at(30) }, 'EXPIRING'],
    ['31 days left', { notBefore: at(-300), notAfter: at(31) }, 'ISSUED'],
  ])('reads %s as its status', (_name, fields, status) => {
    expect(certificateStatus(fields, NOW, 30).value).toBe(status);
  });

  it('says when the status changes next by the clock: at the expiring threshold, then at notAfter', () => {
    expect(certificateStatus({ notBefore: at(-10), notAfter: at(100) }, NOW, 30).changesAt).toBe(at(70).getTime());
    expect(certificateStatus({ notBefore: at(-10), notAfter: at(10) }, NOW, 30).changesAt).toBe(at(10).getTime());
  });
});
