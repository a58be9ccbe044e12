/**
 * `npm run bench`: every benchmark measures ours against a baseline in the same run, on the same
 * machine, and reports medians and ratios. Goals are printed, never asserted: speed is not a test.
 * Each area adds a module exporting `bench(): Promise<BenchResult[]>` to the list below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './lib';
import { missingTools, type Tool } from './prerequisites';

interface BenchModule {
  load: () => Promise<{ bench: () => Promise<BenchResult[]> }>;
  needs: Tool[];
}

const modules: Record<string, BenchModule> = {
  site: { load: () => import('./site'), needs: [] },
  scale: { load: () => import('./scale'), needs: [] },
  audit: {
    load: () => import('./audit'),
    needs: [
      { command: 'gcc', debian: 'gcc' },
      { command: 'patchelf', debian: 'patchelf' },
      { command: 'ldd', debian: 'libc-bin' },
      { command: 'python3', debian: 'python3' },
    ],
  },
  diagnose: { load: () => import('./diagnose'), needs: [] },
  lighthouse: { load: () => import('./lighthouse'), needs: [{ command: 'chromium', debian: 'chromium' }] },
};

const only = process.argv.slice(2);
const unknown = only.filter((name) => !(name in modules));
if (unknown.length) {
  console.error(`npm run bench: unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(modules).join(', ')}`);
  process.exit(2);
}
const chosen = Object.entries(modules).filter(([name]) => !only.length || only.includes(name));
const missing = chosen.flatMap(([name, m]) => missingTools(name, m.needs));
if (missing.length) {
  for (const line of missing) console.error(line);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const [name, { load }] of chosen) {
  console.log(`\n## ${name}`);
  let rows: BenchResult[];
  try {
    rows = await (await load()).bench();
  } catch (error) {
    // A benchmark that cannot run says why in one line; the numbers it would give are not guessed.
    console.error(`bench ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    continue;
  }
  for (const r of rows) {
    console.log(
      `${r.name}: ours ${r.ours.toFixed(r.digits ?? 1)} ${r.unit} vs ${r.baselineName} ${r.baseline.toFixed(r.digits ?? 1)} ${r.unit}` +
        ` (ratio ${(r.ours / r.baseline).toFixed(2)}×)${r.goal ? ` — goal: ${r.goal} — ${r.met ? 'met' : 'NOT met'}` : ''}`,
    );
  }
  results.push(...rows);
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', JSON.stringify(results, null, 2));
console.log('\nwrote bench/results/latest.json');
