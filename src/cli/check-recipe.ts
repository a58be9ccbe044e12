/** `uenv-kb check-recipe [RECIPE_DIR] [--system DIR] [--packages DIR]`: the recipe checks the site build runs. */
import { existsSync, statSync } from 'node:fs';
import { commandOptions, type Command } from './io';
import { checkRecipe } from '../lib/recipe/check';
import { DEFAULT_PACKAGES_DIR, DEFAULT_RECIPE_DIR, DEFAULT_SYSTEM_DIR, readPackagePages, readRecipeInput } from '../lib/recipe/recipe-fs';
import { formatError } from '../lib/yaml-source';
import { InputError } from '../lib/input-error';

const USAGE = `usage: uenv-kb check-recipe [RECIPE_DIR] [--system DIR] [--packages DIR]

Checks a stackinator v5 recipe and its cluster configuration the way stackinator's stack-config
does, plus this project's rules (every package page has a spec; overrides hold a package.py).
  RECIPE_DIR       default ${DEFAULT_RECIPE_DIR}
  --system DIR     cluster configuration (stack-config -s), default ${DEFAULT_SYSTEM_DIR}
  --packages DIR   package pages whose specs must exist, default ${DEFAULT_PACKAGES_DIR}
Exit status: 0 valid, 1 errors (printed as file:line:col: field: message), 2 bad arguments.`;

interface Options {
  recipe: string;
  system: string;
  packages: string;
}

function parseArgs(args: string[]): Options | string {
  const opts: Partial<Options> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const flag = { '--system': 'system', '--packages': 'packages' }[arg] as 'system' | 'packages' | undefined;
    if (flag) {
      const value = args[++i];
      if (value === undefined || value.startsWith('-')) return `${arg} needs a directory`;
      opts[flag] = value;
    } else if (arg.startsWith('-')) {
      return `unknown option "${arg}"`;
    } else if (opts.recipe === undefined) {
      opts.recipe = arg;
    } else {
      return `unexpected argument "${arg}"`;
    }
  }
  return { recipe: opts.recipe ?? DEFAULT_RECIPE_DIR, system: opts.system ?? DEFAULT_SYSTEM_DIR, packages: opts.packages ?? DEFAULT_PACKAGES_DIR };
}

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

export const run: Command = async (args, io) => {
  const opts = commandOptions('check-recipe', args, io, USAGE, parseArgs);
  if (typeof opts === 'number') return opts;
  for (const [what, dir] of [
    ['recipe', opts.recipe],
    ['--system', opts.system],
    ['--packages', opts.packages],
  ] as const) {
    // The package pages are optional outside this repository; the recipe and system are not.
    if (what === '--packages' && dir === DEFAULT_PACKAGES_DIR && !existsSync(dir)) continue;
    if (!isDir(dir)) {
      io.err(`uenv-kb check-recipe: ${what} directory not found: ${dir}`);
      return 2;
    }
  }
  let errors;
  try {
    errors = checkRecipe({ ...readRecipeInput(opts.recipe, opts.system), packagePages: readPackagePages(opts.packages) });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    io.err(`uenv-kb check-recipe: ${err.message}`);
    return 2;
  }
  if (errors.length) {
    io.err(errors.map(formatError).join('\n'));
    io.err(`${errors.length} error${errors.length === 1 ? '' : 's'} in ${opts.recipe} and ${opts.system}`);
    return 1;
  }
  io.out(`ok: ${opts.recipe} and ${opts.system} are a valid stackinator v5 recipe and cluster configuration`);
  return 0;
};
