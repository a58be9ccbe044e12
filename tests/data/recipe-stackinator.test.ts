/**
 * The real recipe through stackinator's own configure step (releases/v5 `stack-config --develop`).
 * Stackinator is not vendored: point STACKINATOR_DIR at a checkout of eth-cscs/stackinator
 * releases/v5 (default /tmp/stackinator); without one these tests are skipped, never faked.
 * Stand-ins, because there is no network here: an empty git repository tagged with the recipe's
 * Spack commit in place of the Spack clone, and an empty site package repository beside the
 * cluster folder (alps-cluster-config's site/repo, which repos.yaml names).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkRecipe } from '../../src/lib/recipe/check';
import { loadRecipe, readRecipeInput } from '../../src/lib/recipe/recipe-fs';

const STACKINATOR = process.env.STACKINATOR_DIR ?? '/tmp/stackinator';
const available = existsSync(join(STACKINATOR, 'bin/stack-config'));
const recipe = loadRecipe();

let root: string;

function git(cwd: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.email=test@example.org', '-c', 'user.name=test', ...args], { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

/** Runs stack-config on a recipe directory; returns its exit status and output. */
function stackConfig(name: string, recipeDir: string): { status: number | null; output: string; build: string } {
  const work = join(root, name);
  const build = join(work, 'build');
  mkdirSync(join(work, 'mnt'), { recursive: true });
  mkdirSync(build, { recursive: true });
  git(root, 'clone', '-q', join(root, 'spack-stand-in'), join(build, 'spack'));
  const run = spawnSync(
    'python3',
    [join(STACKINATOR, 'bin/stack-config'), '-r', resolve(recipeDir), '-s', join(root, 'acc/internal-cxi'), '-b', build, '-m', join(work, 'mnt'), '--develop'],
    {
      cwd: work,
      encoding: 'utf8',
    },
  );
  return { status: run.status, output: run.stdout + run.stderr, build };
}

describe.skipIf(!available)(`stackinator releases/v5 stack-config (${STACKINATOR})`, () => {
  beforeAll(() => {
    // Under /dev/shm: stackinator refuses build paths under /tmp (its sandbox rebinds /tmp).
    root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : '/var/tmp', 'stackinator-'));
    cpSync('content/cluster/internal-cxi', join(root, 'acc/internal-cxi'), { recursive: true });
    mkdirSync(join(root, 'acc/site/repo/packages'), { recursive: true });
    const spack = join(root, 'spack-stand-in');
    mkdirSync(spack);
    git(spack, 'init', '-q');
    git(spack, 'commit', '-q', '--allow-empty', '-m', 'stand-in for Spack');
    git(spack, 'tag', String(recipe.configValue('config.yaml:spack.commit')));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('configures the real recipe and cluster configuration to the end', () => {
    const run = stackConfig('real', 'content/recipe');
    expect(run.output).toContain('Configuration finished');
    expect(run.status).toBe(0);
    // Every environment spec and the MPI, as stackinator writes them into each spack.yaml.
    for (const spec of recipe.specs.filter((s) => s.source === 'environments' || s.source === 'mpi')) {
      const env = readFileSync(join(run.build, 'environments', spec.environment!, 'spack.yaml'), 'utf8');
      expect(env).toContain(`'${spec.spec}'`);
    }
    expect(readdirSync(join(run.build, 'store/repo/packages')).sort()).toEqual(readdirSync('content/recipe/repo/packages').sort());
    expect(readFileSync(join(run.build, 'environments/Makefile'), 'utf8')).toMatch(/external find --not-buildable .*curl/);
  });

  it.each([
    ['mirrors.yaml in the recipe', (d: string) => writeFileSync(join(d, 'mirrors.yaml'), 'mirrors: {}\n')],
    [
      'an unknown MPI',
      (d: string) =>
        writeFileSync(
          join(d, 'environments.yaml'),
          readFileSync(join(d, 'environments.yaml'), 'utf8').replace(/spec: cray-mpich@[\d.]+/, 'spec: intel-mpi@2021'),
        ),
    ],
    [
      'an MPI spec with variants but no version',
      (d: string) =>
        writeFileSync(
          join(d, 'environments.yaml'),
          readFileSync(join(d, 'environments.yaml'), 'utf8').replace(/spec: cray-mpich@[\d.]+/, 'spec: cray-mpich +cuda'),
        ),
    ],
    [
      'a malformed gcc spec',
      (d: string) => writeFileSync(join(d, 'compilers.yaml'), readFileSync(join(d, 'compilers.yaml'), 'utf8').replace(/- gcc@[\d.]+/, '- gcc@13.10')),
    ],
    [
      'an unknown key in config.yaml',
      (d: string) => writeFileSync(join(d, 'config.yaml'), `${readFileSync(join(d, 'config.yaml'), 'utf8')}spack_version: "0.23"\n`),
    ],
  ])('rejects %s, as check-recipe does', (name, change) => {
    const dir = join(root, `recipe-${name.replace(/\W+/g, '-')}`);
    cpSync('content/recipe', dir, { recursive: true });
    change(dir);
    const run = stackConfig(name.replace(/\W+/g, '-'), dir);
    expect(run.output).not.toContain('Configuration finished');
    expect(checkRecipe(readRecipeInput(dir, 'content/cluster/internal-cxi')).length).toBeGreaterThan(0);
  });
});
