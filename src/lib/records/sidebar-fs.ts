/**
 * Sidebar entries generated from the records, so a new issue or package appears without editing the config. Issues
 * are grouped by area: one link per area to the index filtered by it, with its count, so the sidebar stays short
 * (and every page light) however many issues there are.
 */
import { loadKnowledgeBase } from './knowledge-base-fs';
import { sortPackages } from './package-sections';
import { ISSUE_AREAS, type IssueArea } from '../../schemas/issue-area';

export function issueSidebarItems(): { label: string; link: string; badge?: string }[] {
  const issues = loadKnowledgeBase().issues.map(({ record }) => record);
  return (Object.keys(ISSUE_AREAS) as IssueArea[])
    .map((area) => ({ area, count: issues.filter((i) => i.area === area).length }))
    .filter(({ count }) => count > 0)
    .map(({ area, count }) => ({ label: ISSUE_AREAS[area], link: `/issues/?area=${area}`, badge: String(count) }));
}

export function packageSidebarItems(): { label: string; link: string }[] {
  return sortPackages(loadKnowledgeBase().packages.map(({ record }) => record)).map((p) => ({ label: p.title, link: `/packages/${p.id}/` }));
}
