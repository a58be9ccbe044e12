/** The records as the tests see them: the same loader the site build uses. */
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import type { Issue } from '../../src/schemas/issue';
import type { Package } from '../../src/schemas/package';

const kb = loadKnowledgeBase();
export const issues: Issue[] = kb.issues.map((i) => i.record);
export const packages: Package[] = kb.packages.map((p) => p.record);

export function issueIdsFor(filter: { package?: string; status?: string }): string[] {
  return issues
    .filter((i) => (!filter.package || i.packages.includes(filter.package)) && (!filter.status || i.status === filter.status))
    .map((i) => i.id)
    .sort();
}
