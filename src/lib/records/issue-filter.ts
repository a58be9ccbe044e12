/**
 * The issue index's filter: package, status, area, a text query and the versions a reader has, kept in the URL
 * query (?package=…&status=…&area=…&q=…&versions=…) so a filtered view can be shared. Pure; the page's script
 * applies it to rows without a reload.
 */
import { ISSUE_STATUSES, type IssueStatus } from '../../schemas/issue-status';
import { ISSUE_AREAS, type IssueArea } from '../../schemas/issue-area';
import { inRange, parseRange } from '../spack-versions';

export interface IssueFilter {
  package: string | null;
  status: IssueStatus | null;
  area: IssueArea | null;
  /** Words that must all appear in the row's text (case-insensitive). */
  query: string;
  /** The reader's versions, `name@version` separated by spaces or commas. */
  versions: string;
}

export interface FilterableRow {
  packages: string[];
  status: string;
  area: string;
  /** Title, id and packages, lowercased. */
  text: string;
  /** The record's affected specs (`libfabric@1.20:2.1`). */
  affected: string[];
}

export const EMPTY_FILTER: IssueFilter = { package: null, status: null, area: null, query: '', versions: '' };

export function parseFilter(search: string, knownPackages: readonly string[]): IssueFilter {
  const q = new URLSearchParams(search);
  const pkg = q.get('package');
  const status = q.get('status');
  const area = q.get('area');
  return {
    package: pkg && knownPackages.includes(pkg) ? pkg : null,
    status: status && (ISSUE_STATUSES as readonly string[]).includes(status) ? (status as IssueStatus) : null,
    area: area && area in ISSUE_AREAS ? (area as IssueArea) : null,
    query: (q.get('q') ?? '').trim(),
    versions: (q.get('versions') ?? '').trim(),
  };
}

export function filterToSearch(filter: IssueFilter): string {
  const q = new URLSearchParams();
  if (filter.package) q.set('package', filter.package);
  if (filter.status) q.set('status', filter.status);
  if (filter.area) q.set('area', filter.area);
  if (filter.query) q.set('q', filter.query);
  if (filter.versions) q.set('versions', filter.versions);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The reader's `name@version` entries; words that are not one are returned apart, to be pointed out. */
export function parseVersions(text: string): { versions: { name: string; version: string }[]; invalid: string[] } {
  const versions: { name: string; version: string }[] = [];
  const invalid: string[] = [];
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)@([\w.+-]+)$/.exec(word);
    if (m) versions.push({ name: m[1]!, version: m[2]! });
    else invalid.push(word);
  }
  return { versions, invalid };
}

/** A record's range includes one of the reader's versions (branch builds match their branch, whatever the date). */
export function affectsVersions(affected: string[], versions: { name: string; version: string }[]): boolean {
  return affected.some((spec) => {
    const [name, range] = spec.split('@') as [string, string];
    return versions.some((v) => v.name === name && inRange(v.version, parseRange(range)));
  });
}

export function matchesFilter(row: FilterableRow, filter: IssueFilter): boolean {
  const words = filter.query.toLowerCase().split(/\s+/).filter(Boolean);
  const { versions } = parseVersions(filter.versions);
  return (
    (!filter.package || row.packages.includes(filter.package)) &&
    (!filter.status || row.status === filter.status) &&
    (!filter.area || row.area === filter.area) &&
    words.every((w) => row.text.includes(w)) &&
    (versions.length === 0 || affectsVersions(row.affected, versions))
  );
}
