import { z } from 'astro/zod';
import { linkSchema } from './link';
import { httpsUrl, httpUrl, isoDate, markdown, repoPath, slug, SLUG_PATTERN } from './common';
import { ISSUE_STATUSES } from './issue-status';
import { ISSUE_AREA_IDS } from './issue-area';

export { ISSUE_STATUSES, type IssueStatus } from './issue-status';
export { ISSUE_AREAS, type IssueArea } from './issue-area';

/** Where an exact text is printed: upstream code pinned to a tag or commit (with #L lines), or a public log. */
const sourceUrl = httpsUrl;

/** A line matcher: exactly one of `text` (literal) or `regex` (RE2). */
const matcherShape = {
  /** Matched literally, case-sensitive, anywhere in a normalized log line. */
  text: z.string().min(3).optional(),
  /** An RE2 regular expression (linear time: no backreferences or lookaround). */
  regex: z.string().min(3).optional(),
};
const oneMatcher = { message: 'needs exactly one of `text` or `regex`' };
const hasOneMatcher = (m: { text?: string; regex?: string }) => (m.text === undefined) !== (m.regex === undefined);

/**
 * A string or pattern that appears in real logs of this issue. The diagnosis engine matches
 * these line by line; `weight` ranks specific evidence (a named symbol) above generic
 * evidence (a bare "Segmentation fault").
 */
export const signatureSchema = z
  .strictObject({
    ...matcherShape,
    /** 1 = generic evidence seen with many causes, 10 = proves this issue on its own. Default 5. */
    weight: z.number().int().min(1).max(10).default(5),
    /** Why this line is evidence; shown beside the match. */
    note: z.string().optional(),
    /**
     * Indexes (in this issue's `signatures`) of evidence that must also be in the log for this
     * signature to count, e.g. a generic compile error that proves the issue only next to its header.
     */
    requires: z.array(z.number().int().min(0)).optional(),
    /** Required: where this exact text is printed, upstream code pinned to a tag or commit, or a public log that shows it. */
    source: sourceUrl,
    /** Which releases print this form, when the text changed between releases (e.g. "libfabric before 1.21"). */
    versions: z.string().min(1).optional(),
  })
  .refine(hasOneMatcher, oneMatcher);

/**
 * What a log must show to be about this stack (the CXI provider, cray-mpich, NET/OFI, stackinator's paths):
 * when an issue lists context, a log with none of these lines can match it only with low confidence.
 */
export const contextSchema = z
  .strictObject({
    ...matcherShape,
    /** Why this line ties a log to the stack. */
    note: z.string().optional(),
    source: sourceUrl.optional(),
  })
  .refine(hasOneMatcher, oneMatcher);

/**
 * A Spack spec naming affected versions: `name@range`, where range is a version (`2.0.0`), an inclusive
 * range with open ends allowed (`1.20:2.1`, `:1.22`, `2.19:`) or a branch (`main`, `master`, `develop`).
 */
const specPattern = new RegExp(`^${SLUG_PATTERN}@(?:[\\w.+-]+|[\\w.+-]*:[\\w.+-]*)$`);

export const affectedVersionSchema = z.strictObject({
  /** e.g. `libfabric@1.20.0:2.1.0`, `nccl@2.19:`, `libfabric@main`. */
  spec: z.string().regex(specPattern, 'must be a Spack spec name@version, name@from:to (either end open) or name@branch'),
  /** For a branch build: the window of commit dates that are affected, the end left out while still affected. */
  built_between: z
    .tuple([isoDate])
    .or(z.tuple([isoDate, isoDate]))
    .optional(),
  /** Prose shown beside the range. */
  note: z.string().min(1).optional(),
});

export const workaroundSchema = z.strictObject({
  /** One paragraph: what to do. Markdown. */
  summary: markdown,
  /** Markdown; a step that is exactly one `command` renders as a copyable block. */
  steps: z.array(markdown).min(1),
  /**
   * The files of this repository that implement it: recipe files, or runbook data such as runbooks/data/nccl.env,
   * each a path (relative to the repo root) the site publishes under /source/. Recipe and cluster files are shown
   * on the issue page as excerpts: the whole file, or `{ file, path }` for one YAML path of it (e.g. `packages.curl`).
   * Either form comes out as `{ file, path? }`.
   */
  files: z
    .array(
      z.union([
        repoPath.transform((file): { file: string; path?: string } => ({ file })),
        z.strictObject({ file: repoPath, path: z.string().min(1).optional() }),
      ]),
    )
    .default([]),
});

export const issueSchema = z
  .strictObject({
    /** Stable slug; the issue's permalink is /issues/<id>/. Never rename. */
    id: slug(),
    /** Written to be found: the error text users see, where there is one. */
    title: z.string().min(5),
    /** The part of the stack it concerns; groups the index, the sidebar and the corpus accuracy. */
    area: z.enum(ISSUE_AREA_IDS),
    /** Package ids (files in content/packages/). */
    packages: z.array(slug()).min(1),
    status: z.enum(ISSUE_STATUSES),
    /** Markdown, what the user sees. */
    symptoms: z.array(markdown).min(1),
    signatures: z.array(signatureSchema).min(1),
    context: z.array(contextSchema).optional(),
    /** Markdown; every claim cited inline. */
    cause: markdown,
    workaround: workaroundSchema.optional(),
    affected: z.strictObject({
      /** Machine-readable ranges (Spack syntax), evaluated by `uenv-kb affected`; empty when not version-specific. */
      versions: z.array(affectedVersionSchema).default([]),
      architectures: z.array(z.enum(['aarch64', 'x86_64', 'any'])).min(1),
      systems: z.array(z.string().min(1)).default([]),
    }),
    fixed_in: z
      .array(
        z.strictObject({
          release: z.string().min(1),
          url: httpUrl,
          /** When the fix was merged or released; `last_verified` may not be earlier. */
          date: isoDate.optional(),
        }),
      )
      .default([]),
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
          ctx.addIssue({
            code: 'custom',
            path: ['signatures', i, 'requires', j],
            message: `must name another signature of this issue (0–${issue.signatures.length - 1}, not ${i})`,
          });
        }
      }),
    );
    if (issue.last_verified < issue.first_seen) {
      ctx.addIssue({ code: 'custom', path: ['last_verified'], message: 'is earlier than first_seen' });
    }
    // A problem cannot be first seen after a source that already shows it, nor verified before its fix.
    issue.links.forEach((link, i) => {
      if (link.date !== undefined && issue.first_seen > link.date) {
        ctx.addIssue({
          code: 'custom',
          path: ['first_seen'],
          message: `is later than links.${i} (${link.date}): first_seen may not be after the earliest dated link`,
        });
      }
    });
    issue.fixed_in.forEach((fix, i) => {
      if (fix.date !== undefined && issue.last_verified < fix.date) {
        ctx.addIssue({
          code: 'custom',
          path: ['last_verified'],
          message: `is earlier than fixed_in.${i} (${fix.date}): last_verified may not be before the newest fix`,
        });
      }
    });
  });

export type IssueInput = z.input<typeof issueSchema>;
export type Issue = z.output<typeof issueSchema>;
export type Signature = z.output<typeof signatureSchema>;
export type ContextLine = z.output<typeof contextSchema>;
export type AffectedVersion = z.output<typeof affectedVersionSchema>;
