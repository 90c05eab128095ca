import { checkFilter } from '../../../src/inventory/filter-checks';

describe('the inventory filter checks', () => {
  it.each([
    ['an empty hostname', { hostname: '' }, 'filter.hostname'],
    ['a blank hostname', { hostname: '   ' }, 'filter.hostname'],
    ['a hostname longer than DNS allows', { hostname: `${'a'.repeat(250)}.com` }, 'filter.hostname'],
    ['a search of 10,000 characters', { search: 'x'.repeat(10_000) }, 'filter.search'],
    ['a day count past a hundred years', { expiringWithinDays: 2_147_483_647 }, 'filter.expiringWithinDays'],
    ['a day count past a hundred years ago', { expiringWithinDays: -99_999_999 }, 'filter.expiringWithinDays'],
    ['a list of 5,000 regions', { regionIds: Array.from({ length: 5_000 }, () => 'cn-hangzhou') }, 'filter.regionIds'],
    ['an invalid date', { expiresBefore: new Date('not a date') }, 'filter.expiresBefore'],
  ])('refuses %s with BAD_USER_INPUT', (_name, filter, named) => {
    expect(() => checkFilter(filter)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: expect.stringContaining(named) }));
  });

  it('refuses a malformed site id with the documented code, and makes a site id with leading zeros canonical', () => {
    expect(() => checkFilter({ siteIds: ['abc'] })).toThrow(expect.objectContaining({ code: 'InvalidParameter.SiteId' }));
    expect(checkFilter({ siteIds: ['0001234567890123'] }).siteIds).toEqual(['1234567890123']);
  });

  it('leaves a sensible filter as it is', () => {
    const filter = { hostname: 'shop.example.com', search: 'shop', expiringWithinDays: -30, providers: ['ESA' as const] };

    expect(checkFilter(filter)).toBe(filter);
  });
});
