/** Schema atoms shared by every record type: each pattern is written once, here. */
import { z } from 'astro/zod';
import { markdownProblem } from './markdown';
import { unpinnedMessage, unpinnedRefs } from './pinned-url';

/** Lowercase words joined by single hyphens: issue ids, package ids (Spack package names). */
export const SLUG_PATTERN = '[a-z0-9]+(?:-[a-z0-9]+)*';
export const SLUG = new RegExp(`^${SLUG_PATTERN}$`);

export const slug = (message = 'must be a lowercase slug (a-z, 0-9, single hyphens)') => z.string().regex(SLUG, message);

/** A calendar date written YYYY-MM-DD. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real calendar date');

/** A path relative to the repository root, without `..` or a leading slash. */
export const repoPath = z.string().regex(/^(?!.*(?:^|\/)\.\.(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/, 'must be a relative repository path');

/** An absolute URL of the given protocols; a link into repository code (`/blob/`, `/tree/`) must be pinned to a tag or commit. */
const pinnedUrl = (protocol: RegExp, message: string) =>
  // A missing value keeps the shared "must be a string, not missing" wording (undefined falls back to it).
  z.url({ protocol, error: (issue) => (issue.input === undefined ? undefined : message) }).superRefine((url, ctx) => {
    for (const ref of unpinnedRefs(url)) ctx.addIssue({ code: 'custom', message: unpinnedMessage(ref) });
  });

export const httpsUrl = pinnedUrl(/^https$/, 'must be an absolute https URL');
export const httpUrl = pinnedUrl(/^https?$/, 'must be an absolute http(s) URL');

/** Markdown a page renders: no raw HTML, links only http(s) or on this site (see markdown.ts). */
export const markdown = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const problem = markdownProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
