/**
 * Adversarial inputs finish in linear time. Asserted on scaling, not on a wall-clock limit: the
 * CPU time for 4× the input must stay under 10× (linear gives about 4×, quadratic 16×; V8 string
 * and GC costs grow a little faster than linearly on the largest inputs, hence the margin).
 * CPU time of this process (process.cpuUsage) is used, so other work on the machine matters less.
 * Most inputs are measured at 2.5 and 10 MiB, both larger than the CPU caches.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { compileDiagnoser, MAX_LOG_BYTES, type DiagnosableIssue } from '../../src/lib/diagnose';
import { loadKnowledgeBase } from '../../src/lib/knowledge-base-fs';

const MAX_RATIO = 10;

// Each timed run starts from a collected heap, so garbage left by the previous run is not billed to it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function cpuMs(fn: () => unknown): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    collectGarbage();
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const issues: DiagnosableIssue[] = loadKnowledgeBase().issues.map((i) => i.record);
const diagnoser = compileDiagnoser(issues);

/** Ratio of the time for make(4n) to the time for make(n). */
function scaling(make: (n: number) => string, n: number, d = diagnoser): number {
  const small = make(n);
  const large = make(4 * n);
  d.diagnose(small); // warm up
  const ratio = cpuMs(() => d.diagnose(large)) / Math.max(cpuMs(() => d.diagnose(small)), 1);
  // Operation counts: the set scans each character at most once, and each signature tests a line
  // at most once.
  const { lineCount } = d.diagnose(large);
  expect(d.stats.scannedChars).toBeLessThanOrEqual(large.length);
  expect(d.stats.lineTests).toBeLessThanOrEqual(lineCount * d.signatureCount);
  console.log(`  ${JSON.stringify(small.slice(0, 24))}… ${n} → ${4 * n}: ×${ratio.toFixed(2)}`);
  return ratio;
}

describe('linear time on adversarial input', () => {
  it.each(['a', ' ', '\n', '0', '\x1b', '[', '/', '#', '-', ':'])('10 MiB of one repeated character %j', (ch) => {
    expect(scaling((n) => ch.repeat(n), MAX_LOG_BYTES / 4)).toBeLessThan(MAX_RATIO);
  });

  it('100 000 lines of near-misses of every signature', () => {
    const nearMisses = issues.flatMap((i) =>
      i.signatures.map((s) => (s.text ?? s.regex!).replace(/[\\^$()[\]?*+.|{}]/g, '').slice(0, -1)),
    );
    // About 100 characters a line: 25 000 lines are 2.5 MiB, 100 000 lines 10 MiB.
    const make = (lines: number) => Array.from({ length: lines }, (_, i) => `${nearMisses[i % nearMisses.length]} ${i} `.padEnd(100, '~')).join('\n');
    expect(scaling(make, 25_000)).toBeLessThan(MAX_RATIO);
  });

  // Sizes 2.5 → 10 MiB: both beyond the CPU caches, whose edge (about 2 MiB here) would otherwise
  // add a one-off step to the ratio that says nothing about the algorithm.
  it('pathological nesting in the input', () => {
    const pairs = MAX_LOG_BYTES / 16; // 4 characters per pair: 2.5 MiB, then 10 MiB
    expect(scaling((n) => `${'(['.repeat(n)}${'])'.repeat(n)}`, pairs)).toBeLessThan(MAX_RATIO);
    expect(scaling((n) => `${'\x1b['.repeat(n)}${'0;'.repeat(n)}`, pairs)).toBeLessThan(MAX_RATIO);
  });

  it('a signature with nested quantifiers (exponential in a backtracking engine) stays linear', () => {
    const redos = compileDiagnoser([{ id: 'redos', title: 'ReDoS', packages: ['x'], status: 'open', signatures: [{ regex: '^(a+)+b', weight: 9 }, { regex: '(x|x?)*y', weight: 9 }] }]);
    expect(scaling((n) => 'a'.repeat(n), 1_000_000, redos)).toBeLessThan(MAX_RATIO);
    expect(scaling((n) => 'x'.repeat(n), 1_000_000, redos)).toBeLessThan(MAX_RATIO);
  });
});
