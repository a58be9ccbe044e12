/**
 * The site at 10× and 50× today's records: a synthetic knowledge base (each real issue record copied under new
 * ids) is generated into a temporary content directory, never committed, and built with UENV_KB_CONTENT pointing
 * at it. Reports build time, pages built, the Pagefind index size and the issue index's first load, against a
 * bare Starlight page built in the same run. Goals: the build grows linearly and stays under 60 s at 50×; the
 * index page stays within 2× of a bare page.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import type { BenchResult } from './lib';
import { bareStarlight, buildMs, firstLoadBytes } from './site';

const ROOT = resolve('.');
const MULTIPLIERS = [1, 10, 50];

/** Copies content/ and adds `times - 1` copies of every issue record under new ids. */
function syntheticContent(times: number): string {
  const dir = mkdtempSync(join(tmpdir(), `uenv-kb-scale-${times}x-`));
  cpSync(join(ROOT, 'content'), dir, { recursive: true });
  const issues = join(dir, 'issues');
  for (const name of readdirSync(issues).filter((n) => n.endsWith('.yaml'))) {
    const text = readFileSync(join(issues, name), 'utf8');
    const id = name.replace(/\.yaml$/, '');
    for (let k = 1; k < times; k++) {
      writeFileSync(join(issues, `${id}-x${k}.yaml`), text.replace(/^id: .*$/m, `id: ${id}-x${k}`));
    }
  }
  return dir;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}

export async function bench(): Promise<BenchResult[]> {
  const bare = bareStarlight();
  const bareOut = join(bare, 'dist');
  const rows: BenchResult[] = [];
  try {
    const bareMs = buildMs(bare, bareOut);
    const bareKb = firstLoadBytes(bareOut, '') / 1024;
    const perPage: number[] = [];
    for (const times of MULTIPLIERS) {
      const content = syntheticContent(times);
      const out = mkdtempSync(join(tmpdir(), `uenv-kb-scale-dist-${times}x-`));
      try {
        const ms = buildMs(ROOT, out, { UENV_KB_CONTENT: content });
        const all = files(out);
        const pages = all.filter((f) => f.endsWith('.html')).length;
        const pagefindKb = all.filter((f) => f.startsWith(join(out, 'pagefind'))).reduce((sum, f) => sum + statSync(f).size, 0) / 1024;
        const indexKb = firstLoadBytes(out, 'issues') / 1024;
        const records = readdirSync(join(content, 'issues')).length;
        perPage.push(ms / pages);
        rows.push(
          {
            name: `${times}× (${records} issues): site build, ${pages} pages`,
            unit: 's',
            ours: ms / 1000,
            baselineName: 'bare Starlight site',
            baseline: bareMs / 1000,
            digits: 2,
            ...(times === 50 ? { goal: '< 60 s at 50×', met: ms < 60_000 } : {}),
          },
          {
            name: `${times}×: Pagefind index`,
            unit: 'KB',
            ours: pagefindKb,
            baselineName: '1× index',
            baseline: rows.length ? rows[1]!.ours : pagefindKb,
            digits: 0,
          },
          {
            name: `${times}×: first load of /issues/`,
            unit: 'KB gzip',
            ours: indexKb,
            baselineName: 'bare Starlight page',
            baseline: bareKb,
            goal: '≤ 2× bare',
            met: indexKb <= 2 * bareKb,
          },
        );
      } finally {
        rmSync(content, { recursive: true, force: true });
        rmSync(out, { recursive: true, force: true });
      }
    }
    // Linear growth: build time per page at 50× against 1× (about 1 when the build is linear in the pages).
    rows.push({
      name: 'build time per page, 50× vs 1×',
      unit: 'ms/page',
      ours: perPage.at(-1)!,
      baselineName: '1×',
      baseline: perPage[0]!,
      digits: 1,
      goal: 'linear (ratio ≤ 1.5)',
      met: perPage.at(-1)! <= 1.5 * perPage[0]!,
    });
    return rows;
  } finally {
    rmSync(bare, { recursive: true, force: true });
  }
}
