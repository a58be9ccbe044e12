/**
 * `uenv-kb check-recipe` against copies of the real recipe, each broken in one way. Every case
 * asserts the file, line and field of the error and exit status 1, and that nothing was written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { runCli } from '../../../helpers';

/** `uenv-kb check-recipe <args>` in this process. */
const cli = (args: string[]) => runCli(['check-recipe', ...args]);

/** A content hash of every file and directory under `dir`, to prove a failed check wrote nothing. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      hash.update(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(readFileSync(p));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'recipe-check-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh copy: <case>/recipe, <case>/system, <case>/packages (one page per Spack name given). */
function copy(name: string): string {
  const dir = join(root, name.replace(/\W+/g, '-'));
  cpSync('content/recipe', join(dir, 'recipe'), { recursive: true });
  cpSync('content/cluster/internal-cxi', join(dir, 'system'), { recursive: true });
  mkdirSync(join(dir, 'packages'));
  writeFileSync(join(dir, 'packages/libcurl.yaml'), 'id: libcurl\ntitle: libcurl\nspack: curl\n');
  writeFileSync(join(dir, 'packages/nccl.yaml'), 'id: nccl\ntitle: NCCL\n');
  // Exempt from "every page has a spec": a platform package, and one a variant of the recipe pulls in.
  writeFileSync(join(dir, 'packages/uenv.yaml'), 'id: uenv\ntitle: uenv\nrole: platform\n');
  writeFileSync(join(dir, 'packages/cuda.yaml'), 'id: cuda\ntitle: CUDA\npulled_in:\n  by: variant\n  of: "+cuda"\n');
  return dir;
}

