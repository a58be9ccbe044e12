/** Shared measuring helpers for the benchmarks. */
import { execFileSync } from 'node:child_process';

export interface BenchResult {
  name: string;
  unit: string;
  /** Median of our runs. */
  ours: number;
  baselineName: string;
  /** Median of the baseline's runs, measured in the same run on the same machine. */
  baseline: number;
  goal?: string;
  met?: boolean;
  digits?: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median wall time in ms of `runs` calls of fn (after one warm-up call when warmup is set). */
export async function timeMedian(runs: number, fn: () => unknown | Promise<unknown>, warmup = true): Promise<number> {
  if (warmup) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
}
