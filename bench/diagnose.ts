/**
 * Diagnosing a pasted log: the engine (a literal prefilter, Aho-Corasick, over blocks of lines, then
 * single signatures on the blocks where their literal occurs; the log's words read once for the BM25
 * ranking) against the naive way
 * (every signature tested on every normalized line). Both run the same normalization and the real
 * issue records, over the same generated logs (build output, NCCL and MPI chatter, with one real
 * corpus log in the middle; and a log made only of near-misses, each signature's text minus its last
 * character, which keeps the signature set busy on every line), and the bench stops unless both find
 * the same lines. Then the same at scale: a synthetic knowledge base of 1,000 issues (5,000 signatures,
 * bench/synthetic-kb.ts), against the engine at the real size; and the size of the bundle the
 * /diagnose/ page's worker fetches, at both sizes. Goal: 1 MB in ≤ 50 ms in Node on the project's
 * 2-core machine, at 17 issues and at 1,000.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { timeMedian, type BenchResult } from './lib';
import { syntheticIssues } from './synthetic-kb';
import { compileDiagnoser, toDiagnosable, type DiagnosableIssue } from '../src/lib/diagnose/engine';
import { loadKnowledgeBase } from '../src/lib/records/knowledge-base-fs';
import { normalizeDisplayText, toDisplayText } from '../src/lib/diagnose/log-normalize';
import { compileSignature } from '../src/lib/diagnose/signature';

const SYNTHETIC_ISSUES = 1000;

const MiB = 1024 * 1024;
const NEEDLE = readFileSync('tests/fixtures/logs/cxi-libcurl-teardown-segfault/mpi-finalize-backtrace.txt', 'utf8');

/** Lines that look like a long job and build log; none of them is evidence of a known issue. */
function noiseLine(i: number): string {
  const pid = 40000 + (i % 997);
  switch (i % 8) {
    case 0:
      return `nid00${1000 + (i % 64)}:${pid}:${pid} [${i % 4}] NCCL INFO Channel ${String(i % 32).padStart(2, '0')}/0 : 0[0] -> 4[0] [send] via NET/AWS Libfabric/0/GDRDMA`;
    case 1:
      return `==> Installing py-package-${i % 300}-1.${i % 10}.0-abcdefghijklmnopqrstuvwxyz${String(100000 + (i % 99999))} [${i % 97}/97]`;
    case 2:
      return `  CC       src/module_${i % 500}.lo`;
    case 3:
      return `libfabric:${pid}:1737370000::cxi:core:cxip_ep_enable():${i % 900}<info> nid001234: EP enabled 0x0000ffff${(i * 7919).toString(16).padStart(8, '0')}`;
    case 4:
      return `${String(2 ** (i % 23)).padEnd(10)} ${(1000 + ((i * 37) % 20000)).toFixed(2).padStart(12)}`;
    case 5:
      return `[2025-01-20T12:${String(i % 60).padStart(2, '0')}:00.000] step ${i} loss ${(1 / (1 + i)).toFixed(6)} lr 3.0e-04`;
    case 6:
      return `checking for ${['gcc', 'cuda.h', 'fi_getinfo', 'pthread_create', 'dlopen'][i % 5]}... yes`;
    default:
      return `/users/jdoe/project/src/kernel_${i % 200}.cu(${i % 400}): warning #177-D: variable "tmp" was declared but never referenced`;
  }
}

/** Line i of a log of near-misses: a signature's text without its last character, padded. */
function nearMissLine(issues: DiagnosableIssue[]): (i: number) => string {
  const misses = issues.flatMap((issue) => issue.signatures.map((s) => (s.text ?? s.regex!).replace(/[\\^$()[\]?*+.|{}]/g, '').slice(0, -1)));
  return (i) => `${misses[i % misses.length]} ${i}`;
}

function makeLog(bytes: number, lineOf: (i: number) => string = noiseLine): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes - NEEDLE.length; i++) {
    const line = lineOf(i);
    lines.push(line);
    size += line.length + 1;
    if (lines.length === 5000) lines.push(NEEDLE.trimEnd());
  }
  return lines.join('\n');
}

/** The baseline: normalize, then test every signature on every line. */
function naive(issues: DiagnosableIssue[], text: string): Map<string, number[]> {
  const compiled = issues.flatMap((issue) => issue.signatures.map((s, index) => ({ key: `${issue.id}/${index}`, sig: compileSignature(s) })));
  const lines = normalizeDisplayText(toDisplayText(text)).split('\n');
  const hits = new Map<string, number[]>();
  lines.forEach((line, i) => {
    for (const { key, sig } of compiled) {
      if (!sig.test(line)) continue;
      const list = hits.get(key) ?? [];
      list.push(i + 1);
      hits.set(key, list);
    }
  });
  return hits;
}

/** The bundle /diagnose/bundle.json serves for these records (src/pages/diagnose/bundle.json.ts). */
function bundleOf(issues: readonly DiagnosableIssue[]): string {
  return JSON.stringify(issues.map(toDiagnosable));
}

