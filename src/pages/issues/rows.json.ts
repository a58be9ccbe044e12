/** /issues/rows.json: every row of the issue index, fetched by the index page when a reader filters or shows all. */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { sortIssues } from '../../lib/records/issues';
import { issueRow, type IssueRowsDocument } from '../../lib/records/issue-rows';

export const GET: APIRoute = async () => {
  const issues = sortIssues((await getCollection('issues')).map((e) => e.data));
  const packages = (await getCollection('packages')).map((e) => e.data);
  const doc: IssueRowsDocument = { rows: issues.map(issueRow), packageTitles: Object.fromEntries(packages.map((p) => [p.id, p.title])) };
  return new Response(JSON.stringify(doc), { headers: { 'Content-Type': 'application/json' } });
};
