/** Presentation rules for issue records, shared by every page and the graph. Pure. */
import type { Issue, IssueStatus } from '../../schemas/issue';
import { ISSUE_STATUSES } from '../../schemas/issue-status';

export const STATUS_LABELS: Record<IssueStatus, string> = {
  open: 'Open',
  workaround: 'Workaround',
  'fixed-upstream': 'Fixed upstream',
  wontfix: "Won't fix",
};

/** Starlight Badge variants; each pairs a colour with the label text, never colour alone. */
export const STATUS_VARIANTS: Record<IssueStatus, 'danger' | 'caution' | 'success' | 'note'> = {
  open: 'danger',
  workaround: 'caution',
  'fixed-upstream': 'success',
  wontfix: 'note',
};

/** Still affects users of the stack: no upstream fix has reached it, and it is not set aside. */
export function isOpen(issue: Pick<Issue, 'status'>): boolean {
  return issue.status === 'open' || issue.status === 'workaround';
}

/** Open first, then workaround, fixed, won't fix; alphabetical within a status. */
export function sortIssues<T extends Pick<Issue, 'status' | 'title'>>(issues: T[]): T[] {
  const rank = (s: IssueStatus) => ISSUE_STATUSES.indexOf(s);
  return [...issues].sort((a, b) => rank(a.status) - rank(b.status) || a.title.localeCompare(b.title));
}

export function issuesForPackage<T extends Pick<Issue, 'packages'>>(issues: T[], packageId: string): T[] {
  return issues.filter((i) => i.packages.includes(packageId));
}

/** Counts per status, in schema order, for summaries and filter labels. */
export function countByStatus(issues: Pick<Issue, 'status'>[]): { status: IssueStatus; count: number }[] {
  return ISSUE_STATUSES.map((status) => ({ status, count: issues.filter((i) => i.status === status).length }));
}

/** Files the site shows as recipe excerpts (the rest, e.g. runbook data, are linked). */
export function isRecipeFile(file: string): boolean {
  return file.startsWith('content/recipe/') || file.startsWith('content/cluster/');
}

/** A workaround step that is one command and nothing else (a lone code span): shown as a copyable shell block. */
export function stepCommand(step: string): string | undefined {
  return /^`([^`]+)`$/.exec(step.trim())?.[1];
}

/** One affected range as a reader sees it: the spec, the commit window of a branch build, and the note. */
export function describeAffectedVersion(v: Issue['affected']['versions'][number]): string {
  const window = v.built_between ? ` (commits from ${v.built_between[0]}${v.built_between[1] ? ` to ${v.built_between[1]}` : ' on'})` : '';
  return `${v.spec}${window}${v.note ? ` — ${v.note}` : ''}`;
}

/** Per package: how many of its issues are open, and how many of those have a workaround. */
export function packageIssueCounts<T extends Pick<Issue, 'packages' | 'status'>>(issues: T[], packageId: string): { open: number; workaround: number } {
  const mine = issuesForPackage(issues, packageId);
  return { open: mine.filter((i) => i.status === 'open').length, workaround: mine.filter((i) => i.status === 'workaround').length };
}

/** What changed recently: by the later of first seen and last verified, newest first. */
export function recentlyChanged<T extends Pick<Issue, 'id' | 'first_seen' | 'last_verified'>>(issues: T[], count: number): T[] {
  const changed = (i: T) => (i.last_verified > i.first_seen ? i.last_verified : i.first_seen);
  return [...issues].sort((a, b) => changed(b).localeCompare(changed(a)) || a.id.localeCompare(b.id)).slice(0, count);
}
