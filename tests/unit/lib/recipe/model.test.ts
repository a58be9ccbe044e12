import { describe, expect, it } from 'vitest';
import { parseRecipe } from '../../../../src/lib/recipe/model';
import { parseSpec } from '../../../../src/lib/recipe/spec';
import { versionLabel } from '../../../../src/lib/recipe/labels';
import { recipeVersions, versionPattern } from '../../../../src/lib/recipe/versions';
import { loadRecipe } from '../../../../src/lib/recipe/recipe-fs';
import { resolveSnippet } from '../../../../src/lib/recipe/snippet';

/** The packages with a page on the site; each must get its spec from the recipe or cluster config. */
const PAGE_PACKAGES = [
  'libfabric',
  'libcxi',
  'cxi-driver',
  'cassini-headers',
  'nccl',
  'aws-ofi-nccl',
  'cray-mpich',
  'libfuse',
  'curl',
  'xpmem',
  'faiss',
  'hdf5',
];

describe('parseSpec', () => {
  it.each([
    ['nccl@2.23.4-1', { name: 'nccl', version: '2.23.4-1', variants: [] }],
    ['libfabric@main fabrics=cxi,rxm,tcp +cuda +gdrcopy', { name: 'libfabric', version: 'main', variants: ['fabrics=cxi,rxm,tcp', '+cuda', '+gdrcopy'] }],
    ['hdf5+mpi~cxx', { name: 'hdf5', version: undefined, variants: ['+mpi', '~cxx'] }],
    ['faiss +python ^openblas@0.3', { name: 'faiss', version: undefined, variants: ['+python'] }],
    ['py-torch@2.5:', { name: 'py-torch', version: '2.5:', variants: [] }],
  ])('%s', (spec, expected) => {
    expect(parseSpec(spec)).toEqual(expected);
  });
});

describe('the real recipe', () => {
  const recipe = loadRecipe();

  it('parses without errors', () => {
    expect(recipe.errors).toEqual([]);
  });

  it.each(PAGE_PACKAGES)('gives %s a spec with file and line', (name) => {
    const spec = recipe.packageSpec(name)!;
    expect(spec).toBeDefined();
    const line = recipe.files.get(spec.file)!.split('\n')[spec.line - 1]!;
    // The line the model points at really holds the spec: its name, or its version for a pin.
    expect(line).toContain(spec.version ?? spec.name);
  });

  it('takes versions from where the stack defines them', () => {
    expect(recipe.packageSpec('cray-mpich')).toMatchObject({ source: 'mpi', environment: 'network', variants: ['+cuda'] });
    expect(recipe.packageSpec('curl')).toMatchObject({ source: 'packages', external: true, file: 'content/recipe/packages.yaml' });
    expect(recipe.packageSpec('xpmem')).toMatchObject({ source: 'cluster', external: true, file: 'content/cluster/internal-cxi/packages.yaml' });
    expect(recipe.packageSpec('libfuse')?.source).toBe('packages');
    expect(recipe.packageSpec('no-such-package')).toBeUndefined();
  });

  it('reads config values by file and path', () => {
    const commit = recipe.configValue('config.yaml:spack.commit');
    expect(typeof commit).toBe('string');
    expect(recipe.configValue('spack.commit')).toBe(commit);
    expect(recipe.configValue('compilers.yaml:gcc.specs.0')).toMatch(/^gcc@/);
    expect(() => recipe.configValue('config.yaml:spack.nope')).toThrow(/config\.yaml has no nope/);
    expect(() => recipe.configValue('nope.yaml:x')).toThrow(/no YAML file content\/recipe\/nope\.yaml/);
  });

  it('lists every pinned version, the Spack commit and the compilers, but no ranges or branch names', () => {
    const versions = recipeVersions(recipe);
    for (const name of ['nccl', 'cray-mpich', 'libfuse']) expect(versions).toContain(recipe.packageSpec(name)!.version);
    // The system's xpmem is a fact about the cluster, not a version the recipe chooses.
    expect(versions).not.toContain(recipe.packageSpec('xpmem')!.version);
    expect(versions).toContain(recipe.configValue('spack.commit'));
    expect(versions).toContain(parseSpec(recipe.configValue('compilers.yaml:gcc.specs.0') as string).version);
    expect(versions).not.toContain('main');
    expect(versions.filter((v) => v.includes(':'))).toEqual([]);
  });

  it('labels unpinned and external packages instead of inventing a version', () => {
    expect(versionLabel(recipe.packageSpec('curl')!)).toBe('system external');
    expect(versionLabel(recipe.packageSpec('faiss')!)).toBe('Spack default');
    expect(versionLabel(recipe.packageSpec('nccl')!)).toBe(recipe.packageSpec('nccl')!.version);
  });
});

describe('versionPattern', () => {
  it('matches whole versions only', () => {
    const re = versionPattern('2.9.9');
    expect(re.test('libfuse@2.9.9 is pinned')).toBe(true);
    expect(re.test('version 2.9.9.')).toBe(true);
    expect(re.test('2.9.99')).toBe(false);
    expect(re.test('12.9.9')).toBe(false);
    expect(re.test('2.9.9.1')).toBe(false);
    expect(versionPattern('2.23.4-1').test('nccl@2.23.4-1')).toBe(true);
  });
});

describe('excerpts', () => {
  const recipe = parseRecipe({
    recipeDir: 'r',
    systemDir: 's',
    dirs: [],
    files: [
      { file: 'r/environments.yaml', text: 'env:\n  specs:\n    # why\n    - a@1\n    - b@2 +x\n  unify: true\n' },
      { file: 'r/packages.yaml', text: 'packages:\n  # the reason\n  # continues\n  curl:\n    buildable: false\n\n  zlib:\n    require: "@1.3"\n' },
      { file: 'r/repo/packages/x/package.py', text: 'print(1)\n' },
    ],
  });

  it('cuts a YAML path with the comments above it', () => {
    expect(recipe.excerpt('r/packages.yaml', 'packages.curl')).toEqual({
      text: '# the reason\n# continues\ncurl:\n  buildable: false',
      startLine: 2,
      endLine: 5,
    });
    expect(recipe.excerpt('r/environments.yaml', 'env.specs.1')).toEqual({ text: '- b@2 +x', startLine: 5, endLine: 5 });
    expect(recipe.excerpt('r/environments.yaml', 'env.specs').text).toBe('specs:\n  # why\n  - a@1\n  - b@2 +x');
  });

  it('rejects unknown files and paths', () => {
    expect(() => recipe.excerpt('r/nope.yaml')).toThrow(/no file r\/nope\.yaml/);
    expect(() => recipe.excerpt('r/packages.yaml', 'packages.nope')).toThrow(/has no packages\.nope/);
  });

  it('resolves snippet props: a package, a path, a whole non-YAML file', () => {
    expect(resolveSnippet(recipe, { pkg: 'b' })).toMatchObject({ file: 'r/environments.yaml', code: '- b@2 +x', lang: 'yaml', startLine: 5, whole: false });
    expect(resolveSnippet(recipe, { pkg: 'zlib' })).toMatchObject({ code: 'zlib:\n  require: "@1.3"', startLine: 7 });
    expect(resolveSnippet(recipe, { file: 'r/repo/packages/x/package.py' })).toMatchObject({ lang: 'python', whole: true, code: 'print(1)' });
    expect(() => resolveSnippet(recipe, { pkg: 'nope' })).toThrow(/no spec for package "nope"/);
    expect(() => resolveSnippet(recipe, { pkg: 'b', file: 'r/packages.yaml' })).toThrow(/has its spec in r\/environments\.yaml/);
  });
});
