import { baseOf, belongsToSite, isWildcard, normalizeDomain, parseDomainList } from '../../../src/emulator/services/esa/domain-names';

describe('domain names for free certificates', () => {
  it.each([
    ['www.example.com', 'www.example.com'],
    ['  WWW.Example.COM ', 'www.example.com'],
    ['*.example.com', '*.example.com'],
    ['a-b.c1.example.com', 'a-b.c1.example.com'],
    ['xn--fiqs8s.example.com', 'xn--fiqs8s.example.com'],
    [`${'a'.repeat(63)}.example.com`, `${'a'.repeat(63)}.example.com`],
  ])('accepts %j as %j', (raw, normalized) => {
    expect(normalizeDomain(raw)).toBe(normalized);
  });

  it.each([
    ['an empty string', ''],
    ['a single label', 'localhost'],
    ['an underscore', 'under_score.example.com'],
    ['a leading hyphen', '-www.example.com'],
    ['a trailing hyphen', 'www-.example.com'],
    ['an empty label', 'www..example.com'],
    ['a trailing dot', 'www.example.com.'],
    ['a 64-character label', `${'a'.repeat(64)}.example.com`],
    ['a wildcard in the middle', 'www.*.example.com'],
    ['two wildcards', '*.*.example.com'],
    ['a bare wildcard', '*'],
    ['an IPv4 address', '192.168.0.1'],
    ['a URL', 'https://www.example.com'],
    ['a port', 'www.example.com:443'],
    ['non-ASCII letters', 'bücher.example.com'],
    ['control bytes', 'www.exa\u0000mple.com'],
    ['a Kelvin sign that lowercases to an ASCII k', 'www.\u212Aexample.com'],
  ])('refuses %s', (_case, raw) => {
    expect(normalizeDomain(raw)).toBeUndefined();
  });

  it('accepts a name of exactly 253 characters and refuses one of 254', () => {
    const name = (lastLabel: number) => ['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(lastLabel)].join('.');
    expect(name(61)).toHaveLength(253);
    expect(normalizeDomain(name(61))).toBe(name(61));
    expect(normalizeDomain(name(62))).toBeUndefined();
  });

  it('strips the wildcard to find the base name', () => {
    expect(isWildcard('*.example.com')).toBe(true);
    expect(isWildcard('www.example.com')).toBe(false);
    expect(baseOf('*.shop.example.com')).toBe('shop.example.com');
    expect(baseOf('www.example.com')).toBe('www.example.com');
  });

  it('counts the site name and names under it, and nothing that merely ends the same way, as the site', () => {
    expect(belongsToSite('example.com', 'example.com')).toBe(true);
    expect(belongsToSite('a.b.example.com', 'example.com')).toBe(true);
    expect(belongsToSite('*.example.com', 'example.com')).toBe(true);
    expect(belongsToSite('badexample.com', 'example.com')).toBe(false);
    expect(belongsToSite('example.com.evil.test', 'example.com')).toBe(false);
    expect(belongsToSite('*.com', 'example.com')).toBe(false);
  });

  it('splits a Domains list, lowercases it and keeps each name once, in order', () => {
    expect(parseDomainList('b.example.com, A.example.com,b.example.com,a.example.com')).toEqual({ domains: ['b.example.com', 'a.example.com'] });
  });

  it('names the first malformed entry of a Domains list, including an empty one', () => {
    expect(parseDomainList('ok.example.com,bad_name.example.com,also bad')).toEqual({ malformed: 'bad_name.example.com' });
    expect(parseDomainList('ok.example.com,,b.example.com')).toEqual({ malformed: '' });
    expect(parseDomainList(undefined)).toEqual({ malformed: '' });
  });
});
