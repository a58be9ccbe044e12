/** Node I/O for the recipe: reads the recipe and cluster directories into the pure model. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseRecipe, type Recipe, type RecipeFile, type RecipeInput } from './recipe';

export const DEFAULT_RECIPE_DIR = 'content/recipe';
export const DEFAULT_SYSTEM_DIR = 'content/cluster/internal-cxi';

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

export function readRecipeInput(dir = DEFAULT_RECIPE_DIR, systemDir = DEFAULT_SYSTEM_DIR): RecipeInput {
  const files: RecipeFile[] = [];
  const dirs: string[] = [];
  walk(resolve(dir), files, dirs);
  walk(resolve(systemDir), files, dirs);
  return { recipeDir: repoPath(resolve(dir)), systemDir: repoPath(resolve(systemDir)), files, dirs };
}

const cache = new Map<string, Recipe>();

/**
 * The recipe model. Cached per directory pair within one process: every package page asks for it,
 * and the files do not change during a build.
 */
export function loadRecipe(dir = DEFAULT_RECIPE_DIR, systemDir = DEFAULT_SYSTEM_DIR): Recipe {
  const key = `${resolve(dir)}\0${resolve(systemDir)}`;
  let recipe = cache.get(key);
  if (!recipe) {
    recipe = parseRecipe(readRecipeInput(dir, systemDir));
    cache.set(key, recipe);
  }
  return recipe;
}
