/** Node I/O for the recipe: reads the recipe and cluster directories into the pure model. */
import { resolve } from 'node:path';
import { parseRecipe, type Recipe, type RecipeFile, type RecipeInput } from './model';
import { readTextFile, recipeDir, relativePath, systemDir, walkTree } from '../paths-fs';

export { recipeDir, systemDir } from '../paths-fs';

export const DEFAULT_RECIPE_DIR = 'content/recipe';
export const DEFAULT_SYSTEM_DIR = 'content/cluster/internal-cxi';
export const DEFAULT_PACKAGES_DIR = 'content/packages';

/** Files and directories under `dir` (see walkTree: links stay inside it, regular files only, capped reads). */
function walk(dir: string, files: RecipeFile[], dirs: string[]): void {
  const tree = walkTree(dir, ['__pycache__', '.git']);
  dirs.push(...tree.dirs.map(relativePath));
  files.push(...tree.files.map((path) => ({ file: relativePath(path), text: readTextFile(path, { within: dir }) })));
}

export function readRecipeInput(dir = recipeDir(), system = systemDir()): RecipeInput {
  const files: RecipeFile[] = [];
  const dirs: string[] = [];
  walk(resolve(dir), files, dirs);
  walk(resolve(system), files, dirs);
  return { recipeDir: relativePath(dir), systemDir: relativePath(system), files, dirs };
}

const cache = new Map<string, Recipe>();

/**
 * The recipe model. Cached per directory pair within one process: every package page asks for it,
 * and the files do not change during a build.
 */
export function loadRecipe(dir = recipeDir(), system = systemDir()): Recipe {
  const key = `${resolve(dir)}\0${resolve(system)}`;
  let recipe = cache.get(key);
  if (!recipe) {
    recipe = parseRecipe(readRecipeInput(dir, system));
    cache.set(key, recipe);
  }
  return recipe;
}

/** content/packages/*.yaml, for the rule that every package page has a spec. */
export function readPackagePages(dir = DEFAULT_PACKAGES_DIR): RecipeFile[] {
  const files: RecipeFile[] = [];
  walk(resolve(dir), files, []);
  return files.filter((f) => /\.ya?ml$/.test(f.file));
}
