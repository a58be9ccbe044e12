/**
 * `uenv-kb affected` on spack.lock files of the structure Spack writes (lockfile-version 5 / specfile-version 4, as
 * Spack 0.22–0.23 and so the stack's develop-2025-01-05 snapshot do: `_meta`, `spack`, `roots`, `concrete_specs`
 * keyed by DAG hash with name, version, arch, compiler, dependencies; `include_concrete` for included environments),
 * against a copy of the valid record fixture whose ranges are set per test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify, parse } from 'yaml';
import { copyOf, removeDir, runCli, tempDir, VALID_CONTENT } from '../../helpers';

const SHA = '6c2e1a9b0f4d3e8a7b5c1d2e3f4a5b6c7d8e9f01';
let content = '';
let scratch = '';

/** One concrete spec as Spack 0.23 writes it. */
function node(name: string, version: string, hash: string, deps: string[] = []) {
  return {
    name,
    version,
    arch: { platform: 'linux', platform_os: 'sles15', target: 'neoverse_v2' },
    compiler: { name: 'gcc', version: '13.2.0' },
    namespace: 'builtin',
    parameters: { build_system: 'autotools', cflags: [], cppflags: [], cxxflags: [], fflags: [], ldflags: [], ldlibs: [] },
    package_hash: `${hash}pkg`,
    dependencies: deps.map((d) => ({ name: d, hash: `${d}hash`, parameters: { deptypes: ['build', 'link'], virtuals: [] } })),
    hash,
  };
}

function lockFile(specs: ReturnType<typeof node>[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    _meta: { 'file-type': 'spack-lockfile', 'lockfile-version': 5, 'specfile-version': 4 },
    spack: { version: '0.24.0.dev0', type: 'git', commit: SHA },
    roots: specs.slice(0, 1).map((s) => ({ hash: s.hash, spec: `${s.name}@${s.version}` })),
    concrete_specs: Object.fromEntries(specs.map((s) => [s.hash, s])),
    ...extra,
  }, null, 1);
}

