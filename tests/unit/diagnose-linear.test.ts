/**
 * Adversarial inputs finish in linear time. Asserted on scaling, not on a wall-clock limit, two ways:
 * - operation counts, which are exact: doubling the input doubles the characters the signature
 *   set scans and the single-signature line tests (within 5%), and never exceeds one scan per
 *   character, one test per line and signature or context line, and two tokens per character;
 * - CPU time: the time for 2× the input is 1.4–3× the time for the input (linear gives 2×,
 *   quadratic 4×). Each ratio is the median of ROUNDS pairs of runs, the two sizes measured back
 *   to back so that load from other processes on this 2-core machine hits both; a median outside
 *   the band is measured once more with twice the rounds before the test fails, since one burst
 *   of load can skew even a median of five, while a quadratic cost shows in every round.
 * CPU time of this process (process.cpuUsage) after a forced garbage collection is used, so work
 * elsewhere on the machine and garbage left by the previous run matter less. Inputs are 5 and
 * 10 MiB where possible, both larger than the CPU caches, whose edge (about 2 MiB here) would
 * otherwise add a one-off step to the ratio that says nothing about the algorithm.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileDiagnoser, MAX_LOG_BYTES, type DiagnosableIssue, type Diagnoser } from '../../src/lib/diagnose/engine';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';

const ROUNDS = 5;
const MIN_RATIO = 1.4;
const MAX_RATIO = 3;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function cpuMs(fn: () => unknown): number {
  collectGarbage();
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median over `rounds` of time(large) / time(small), each pair measured back to back. */
function timeRatio(d: Diagnoser, small: string, large: string, rounds: number): number {
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const s = cpuMs(() => d.diagnose(small));
    const l = cpuMs(() => d.diagnose(large));
    ratios.push(l / Math.max(s, 0.1));
  }
  return median(ratios);
}

const issues: DiagnosableIssue[] = loadKnowledgeBase().issues.map((i) => i.record);
const diagnoser = compileDiagnoser(issues);

/** Asserts that diagnosing make(2n) costs about twice diagnosing make(n), in operations and time. */
function expectLinear(make: (n: number) => string, n: number, d = diagnoser): void {
  const small = make(n);
  const large = make(2 * n);
  const label = `${JSON.stringify(small.slice(0, 24))}… ${n} → ${2 * n}`;
  d.diagnose(small); // warm up; it also leaves the small input's counts in d.stats
  const { scannedChars: smallChars, lineTests: smallTests } = d.stats;
  const { lineCount } = d.diagnose(large);
  const { scannedChars, lineTests } = d.stats;
  expect(scannedChars, label).toBeLessThanOrEqual(large.length);
  expect(lineTests, label).toBeLessThanOrEqual(lineCount * d.matcherCount);
  // The text ranking reads at most two tokens per character (a compound token and its parts start at the same place).
  expect(d.stats.tokens, label).toBeLessThanOrEqual(2 * large.length);
  // Twice the work within 5%; both are 0 when nothing is left to scan (10 MiB of ESC is all
  // terminal escape, removed before matching) or no signature is near.
  expect(Math.abs(scannedChars - 2 * smallChars), `${label}: scanned characters ${smallChars} → ${scannedChars}`).toBeLessThanOrEqual(0.1 * smallChars);
  expect(Math.abs(lineTests - 2 * smallTests), `${label}: line tests ${smallTests} → ${lineTests}`).toBeLessThanOrEqual(0.1 * smallTests);

  let ratio = timeRatio(d, small, large, ROUNDS);
  if (ratio < MIN_RATIO || ratio > MAX_RATIO) ratio = timeRatio(d, small, large, 2 * ROUNDS);
  console.log(`  ${label}: time ×${ratio.toFixed(2)}, scanned ${smallChars} → ${scannedChars}, line tests ${smallTests} → ${lineTests}`);
  expect(ratio, `${label}: time ratio`).toBeGreaterThanOrEqual(MIN_RATIO);
  expect(ratio, `${label}: time ratio`).toBeLessThanOrEqual(MAX_RATIO);
}

describe('linear time on adversarial input', () => {
  it.each(['a', ' ', '\n', '0', '\x1b', '[', '/', '#', '-', ':'])('10 MiB of one repeated character %j', (ch) => {
    expectLinear((n) => ch.repeat(n), MAX_LOG_BYTES / 2);
  });

  it('100 000 lines of near-misses of every signature', () => {
    const nearMisses = issues.flatMap((i) => i.signatures.map((s) => (s.text ?? s.regex!).replace(/[\\^$()[\]?*+.|{}]/g, '').slice(0, -1)));
    // About 100 characters a line: 50 000 lines are 5 MiB, 100 000 lines 10 MiB.
    const make = (lines: number) => Array.from({ length: lines }, (_, i) => `${nearMisses[i % nearMisses.length]} ${i} `.padEnd(100, '~')).join('\n');
    expectLinear(make, 50_000);
  });

  it('pathological nesting in the input', () => {
    const pairs = MAX_LOG_BYTES / 8; // 4 characters per pair: 5 MiB, then 10 MiB
    expectLinear((n) => `${'(['.repeat(n)}${'])'.repeat(n)}`, pairs);
    expectLinear((n) => `${'\x1b['.repeat(n)}${'0;'.repeat(n)}`, pairs);
  });

  it('a signature with nested quantifiers (exponential in a backtracking engine) stays linear', () => {
    const redos = compileDiagnoser([
      {
        id: 'redos',
        title: 'ReDoS',
        packages: ['x'],
        status: 'open',
        signatures: [
          { regex: '^(a+)+b', weight: 9, source: 'https://example.org/redos' },
          { regex: '(x|x?)*y', weight: 9, source: 'https://example.org/redos' },
        ],
      },
    ]);
    expectLinear((n) => 'a'.repeat(n), 2_000_000, redos);
    expectLinear((n) => 'x'.repeat(n), 2_000_000, redos);
  });
});
