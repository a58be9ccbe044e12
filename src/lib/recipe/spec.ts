/** Spack spec strings as the recipe writes them: split into name, version and variants, and linted. Pure. */

export interface ParsedSpec {
  name: string;
  version?: string;
  variants: string[];
}

/**
 * Splits a Spack spec string into name, version and variants (`+x`, `~x`, `key=value`); a
 * dependency (`^dep ...`) and everything after it is ignored. Good enough for the recipe's root
 * specs; not a full Spack spec parser.
 */
export function parseSpec(spec: string): ParsedSpec {
  const root = spec.split('^')[0]!.trim();
  const tokens = root.split(/\s+/).filter(Boolean);
  const variants: string[] = [];
  let name = '';
  let version: string | undefined;
  for (const token of tokens) {
    // A token may glue variants to the name or to each other: `hdf5+mpi~cxx`, `+cuda~rocm`.
    const [head, ...flags] = token.split(/(?=[+~])/);
    if (!name && head && !/^[+~]/.test(head) && !head.includes('=')) {
      const at = head.indexOf('@');
      name = at < 0 ? head : head.slice(0, at);
      if (at >= 0) version = head.slice(at + 1) || undefined;
    } else if (!name && head?.startsWith('@')) {
      version = head.slice(1) || undefined;
    } else if (head) {
      variants.push(head);
    }
    variants.push(...flags);
  }
  return { name, version, variants };
}

/** `gcc`, `gcc@13` or `gcc@13.2.0` is satisfied by `gcc@13.2.0`: same name, version prefix. */
export function compilerProvided(spec: string, available: string[]): boolean {
  const want = parseSpec(spec);
  return available.some((a) => {
    const have = parseSpec(a);
    if (have.name !== want.name) return false;
    if (!want.version) return true;
    return have.version === want.version || have.version?.startsWith(`${want.version}.`);
  });
}

/**
 * Spec lint (stackinator-format §6 rule 13): a package name, then space-separated `@version`, `+variant`, `~variant`,
 * `key=value`, `%compiler` or `^dependency` tokens. Catches typos Spack would only report at concretization.
 */
const SPEC_NAME = /^[a-z0-9][a-z0-9_-]*(@[\w.:,=-]+)?([+~][\w-]+)*$/;
const SPEC_TOKEN = /^(@[\w.:,=-]+|([+~][\w-]+)+|[\w-]+==?[^\s=]+|%[\w@.:-]+|\^[a-z0-9][\w@.:,=+~-]*)$/;

export function specLintProblem(spec: string): string | undefined {
  const [first, ...rest] = spec.trim().split(/\s+/);
  if (!first || !SPEC_NAME.test(first)) return `"${first ?? ''}" does not start a spec: expected a package name (lowercase), optionally @version`;
  const bad = rest.find((t) => !SPEC_TOKEN.test(t));
  return bad ? `"${bad}" is not a spec token (@version, +variant, ~variant, key=value, %compiler or ^dependency)` : undefined;
}
