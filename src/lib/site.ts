/** Where the site lives, and how pages link to the repository's own files. */
export const SITE_URL = 'https://uenv-cxi-kb.example.org';

/**
 * Files and folders of this repository that the site publishes verbatim under /source/<path>, so "see this file"
 * links always resolve, on any mirror of the site, and `curl` works from a login node.
 */
export const PUBLISHED_SOURCES = ['content/recipe', 'content/cluster', 'content/issues', 'content/packages', 'content/deps.yaml', 'runbooks'] as const;

/** Link to a file of this repository (path relative to the repository root). */
export function repoFileUrl(path: string): string {
  return `/source/${path.replace(/^\.?\//, '')}`;
}

export function issueUrl(id: string): string {
  return `/issues/${id}/`;
}

export function packageUrl(id: string): string {
  return `/packages/${id}/`;
}
