/** Sidebar entries generated from the issue records, so a new issue appears without editing the config. */
import { loadKnowledgeBase } from './knowledge-base-fs';

export function issueSidebarItems(): { label: string; link: string }[] {
  return loadKnowledgeBase()
    .issues.map(({ record }) => ({ label: record.title, link: `/issues/${record.id}/` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
