/** Publishes the recipe, cluster configuration, records and runbooks verbatim (see PUBLISHED_SOURCES). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { join } from 'node:path';
import { listPublishedSources } from '../../lib/published-sources-fs';
import { readTextFile, repoRoot } from '../../lib/paths-fs';

export const getStaticPaths = (() => listPublishedSources().map((path) => ({ params: { path } }))) satisfies GetStaticPaths;

export const GET: APIRoute = ({ params }) =>
  new Response(readTextFile(join(repoRoot(), params.path!)), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
