import { PUBLISHED_SOURCES } from './site';
import { repoRoot, trackedFiles } from './paths-fs';

const cache = new Map<string, string[]>();

/**
 * Repository-relative paths of every published file: the files under PUBLISHED_SOURCES that git tracks, each a
 * regular file inside the repository (see trackedFiles). Read from the checkout at `root`.
 */
export function listPublishedSources(root = repoRoot()): string[] {
  let files = cache.get(root);
  if (!files) cache.set(root, (files = trackedFiles(root, PUBLISHED_SOURCES)));
  return files;
}
