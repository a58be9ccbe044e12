import { z } from 'astro/zod';
import { issueSchema } from './issue';

/**
 * The shape of /issues.json, the knowledge base for tools (CI bots, other sites). `version` changes only when a
 * field is removed or changes meaning; new optional fields keep it. Its JSON Schema is published at
 * /issues.schema.json, generated from this definition.
 */
export const ISSUES_DOCUMENT_VERSION = 1;

export const publishedIssueSchema = issueSchema.safeExtend({
  /** The issue page, absolute: its permanent address. */
  permalink: z.url(),
});

export const issuesDocumentSchema = z.strictObject({
  version: z.literal(ISSUES_DOCUMENT_VERSION),
  /** The site's public origin. */
  site: z.url(),
  /** The newest `last_verified` of any record (a date, so the same records always give the same file). */
  updated: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  issues: z.array(publishedIssueSchema),
});

export type IssuesDocument = z.output<typeof issuesDocumentSchema>;