async function atScale(real: DiagnosableIssue[]): Promise<BenchResult[]> {
  const synthetic = syntheticIssues(SYNTHETIC_ISSUES, real);
  const rows: BenchResult[] = [];
  const bundle = bundleOf(synthetic);
  const compileMs = await timeMedian(3, () => compileDiagnoser(JSON.parse(bundle)));
  const parseMs = await timeMedian(3, () => JSON.parse(bundle));
  const big = compileDiagnoser(synthetic);
  const small = compileDiagnoser(real);
  rows.push({
    name: `compile the bundle in the worker (${SYNTHETIC_ISSUES} synthetic issues, ${big.signatureCount} signatures: literal automaton, RE2 set, BM25 index)`,
    unit: 'ms',
    ours: compileMs,
    baselineName: 'parsing its JSON only',
    baseline: parseMs,
  });
  // Every planted issue must be found: one line of each issue's first signature in the middle of the log.
  const planted = synthetic.filter((_, i) => i % 100 === 7);
  const plantedLines = planted.map((issue) => `[nid001234:4242] ${issue.signatures[0]!.text} on libfabric cxi`);
  for (const [label, bytes, runs] of [
    ['1 MB', MiB, 9],
    ['10 MB', 10 * MiB, 3],
  ] as const) {
    const log = makeLog(bytes).replace(NEEDLE.trimEnd(), `${NEEDLE.trimEnd()}\n${plantedLines.join('\n')}`);
    const found = new Set(big.diagnose(log).matches.map((m) => m.id));
    for (const issue of planted) if (!found.has(issue.id)) throw new Error(`diagnose bench: planted ${issue.id} not found at ${SYNTHETIC_ISSUES} issues`);
    const oursMs = await timeMedian(runs, () => big.diagnose(log));
    const baselineMs = await timeMedian(runs, () => small.diagnose(log));
    rows.push({
      name: `diagnose a ${label} log (${SYNTHETIC_ISSUES} synthetic issues, ${big.signatureCount} signatures)`,
      unit: 'ms',
      ours: oursMs,
      baselineName: `the same engine with the ${real.length} real issues`,
      baseline: baselineMs,
      ...(label === '1 MB' ? { goal: '≤ 50 ms', met: oursMs <= 50 } : {}),
    });
  }
  const nearMiss = makeLog(MiB, nearMissLine(synthetic));
  rows.push({
    name: `diagnose a 1 MB near-miss log (${SYNTHETIC_ISSUES} synthetic issues)`,
    unit: 'ms',
    ours: await timeMedian(5, () => big.diagnose(nearMiss)),
    baselineName: `the same engine with the ${real.length} real issues`,
    baseline: await timeMedian(5, () => small.diagnose(nearMiss)),
  });
  for (const [label, issues] of [
    [`${real.length} real issues`, real],
    [`${SYNTHETIC_ISSUES} synthetic issues`, synthetic],
  ] as const) {
    const json = bundleOf(issues);
    rows.push({
      name: `/diagnose/bundle.json, gzip (${label})`,
      unit: 'KiB',
      ours: gzipSync(json).length / 1024,
      baselineName: 'uncompressed',
      baseline: Buffer.byteLength(json) / 1024,
    });
  }
  return rows;
}

export async function bench(): Promise<BenchResult[]> {
  const issues = loadKnowledgeBase().issues.map((i) => i.record);
  const diagnoser = compileDiagnoser(issues);
  const rows: BenchResult[] = [];
  const logs = [
    ['1 MB', MiB, 9, noiseLine],
    ['10 MB', 10 * MiB, 3, noiseLine],
    ['1 MB near-miss', MiB, 9, nearMissLine(issues)],
  ] as const;
  for (const [label, bytes, runs, lineOf] of logs) {
    const log = makeLog(bytes, lineOf);
    // Same answer first: for every issue the engine reports (generic-only evidence is not reported),
    // each counted signature on the same lines as the baseline (the engine keeps the first 20), and
    // each signature it leaves out only on lines that a counted one of the same issue also matched
    // (a line counts once per issue).
    const ours = new Map<string, number[]>();
    for (const m of diagnoser.diagnose(log).matches)
      for (const e of m.evidence)
        ours.set(
          `${m.id}/${e.index}`,
          e.lines.map((l) => l.n),
        );
    const reported = new Set([...ours.keys()].map((key) => key.split('/')[0]));
    const baseline = naive(issues, log);
    const counted = new Map<string, Set<number>>();
    for (const key of ours.keys()) {
      const issue = key.split('/')[0]!;
      counted.set(issue, new Set([...(counted.get(issue) ?? []), ...(baseline.get(key) ?? [])]));
    }
    for (const [key, lines] of baseline) {
      const issue = key.split('/')[0]!;
      if (!reported.has(issue)) continue;
      const first = lines.slice(0, 20);
      const agrees = ours.has(key) ? JSON.stringify(ours.get(key)) === JSON.stringify(first) : lines.every((n) => counted.get(issue)!.has(n));
      if (!agrees) throw new Error(`diagnose bench: engine and baseline disagree on ${key}: ${JSON.stringify(ours.get(key))} vs ${JSON.stringify(first)}`);
    }
    if (!ours.size) throw new Error('diagnose bench: the planted log was not found');
    const oursMs = await timeMedian(runs, () => diagnoser.diagnose(log));
    const baselineMs = await timeMedian(label === '1 MB' ? 3 : 1, () => naive(issues, log), false);
    rows.push({
      name: `diagnose a ${label} log (${issues.length} issues, ${diagnoser.signatureCount} signatures)`,
      unit: 'ms',
      ours: oursMs,
      baselineName: 'every signature on every line',
      baseline: baselineMs,
      ...(label === '1 MB' ? { goal: '≤ 50 ms', met: oursMs <= 50 } : {}),
    });
  }
  return [...rows, ...(await atScale(issues))];
}
