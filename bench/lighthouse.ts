/**
 * Lighthouse performance (Lighthouse's default mobile profile, simulated throttling) of the home page, a package
 * page, the issue index and /diagnose/, served by `astro preview`, against a bare Starlight page built and served
 * the same way in the same run. Median of RUNS runs per page. Goal: 0.98 or more on each page.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { median, type BenchResult } from './lib';
import { bareStarlight, buildMs } from './site';

const RUNS = 3;
const PAGES = ['/', '/packages/libfabric/', '/issues/', '/diagnose/'];
const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';

async function serve(root: string, outDir: string, port: number): Promise<ChildProcess> {
  const server = spawn('npx', ['astro', 'preview', '--root', root, '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  server.stderr!.on('data', (d) => (stderr += d));
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`astro preview of ${root} exited: ${stderr.trim().split('\n')[0] ?? server.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(-server.pid!, 'SIGTERM');
  throw new Error(`astro preview of ${root} did not answer on port ${port}`);
}

async function score(url: string, port: number): Promise<number> {
  const scores: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await lighthouse(url, { port, onlyCategories: ['performance'], output: 'json', logLevel: 'error' });
    const value = result?.lhr.categories.performance?.score;
    if (typeof value !== 'number') throw new Error(`Lighthouse gave no performance score for ${url}: ${result?.lhr.runtimeError?.message ?? 'unknown error'}`);
    scores.push(value);
  }
  return median(scores);
}

export async function bench(): Promise<BenchResult[]> {
  const bare = bareStarlight();
  const oursOut = mkdtempSync(join(tmpdir(), 'uenv-kb-lh-'));
  const servers: ChildProcess[] = [];
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'] });
  try {
    buildMs(resolve('.'), oursOut);
    buildMs(bare, join(bare, 'dist'));
    servers.push(await serve(resolve('.'), oursOut, 4611), await serve(bare, join(bare, 'dist'), 4612));
    const baseline = await score('http://127.0.0.1:4612/', chrome.port);
    const rows: BenchResult[] = [];
    for (const page of PAGES) {
      const ours = await score(`http://127.0.0.1:4611${page}`, chrome.port);
      rows.push({
        name: `Lighthouse performance ${page} (median of ${RUNS})`,
        unit: 'score',
        ours,
        baselineName: 'bare Starlight page',
        baseline,
        digits: 2,
        goal: '≥ 0.98',
        met: ours >= 0.98,
      });
    }
    return rows;
  } finally {
    await chrome.kill();
    for (const s of servers) if (s.exitCode === null) process.kill(-s.pid!, 'SIGTERM');
    rmSync(bare, { recursive: true, force: true });
    rmSync(oursOut, { recursive: true, force: true });
  }
}
