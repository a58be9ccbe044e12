/**
 * One source of truth: the recipe's versions are typed only in content/recipe (and the cluster
 * configuration). No page source or issue record may repeat one; pages render them from the recipe.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecipe } from '../../src/lib/recipe/recipe-fs';
import { recipeVersions, versionPattern } from '../../src/lib/recipe/versions';

const recipe = loadRecipe();
const versions = recipeVersions(recipe);

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => ext.test(f))
    .map((f) => join(dir, f))
    .sort();
}

const sources = [
  ...filesUnder('src/content/docs', /\.mdx?$/),
  ...filesUnder('src/components', /\.astro$/),
  ...filesUnder('content/issues', /\.ya?ml$/),
  ...filesUnder('content/packages', /\.ya?ml$/),
];

/** `file:line: version in "text"` for every line that types one of `versions`. */
function typedVersions(file: string, text: string, list: string[]): string[] {
  return text
    .split('\n')
    .flatMap((line, i) =>
      AFFECTED_SPEC.test(line) ? [] : list.filter((v) => versionPattern(v).test(line)).map((v) => `${file}:${i + 1}: ${v} in "${line.trim()}"`),
    );
}

/**
 * An issue's `affected.versions` spec names the upstream versions a report concerns (`cray-gtl@8.1.30`), evaluated
 * against a build by `uenv-kb affected`: data about upstream, not the recipe's choice, so it may equal a recipe version.
 */
const AFFECTED_SPEC = /^\s*- spec: "[a-z0-9-]+@[^"]*"$/;

describe('recipe versions', () => {
  it('come from the recipe: the pinned specs, the compilers and the Spack commit', () => {
    for (const name of ['nccl', 'cray-mpich', 'libfuse']) expect(versions).toContain(recipe.packageSpec(name)!.version);
    expect(versions).toContain(recipe.configValue('config.yaml:spack.commit'));
    expect(versions.length).toBeGreaterThanOrEqual(6);
  });

  it('the check finds a typed version (so a clean result means something)', () => {
    const commit = String(recipe.configValue('spack.commit'));
    const nccl = recipe.packageSpec('nccl')!.version!;
    const sample = `Built with Spack ${commit}.\nUse nccl@${nccl} here.\nNot 1${nccl}0.`;
    expect(typedVersions('sample.mdx', sample, versions)).toEqual([
      `sample.mdx:1: ${commit} in "Built with Spack ${commit}."`,
      `sample.mdx:2: ${nccl} in "Use nccl@${nccl} here."`,
    ]);
  });

  it(`are typed in no page, component, issue or package record (${sources.length} files)`, () => {
    expect(sources.length).toBeGreaterThan(0);
    const found = sources.flatMap((file) => typedVersions(file, readFileSync(file, 'utf8'), versions));
    expect(found, 'use <RecipeVersion>, <RecipeValue> or <RecipeSnippet> instead').toEqual([]);
  });
});
