/** The sections of an issue page, in order; the page and its table of contents share this list. */
import type { Issue } from '../../schemas/issue';

export interface IssueSection {
  slug: string;
  label: string;
  present: (issue: Issue) => boolean;
}

export const ISSUE_SECTIONS: IssueSection[] = [
  { slug: 'symptoms', label: 'Symptoms', present: () => true },
  { slug: 'error-signatures', label: 'Error signatures', present: () => true },
  { slug: 'cause', label: 'Cause', present: () => true },
  { slug: 'workaround', label: 'Workaround', present: (i) => i.workaround !== undefined },
  { slug: 'affected', label: 'Affected', present: () => true },
  { slug: 'fixed-in', label: 'Fixed in', present: (i) => i.fixed_in.length > 0 },
  { slug: 'sources', label: 'Sources', present: () => true },
];

export function sectionLabel(slug: string): string {
  return ISSUE_SECTIONS.find((s) => s.slug === slug)?.label ?? slug;
}