function writeLock(name: string, text: string): string {
  const dir = join(scratch, 'environments', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spack.lock'), text);
  return join(dir, 'spack.lock');
}

/** Sets the affected ranges of the fixture's teardown issue. */
function affected(versions: unknown[]): void {
  const file = join(content, 'issues/fixture-teardown-segfault.yaml');
  const issue = parse(readFileSync(file, 'utf8'));
  issue.affected.versions = versions;
  writeFileSync(file, stringify(issue));
}

beforeEach(() => {
  content = copyOf(VALID_CONTENT, 'affected');
  scratch = tempDir('affected-build');
  process.env.UENV_KB_CONTENT = content;
});
afterEach(() => {
  delete process.env.UENV_KB_CONTENT;
  removeDir(content);
  removeDir(scratch);
});

const network = () =>
  writeLock('network', lockFile([node('libfabric', `git.${SHA}=main`, 'lf'), node('nccl', '2.23.4-1', 'nc'), node('libfuse', '2.9.9', 'fu'), node('cray-mpich', '8.1.30', 'mp', ['libfabric'])]));

describe('uenv-kb affected', () => {
  it('lists an issue whose range holds a version of the lock file, with status and permalink; exit 1', async () => {
    affected([{ spec: 'nccl@2.19:2.24' }]);
    const run = await runCli(['affected', network()]);
    expect(run.code).toBe(1);
    expect(run.out).toContain('fixture-teardown-segfault (fixed-upstream): Fixture teardown segfault in curl_multi_cleanup');
    expect(run.out).toContain('https://uenv-cxi-kb.example.org/issues/fixture-teardown-segfault/');
    expect(run.out).toMatch(/affected: nccl@2\.23\.4-1 \(.*environments\/network\/spack\.lock\) is in nccl@2\.19:2\.24/);
  });

  it('exit 0 when no range holds a version (a package absent from the lock, a version outside the range)', async () => {
    affected([{ spec: 'libfabric@1.20.0:2.1.0' }, { spec: 'xpmem@:' }, { spec: 'libfuse@3:' }]);
    const run = await runCli(['affected', network()]);
    expect([run.code, run.err]).toEqual([0, '']);
    expect(run.out).toBe('no known issue applies to the 4 package versions checked\n');
  });

  it('a git version git.<sha>=main is the branch main; a commit window makes it a maybe', async () => {
    affected([{ spec: 'libfabric@main', built_between: ['2024-10-17', '2025-01-26'] }]);
    const run = await runCli(['affected', network(), '--json']);
    expect(run.code).toBe(1);
    const { applies, checked } = JSON.parse(run.out);
    expect(checked).toBe(4);
    expect(applies).toHaveLength(1);
    expect(applies[0]).toMatchObject({ id: 'fixture-teardown-segfault', status: 'fixed-upstream', url: 'https://uenv-cxi-kb.example.org/issues/fixture-teardown-segfault/' });
    expect(applies[0].matches).toEqual([
      {
        spec: 'libfabric@main',
        package: { name: 'libfabric', version: `git.${SHA}=main`, from: expect.stringMatching(/network\/spack\.lock$/) },
        certainty: 'maybe',
        note: 'affected if built between 2024-10-17 and 2025-01-26: spack.lock does not record the commit date',
      },
    ]);
  });

  it('reads every environment and the included ones', async () => {
    affected([{ spec: 'faiss@1.8:' }, { spec: 'hdf5@1.14.3' }]);
    const included = { include_concrete: { '/build/environments/base': { roots: [], concrete_specs: { hd: node('hdf5', '1.14.3', 'hd') } } } };
    const ml = writeLock('ml-optional', lockFile([node('faiss', '1.7.4', 'fa')], included));
    const run = await runCli(['affected', network(), ml, '--json']);
    expect(run.code).toBe(1);
    const { applies, checked } = JSON.parse(run.out);
    expect(checked).toBe(6);
    expect(applies[0].matches.map((m: { package: { name: string } }) => m.package.name)).toEqual(['hdf5']);
  });

  it('--spec checks a version without a lock file', async () => {
    affected([{ spec: 'libfabric@1.20.0:2.1.0' }]);
    expect((await runCli(['affected', '--spec', 'libfabric@2.0.0'])).code).toBe(1);
    expect((await runCli(['affected', '--spec', 'libfabric@2.2.0'])).code).toBe(0);
  });

  it.each([
    ['not JSON', '{"_meta": ', /network\/spack\.lock: not JSON/],
    ['not a lock file', '{"roots": []}', /network\/spack\.lock: not a Spack lock file/],
    ['an old lockfile version', '{"_meta": {"file-type": "spack-lockfile", "lockfile-version": 2}, "concrete_specs": {}}', /lockfile-version 2 is not supported/],
    ['a spec without a version', '{"_meta": {"file-type": "spack-lockfile", "lockfile-version": 5}, "concrete_specs": {"ab": {"name": "nccl"}}}', /concrete_specs\.ab has no string name and version/],
  ])('a malformed file (%s) is bad input naming the file, exit 2', async (_, text, message) => {
    const run = await runCli(['affected', writeLock('network', text)]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expect(run.err.trim().split('\n')).toHaveLength(1);
  });

  it('a missing file, a directory and bad arguments are exit 2', async () => {
    expect((await runCli(['affected', join(scratch, 'nope.lock')])).err).toMatch(/nope\.lock: does not exist/);
    expect((await runCli(['affected', scratch])).err).toMatch(/is a directory, not a regular file/);
    expect((await runCli(['affected'])).code).toBe(2);
    expect((await runCli(['affected', '--spec', 'libfabric'])).code).toBe(2);
    expect((await runCli(['affected', '--frobnicate'])).code).toBe(2);
  });
});
