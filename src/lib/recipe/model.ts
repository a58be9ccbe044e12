/**
 * The stackinator recipe and cluster configuration as a queryable model: which spec each package
 * gets, from which file and line, and any config value. Pure (no node:*): `recipe-fs.ts` reads the
 * files, the site components and the CLI query the model. The recipe is the only place a version
 * of the stack is written; everything the site shows comes through here.
 */
import { isSeq, type Node } from 'yaml';
import type { PackageSpec } from '../../schemas/recipe';
import { nodeAtPath, pairAtPath, parseYaml, positionOf, type FieldPath, type SourceError, type YamlSource } from '../yaml-source';
import { parseSpec, type ParsedSpec } from './spec';

/** One file of the recipe or the cluster configuration, path relative to the repository root. */
export interface RecipeFile {
  file: string;
  text: string;
}

export interface RecipeInput {
  /** Repository-relative directory of the recipe, e.g. `content/recipe`. */
  recipeDir: string;
  /** Repository-relative directory of the cluster configuration, e.g. `content/cluster/internal-cxi`. */
  systemDir: string;
  /** Every regular file under both directories (YAML, package.py, patches, hooks). */
  files: RecipeFile[];
  /** Every directory under both directories (repository-relative), so empty ones can be checked too. */
  dirs: string[];
}

export type { PackageSpec, SpecSource } from '../../schemas/recipe';

