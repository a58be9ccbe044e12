/** /issues.json: every record with its permalink, for tools (schema at /issues.schema.json). */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { issuesDocument } from '../lib/records/records-feed';

export const GET: APIRoute = async ({ site }) => {
  const issues = (await getCollection('issues')).map((e) => e.data);
  return new Response(JSON.stringify(issuesDocument(issues, site!.origin), null, 2), { headers: { 'Content-Type': 'application/json' } });
};
