/** Reads the production build in dist/ (the same files the preview server serves). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const DIST = 'dist';

export function htmlFiles(dir = DIST): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'pagefind' || name === '_astro' ? [] : htmlFiles(path);
    return name.endsWith('.html') ? [path] : [];
  });
}

/** URL path of a built HTML file: dist/a/b/index.html → /a/b/. */
export function urlOf(file: string): string {
  return `/${relative(DIST, file)
    .replace(/index\.html$/, '')
    .replace(/\.html$/, '')}`;
}

/** The file that serves a URL path, or undefined. */
export function fileFor(pathname: string): string | undefined {
  const clean = decodeURIComponent(pathname).replace(/^\//, '');
  for (const candidate of [join(DIST, clean), join(DIST, clean, 'index.html'), join(DIST, `${clean}.html`)]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

export function idsIn(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!));
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}
