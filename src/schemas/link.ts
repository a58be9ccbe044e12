import { z } from 'astro/zod';
import { unpinnedMessage, unpinnedRefs } from './pinned-url';

/** An http(s) URL; a link into repository code (`/blob/`, `/tree/`) must be pinned to a tag or commit. */
export const pinnedUrl = (protocol: RegExp, message: string) =>
  // A missing value keeps the shared "must be a string, not missing" wording (undefined falls back to it).
  z.url({ protocol, error: (issue) => (issue.input === undefined ? undefined : message) }).superRefine((url, ctx) => {
    for (const ref of unpinnedRefs(url)) ctx.addIssue({ code: 'custom', message: unpinnedMessage(ref) });
  });

/** A source that backs a claim. `shows` says exactly what the link proves, so a reader can judge it. */
export const linkSchema = z.strictObject({
  url: pinnedUrl(/^https?$/, 'must be an absolute http(s) URL'),
  title: z.string().min(1),
  /** What kind of source this is; drives the icon and sort order on issue pages. */
  kind: z.enum(['issue', 'pull-request', 'commit', 'source', 'release', 'docs', 'recipe']),
  /** One sentence: what this link really shows. Cite only that. */
  shows: z.string().min(1),
  /** When the source was published (an issue opened, a commit merged); `first_seen` may not be later. */
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
    .optional(),
});

export type Link = z.output<typeof linkSchema>;
