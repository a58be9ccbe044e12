/**
 * /diagnose/bundle.json: what the diagnosis needs of every record (signatures, context, title and the
 * words ranked against a log), fetched by the /diagnose/ page's worker rather than inlined in the page.
 */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { toDiagnosable } from '../../lib/diagnose/engine';

export const GET: APIRoute = async () => {
  const issues = (await getCollection('issues')).map((entry) => toDiagnosable(entry.data));
  return new Response(JSON.stringify(issues), { headers: { 'Content-Type': 'application/json' } });
};
