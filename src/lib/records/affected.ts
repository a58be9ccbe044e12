/** Which known issues apply to a built stack: each record's `affected.versions` against the installed versions. */
import type { AffectedVersion, Issue } from '../../schemas/issue';
import { inRange, isBranch, parseRange } from '../spack-versions';
import type { Installed } from '../spack-lock';

export interface AffectedHit {
  issue: Pick<Issue, 'id' | 'title' | 'status'>;
  installed: Installed;
  range: AffectedVersion;
  /**
   * `yes`: the installed version is in the range. `possibly`: a branch build whose range names a window of commit
   * dates, and no build date was given (a lock file records the commit, not its date).
   */
  certainty: 'yes' | 'possibly';
}

export interface MatchOptions {
  /** The date the branch builds were taken (YYYY-MM-DD), to place them in a commit window. */
  builtOn?: string;
}

function hit(range: AffectedVersion, installed: Installed, options: MatchOptions): AffectedHit['certainty'] | undefined {
  const [name, versions] = range.spec.split('@') as [string, string];
  // Branch versions order above every release, as in Spack: `libfabric@2.0:` includes a build of main.
  if (name !== installed.name || !inRange(installed.version, parseRange(versions))) return undefined;
  if (!range.built_between || !isBranch(installed.version)) return 'yes';
  if (!options.builtOn) return 'possibly';
  const [from, to] = range.built_between;
  return options.builtOn >= from && (to === undefined || options.builtOn <= to) ? 'yes' : undefined;
}

/** Every (issue, installed package) pair where a range applies; an issue appears once per installed package. */
export function affectedIssues(issues: Issue[], installed: Installed[], options: MatchOptions = {}): AffectedHit[] {
  const hits: AffectedHit[] = [];
  for (const issue of issues) {
    const seen = new Set<string>();
    for (const range of issue.affected.versions) {
      for (const pkg of installed) {
        const key = `${pkg.name}@${pkg.version}`;
        if (seen.has(key)) continue;
        const certainty = hit(range, pkg, options);
        if (certainty) {
          seen.add(key);
          hits.push({ issue: { id: issue.id, title: issue.title, status: issue.status }, installed: pkg, range, certainty });
        }
      }
    }
  }
  return hits;
}
