/** Sidebar entries generated from the records, so a new issue or package appears without editing the config. */
import { loadKnowledgeBase } from './knowledge-base-fs';
import { sortPackages } from './package-sections';

export function issueSidebarItems(): { label: string; link: string }[] {
  return loadKnowledgeBase()
    .issues.map(({ record }) => ({ label: record.title, link: `/issues/${record.id}/` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

export function packageSidebarItems(): { label: string; link: string }[] {
  return sortPackages(loadKnowledgeBase().packages.map(({ record }) => record)).map((p) => ({ label: p.title, link: `/packages/${p.id}/` }));
}
