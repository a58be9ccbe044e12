/**
 * Site benchmarks: build time, and first-load weight (gzip of the HTML, its stylesheets and its
 * statically imported scripts; Pagefind's lazily loaded UI and index excluded) of a package page
 * and the issue index. Baseline: a bare Starlight site with one page, built here in the same run
 * with the same node_modules.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { median, run, type BenchResult } from './lib';

const ROOT = resolve('.');

export function buildMs(cwd: string, outDir: string, env: NodeJS.ProcessEnv = {}): number {
  const t = performance.now();
  run('npx', ['astro', 'build', '--root', cwd, '--outDir', outDir], env);
  return performance.now() - t;
}

/**
 * A one-page Starlight site: the smallest thing Starlight builds. It lives inside the repository
 * (git-ignored) so it resolves the very same node_modules by walking up; a symlinked node_modules
 * confuses Vite's module ids.
 */
export function bareStarlight(): string {
  const dir = join(ROOT, '.bench-bare');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src/content/docs'), { recursive: true });
  // Vite decides what to bundle for SSR from the declared dependencies; without them Starlight's
  // virtual `astro:` imports leak to Node and the build fails.
  writeFileSync(join(dir, 'package.json'), '{"type":"module","devDependencies":{"astro":"*","@astrojs/starlight":"*"}}\n');
  writeFileSync(
    join(dir, 'astro.config.mjs'),
    "import { defineConfig } from 'astro/config';\nimport starlight from '@astrojs/starlight';\nexport default defineConfig({ integrations: [starlight({ title: 'Bare' })] });\n",
  );
  writeFileSync(
    join(dir, 'src/content.config.ts'),
    "import { defineCollection } from 'astro:content';\nimport { docsLoader } from '@astrojs/starlight/loaders';\nimport { docsSchema } from '@astrojs/starlight/schema';\nexport const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };\n",
  );
  writeFileSync(join(dir, 'src/content/docs/index.md'), '---\ntitle: Bare page\n---\n\nOne paragraph of text.\n');
  return dir;
}

/** gzip bytes of a page's first load: HTML + stylesheets + the static import graph of its module scripts. */
export function firstLoadBytes(dist: string, pagePath: string): number {
  const seen = new Set<string>();
  let total = 0;
  const add = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const body = readFileSync(file);
    total += gzipSync(body, { level: 9 }).length;
    if (file.endsWith('.js')) {
      for (const m of body.toString('utf8').matchAll(/(?:^|[;\s])import\s*(?:[\w${},*\s]+from\s*)?["']([^"']+)["']/g)) {
        add(resolve(dirname(file), m[1]!));
      }
    }
  };
  const htmlFile = join(dist, pagePath, 'index.html');
  add(htmlFile);
  const html = readFileSync(htmlFile, 'utf8');
  for (const m of html.matchAll(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"|<script[^>]+type="module"[^>]*src="([^"]+)"/g)) {
    const url = m[1] ?? m[2]!;
    if (url.startsWith('/pagefind/')) continue;
    add(join(dist, url));
  }
  return total;
}

export async function bench(): Promise<BenchResult[]> {
  const bare = bareStarlight();
  const oursOut = mkdtempSync(join(tmpdir(), 'uenv-kb-dist-'));
  const bareOut = join(bare, 'dist');
  try {
    const ours: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < 3; i++) {
      ours.push(buildMs(ROOT, oursOut));
      base.push(buildMs(bare, bareOut));
    }
    const bareKb = firstLoadBytes(bareOut, '') / 1024;
    const row = (name: string, path: string): BenchResult => {
      const kb = firstLoadBytes(oursOut, path) / 1024;
      return { name, unit: 'KB gzip', ours: kb, baselineName: 'bare Starlight page', baseline: bareKb, goal: '≤ 1.25× bare', met: kb <= 1.25 * bareKb };
    };
    const packagePages = readdirSync(join(oursOut, 'packages')).map((id) => ({ id, kb: firstLoadBytes(oursOut, `packages/${id}`) / 1024 }));
    const heaviest = packagePages.reduce((a, b) => (b.kb > a.kb ? b : a));
    return [
      { name: 'site build (median of 3)', unit: 's', ours: median(ours) / 1000, baselineName: 'bare Starlight site', baseline: median(base) / 1000, digits: 2 },
      row('first load: package page /packages/libfabric/', 'packages/libfabric'),
      row(`first load: heaviest package page /packages/${heaviest.id}/`, `packages/${heaviest.id}`),
      row('first load: issue index /issues/', 'issues'),
      row('first load: /diagnose/', 'diagnose'),
      row('first load: home page /', ''),
    ];
  } finally {
    rmSync(bare, { recursive: true, force: true });
    rmSync(oursOut, { recursive: true, force: true });
  }
}
