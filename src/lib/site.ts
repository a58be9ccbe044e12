/** Where the site lives, and how pages link to the repository's own files. */
export const SITE_URL = 'https://uenv-cxi-kb.example.org';

/** A DNS name (letters, digits, hyphens between dots) or a bracketed IPv6 address. */
const HOST = /^(?:(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?|\[[0-9a-f:.]+\])$/;

/**
 * Where the site is published (an origin): `UENV_KB_SITE_URL` from the given environment (the build's or the CLI's), else the
 * placeholder above. The sitemap, canonical links and the CLI's permalinks use it.
 */
export function publicSiteUrl(env: Record<string, string | undefined>): string {
  const value = env.UENV_KB_SITE_URL;
  if (value === undefined || value === '') return SITE_URL;
  // An origin only: the site's links are root-relative, so it is served at the root of its host. The value ends up
  // in attributes of every page, so it must be exactly what URL parsing gives back (no quotes, spaces, user, path).
  const origin = URL.canParse(value) ? new URL(value) : undefined;
  const host = origin?.host.replace(/:\d{1,5}$/, '');
  const valid =
    origin !== undefined &&
    (origin.protocol === 'https:' || origin.protocol === 'http:') &&
    HOST.test(host!) &&
    value.replace(/\/$/, '').toLowerCase() === origin.origin;
  if (!valid) throw new Error(`UENV_KB_SITE_URL: ${JSON.stringify(value)} is not an http(s) origin such as https://kb.example.org`);
  return origin.origin;
}

/**
 * Files and folders of this repository that the site publishes verbatim under /source/<path>, so "see this file"
 * links always resolve, on any mirror of the site, and `curl` works from a login node.
 */
export const PUBLISHED_SOURCES = [
  'content/recipe',
  'content/cluster',
  'content/issues',
  'content/packages',
  'content/templates',
  'content/deps.yaml',
  'runbooks',
] as const;

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

/**
 * Where contributors edit a file of this repository: `UENV_KB_REPO_URL` (a GitHub or GitLab repository URL) with
 * `UENV_KB_REPO_BRANCH` (default main) from the given environment, or undefined when the build was not told, in
 * which case pages link the published copy under /source/ instead.
 */
export function repoEditUrl(env: Record<string, string | undefined>, path: string): string | undefined {
  const repo = env.UENV_KB_REPO_URL;
  if (repo === undefined || repo === '') return undefined;
  if (!/^https:\/\/[^/\s"'<>]+\/[\w.-]+\/[\w.-]+\/?$/.test(repo)) {
    throw new Error(`UENV_KB_REPO_URL: "${repo}" is not a repository URL such as https://github.com/owner/name`);
  }
  const branch = env.UENV_KB_REPO_BRANCH || 'main';
  if (!/^[\w./-]+$/.test(branch)) throw new Error(`UENV_KB_REPO_BRANCH: "${branch}" is not a branch name`);
  return `${repo.replace(/\/+$/, '')}/edit/${branch}/${path.replace(/^\.?\//, '')}`;
}
