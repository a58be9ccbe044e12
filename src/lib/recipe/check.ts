/**
 * The recipe validator: stackinator releases/v5's rules for a recipe and its cluster configuration, as the checklist
 * of the stackinator recipe-format reference lists them (some stricter than v5 itself, each saying so), plus this
 * project's: every package page has a spec (or is a platform package, or is pulled in by a variant), every override directory holds a package.py, no libfabric external.
 * Pure: files in, positioned errors out.
 */
import type { z } from 'astro/zod';
import {
  clusterCompilersSchema,
  clusterReposSchema,
  modulesFileSchema,
  MPI_NAMES,
  packagesFileSchema,
  recipeCompilersSchema,
  recipeConfigSchema,
  recipeEnvironmentsSchema,
  reframeFileSchema,
  type RecipeCompilers,
  type RecipeEnvironments,
} from '../../schemas/recipe';
import { parseRecipe, type Recipe, type RecipeFile, type RecipeInput } from './model';
import { compilerProvided, parseSpec, specLintProblem } from './spec';
import { checkSource, errorAt, keyErrorAt, parseYaml, type SourceError, type YamlSource } from '../yaml-source';
import { SLUG } from '../../schemas/common';

export interface CheckInput extends RecipeInput {
  /** content/packages/*.yaml: each page's `spack` (or `id`) must have a spec. */
  packagePages?: RecipeFile[];
}

/** View names stackinator writes into meta/env.json itself. */
const RESERVED_VIEWS = ['modules', 'spack'];

function fileError(file: string, message: string, field = ''): SourceError {
  return { file, line: 1, col: 1, field, message };
}

class Checker {
  readonly errors: SourceError[] = [];
  constructor(
    readonly recipe: Recipe,
    readonly dirs: ReadonlySet<string>,
  ) {
    this.errors.push(...recipe.errors);
  }

  /** Parses a YAML file against a schema; reports a missing required file, or a directory in its place. */
  parse<S extends z.ZodType>(file: string, schema: S, required: boolean): { data: z.output<S>; source: YamlSource } | undefined {
    if (this.dirs.has(file)) {
      this.errors.push(fileError(file, 'is a directory: it must be a YAML file'));
      return undefined;
    }
    if (!this.recipe.files.has(file)) {
      if (required) this.errors.push(fileError(file, 'required file is missing'));
      return undefined;
    }
    const source = this.recipe.yaml.get(file);
    if (!source) return undefined; // a YAML syntax error, already reported
    if (source.value == null) {
      this.errors.push(fileError(file, 'file is empty'));
      return undefined;
    }
    const checked = checkSource(schema, source);
    this.errors.push(...checked.errors);
    return checked.ok ? { data: checked.data, source } : undefined;
  }

  at(source: YamlSource, path: (string | number)[], message: string): void {
    this.errors.push(errorAt(source, path, message));
  }
}

function checkFiles(c: Checker, input: CheckInput): void {
  const { recipeDir, systemDir } = input;
  const files = new Set(input.files.map((f) => f.file));
  const dirs = new Set(input.dirs);
  for (const dir of [recipeDir, systemDir]) {
    const mirrors = `${dir}/mirrors.yaml`;
    if (files.has(mirrors)) c.errors.push(fileError(mirrors, 'mirrors.yaml is not supported by stackinator v5: pass the build cache with stack-config -c'));
  }
  for (const hook of ['pre-install', 'post-install']) {
    const file = `${recipeDir}/${hook}`;
    if (dirs.has(file)) c.errors.push(fileError(file, `${hook} must be a file (a script run in the build sandbox)`));
    else if (files.has(file) && !c.recipe.files.get(file)!.startsWith('#!'))
      c.errors.push(fileError(file, `${hook} must start with a #! line naming its interpreter`));
  }
  if (files.has(`${recipeDir}/extra`)) c.errors.push(fileError(`${recipeDir}/extra`, 'extra must be a directory (copied to <mount>/meta/extra)'));

  // repo/packages/<name>/package.py, Spack <= 0.23 layout: hyphenated directory names.
  const packagesDir = `${recipeDir}/repo/packages/`;
  for (const dir of input.dirs) {
    if (!dir.startsWith(packagesDir)) continue;
    const name = dir.slice(packagesDir.length);
    if (name.includes('/')) continue;
    if (!SLUG.test(name)) {
      c.errors.push(fileError(`${dir}/package.py`, `override directory "${name}" must be a Spack package name (lowercase, hyphens; Spack <= 0.23 layout)`));
    }
    if (!files.has(`${dir}/package.py`)) c.errors.push(fileError(`${dir}/package.py`, `override directory "${name}" has no package.py`));
  }
  for (const f of input.files) {
    if (f.file.startsWith(packagesDir) && !f.file.slice(packagesDir.length).includes('/')) {
      c.errors.push(fileError(f.file, 'repo/packages/ holds one directory per package, not files'));
    }
  }
}

