/** "Am I affected?": which known issues apply to a set of concrete package versions. Pure. */
import type { Issue } from '../../schemas/issue';
import { inRange, parseAffectedSpec } from '../spack-versions';

/** One concrete package of a built stack or named on the command line. */
export interface ConcretePackage {
  name: string;
  version: string;
  /** Where it was read: a spack.lock path, or `--spec`. */
  from: string;
}

export interface AffectedMatch {
  /** The record's range, e.g. `libfabric@1.20.0:2.1.0`. */
  spec: string;
  package: ConcretePackage;
  /** `yes`: in the range; `maybe`: a branch build whose commit date the lock file does not hold, or a bare git commit. */
  certainty: 'yes' | 'maybe';
  /** Why it is only `maybe`, or the record's note. */
  note?: string;
}

export interface AffectedIssue {
  issue: Pick<Issue, 'id' | 'title' | 'status'>;
  matches: AffectedMatch[];
}

/** The issues whose `affected.versions` include one of `packages`, in the order of `issues`. */
export function affectedIssues(issues: Issue[], packages: ConcretePackage[]): AffectedIssue[] {
  const out: AffectedIssue[] = [];
  for (const issue of issues) {
    const matches: AffectedMatch[] = [];
    for (const range of issue.affected.versions) {
      const parsed = parseAffectedSpec(range.spec);
      if (!parsed) continue;
      for (const pkg of packages.filter((p) => p.name === parsed.name)) {
        const hit = inRange(pkg.version, parsed);
        if (hit === false) continue;
        const window = range.built_between ? `built between ${range.built_between[0]} and ${range.built_between[1] ?? 'now'}` : undefined;
        if (hit === undefined) {
          matches.push({ spec: range.spec, package: pkg, certainty: 'maybe', note: `a git commit without a version: compare it with ${range.spec}${window ? `, ${window}` : ''}` });
        } else if (window) {
          matches.push({ spec: range.spec, package: pkg, certainty: 'maybe', note: `affected if ${window}: spack.lock does not record the commit date` });
        } else {
          matches.push({ spec: range.spec, package: pkg, certainty: 'yes', ...(range.note ? { note: range.note } : {}) });
        }
      }
    }
    if (matches.length) out.push({ issue: { id: issue.id, title: issue.title, status: issue.status }, matches });
  }
  return out;
}