/** `spack.commit` → ['spack', 'commit']; numeric steps index sequences (`gcc.specs.0`). */
function splitPath(path: string): FieldPath {
  return path === '' ? [] : path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export interface Excerpt {
  text: string;
  /** 1-based line of the first excerpt line in its file. */
  startLine: number;
  endLine: number;
}

function dedent(lines: string[]): string {
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** The lines of a YAML file that hold `path` (its key and its value), dedented. */
export function yamlExcerpt(source: YamlSource, text: string, path: FieldPath): Excerpt | undefined {
  if (path.length === 0) return wholeFile(text);
  const parent = nodeAtPath(source, path.slice(0, -1));
  const last = path[path.length - 1];
  let start: number | undefined;
  let end: number | undefined;
  const pair = pairAtPath(source, path);
  if (pair) {
    start = pair.key?.range?.[0];
    end = pair.value?.range?.[1] ?? pair.key?.range?.[1];
  } else if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last] as Node | undefined;
    start = item?.range?.[0];
    end = item?.range?.[1];
  }
  if (start === undefined || end === undefined) return undefined;
  const all = text.split('\n');
  let startLine = source.lines.linePos(start).line;
  // Comment lines right above a key explain it: they belong to the excerpt.
  while (startLine > 1 && /^\s*#/.test(all[startLine - 2]!)) startLine--;
  // `range[1]` is the end of the value, which may sit at the start of the next line.
  const endPos = source.lines.linePos(Math.max(start, end - 1));
  const lines = all.slice(startLine - 1, endPos.line);
  while (lines.length > 1 && !lines[lines.length - 1]!.trim()) lines.pop();
  // A sequence item's line starts with `- `; keep the dash so the excerpt stays valid YAML.
  return { text: dedent(lines), startLine, endLine: startLine + lines.length - 1 };
}

export function wholeFile(text: string): Excerpt {
  const lines = text.replace(/\n$/, '').split('\n');
  return { text: lines.join('\n'), startLine: 1, endLine: lines.length };
}

export interface Recipe {
  recipeDir: string;
  systemDir: string;
  /** Raw text of every file, by repository-relative path. */
  files: Map<string, string>;
  /** Parsed YAML files, by repository-relative path (only those that parsed). */
  yaml: Map<string, YamlSource>;
  /** Every package spec, in file order: environments (specs, then mpi), recipe packages, cluster. */
  specs: PackageSpec[];
  /** The first spec for a Spack package name, in the order above; undefined if the recipe has none. */
  packageSpec(spackName: string): PackageSpec | undefined;
  /**
   * A value from a YAML file of the recipe: `config.yaml:spack.commit`, `compilers.yaml:gcc.specs.0`,
   * or a bare path, read from config.yaml (`spack.commit`). Throws if it does not exist.
   */
  configValue(path: string): unknown;
  /** An excerpt of a file: a YAML path of it, or the whole file. Throws for unknown files or paths. */
  excerpt(file: string, path?: string): Excerpt;
  /** YAML syntax errors met while parsing (the validator reports these and more). */
  errors: SourceError[];
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Line of the key that ends `path` (a map entry), else of the node at `path`. */
function lineOf(source: YamlSource, path: FieldPath): number {
  const key = pairAtPath(source, path)?.key;
  return key?.range ? source.lines.linePos(key.range[0]).line : positionOf(source, path).line;
}

function specAt(source: YamlSource, path: FieldPath, spec: string, base: Omit<PackageSpec, keyof ParsedSpec | 'spec' | 'file' | 'line'>): PackageSpec {
  const parsed = parseSpec(spec);
  return { ...parsed, spec, ...base, file: source.file, line: lineOf(source, path) };
}

function environmentSpecs(source: YamlSource): PackageSpec[] {
  const out: PackageSpec[] = [];
  const envs = source.value;
  if (!envs || typeof envs !== 'object') return out;
  for (const [environment, env] of Object.entries(envs as Record<string, unknown>)) {
    if (!env || typeof env !== 'object') continue;
    const { specs, mpi } = env as { specs?: unknown; mpi?: unknown };
    if (Array.isArray(specs)) {
      specs.forEach((s, i) => {
        if (typeof s === 'string') out.push(specAt(source, [environment, 'specs', i], s, { source: 'environments', environment }));
      });
    }
    const mpiSpec = mpi && typeof mpi === 'object' ? asString((mpi as { spec?: unknown }).spec) : undefined;
    if (mpiSpec) {
      const gpu = asString((mpi as { gpu?: unknown }).gpu);
      out.push(specAt(source, [environment, 'mpi', 'spec'], gpu ? `${mpiSpec} +${gpu}` : mpiSpec, { source: 'mpi', environment }));
    }
  }
  return out;
}

/** A Spack packages.yaml entry as a spec: its first external, else its `require`/`version` pin. */
function packagesYamlSpecs(source: YamlSource, origin: 'packages' | 'cluster'): PackageSpec[] {
  const pkgs = (source.value as { packages?: unknown } | undefined)?.packages;
  if (!pkgs || typeof pkgs !== 'object') return [];
  const out: PackageSpec[] = [];
  for (const [name, entry] of Object.entries(pkgs as Record<string, unknown>)) {
    if (name === 'all' || !entry || typeof entry !== 'object') continue;
    const e = entry as { externals?: unknown; require?: unknown; version?: unknown; buildable?: unknown };
    const external = e.buildable === false ? { external: true } : {};
    const first = Array.isArray(e.externals) ? asString((e.externals[0] as { spec?: unknown } | undefined)?.spec) : undefined;
    const require = asString(e.require) ?? (Array.isArray(e.require) ? asString(e.require[0]) : undefined);
    const version = Array.isArray(e.version) ? e.version[0] : undefined;
    if (first) {
      out.push(specAt(source, ['packages', name, 'externals', 0, 'spec'], first, { source: origin, ...external }));
    } else if (require) {
      out.push(specAt(source, ['packages', name, 'require'], `${name}${require.startsWith('@') ? '' : ' '}${require}`, { source: origin, ...external }));
    } else if (version !== undefined) {
      out.push(specAt(source, ['packages', name, 'version'], `${name}@${String(version)}`, { source: origin, ...external }));
    } else {
      out.push(specAt(source, ['packages', name], name, { source: origin, ...external }));
    }
  }
  return out;
}

/** `dir/name`, or `name` when `dir` is empty. */
export function join(dir: string, name: string): string {
  return dir ? `${dir.replace(/\/$/, '')}/${name}` : name;
}

export function parseRecipe(input: RecipeInput): Recipe {
  const files = new Map(input.files.map((f) => [f.file, f.text]));
  const yaml = new Map<string, YamlSource>();
  const errors: SourceError[] = [];
  for (const f of input.files) {
    if (!/\.ya?ml$/.test(f.file)) continue;
    const { source, errors: syntax } = parseYaml(f.file, f.text);
    if (source) yaml.set(f.file, source);
    errors.push(...syntax);
  }
  const at = (dir: string, name: string) => yaml.get(join(dir, name));
  const envs = at(input.recipeDir, 'environments.yaml');
  const recipePackages = at(input.recipeDir, 'packages.yaml');
  const clusterPackages = at(input.systemDir, 'packages.yaml');
  const envSpecs = envs ? environmentSpecs(envs) : [];
  const specs = [
    ...envSpecs.filter((s) => s.source === 'environments'),
    ...envSpecs.filter((s) => s.source === 'mpi'),
    ...(recipePackages ? packagesYamlSpecs(recipePackages, 'packages') : []),
    ...(clusterPackages ? packagesYamlSpecs(clusterPackages, 'cluster') : []),
  ];

  const resolveFile = (file: string) => (files.has(file) ? file : join(input.recipeDir, file));

  return {
    recipeDir: input.recipeDir,
    systemDir: input.systemDir,
    files,
    yaml,
    specs,
    errors,
    packageSpec: (name) => specs.find((s) => s.name === name),
    configValue(path) {
      const colon = path.indexOf(':');
      const file = resolveFile(colon < 0 ? 'config.yaml' : path.slice(0, colon));
      const source = yaml.get(file);
      if (!source) throw new Error(`recipe value "${path}": no YAML file ${file}`);
      let value: unknown = source.value;
      for (const step of splitPath(colon < 0 ? path : path.slice(colon + 1))) {
        if (value === null || typeof value !== 'object' || !(String(step) in value)) {
          throw new Error(`recipe value "${path}": ${file} has no ${String(step)} there`);
        }
        value = (value as Record<string, unknown>)[String(step)];
      }
      return value;
    },
    excerpt(file, path) {
      const text = files.get(file);
      if (text === undefined) throw new Error(`recipe excerpt: no file ${file}`);
      if (!path) return wholeFile(text);
      const source = yaml.get(file);
      const excerpt = source && yamlExcerpt(source, text, splitPath(path));
      if (!excerpt) throw new Error(`recipe excerpt: ${file} has no ${path}`);
      return excerpt;
    },
  };
}
