/** /issues.schema.json: the JSON Schema of /issues.json, generated from the Zod schemas the build validates with. */
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { issuesDocumentSchema } from '../schemas/issues-document';

export const GET: APIRoute = () =>
  new Response(JSON.stringify(z.toJSONSchema(issuesDocumentSchema, { io: 'output', unrepresentable: 'any' }), null, 2), {
    headers: { 'Content-Type': 'application/schema+json' },
  });
