/**
 * `npm run bench`: every benchmark measures ours against a baseline in the same run, on the same
 * machine, and reports medians and ratios. Goals are printed, never asserted: speed is not a test.
 * Each area adds a module exporting `bench(): Promise<BenchResult[]>` to the list below.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchResult } from './lib';

const modules: Record<string, () => Promise<{ bench: () => Promise<BenchResult[]> }>> = {
  site: () => import('./site'),
  audit: () => import('./audit'),
  diagnose: () => import('./diagnose'),
};

const only = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, load] of Object.entries(modules)) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n## ${name}`);
  const rows = await (await load()).bench();
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
