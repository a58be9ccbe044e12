/**
 * What a recipe excerpt on a page shows: resolves RecipeSnippet's props (a whole file, a YAML path
 * of it, or one package's spec) against the recipe model. Pure; the component only renders this.
 */
import type { PackageSpec } from '../../schemas/recipe';
import type { Recipe } from './model';

export interface SnippetRequest {
  /** Repository-relative path, e.g. `content/recipe/packages.yaml`. */
  file?: string;
  /** YAML path inside `file`, e.g. `network.specs` or `packages.curl`. */
  path?: string;
  /** Spack package name: show the lines that give this package its spec. */
  pkg?: string;
}

export interface Snippet {
  file: string;
  code: string;
  lang: string;
  startLine: number;
  endLine: number;
  /** True when the excerpt is the whole file. */
  whole: boolean;
}

const LANGS: [RegExp, string][] = [
  [/\.ya?ml$/, 'yaml'],
  [/\.py$/, 'python'],
  [/\.(patch|diff)$/, 'diff'],
];

export function langOf(file: string): string {
  return LANGS.find(([re]) => re.test(file))?.[1] ?? 'text';
}

/** The YAML path that best shows where a spec comes from: its list item, or its whole entry. */
function specPath(spec: PackageSpec, recipe: Recipe): string | undefined {
  if (spec.source === 'mpi') return `${spec.environment}.mpi`;
  if (spec.source === 'packages' || spec.source === 'cluster') return `packages.${spec.name}`;
  const env = recipe.yaml.get(spec.file)?.value as Record<string, { specs?: string[] }> | undefined;
  const index = env?.[spec.environment!]?.specs?.indexOf(spec.spec);
  return index === undefined || index < 0 ? undefined : `${spec.environment}.specs.${index}`;
}

export function resolveSnippet(recipe: Recipe, req: SnippetRequest): Snippet {
  let file = req.file;
  let path = req.path;
  if (req.pkg) {
    const spec = recipe.packageSpec(req.pkg);
    if (!spec) throw new Error(`RecipeSnippet: no spec for package "${req.pkg}" in ${recipe.recipeDir} or ${recipe.systemDir}`);
    if (file && file !== spec.file) throw new Error(`RecipeSnippet: package "${req.pkg}" has its spec in ${spec.file}, not ${file}`);
    file = spec.file;
    path = specPath(spec, recipe);
  }
  if (!file) throw new Error('RecipeSnippet: give `file` or `pkg`');
  const excerpt = recipe.excerpt(file, path);
  const lineCount = recipe.files.get(file)!.replace(/\n$/, '').split('\n').length;
  return {
    file,
    code: excerpt.text,
    lang: langOf(file),
    startLine: excerpt.startLine,
    endLine: excerpt.endLine,
    whole: excerpt.startLine === 1 && excerpt.endLine === lineCount,
  };
}
