import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterToSearch, matchesFilter, parseFilter, parseVersions } from '../../src/lib/records/issue-filter';

const row = {
  packages: ['libfabric'],
  status: 'workaround',
  area: 'cxi',
  text: 'segfault at teardown libcurl.so.4',
  affected: ['libfabric@2.0.0', 'libfabric@main'],
};

describe('issue filter', () => {
  it('round-trips through the URL and drops unknown values', () => {
    const filter = parseFilter('?area=cxi&package=libfabric&status=open&q=libcurl&versions=libfabric@2.0.0', ['libfabric']);
    expect(filter).toEqual({ area: 'cxi', package: 'libfabric', status: 'open', query: 'libcurl', versions: 'libfabric@2.0.0' });
    expect(parseFilter(filterToSearch(filter), ['libfabric'])).toEqual(filter);
    expect(parseFilter('?area=bogus&package=zz&status=done', ['libfabric'])).toEqual(EMPTY_FILTER);
  });

  it('matches versions in the record ranges, branch builds by their branch', () => {
    expect(matchesFilter(row, { ...EMPTY_FILTER, versions: 'libfabric@2.0.0' })).toBe(true);
    expect(matchesFilter(row, { ...EMPTY_FILTER, versions: 'libfabric@2.1.0' })).toBe(false);
    expect(matchesFilter(row, { ...EMPTY_FILTER, versions: 'nccl@2.23.4-1, libfabric@main' })).toBe(true);
    expect(parseVersions('libfabric 2.0, nccl@2.19').invalid).toEqual(['libfabric', '2.0']);
  });

  it('needs every word of the text query', () => {
    expect(matchesFilter(row, { ...EMPTY_FILTER, query: 'LIBCURL.so.4 teardown' })).toBe(true);
    expect(matchesFilter(row, { ...EMPTY_FILTER, query: 'libcurl hang' })).toBe(false);
  });
});
