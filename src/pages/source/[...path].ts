/** Publishes the recipe, cluster configuration, records and runbooks verbatim (see PUBLISHED_SOURCES). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { readFileSync } from 'node:fs';
import { listPublishedSources } from '../../lib/published-sources-fs';

export const getStaticPaths = (() => listPublishedSources().map((path) => ({ params: { path } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(readFileSync(params.path!, 'utf8'), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
