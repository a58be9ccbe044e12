/**
 * `uenv-kb affected`: Spack version ranges, spack.lock reading and the CLI. The lock fixture is written here in the
 * structure of a real lockfile-version 5 file (Spack 0.22/0.23, as in public environments such as NCAR's
 * spack-derecho), with the stack's packages, a git build as `git.<sha>=master` and a commit parameter.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { compareVersions, inRange, parseRange } from '../../../src/lib/spack-versions';
import { LockFileError, parseSpackLock, parseSpecArgument } from '../../../src/lib/spack-lock';
import { affectedIssues } from '../../../src/lib/records/affected';
import { main } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import type { Issue } from '../../../src/schemas/issue';

const LOCK = 'tests/unit/fixtures/affected/network-spack.lock';

describe('Spack versions', () => {
  it.each([
    ['1.10', '1.9', 1],
    ['2.0.0', '2.0', 1],
    ['2.23.4-1', '2.23.4', 1],
    ['main', '99.0', 1],
    ['develop', 'main', 1],
  ])('%s is newer than %s', (a, b) => {
    expect(Math.sign(compareVersions(a, b))).toBe(1);
    expect(Math.sign(compareVersions(b, a))).toBe(-1);
  });

  it.each([
    ['2.1.5', '1.20:2.1', true],
    ['2.10', '1.20:2.1', false],
    ['1.19', '1.20:2.1', false],
    ['2.0.0', '2.0', true],
    ['2.0.1', '2.0', true],
    ['2.1', '2.0', false],
    ['main', '2.0:', true],
    ['main', ':2.2', false],
    ['main', 'main', true],
    ['master', 'main', false],
    ['0.1', ':', true],
  ])('%s in @%s is %s', (version, range, expected) => {
    expect(inRange(version, parseRange(range))).toBe(expected);
  });
});

describe('spack.lock', () => {
  it('reads every concrete spec, with git builds as their branch and commit', async () => {
    const { readFileSync } = await import('node:fs');
    const installed = parseSpackLock(readFileSync(LOCK, 'utf8'), LOCK);
    expect(installed.map((p) => `${p.name}@${p.version}${p.commit ? `#${p.commit.slice(0, 7)}` : ''}`).sort()).toEqual([
      'aws-ofi-nccl@master#1e4ae7b',
      'cray-mpich@8.1.30',
      'curl@7.79.1',
      'libcxi@main#f00dfee',
      'libfabric@main',
      'nccl@2.23.4-1',
    ]);
  });

  it('reads the name-keyed records of lockfile version 1 and included environments', () => {
    const v1 = JSON.stringify({
      _meta: { 'file-type': 'spack-lockfile', 'lockfile-version': 1 },
      roots: [],
      concrete_specs: { h: { nccl: { version: '2.19.3-1' }, dependencies: {} } },
    });
    expect(parseSpackLock(v1, 'v1.lock')).toEqual([{ name: 'nccl', version: '2.19.3-1', from: 'v1.lock' }]);
    const included = JSON.stringify({
      _meta: { 'file-type': 'spack-lockfile', 'lockfile-version': 5 },
      concrete_specs: {},
      include_concrete: { '/env/a': { roots: [], concrete_specs: { h: { name: 'libfabric', version: '1.22.0' } } } },
    });
    expect(parseSpackLock(included, 'inc.lock').map((p) => p.name)).toEqual(['libfabric']);
  });

  it.each([
    ['root:x:0:0:root:/root:/bin/bash', /^is not JSON$/],
    ['{"roots":[]}', /not a Spack lock file/],
    ['{"_meta":{"file-type":"spack-lockfile"}}', /no concrete_specs/],
    ['{"_meta":{"file-type":"spack-lockfile"},"concrete_specs":{"h":{"name":"nccl"}}}', /concrete_specs\.h: "nccl" has no version/],
  ])('refuses %j, never quoting the file', (text, message) => {
    expect(() => parseSpackLock(text, 'x')).toThrow(LockFileError);
    expect(() => parseSpackLock(text, 'x')).toThrow(message);
  });

  it('takes --spec NAME@VERSION and refuses anything else', () => {
    expect(parseSpecArgument('libfabric@git.0123456789abcdef0123456789abcdef01234567=main')).toEqual({
      name: 'libfabric',
      version: 'main',
      commit: '0123456789abcdef0123456789abcdef01234567',
      from: '--spec',
    });
    expect(() => parseSpecArgument('libfabric')).toThrow(/NAME@VERSION/);
    expect(() => parseSpecArgument('libfabric@2.0 +cuda')).toThrow(/NAME@VERSION/);
  });
});

describe('which issues apply', () => {
  const issue = (id: string, versions: Issue['affected']['versions']) => ({ id, title: id, status: 'open', affected: { versions } }) as unknown as Issue;
  const issues = [
    issue('range', [{ spec: 'libfabric@1.20:2.1' }]),
    issue('window', [{ spec: 'libfabric@main', built_between: ['2024-10-17', '2025-01-26'] }]),
    issue('open-window', [{ spec: 'libcxi@main', built_between: ['2024-06-01'] }]),
    issue('absent', [{ spec: 'xpmem@:' }]),
  ];

  it('a release in a range applies; a package the stack lacks never does', () => {
    expect(affectedIssues(issues, [parseSpecArgument('libfabric@2.0.0')]).map((h) => h.issue.id)).toEqual(['range']);
    expect(affectedIssues(issues, [parseSpecArgument('libfabric@2.2.0')])).toEqual([]);
  });

  it('a branch build in a commit window is "possibly" without a build date, and decided with one', () => {
    const main = [parseSpecArgument('libfabric@main'), parseSpecArgument('libcxi@main')];
    expect(affectedIssues(issues, main).map((h) => [h.issue.id, h.certainty])).toEqual([
      ['window', 'possibly'],
      ['open-window', 'possibly'],
    ]);
    expect(affectedIssues(issues, main, { builtOn: '2025-01-05' }).map((h) => [h.issue.id, h.certainty])).toEqual([
      ['window', 'yes'],
      ['open-window', 'yes'],
    ]);
    expect(affectedIssues(issues, main, { builtOn: '2025-03-01' }).map((h) => h.issue.id)).toEqual(['open-window']);
  });
});

describe('uenv-kb affected', () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { out: (t) => void out.push(t), err: (t) => void err.push(t), stdin: async () => '' };
    const code = await main(['affected', ...args], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const dir = mkdtempSync(join(tmpdir(), 'uenv-kb-affected-'));

  it('lists the issues that apply to a built stack, exit 1, and exit 0 when none do', async () => {
    const hit = await run(LOCK, '--built-on', '2025-01-05', '--json');
    expect(hit.code).toBe(1);
    const doc = JSON.parse(hit.out);
    expect(doc.affected.map((a: { id: string }) => a.id)).toContain('cxi-libcurl-teardown-segfault');
    expect(doc.affected.find((a: { id: string }) => a.id === 'cxi-libcurl-teardown-segfault')).toMatchObject({
      package: 'libfabric',
      version: 'main',
      certainty: 'yes',
      url: expect.stringMatching(/\/issues\/cxi-libcurl-teardown-segfault\/$/),
    });
    const none = await run('--spec', 'nccl@2.23.4-1');
    expect(none).toMatchObject({ code: 0, out: expect.stringMatching(/^no known issue applies/) });
  });

  it('names the file on bad input, exit 2', async () => {
    writeFileSync(join(dir, 'bad.lock'), '{"_meta":{"file-type":"spack-lockfile"},"concrete_specs":{"h":{"name":"nccl"}}}');
    mkdirSync(join(dir, 'a-directory'));
    expect(await run(join(dir, 'bad.lock'))).toMatchObject({
      code: 2,
      err: `uenv-kb affected: ${join(dir, 'bad.lock')}: concrete_specs.h: "nccl" has no version`,
    });
    expect(await run(join(dir, 'a-directory'))).toMatchObject({
      code: 2,
      err: `uenv-kb affected: ${join(dir, 'a-directory')}: is a directory, not a regular file`,
    });
    expect(await run(join(dir, 'missing.lock'))).toMatchObject({ code: 2, err: expect.stringContaining('missing.lock: does not exist') });
    expect((await run()).code).toBe(2);
    expect((await run('--spec', 'libfabric')).err).toMatch(/NAME@VERSION/);
    expect((await run('--spec', 'nccl@2.19', '--built-on', 'yesterday')).code).toBe(2);
    expect((await run('--bogus')).code).toBe(2);
  });
});
