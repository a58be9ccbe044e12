/**
 * Spack version ranges, as issue records write them (`libfabric@1.20:2.1`, `nccl@2.19:`, `libfabric@main`), against
 * the concrete versions of a built stack (Spack's spack.lock: `2.0.0`, `main`, `git.<sha>=main`). Pure.
 *
 * Spack's rules, simplified to what records use: versions compare segment by segment (numbers numerically, words
 * alphabetically, a word below a number), a range is inclusive and its upper bound covers every version it
 * prefixes (`:2.1` includes 2.1.5), a bare version is the range from itself to itself (`@2.0` includes 2.0.1), and
 * the branch words are above every number, in the order stable < trunk < head < master < main < develop.
 */

import { SLUG_PATTERN } from '../schemas/common';

const AFFECTED_SPEC = new RegExp(`^(${SLUG_PATTERN})@([\\w.+-]*)(?::([\\w.+-]*))?$`);
const BRANCH_WORDS = ['stable', 'trunk', 'head', 'master', 'main', 'develop'];

export interface AffectedSpec {
  name: string;
  /** Lower and upper bound; undefined = open. Equal for a bare version. */
  from?: string;
  to?: string;
}

/** `name@from:to`, `name@version`, `name@:to`, `name@from:` → bounds; undefined for anything else. */
export function parseAffectedSpec(spec: string): AffectedSpec | undefined {
  const m = AFFECTED_SPEC.exec(spec);
  if (!m) return undefined;
  const [, name, first, second] = m;
  if (second === undefined) return first ? { name: name!, from: first, to: first } : undefined;
  return { name: name!, from: first || undefined, to: second || undefined };
}

/**
 * The version a concrete spec stands for: `git.<ref>=<version>` is `<version>` (a commit Spack treats as that
 * version or branch); a bare `git.<ref>` has no version to compare and gives undefined.
 */
export function effectiveVersion(concrete: string): string | undefined {
  if (!concrete.startsWith('git.')) return concrete;
  const eq = concrete.indexOf('=');
  return eq < 0 ? undefined : concrete.slice(eq + 1) || undefined;
}

function segments(version: string): (number | string)[] {
  return [...version.matchAll(/(\d+)|([a-zA-Z]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]!.toLowerCase()));
}

/** Negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareVersions(a: string, b: string): number {
  const wa = BRANCH_WORDS.indexOf(a);
  const wb = BRANCH_WORDS.indexOf(b);
  if (wa >= 0 || wb >= 0) return wa - wb; // -1 (a number) is below every branch word
  const sa = segments(a);
  const sb = segments(b);
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i]!;
    const y = sb[i]!;
    if (x === y) continue;
    if (typeof x === typeof y) return x < y ? -1 : 1;
    return typeof x === 'number' ? 1 : -1;
  }
  return sa.length - sb.length;
}

/** `prefix` is `version` or a leading run of its segments (`2.1` of `2.1.5`, not of `2.10`). */
function isPrefixOf(prefix: string, version: string): boolean {
  const p = segments(prefix);
  const v = segments(version);
  return p.length <= v.length && p.every((s, i) => s === v[i]);
}

/** Whether a concrete version is in the range; undefined when it cannot be told (a bare `git.<sha>`). */
export function inRange(concrete: string, range: Pick<AffectedSpec, 'from' | 'to'>): boolean | undefined {
  const version = effectiveVersion(concrete);
  if (version === undefined) return undefined;
  if (range.from !== undefined && compareVersions(version, range.from) < 0) return false;
  if (range.to !== undefined && compareVersions(version, range.to) > 0 && !isPrefixOf(range.to, version)) return false;
  return true;
}
