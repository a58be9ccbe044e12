/**
 * The statuses an issue can have. Kept free of Zod so browser code (the index filter) can import
 * it without bundling the schema library.
 */
export const ISSUE_STATUSES = ['open', 'workaround', 'fixed-upstream', 'wontfix'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
