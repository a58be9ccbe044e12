/** Where the site and its sources live; the one place these URLs are written. */
export const SITE_URL = 'https://uenv-cxi-kb.example.org';
export const REPO_URL = 'https://github.com/eth-cscs/uenv-cxi-kb';
export const REPO_BRANCH = 'main';

/** Link to a file of this repository (path relative to the repository root). */
export function repoFileUrl(path: string, line?: number): string {
  return `${REPO_URL}/blob/${REPO_BRANCH}/${path.replace(/^\.?\//, '')}${line ? `#L${line}` : ''}`;
}

export function issueUrl(id: string): string {
  return `/issues/${id}/`;
}

export function packageUrl(id: string): string {
  return `/packages/${id}/`;
}