const edit = (file: string, from: string | RegExp, to: string) => (dir: string) => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply to ${file}: ${String(from)}`);
  writeFileSync(path, next);
};
const write = (file: string, text: string) => (dir: string) => {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), text);
};
const remove = (file: string) => (dir: string) => rmSync(join(dir, file), { recursive: true });

interface BadCase {
  name: string;
  change: (dir: string) => void;
  /** File of the error, relative to the case directory. */
  file: string;
  /**
   * The expected line: a number, or the first line (after the edit) that contains this text; a list
   * searches each text after the line of the one before (for a missing key: the first line of its map).
   */
  line: number | string | string[];
  field: string;
  message: RegExp;
}

const ENVS = 'recipe/environments.yaml';
const CONFIG = 'recipe/config.yaml';
const COMPILERS = 'recipe/compilers.yaml';

const cases: BadCase[] = [
  // Files
  { name: 'missing config.yaml', change: remove(CONFIG), file: CONFIG, line: 1, field: '', message: /required file is missing/ },
  { name: 'missing compilers.yaml', change: remove(COMPILERS), file: COMPILERS, line: 1, field: '', message: /required file is missing/ },
  { name: 'missing environments.yaml', change: remove(ENVS), file: ENVS, line: 1, field: '', message: /required file is missing/ },
  {
    name: 'mirrors.yaml in the recipe',
    change: write('recipe/mirrors.yaml', 'mirrors: {}\n'),
    file: 'recipe/mirrors.yaml',
    line: 1,
    field: '',
    message: /not supported by stackinator v5.*-c/,
  },
  {
    name: 'mirrors.yaml in the cluster configuration',
    change: write('system/mirrors.yaml', 'mirrors: {}\n'),
    file: 'system/mirrors.yaml',
    line: 1,
    field: '',
    message: /mirrors\.yaml is not supported/,
  },
  {
    name: 'broken YAML (tab indentation)',
    change: edit(ENVS, '  unify: true', '\tunify: true'),
    file: ENVS,
    line: '\tunify',
    field: '',
    message: /invalid YAML: Tabs are not allowed/,
  },
  {
    name: 'a duplicate key',
    change: edit(ENVS, '  unify: true', '  unify: true\n  unify: false'),
    file: ENVS,
    line: 'unify: false',
    field: '',
    message: /invalid YAML: Map keys must be unique/,
  },
  { name: 'an empty required file', change: write(CONFIG, '# nothing\n'), file: CONFIG, line: 1, field: '', message: /file is empty/ },
  {
    name: 'an override without package.py',
    change: write('recipe/repo/packages/nccl/fix.patch', '--- a\n+++ b\n'),
    file: 'recipe/repo/packages/nccl/package.py',
    line: 1,
    field: '',
    message: /"nccl" has no package\.py/,
  },
  {
    name: 'an override directory with Spack 1.x naming',
    change: write('recipe/repo/packages/aws_ofi_nccl/package.py', 'pass\n'),
    file: 'recipe/repo/packages/aws_ofi_nccl/package.py',
    line: 1,
    field: '',
    message: /must be a Spack package name/,
  },
  {
    name: 'a pre-install hook without #!',
    change: write('recipe/pre-install', 'spack config get\n'),
    file: 'recipe/pre-install',
    line: 1,
    field: '',
    message: /must start with a #! line/,
  },
  {
    name: 'extra as a file',
    change: (d) => {
      rmSync(join(d, 'recipe/extra'), { recursive: true });
      writeFileSync(join(d, 'recipe/extra'), 'x');
    },
    file: 'recipe/extra',
    line: 1,
    field: '',
    message: /must be a directory/,
  },
  // config.yaml
  {
    name: 'an unknown key in config.yaml',
    change: edit(CONFIG, 'modules: true', 'modules: true\nspack_version: "0.23"'),
    file: CONFIG,
    line: 'spack_version',
    field: 'spack_version',
    message: /unknown key/,
  },
  { name: 'name of the wrong type', change: edit(CONFIG, /^name: .*$/m, 'name: [a, b]'), file: CONFIG, line: 'name: [a, b]', field: 'name', message: /string/ },
  {
    name: 'a relative store',
    change: edit(CONFIG, 'store: /user-environment', 'store: user-environment'),
    file: CONFIG,
    line: 'store:',
    field: 'store',
    message: /absolute path/,
  },
  {
    name: 'a store quoted with a space',
    change: edit(CONFIG, 'store: /user-environment', 'store: "/user environment"'),
    file: CONFIG,
    line: 'store:',
    field: 'store',
    message: /whitespace/,
  },
  {
    name: "a store with '..'",
    change: edit(CONFIG, 'store: /user-environment', 'store: /user-environment/../etc'),
    file: CONFIG,
    line: 'store:',
    field: 'store',
    message: /normalised path/,
  },
  {
    name: 'a store with a trailing slash',
    change: edit(CONFIG, 'store: /user-environment', 'store: /user-environment/'),
    file: CONFIG,
    line: 'store:',
    field: 'store',
    message: /normalised path/,
  },
  {
    name: 'version 2 (a stackinator v6 recipe)',
    change: edit(CONFIG, 'modules: true', 'modules: true\nversion: 2'),
    file: CONFIG,
    line: 'version: 2',
    field: 'version',
    message: /must be 1 for stackinator v5/,
  },
  {
    name: 'spack.packages (a v2 key)',
    change: edit(CONFIG, /^ {2}commit: .*$/m, '$&\n  packages: {repo: https://github.com/spack/spack-packages.git}'),
    file: CONFIG,
    line: 'packages:',
    field: 'spack.packages',
    message: /unknown key/,
  },
  {
    name: 'modules as a string',
    change: edit(CONFIG, 'modules: true', 'modules: "yes"'),
    file: CONFIG,
    line: 'modules:',
    field: 'modules',
    message: /true or false/,
  },
  {
    name: 'spack without repo',
    change: edit(CONFIG, /^ {2}repo: .*\n/m, ''),
    file: CONFIG,
    line: ['spack:', 'commit:'],
    field: 'spack.repo',
    message: /Spack git URL/,
  },
  // compilers.yaml
  {
    name: 'a malformed gcc spec',
    change: edit(COMPILERS, /- gcc@[\d.]+/, '- gcc@13.10'),
    file: COMPILERS,
    line: 'gcc@13.10',
    field: 'gcc.specs.0',
    message: /must be a gcc spec/,
  },
  {
    name: 'a bootstrap that is not gcc',
    change: edit(COMPILERS, /spec: gcc@[\d.]+/, 'spec: clang@17'),
    file: COMPILERS,
    line: 'clang@17',
    field: 'bootstrap.spec',
    message: /must be a gcc spec/,
  },
  {
    name: 'no bootstrap compiler',
    change: edit(COMPILERS, /^bootstrap:\n {2}spec: .*\n/m, ''),
    file: COMPILERS,
    line: 'gcc:',
    field: 'bootstrap',
    message: /is required/,
  },
  {
    name: 'llvm requiring a gcc that is not built',
    change: edit(COMPILERS, /$/, 'llvm:\n  requires: gcc@11\n  specs: [nvhpc@24.11]\n'),
    file: COMPILERS,
    line: 'requires: gcc@11',
    field: 'llvm.requires',
    message: /must be one of gcc\.specs/,
  },
  // environments.yaml
  {
    name: 'an unknown MPI',
    change: edit(ENVS, /spec: cray-mpich@[\d.]+/, 'spec: intel-mpi@2021.10'),
    file: ENVS,
    line: 'intel-mpi',
    field: 'network.mpi.spec',
    message: /unknown MPI "intel-mpi".*cray-mpich, mpich, mvapich2, openmpi/,
  },
  {
    name: 'an unknown MPI gpu',
    change: edit(ENVS, 'gpu: cuda', 'gpu: hip'),
    file: ENVS,
    line: 'gpu: hip',
    field: 'network.mpi.gpu',
    message: /cuda, rocm, null or false/,
  },
  {
    name: 'specs: null',
    change: edit(ENVS, /^ {2}specs:\n(?: {4}.*\n)+/m, '  specs: null\n'),
    file: ENVS,
    line: 'specs: null',
    field: 'network.specs',
    message: /list of spec strings/,
  },
  {
    name: 'a v6 key (prefer) in an environment',
    change: edit(ENVS, '  unify: true', '  prefer: [gcc]\n  unify: true'),
    file: ENVS,
    line: 'prefer:',
    field: 'network.prefer',
    message: /unknown key/,
  },
  {
    name: 'a duplicate view name',
    change: edit(ENVS, '    ml:\n', '    default:\n'),
    file: ENVS,
    line: ['ml-optional:', 'default:'],
    field: 'ml-optional.views.default',
    message: /duplicate view name "default" \(also in environment network\)/,
  },
  {
    name: 'an environment name that is no directory name',
    change: edit(ENVS, /^network:$/m, 'network env:'),
    file: ENVS,
    line: 'network env:',
    field: 'network env',
    message: /invalid name/,
  },
  {
    name: 'a compiler the recipe does not build',
    change: edit(ENVS, /spec: gcc@[\d.]+/, 'spec: gcc@12'),
    file: ENVS,
    line: 'spec: gcc@12',
    field: 'network.compiler.0.spec',
    message: /gcc@12 is not built by compilers\.yaml/,
  },
  {
    name: 'an llvm toolchain without llvm compilers',
    change: edit(ENVS, 'toolchain: gcc', 'toolchain: llvm'),
    file: ENVS,
    line: 'toolchain: llvm',
    field: 'network.compiler.0.toolchain',
    message: /needs an llvm entry/,
  },
  {
    name: 'an unknown toolchain',
    change: edit(ENVS, 'toolchain: gcc', 'toolchain: nvhpc'),
    file: ENVS,
    line: 'toolchain: nvhpc',
    field: 'network.compiler.0.toolchain',
    message: /gcc or llvm/,
  },
  {
    name: 'a spec with a single quote',
    change: edit(ENVS, /- libcxi@main/, `- "libcxi@main cflags='-O2'"`),
    file: ENVS,
    line: 'cflags',
    field: 'network.specs.1',
    message: /single quote/,
  },
  {
    name: 'the MPI also listed in specs',
    change: edit(ENVS, /- libcxi@main/, '- libcxi@main\n    - cray-mpich'),
    file: ENVS,
    line: '- cray-mpich',
    field: 'network.specs.2',
    message: /added from mpi:/,
  },
  {
    name: 'unify: maybe',
    change: edit(ENVS, '  unify: true', '  unify: maybe'),
    file: ENVS,
    line: 'unify: maybe',
    field: 'network.unify',
    message: /true, false or when_possible/,
  },
  {
    name: 'an unknown view link',
    change: edit(ENVS, 'link: roots', 'link: everything'),
    file: ENVS,
    line: 'link: everything',
    field: 'network.views.default.link',
    message: /roots|all|run/,
  },
  {
    name: 'a reserved view name',
    change: edit(ENVS, '    ml:\n', '    modules:\n'),
    file: ENVS,
    line: '    modules:',
    field: 'ml-optional.views.modules',
    message: /reserved/,
  },
  {
    name: 'an MPI spec with variants but no version',
    change: edit(ENVS, /spec: cray-mpich@[\d.]+/, 'spec: cray-mpich +cuda'),
    file: ENVS,
    line: 'cray-mpich +cuda',
    field: 'network.mpi.spec',
    message: /unknown MPI "cray-mpich \+cuda".*give a version/,
  },
  {
    name: 'a spec that does not start with a package name',
    change: edit(ENVS, /- libcxi@main/, '- Libcxi@main'),
    file: ENVS,
    line: 'Libcxi@main',
    field: 'network.specs.1',
    message: /"Libcxi@main" does not start a spec/,
  },
  {
    name: 'a spec with a stray token',
    change: edit(ENVS, /- libcxi@main/, '- libcxi@main, cxi-driver@main'),
    file: ENVS,
    line: 'libcxi@main, cxi',
    field: 'network.specs.1',
    message: /"libcxi@main," does not start a spec|"cxi-driver@main" is not a spec token/,
  },
  {
    name: 'a bare word where a variant belongs',
    change: edit(ENVS, /- libcxi@main/, '- libcxi@main cuda'),
    file: ENVS,
    line: 'libcxi@main cuda',
    field: 'network.specs.1',
    message: /"cuda" is not a spec token/,
  },
  {
    name: 'the reserved environment name uenv_tools',
    change: edit(ENVS, /^network:$/m, 'uenv_tools:'),
    file: ENVS,
    line: 'uenv_tools:',
    field: 'uenv_tools',
    message: /reserved from stackinator v6 on \(our rule/,
  },
  // modules.yaml, packages.yaml, extra/
  {
    name: 'modules.yaml without roots',
    change: edit('recipe/modules.yaml', /^ {4}roots:\n {6}tcl: .*\n/m, ''),
    file: 'recipe/modules.yaml',
    line: ['default:', 'arch_folder'],
    field: 'modules.default.roots',
    message: /stackinator sets roots\.tcl/,
  },
  {
    name: 'modules.yaml with arch_folder',
    change: edit('recipe/modules.yaml', 'arch_folder: false', 'arch_folder: true'),
    file: 'recipe/modules.yaml',
    line: 'arch_folder',
    field: 'modules.default.arch_folder',
    message: /must be false/,
  },
  {
    name: 'packages.yaml with a misspelt top level',
    change: edit('recipe/packages.yaml', /^packages:/m, 'package:'),
    file: 'recipe/packages.yaml',
    line: 'package:',
    field: 'package',
    message: /unknown key/,
  },
  {
    name: 'a reframe view that does not exist',
    change: edit('recipe/extra/reframe.yaml', 'views: [default]', 'views: [develop]'),
    file: 'recipe/extra/reframe.yaml',
    line: 'views: [develop]',
    field: 'network.views.0',
    message: /no view "develop"/,
  },
  // cluster configuration
  {
    name: 'buildable as a string',
    change: edit('recipe/packages.yaml', 'buildable: false', 'buildable: "no"'),
    file: 'recipe/packages.yaml',
    line: 'buildable:',
    field: 'packages.curl.buildable',
    message: /true or false/,
  },
  {
    name: 'an external without a spec',
    change: edit('system/packages.yaml', /- spec: xpmem@[\d.]+\n {8}prefix/, '- prefix'),
    file: 'system/packages.yaml',
    line: '- prefix',
    field: 'packages.xpmem.externals.0.spec',
    message: /is required/,
  },
  {
    name: 'an external with a relative prefix',
    change: edit('system/packages.yaml', 'prefix: /usr', 'prefix: usr'),
    file: 'system/packages.yaml',
    line: 'prefix: usr',
    field: 'packages.xpmem.externals.0.prefix',
    message: /absolute path/,
  },
  {
    name: 'an absolute path in repos.yaml',
    change: edit('system/repos.yaml', '- ../site/repo', '- /opt/alps/site/repo'),
    file: 'system/repos.yaml',
    line: '/opt/alps',
    field: 'repos.0',
    message: /relative to the cluster folder/,
  },
  {
    name: 'a cluster without packages.yaml',
    change: remove('system/packages.yaml'),
    file: 'system/packages.yaml',
    line: 1,
    field: '',
    message: /required file is missing/,
  },
  {
    name: 'a cluster without compilers.yaml',
    change: remove('system/compilers.yaml'),
    file: 'system/compilers.yaml',
    line: 1,
    field: '',
    message: /required file is missing/,
  },
  {
    name: 'a libfabric system external',
    change: edit(
      'system/packages.yaml',
      /^packages:\n/m,
      'packages:\n  libfabric:\n    buildable: false\n    externals:\n      - {spec: libfabric@1.15.2.0, prefix: /opt/cray/libfabric/1.15.2.0}\n',
    ),
    file: 'system/packages.yaml',
    line: '- {spec: libfabric',
    field: 'packages.libfabric.externals',
    message: /must not be a system external/,
  },
  {
    name: 'repos.yaml with a string',
    change: edit('system/repos.yaml', /^repos:\n.*\n/m, 'repos: ../site/repo\n'),
    file: 'system/repos.yaml',
    line: 'repos:',
    field: 'repos',
    message: /list of strings/,
  },
  // our rule: every package page has a spec
  {
    name: 'a package page the recipe has no spec for',
    change: write('packages/zstd.yaml', 'id: zstd\ntitle: zstd\n'),
    file: 'packages/zstd.yaml',
    line: 'id: zstd',
    field: 'id',
    message: /no spec for "zstd"/,
  },
  {
    name: 'a page whose spack name has no spec',
    change: edit('packages/libcurl.yaml', 'spack: curl', 'spack: libcurl'),
    file: 'packages/libcurl.yaml',
    line: 'spack:',
    field: 'spack',
    message: /no spec for "libcurl"/,
  },
  {
    name: 'a page pulled in by a variant no environment sets',
    change: write('packages/cuda.yaml', 'id: cuda\ntitle: CUDA\npulled_in:\n  by: variant\n  of: "+rocm"\n'),
    file: 'packages/cuda.yaml',
    line: 'of: "+rocm"',
    field: 'pulled_in.of',
    message: /no environment .* sets that variant/,
  },
  {
    name: 'a page that stops being a platform package',
    change: write('packages/uenv.yaml', 'id: uenv\ntitle: uenv\nrole: support\n'),
    file: 'packages/uenv.yaml',
    line: 'id: uenv',
    field: 'id',
    message: /no spec for "uenv".*rule: every package page has a spec/,
  },
];

function expectedLine(dir: string, c: BadCase): number {
  if (typeof c.line === 'number') return c.line;
  const lines = readFileSync(join(dir, c.file), 'utf8').split('\n');
  let index = -1;
  for (const needle of [c.line].flat()) {
    index = lines.findIndex((l, i) => i > index && l.includes(needle));
    if (index < 0) throw new Error(`test case "${c.name}": no line containing ${needle} in ${c.file}`);
  }
  return index + 1;
}

describe('check-recipe', () => {
  it('passes the real recipe, cluster configuration and package pages', async () => {
    const run = await cli([]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^ok: content\/recipe and content\/cluster\/internal-cxi/);
  });

  it('passes an untouched copy (the cases below fail for their edit alone)', async () => {
    const dir = copy('untouched');
    const run = await cli([join(dir, 'recipe'), '--system', join(dir, 'system'), '--packages', join(dir, 'packages')]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
  });

  it(`has at least 25 bad-recipe cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases)('rejects $name', async (c) => {
    const dir = copy(c.name);
    c.change(dir);
    const before = treeHash(dir);
    const run = await cli([join(dir, 'recipe'), '--system', join(dir, 'system'), '--packages', join(dir, 'packages')]);
    expect(run.code).toBe(1);
    const file = relative(process.cwd(), join(dir, c.file));
    const line = expectedLine(dir, c);
    const prefix = `${file}:${line}:`;
    const lines = run.err.split('\n').filter((l) => l.startsWith(prefix));
    expect(lines, `stderr:\n${run.err}`).not.toEqual([]);
    const match = lines.find((l) => {
      const rest = l.slice(prefix.length).replace(/^\d+: /, '');
      // A file-level error has no `field: ` before its message.
      return (c.field ? rest.startsWith(`${c.field}: `) : !/^[\w.-]+: /.test(rest)) && c.message.test(rest);
    });
    expect(match, `no "${prefix}<col>: ${c.field}: ${c.message}" in stderr:\n${run.err}`).toBeDefined();
    expect(treeHash(dir)).toBe(before);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it.each([
    [['--bogus'], /unknown option "--bogus"/],
    [['a', 'b'], /unexpected argument "b"/],
    [['--system'], /--system needs a directory/],
    [['no-such-dir'], /recipe directory not found: no-such-dir/],
    [['content/recipe', '--system', 'no-such-dir'], /--system directory not found/],
  ])('exits 2 on bad arguments %j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
  });
});

describe('the site build', () => {
  it('stops on an invalid recipe with the same positioned error, writing no pages', () => {
    const dir = copy('site-build');
    edit(COMPILERS, /- gcc@[\d.]+/, '- gcc@13.10')(dir);
    const outDir = join(dir, 'dist');
    const build = spawnSync('npx', ['astro', 'build', '--outDir', outDir], {
      encoding: 'utf8',
      env: { ...process.env, UENV_KB_RECIPE: join(dir, 'recipe') },
    });
    expect(build.status).not.toBe(0);
    const file = relative(process.cwd(), join(dir, COMPILERS));
    expect(build.stdout + build.stderr).toContain(
      `${file}:${expectedLine(dir, { name: 'build', change: () => {}, file: COMPILERS, line: 'gcc@13.10', field: '', message: /./ })}:`,
    );
    expect(build.stdout + build.stderr).toMatch(/gcc\.specs\.0: must be a gcc spec/);
    expect(existsSync(join(outDir, 'index.html'))).toBe(false);
  });
});
