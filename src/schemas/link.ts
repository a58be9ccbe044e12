import { z } from 'astro/zod';
import { httpUrl, isoDate, markdown } from './common';

/** A source that backs a claim. `shows` says exactly what the link proves, so a reader can judge it. */
export const linkSchema = z.strictObject({
  url: httpUrl,
  title: z.string().min(1),
  /** What kind of source this is; drives the icon and sort order on issue pages. */
  kind: z.enum(['issue', 'pull-request', 'commit', 'source', 'release', 'docs', 'recipe']),
  /** One sentence: what this link really shows. Cite only that. */
  shows: markdown,
  /** When the source was published (an issue opened, a commit merged); `first_seen` may not be later. */
  date: isoDate.optional(),
});

export type Link = z.output<typeof linkSchema>;
