import { z } from 'astro/zod';
import { linkSchema } from './link';
import { ISSUE_STATUSES } from './issue-status';

export { ISSUE_STATUSES, type IssueStatus } from './issue-status';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lowercase slug (a-z, 0-9, single hyphens)');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real calendar date');

/**
 * A string or pattern that appears in real logs of this issue. The diagnosis engine matches
 * these line by line; `weight` ranks specific evidence (a named symbol) above generic
 * evidence (a bare "Segmentation fault").
 */
export const signatureSchema = z
  .strictObject({
    /** Matched literally, case-sensitive, anywhere in a normalized log line. */
    text: z.string().min(3).optional(),
    /** An RE2 regular expression (linear time: no backreferences or lookaround). */
    regex: z.string().min(3).optional(),
    /** 1 = generic evidence seen with many causes, 10 = proves this issue on its own. Default 5. */
    weight: z.number().int().min(1).max(10).default(5),
    /** Why this line is evidence; shown beside the match. */
    note: z.string().optional(),
    /**
     * Indexes (in this issue's `signatures`) of evidence that must also be in the log for this
     * signature to count, e.g. a generic compile error that proves the issue only next to its header.
     */
    requires: z.array(z.number().int().min(0)).optional(),
  })
  .refine((s) => (s.text === undefined) !== (s.regex === undefined), {
    message: 'needs exactly one of `text` or `regex`',
  });

const repoPath = z.string().regex(/^[\w.-]+(?:\/[\w.-]+)*$/, 'must be a relative repository path');

export const workaroundSchema = z.strictObject({
  /** One paragraph: what to do. Markdown. */
  summary: z.string().min(1),
  steps: z.array(z.string().min(1)).min(1),
  /**
   * The files of this repository that implement it: recipe files, or runbook data such as runbooks/data/nccl.env,
   * each a path (relative to the repo root) the site publishes under /source/. Recipe and cluster files are shown
   * on the issue page as excerpts: the whole file, or `{ file, path }` for one YAML path of it (e.g. `packages.curl`).
   */
  files: z.array(z.union([repoPath, z.strictObject({ file: repoPath, path: z.string().min(1) })])).default([]),
});

export const issueSchema = z
  .strictObject({
    /** Stable slug; the issue's permalink is /issues/<id>/. Never rename. */
    id: slug,
    /** Written to be found: the error text users see, where there is one. */
    title: z.string().min(5),
    /** Package ids (files in content/packages/). */
    packages: z.array(slug).min(1),
    status: z.enum(ISSUE_STATUSES),
    symptoms: z.array(z.string().min(1)).min(1),
    signatures: z.array(signatureSchema).min(1),
    cause: z.string().min(1),
    workaround: workaroundSchema.optional(),
    affected: z.strictObject({
      versions: z.array(z.string().min(1)).default([]),
      architectures: z.array(z.enum(['aarch64', 'x86_64', 'any'])).min(1),
      systems: z.array(z.string().min(1)).default([]),
    }),
    fixed_in: z.array(z.strictObject({ release: z.string().min(1), url: z.url({ protocol: /^https?$/ }) })).default([]),
    links: z.array(linkSchema).min(1),
    first_seen: isoDate,
    last_verified: isoDate,
  })
  .superRefine((issue, ctx) => {
    if (issue.status === 'workaround' && !issue.workaround) {
      ctx.addIssue({ code: 'custom', path: ['workaround'], message: 'is required when status is "workaround"' });
    }
    if (issue.status === 'fixed-upstream' && issue.fixed_in.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['fixed_in'], message: 'is required when status is "fixed-upstream"' });
    }
    issue.signatures.forEach((sig, i) =>
      sig.requires?.forEach((r, j) => {
        if (r === i || r >= issue.signatures.length) {
          ctx.addIssue({ code: 'custom', path: ['signatures', i, 'requires', j], message: `must name another signature of this issue (0–${issue.signatures.length - 1}, not ${i})` });
        }
      }),
    );
    if (issue.last_verified < issue.first_seen) {
      ctx.addIssue({ code: 'custom', path: ['last_verified'], message: 'is earlier than first_seen' });
    }
  });

export type IssueInput = z.input<typeof issueSchema>;
export type Issue = z.output<typeof issueSchema>;
export type Signature = z.output<typeof signatureSchema>;