function checkCompilers(c: Checker, compilers: RecipeCompilers, source: YamlSource): void {
  if (compilers.llvm && !compilers.gcc.specs.includes(compilers.llvm.requires)) {
    c.at(source, ['llvm', 'requires'], `must be one of gcc.specs (${compilers.gcc.specs.join(', ')})`);
  }
}

function checkEnvironments(c: Checker, envs: RecipeEnvironments, source: YamlSource, compilers: RecipeCompilers | undefined): void {
  const views = new Map<string, string>();
  for (const [name, env] of Object.entries(envs)) {
    if (name === 'uenv_tools')
      c.errors.push(keyErrorAt(source, [name], 'uenv_tools is reserved from stackinator v6 on (our rule, so the recipe can move to v6)'));
    env.compiler.forEach((comp, i) => {
      if (!compilers) return;
      if (comp.toolchain === 'llvm' && !compilers.llvm) {
        c.at(source, [name, 'compiler', i, 'toolchain'], 'llvm needs an llvm entry in compilers.yaml');
        return;
      }
      const available = comp.toolchain === 'gcc' ? compilers.gcc.specs : (compilers.llvm?.specs ?? []);
      if (!compilerProvided(comp.spec, available)) {
        c.at(source, [name, 'compiler', i, 'spec'], `${comp.spec} is not built by compilers.yaml (${comp.toolchain}: ${available.join(', ')})`);
      }
    });
    // stackinator v5 takes everything before "@" as the MPI's name, so `cray-mpich +cuda` is an unknown MPI.
    const mpiName = env.mpi ? env.mpi.spec.split('@')[0]!.trim() : undefined;
    if (env.mpi && !(MPI_NAMES as readonly string[]).includes(mpiName!)) {
      const hint = /\s/.test(mpiName!) ? ' (stackinator v5 reads the whole text before "@" as the name: give a version, e.g. cray-mpich@8.1.30 +cuda)' : '';
      c.at(source, [name, 'mpi', 'spec'], `unknown MPI "${mpiName}": stackinator v5 supports ${MPI_NAMES.join(', ')}${hint}`);
    }
    const lists = { specs: env.specs, variants: env.variants, packages: env.packages };
    for (const [key, list] of Object.entries(lists)) {
      list.forEach((s, i) => {
        // stackinator writes each spec between single quotes into spack.yaml.
        if (/['\n]/.test(s)) c.at(source, [name, key, i], 'must not contain a single quote or a newline');
      });
    }
    env.specs.forEach((s, i) => {
      const bad = specLintProblem(s);
      if (bad) return c.at(source, [name, 'specs', i], bad);
      const spec = parseSpec(s);
      if (['gcc', 'llvm', 'nvhpc'].includes(spec.name))
        c.at(source, [name, 'specs', i], `${spec.name} is a compiler: list it in compilers.yaml and compiler:, not in specs`);
      else if (mpiName && spec.name === mpiName) c.at(source, [name, 'specs', i], `${mpiName} is added from mpi: — remove it from specs`);
    });
    for (const view of Object.keys(env.views)) {
      if (RESERVED_VIEWS.includes(view))
        c.errors.push(keyErrorAt(source, [name, 'views', view], `the view name "${view}" is reserved (stackinator adds it to meta/env.json)`));
      const first = views.get(view);
      // stackinator v5 means to reject this (its check never fires); v6 does: views share <mount>/env/<name>.
      if (first) c.errors.push(keyErrorAt(source, [name, 'views', view], `duplicate view name "${view}" (also in environment ${first})`));
      else views.set(view, name);
    }
  }
}

function checkReframe(c: Checker, file: string, envs: RecipeEnvironments | undefined): void {
  const parsed = c.parse(file, reframeFileSchema, false);
  if (!parsed || !envs) return;
  const views = new Set(Object.values(envs).flatMap((e) => Object.keys(e.views)));
  for (const [name, env] of Object.entries(parsed.data)) {
    env.views?.forEach((v, i) => {
      if (!views.has(v)) c.at(parsed.source, [name, 'views', i], `no view "${v}" in environments.yaml`);
    });
  }
}

function checkCluster(c: Checker, systemDir: string): void {
  c.parse(`${systemDir}/compilers.yaml`, clusterCompilersSchema, true);
  const packages = c.parse(`${systemDir}/packages.yaml`, packagesFileSchema, true);
  // The point of this cluster configuration: the network layer comes from the recipe, not /opt/cray.
  const libfabric = packages?.data.packages.libfabric as { externals?: unknown } | undefined;
  if (packages && libfabric && Array.isArray(libfabric.externals) && libfabric.externals.length) {
    c.at(packages.source, ['packages', 'libfabric', 'externals'], 'libfabric must not be a system external: the recipe builds it from source');
  }
  c.parse(`${systemDir}/repos.yaml`, clusterReposSchema, false);
}

/** Every variant the recipe's environments set: their `variants:` lists and the variants of their specs. */
function recipeVariants(recipe: Recipe): Set<string> {
  const envs = recipe.yaml.get(`${recipe.recipeDir}/environments.yaml`)?.value;
  const out = new Set(recipe.specs.filter((s) => s.source !== 'cluster').flatMap((s) => s.variants));
  if (envs && typeof envs === 'object') {
    for (const env of Object.values(envs as Record<string, { variants?: unknown }>)) {
      if (Array.isArray(env?.variants)) for (const v of env.variants) if (typeof v === 'string') out.add(v);
    }
  }
  return out;
}

/**
 * Our rule: every package page has a spec, so its versions come from the recipe. Exempt: `platform` packages
 * (uenv, Slurm, Spack, stackinator: not in the image), and a package the recipe pulls in through a variant
 * (`pulled_in: {by: variant, of: +cuda}`), which must then be set by an environment.
 */
function checkPackagePages(c: Checker, pages: RecipeFile[]): void {
  const { recipeDir, systemDir } = c.recipe;
  // A recipe that is already in error may hide specs: "no spec" would only add noise.
  if (c.errors.length) return;
  const variants = recipeVariants(c.recipe);
  for (const page of pages) {
    const { source } = parseYaml(page.file, page.text);
    const value = source?.value as { id?: unknown; spack?: unknown; role?: unknown; pulled_in?: { of?: unknown } } | undefined;
    if (!source || !value) continue; // the knowledge-base check reports broken pages
    const field = typeof value.spack === 'string' ? 'spack' : 'id';
    const name = value[field];
    if (typeof name !== 'string' || value.role === 'platform') continue;
    if (c.recipe.packageSpec(name)) continue;
    const variant = value.pulled_in?.of;
    if (typeof variant === 'string') {
      if (!variants.has(variant)) {
        c.at(
          source,
          ['pulled_in', 'of'],
          `"${name}" is pulled in by ${variant}, but no environment in ${recipeDir}/environments.yaml sets that variant (rule: a package without a spec is pulled in by a variant the recipe sets)`,
        );
      }
      continue;
    }
    c.at(
      source,
      [field],
      `no spec for "${name}" in ${recipeDir} or ${systemDir}: add it to environments.yaml, packages.yaml or the cluster packages.yaml, or say which variant pulls it in (pulled_in), or give it role platform (rule: every package page has a spec)`,
    );
  }
}

export function checkRecipe(input: CheckInput): SourceError[] {
  const c = new Checker(parseRecipe(input), new Set(input.dirs));
  const { recipeDir: r, systemDir: s } = input;
  checkFiles(c, input);
  c.parse(`${r}/config.yaml`, recipeConfigSchema, true);
  const compilers = c.parse(`${r}/compilers.yaml`, recipeCompilersSchema, true);
  if (compilers) checkCompilers(c, compilers.data, compilers.source);
  const envs = c.parse(`${r}/environments.yaml`, recipeEnvironmentsSchema, true);
  if (envs) checkEnvironments(c, envs.data, envs.source, compilers?.data);
  c.parse(`${r}/packages.yaml`, packagesFileSchema, false);
  c.parse(`${r}/modules.yaml`, modulesFileSchema, false);
  checkReframe(c, `${r}/extra/reframe.yaml`, envs?.data);
  checkCluster(c, s);
  checkPackagePages(c, input.packagePages ?? []);
  return c.errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
