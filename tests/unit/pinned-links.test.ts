/**
 * Every link into repository code on the site is pinned to a tag or a 40-hex commit, never a branch:
 * links, signature sources and Markdown text of records and packages, recipe comments, MDX pages.
 * The record schema refuses unpinned URL fields; this test also covers free text and pages.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPinnedRef, unpinnedRefs } from '../../src/schemas/pinned-url';
import { loadRecipe } from '../../src/lib/recipe/recipe-fs';

const ROOTS = ['content', 'src/content/docs'];
// The record template shows the URL shape with a TAG-OR-COMMIT placeholder, not a link.
const SKIP = ['content/templates/'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

// building.mdx builds one link from the recipe's Spack ref (`${spackCommit}`); check that value instead.
const SPACK_REF = '${spackCommit}';

describe('links into repository code are pinned', () => {
  it('knows tags and commits from branches', () => {
    for (const ref of ['v2.0.0', 'v2.23.4-1', 'v1.13.0-aws', 'develop-2025-01-05', 'slurm-24-11-5-1', 'f55ddabdb0d022ec74582873659db588c73fcac6'])
      expect(isPinnedRef(ref), ref).toBe(true);
    for (const ref of ['main', 'master', 'develop', 'releases', 'f55ddab', 'gh-pages', 'mch-v6-v0.19']) expect(isPinnedRef(ref), ref).toBe(false);
    expect(unpinnedRefs('see https://github.com/eth-cscs/stackinator/tree/releases/v5/docs and https://github.com/o/r/blob/main/x.c#L3')).toEqual([
      'releases',
      'main',
    ]);
  });

  it.each(ROOTS.flatMap(filesUnder).filter((f) => !SKIP.some((dir) => f.startsWith(dir))))('%s', (file) => {
    const refs = unpinnedRefs(readFileSync(file, 'utf8'));
    const bad = refs.filter((ref) => ref !== SPACK_REF);
    expect(bad, `${file}: unpinned /blob/ or /tree/ refs`).toEqual([]);
    if (refs.includes(SPACK_REF)) expect(isPinnedRef(String(loadRecipe().configValue('config.yaml:spack.commit')))).toBe(true);
  });
});
