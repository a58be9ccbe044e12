/**
 * The `recipe` content collection: runs the recipe validator when the site builds, so an invalid
 * recipe stops the build with `file:line:col: field: message`, and stores one entry per Spack
 * package (its first spec) for pages that prefer `getCollection('recipe')`.
 */
import type { Loader } from 'astro/loaders';
import { join } from 'node:path';
import { contentDir } from '../paths-fs';
import { checkRecipe } from './check';
import { loadRecipe, readPackagePages, readRecipeInput } from './recipe-fs';
import { DataError } from '../yaml-source';

/** Throws a DataError listing every problem of the recipe the site is built from. */
export function assertValidRecipe(): void {
  const errors = checkRecipe({ ...readRecipeInput(), packagePages: readPackagePages(join(contentDir(), 'packages')) });
  if (errors.length) throw new DataError('recipe', errors);
}

export function recipeLoader(): Loader {
  return {
    name: 'uenv-kb-recipe',
    load: async ({ store, parseData }) => {
      assertValidRecipe();
      store.clear();
      const seen = new Set<string>();
      for (const spec of loadRecipe().specs) {
        if (seen.has(spec.name)) continue;
        seen.add(spec.name);
        store.set({ id: spec.name, data: await parseData({ id: spec.name, data: { ...spec } }) });
      }
    },
  };
}
