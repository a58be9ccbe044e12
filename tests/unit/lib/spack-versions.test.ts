/** Spack version ranges against concrete versions, the rules `uenv-kb affected` applies. */
import { describe, expect, it } from 'vitest';
import { compareVersions, effectiveVersion, inRange, parseAffectedSpec } from '../../../src/lib/spack-versions';

describe('parseAffectedSpec', () => {
  it.each([
    ['libfabric@1.20.0:2.1.0', { name: 'libfabric', from: '1.20.0', to: '2.1.0' }],
    ['libfabric@:1.22', { name: 'libfabric', from: undefined, to: '1.22' }],
    ['nccl@2.19:', { name: 'nccl', from: '2.19', to: undefined }],
    ['libfabric@main', { name: 'libfabric', from: 'main', to: 'main' }],
    ['hdf5@:', { name: 'hdf5', from: undefined, to: undefined }],
  ])('%s', (spec, bounds) => expect(parseAffectedSpec(spec)).toEqual(bounds));

  it('refuses what is not name@range', () => {
    expect(parseAffectedSpec('libfabric')).toBeUndefined();
    expect(parseAffectedSpec('libfabric@')).toBeUndefined();
  });
});

describe('versions', () => {
  it('compare segment by segment, numbers numerically', () => {
    expect(compareVersions('2.10', '2.9')).toBeGreaterThan(0);
    expect(compareVersions('1.22.0', '1.22')).toBeGreaterThan(0);
    expect(compareVersions('2.23.4-1', '2.23.4')).toBeGreaterThan(0);
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0);
  });

  it('put branch words above every number, develop highest', () => {
    expect(compareVersions('main', '99.0')).toBeGreaterThan(0);
    expect(compareVersions('develop', 'main')).toBeGreaterThan(0);
    expect(compareVersions('master', 'main')).toBeLessThan(0);
  });

  it('read a git version as the version after =', () => {
    expect(effectiveVersion('git.0123456789abcdef0123456789abcdef01234567=main')).toBe('main');
    expect(effectiveVersion('git.v2.0.0=2.0.0')).toBe('2.0.0');
    expect(effectiveVersion('git.0123456789abcdef0123456789abcdef01234567')).toBeUndefined();
    expect(effectiveVersion('1.22.0')).toBe('1.22.0');
  });
});

describe('inRange', () => {
  it.each([
    ['2.0.0', '1.20.0:2.1.0', true],
    ['2.1.0', '1.20.0:2.1.0', true],
    ['2.1.1', '1.20.0:2.1.0', false],
    ['2.1.5', ':2.1', true], // an upper bound covers the versions it prefixes
    ['2.10', ':2.1', false],
    ['1.19.1', '1.20.0:2.1.0', false],
    ['2.0.1', '2.0', true], // a bare version is a range
    ['2.23.4-1', '2.19:', true],
    ['main', 'main', true],
    ['git.0123456789abcdef0123456789abcdef01234567=main', 'main', true],
    ['master', 'main', false],
    ['main', '2.19:', true],
    ['main', ':2.1', false],
  ])('%s in %s: %s', (version, range, expected) => {
    const [from, to] = range.includes(':') ? range.split(':') : [range, range];
    expect(inRange(version, { from: from || undefined, to: to || undefined })).toBe(expected);
  });

  it('cannot tell for a bare git commit', () => {
    expect(inRange('git.0123456789abcdef0123456789abcdef01234567', { from: '1.0', to: '2.0' })).toBeUndefined();
  });
});
