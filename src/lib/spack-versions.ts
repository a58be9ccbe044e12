/**
 * Spack's version ordering and ranges, enough to evaluate the `affected.versions` of a record against a built
 * stack. Follows Spack's rules (lib/spack/spack/version/version_types.py): versions split into numeric and
 * alphabetic components at `.`, `-` and `_`; numbers compare as numbers and above words; the branch names
 * develop > main > master > head > trunk > stable are newer than any release; a range's ends include every
 * version they prefix (`:2.1` includes 2.1.5).
 */

/** Spack's infinity versions, newest first. */
const INFINITY = ['develop', 'main', 'master', 'head', 'trunk', 'stable'];

type Component = number | string;

export function components(version: string): Component[] {
  return (version.match(/[0-9]+|[a-zA-Z]+/g) ?? []).map((c) => (/^\d+$/.test(c) ? Number(c) : c.toLowerCase()));
}

function compareComponent(a: Component, b: Component): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return 1; // a number is newer than a word in the same place
  if (typeof b === 'number') return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Negative, zero or positive as a is older than, the same as or newer than b. */
export function compareVersions(a: string, b: string): number {
  const ia = INFINITY.indexOf(a);
  const ib = INFINITY.indexOf(b);
  if (ia >= 0 || ib >= 0) return ia < 0 ? -1 : ib < 0 ? 1 : ib - ia;
  const ca = components(a);
  const cb = components(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const c = compareComponent(ca[i]!, cb[i]!);
    if (c !== 0) return c;
  }
  return ca.length - cb.length;
}

/** `prefix` names `version` or a release of it: 2.1 prefixes 2.1 and 2.1.5, not 2.10. */
export function isPrefixOf(prefix: string, version: string): boolean {
  const p = components(prefix);
  const v = components(version);
  return p.length <= v.length && p.every((c, i) => c === v[i]);
}

export interface VersionRange {
  /** Absent: open (no lower end). */
  from?: string;
  /** Absent: open (no upper end). */
  to?: string;
}

/** `2.0` (that version and its releases), `1.20:2.1`, `:1.22`, `2.19:`, `:` (any) or a branch name. */
export function parseRange(text: string): VersionRange {
  if (!text.includes(':')) return { from: text, to: text };
  const [from, to] = text.split(':') as [string, string];
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export function inRange(version: string, range: VersionRange): boolean {
  const aboveFrom = range.from === undefined || compareVersions(version, range.from) >= 0;
  const belowTo = range.to === undefined || compareVersions(version, range.to) <= 0 || isPrefixOf(range.to, version);
  return aboveFrom && belowTo;
}

export function isBranch(version: string): boolean {
  return INFINITY.includes(version);
}
