/**
 * The issue index's rows as data: the first page is rendered into the HTML, the rest is fetched from
 * /issues/rows.json only when a reader filters or asks for every issue, so the page's first load stays the same
 * however many issues there are. Pure.
 */
import type { Issue, IssueStatus } from '../../schemas/issue';

/** Rows in the HTML before any script runs. */
export const FIRST_PAGE_ROWS = 15;

export interface IssueRow {
  id: string;
  title: string;
  status: IssueStatus;
  area: string;
  packages: string[];
  affected: string[];
  last_verified: string;
}

export interface IssueRowsDocument {
  rows: IssueRow[];
  /** Package id → title, for the Packages column. */
  packageTitles: Record<string, string>;
}

export function issueRow(issue: Issue): IssueRow {
  return {
    id: issue.id,
    title: issue.title,
    status: issue.status,
    area: issue.area,
    packages: issue.packages,
    affected: issue.affected.versions.map((v) => v.spec),
    last_verified: issue.last_verified,
  };
}
