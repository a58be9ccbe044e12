/** The versions the recipe pins, and how to find one in a text (pages must not type them). Pure. */
import { parseSpec } from './spec';
import { join, type Recipe } from './model';

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * Every distinct version string the recipe pins: spec versions, the compilers' versions and the
 * Spack commit. Only strings with a digit: `main` or `master` are words, not versions to police.
 * The cluster configuration's externals are left out: their versions are facts about the host
 * system (xpmem as Alps installs it), which pages may cite from their sources.
 */
export function recipeVersions(recipe: Pick<Recipe, 'specs' | 'yaml' | 'recipeDir'>): string[] {
  const versions = recipe.specs.filter((s) => s.source !== 'cluster').map((s) => s.version);
  const compilers = recipe.yaml.get(join(recipe.recipeDir, 'compilers.yaml'))?.value as
    { bootstrap?: { spec?: unknown }; gcc?: { specs?: unknown }; llvm?: { specs?: unknown } } | undefined;
  const compilerSpecs = [compilers?.bootstrap?.spec, ...[compilers?.gcc?.specs, compilers?.llvm?.specs].flatMap((l) => (Array.isArray(l) ? l : []))];
  versions.push(...compilerSpecs.map((s) => (typeof s === 'string' ? parseSpec(s).version : undefined)));
  const config = recipe.yaml.get(join(recipe.recipeDir, 'config.yaml'))?.value as { spack?: { commit?: unknown } } | undefined;
  versions.push(asString(config?.spack?.commit));
  // Ranges (`:0.17`, `2.9:`) are constraints, not versions anyone would type as a fact.
  return [...new Set(versions.filter((v): v is string => !!v && /\d/.test(v) && !v.includes(':')))];
}

/** A regular expression that finds `version` as a whole version string (not inside 2.9.99 or x2.9.9). */
export function versionPattern(version: string): RegExp {
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.])${escaped}(?!\\w|[.-]\\d)`);
}
