import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PUBLISHED_SOURCES } from './site';

/**
 * Repository-relative paths of every published file (text files only; nothing under build outputs), read from the
 * checkout at `root` (the site build runs from the repository root).
 */
export function listPublishedSources(root = '.'): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    if (!statSync(path).isDirectory()) return void out.push(relative(root, path));
    for (const name of readdirSync(path).sort()) {
      if (!/\.(pyc|squashfs|o|so)$/.test(name)) walk(join(path, name));
    }
  };
  for (const path of PUBLISHED_SOURCES) {
    if (existsSync(join(root, path))) walk(join(root, path));
  }
  return out;
}
