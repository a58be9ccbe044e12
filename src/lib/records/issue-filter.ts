/**
 * The issue index's filter: package and status, kept in the URL query (?package=…&status=…) so a
 * filtered view can be shared. Pure; the page's script applies it to rows without a reload.
 */
import { ISSUE_STATUSES, type IssueStatus } from '../../schemas/issue-status';

export interface IssueFilter {
  package: string | null;
  status: IssueStatus | null;
}

export interface FilterableRow {
  packages: string[];
  status: string;
}

export function parseFilter(search: string, knownPackages: readonly string[]): IssueFilter {
  const q = new URLSearchParams(search);
  const pkg = q.get('package');
  const status = q.get('status');
  return {
    package: pkg && knownPackages.includes(pkg) ? pkg : null,
    status: status && (ISSUE_STATUSES as readonly string[]).includes(status) ? (status as IssueStatus) : null,
  };
}

export function filterToSearch(filter: IssueFilter): string {
  const q = new URLSearchParams();
  if (filter.package) q.set('package', filter.package);
  if (filter.status) q.set('status', filter.status);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function matchesFilter(row: FilterableRow, filter: IssueFilter): boolean {
  return (!filter.package || row.packages.includes(filter.package)) && (!filter.status || row.status === filter.status);
}
