import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLISHED_SOURCES } from './site';

/** Repository-relative paths of every published file (text files only; nothing under build outputs). */
export function listPublishedSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!/\.(pyc|squashfs|o|so)$/.test(name)) out.push(path);
    }
  };
  for (const path of PUBLISHED_SOURCES) {
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) walk(path);
    else out.push(path);
  }
  return out;
}
