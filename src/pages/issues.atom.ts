/** /issues.atom: an Atom feed of new and changed issues. */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { atomFeed } from '../lib/records/records-feed';

export const FEED_PATH = '/issues.atom';

export const GET: APIRoute = async ({ site }) => {
  const issues = (await getCollection('issues')).map((e) => e.data);
  return new Response(atomFeed(issues, site!.origin, FEED_PATH), { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' } });
};
