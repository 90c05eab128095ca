import { CachePolicy } from '../../../src/cache/cache-policy';
import { MemoryStore } from '../../../src/cache/memory-store';
import { type Certificate } from '../../../src/domain/certificate';

describe('the in-process store', () => {
  let now = 0;
  const store = (max = 100) => new MemoryStore(max, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('forgets entries when their time is up', async () => {
    const memory = store();
    await memory.acquireLeases(['lease'], 't', 1_000);
    await memory.setUnderLease([{ key: 'k', leaseKey: 'lease', token: 't', value: 'v', ttlMs: 500 }]);
    expect(await memory.getMany(['k'])).toEqual(['v']);
    now = 500;
    expect(await memory.getMany(['k'])).toEqual([undefined]);
  });

  it('evicts the least recently used entry beyond its bound', async () => {
    const memory = store(2);
    for (const key of ['a', 'b']) {
      await memory.acquireLeases([`lease:${key}`], 't', 1_000);
      await memory.setUnderLease([{ key, leaseKey: `lease:${key}`, token: 't', value: key, ttlMs: 10_000 }]);
    }
    await memory.getMany(['a']);
    await memory.acquireLeases(['lease:c'], 't', 1_000);
    expect(await memory.getMany(['a', 'b'])).toEqual(['a', undefined]);
  });

  it('grants a lease to one holder and writes only for the token that holds it', async () => {
    const memory = store();
    expect(await memory.acquireLeases(['lease'], 'mine', 1_000)).toEqual([true]);
    expect(await memory.acquireLeases(['lease'], 'theirs', 1_000)).toEqual([false]);
    expect(await memory.setUnderLease([{ key: 'k', leaseKey: 'lease', token: 'theirs', value: 'x', ttlMs: 100 }])).toEqual([false]);
    expect(await memory.setUnderLease([{ key: 'k', leaseKey: 'lease', token: 'mine', value: 'y', ttlMs: 100 }])).toEqual([true]);
    expect(await memory.getMany(['k', 'lease'])).toEqual(['y', undefined]);
  });
});

describe('the cache policy', () => {
  const policy = new CachePolicy({ maxTtlMs: 300_000, pendingTtlMs: 5_000, negativeTtlMs: 10_000, staleForMs: 3_600_000 });
  const now = Date.parse('2026-01-01T00:00:00Z');
  const certificate = (status: string, notAfter?: string): Certificate => ({
    ref: { provider: 'ESA', kind: 'EDGE', accountId: 'default', siteId: '1', nativeId: 'x' },
    status,
    subjectAlternativeNames: [],
    domainValidations: [],
    ...(notAfter ? { notAfter: new Date(notAfter) } : {}),
  });

  it('keeps an issued certificate for the full TTL but never past its notAfter', () => {
    expect(policy.certificateTtl(certificate('OK', '2027-01-01T00:00:00Z'), now)).toBe(300_000);
    expect(policy.certificateTtl(certificate('active', '2026-01-01T00:01:00Z'), now)).toBe(60_000);
  });

  it('keeps a certificate being issued for seconds only', () => {
    expect(policy.certificateTtl(certificate('Applying'), now)).toBe(5_000);
    expect(policy.certificateTtl(certificate('pending'), now)).toBe(5_000);
  });

  it('gives a list the shortest life of its members', () => {
    expect(policy.listTtl([certificate('OK', '2027-01-01T00:00:00Z'), certificate('Applying')], now)).toBe(5_000);
    expect(policy.listTtl([], now)).toBe(300_000);
  });
});
