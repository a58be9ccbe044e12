/** Node I/O for the recipe: reads the recipe and cluster directories into the pure model. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseRecipe, type Recipe, type RecipeFile, type RecipeInput } from './recipe';

export const DEFAULT_RECIPE_DIR = 'content/recipe';
export const DEFAULT_SYSTEM_DIR = 'content/cluster/internal-cxi';
export const DEFAULT_PACKAGES_DIR = 'content/packages';

/** The recipe the site is built from. Tests point UENV_KB_RECIPE at a broken copy to prove the build fails. */
export function recipeDir(): string {
  return process.env.UENV_KB_RECIPE ?? DEFAULT_RECIPE_DIR;
}

/** The cluster configuration the site is built from (UENV_KB_SYSTEM overrides it, for tests). */
export function systemDir(): string {
  return process.env.UENV_KB_SYSTEM ?? DEFAULT_SYSTEM_DIR;
}

/** Paths in errors and in the model are relative to the working directory (the repository root). */
function repoPath(abs: string): string {
  return relative(process.cwd(), abs).split('\\').join('/') || '.';
}

/** Files and directories under `dir`, recursively; a missing `dir` yields nothing. */
function walk(dir: string, files: RecipeFile[], dirs: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    if (name === '__pycache__' || name === '.git') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      dirs.push(repoPath(path));
      walk(path, files, dirs);
    } else {
      files.push({ file: repoPath(path), text: readFileSync(path, 'utf8') });
    }
  }
}

export function readRecipeInput(dir = recipeDir(), system = systemDir()): RecipeInput {
  const files: RecipeFile[] = [];
  const dirs: string[] = [];
  walk(resolve(dir), files, dirs);
  walk(resolve(system), files, dirs);
  return { recipeDir: repoPath(resolve(dir)), systemDir: repoPath(resolve(system)), files, dirs };
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
