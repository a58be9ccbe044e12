import { z } from 'astro/zod';

/**
 * runbooks/reframe/checks.json: the stack's ReFrame checks as runbooks/reframe/describe.sh writes them from
 * `reframe --describe` (generated, never edited; tests/reframe checks it is up to date).
 */
export const reframeReferenceSchema = z.strictObject({
  /** The system's key in runbooks/data/performance-references.json. */
  system: z.string(),
  /** The check's key there (osu_bw, nccl_all_reduce, …). */
  check: z.string(),
  nodes: z.number().int().positive(),
  tasks_per_node: z.number().int().positive(),
  /** null where the benchmark has no message size. */
  message_bytes: z.number().int().positive().nullable(),
  value: z.number().positive(),
  unit: z.string(),
  /** ReFrame's bounds: fractions of value, null for no bound. */
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  /** A pinned URL, with "and #L…" for more lines of the same file; or a repository path (test-only systems). */
  source: z.string(),
});

export const reframeCheckSchema = z.strictObject({
  name: z.string(),
  file: z.string(),
  /** What a pass proves (the first paragraph of the check's docstring). */
  proves: z.string(),
  /** When it fails and when it is skipped (the rest of the docstring). */
  details: z.string(),
  environments: z.array(z.string()),
  partitions: z.array(z.string()),
  /** The performance variable; null for checks judged on sanity alone. */
  metric: z.string().nullable(),
  references: z.array(reframeReferenceSchema),
});

export const reframeCatalogueSchema = z.strictObject({
  generated_by: z.string(),
  systems: z.record(z.string(), z.strictObject({ description: z.string(), partitions: z.array(z.string()) })),
  checks: z.array(reframeCheckSchema),
});

/** content/performance/*.json: one ReFrame run's performance results (runbooks/reframe/lib/results.py). */
export const performanceRunSchema = z.strictObject({
  version: z.literal(1),
  /** The stack version the results belong to (run.sh --label). */
  label: z.string().min(1),
  date: z.string(),
  reframe: z.string(),
  results: z.array(
    z.strictObject({
      check: z.string(),
      partition: z.string(),
      environ: z.string(),
      result: z.string(),
      metrics: z.array(
        z.strictObject({
          name: z.string(),
          value: z.number(),
          unit: z.string(),
          reference: z.number().nullable(),
          lower: z.number().nullable(),
          upper: z.number().nullable(),
          result: z.string(),
        }),
      ),
    }),
  ),
});

export type ReframeReference = z.output<typeof reframeReferenceSchema>;
export type ReframeCheck = z.output<typeof reframeCheckSchema>;
export type ReframeCatalogue = z.output<typeof reframeCatalogueSchema>;
export type PerformanceRun = z.output<typeof performanceRunSchema>;
