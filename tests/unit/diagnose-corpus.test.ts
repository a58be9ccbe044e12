/**
 * The corpus in tests/fixtures/logs/. Every log has a `.source` sidecar that names where its text comes
 * from with at least one https URL, says which of its lines are composed rather than quoted, on a line
 * `composed: all`, `composed: none` or `composed: lines 1-3, 7` (optionally followed by ` — note`), and
 * its split, `split: dev|test`: a verbatim log's is fixed by its report's URL (corpusSplit), a composed
 * log's is dev. Accuracy floors hold per split on the verbatim logs (the evidence); composed logs are
 * unit fixtures: each must still rank its issue first, and no look-alike may match the issues its `not:`
 * lines name with high confidence. `npm run eval` prints the figures.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDiagnoser } from '../../src/lib/diagnose/engine';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import { corpusSplit, reportOf } from './corpus-split';
import {
  areaOfOutcome,
  CORPUS,
  evaluate,
  evaluateLeaveOneSourceOut,
  expectedSplit,
  logsIn,
  percent,
  readCorpus,
  reportUrlOf,
  splitOf,
  tally,
  type Split,
} from './diagnose-eval';

const issues = loadKnowledgeBase().issues.map((i) => i.record);
const diagnoser = compileDiagnoser(issues);
const read = (dir: string, file: string) => readFileSync(join(CORPUS, dir, file), 'utf8');
const corpus = readCorpus();

/**
 * Floors on the verbatim logs of each split: the share of positives whose first match is the right
 * issue, and of look-alikes kept apart (no `not:` issue with high confidence). The test split's are
 * what issue 12 asks for when the measured figure reaches it, else the honest figure measured (see
 * `npm run eval`); raising them is the goal, lowering them needs a reason in the commit.
 */
const FLOORS: Record<Split, { rightFirst: number; keptApart: number }> = {
  dev: { rightFirst: 0.9, keptApart: 0.95 },
  test: { rightFirst: 0.9, keptApart: 0.95 },
};
/** Floor on leave-one-source-out right-first, per split: each log against records without the signatures of its own report. */
const LOSO_FLOOR = 0.9;
let losoOutcomes: ReturnType<typeof evaluateLeaveOneSourceOut> | undefined;
const leaveOneSourceOut = () => (losoOutcomes ??= evaluateLeaveOneSourceOut(issues, corpus));
/** Below this many verbatim logs a split's share says little; the floor is checked from this many on. */
const MIN_LOGS_FOR_FLOOR = 5;

/**
 * The reason a sidecar (undefined when missing) does not say where its log comes from and which
 * lines are composed, or undefined when it does.
 */
function sidecarProblem(sidecar: string | undefined, log: string): string | undefined {
  if (sidecar === undefined) return 'has no .source sidecar';
  if (!/https:\/\/\S+/.test(sidecar)) return 'names no https URL';
  const composed = [...sidecar.matchAll(/^composed: (.*)$/gm)].map((m) => m[1]!);
  if (composed.length !== 1) return `needs exactly one "composed:" line, has ${composed.length}`;
  const value = composed[0]!.split(' — ')[0]!;
  const splits = [...sidecar.matchAll(/^split: (.*)$/gm)].map((m) => m[1]!.trim());
  if (splits.length !== 1) return `needs exactly one "split:" line, has ${splits.length}`;
  const verbatim = value === 'none';
  const reportUrl = reportUrlOf(sidecar);
  const want = expectedSplit({ verbatim, reportUrl });
  // A verbatim log of a test report may be demoted to dev (logs the signatures were tuned on before the
  // split existed); nothing is ever promoted to test. The corpus test below keeps each report in one split.
  if (splits[0] !== want && !(verbatim && splits[0] === 'dev')) {
    return verbatim
      ? `"split: ${splits[0]}" but its report ${reportUrl} is in the ${want} split (npx tsx scripts/corpus-split.ts URL)`
      : `"split: ${splits[0]}" but a composed log is always split: dev`;
  }
  if (value === 'all' || verbatim) return undefined;
  const ranges = /^lines? (\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*)$/.exec(value);
  if (!ranges) return `"composed: ${value}" is not all, none or "lines 1-3, 7"`;
  const lineCount = log.replace(/\n$/, '').split('\n').length;
  let last = 0;
  for (const range of ranges[1]!.split(', ')) {
    const [from, to = from] = range.split('-').map(Number) as [number, number?];
    if (from <= last || to < from || to > lineCount) return `"composed: ${value}": ${range} is not an ascending range of lines 1-${lineCount}`;
    last = to;
  }
  return undefined;
}

describe('corpus: every log says where it comes from', () => {
  const all = readdirSync(CORPUS).flatMap((dir) => logsIn(dir).map((log) => [dir, log] as const));
  const sidecar = (dir: string, log: string) => (existsSync(join(CORPUS, dir, `${log}.source`)) ? read(dir, `${log}.source`) : undefined);

  it.each(all)('%s/%s names a URL and its composed lines', (dir, log) => {
    expect(sidecarProblem(sidecar(dir, log), read(dir, log))).toBeUndefined();
  });

  it.each([
    [undefined, 'has no .source sidecar'],
    ['constructed: composed in the usual format\ncomposed: all\nsplit: dev\n', 'names no https URL'],
    ['from http://example.org/ only\ncomposed: all\nsplit: dev\n', 'names no https URL'],
    ['from https://example.org/\nsplit: dev\n', 'needs exactly one "composed:" line, has 0'],
    ['from https://example.org/\ncomposed: some\nsplit: dev\n', '"composed: some" is not all, none or "lines 1-3, 7"'],
    ['from https://example.org/\ncomposed: lines 2-4\nsplit: dev\n', '"composed: lines 2-4": 2-4 is not an ascending range of lines 1-3'],
    ['from https://example.org/\ncomposed: lines 2, 1\nsplit: dev\n', '"composed: lines 2, 1": 1 is not an ascending range of lines 1-3'],
    ['from https://example.org/\ncomposed: all\n', 'needs exactly one "split:" line, has 0'],
    ['constructed from https://example.org/a\ncomposed: all\nsplit: test\n', '"split: test" but a composed log is always split: dev'],
  ])('refuses the sidecar %j', (text, problem) => {
    expect(sidecarProblem(text, 'a\nb\nc\n')).toBe(problem);
  });

  it('keeps every report in one split', () => {
    const splitsOf = new Map<string, Set<string>>();
    for (const log of corpus.filter((l) => l.verbatim && l.reportUrl && l.split)) {
      const report = reportOf(log.reportUrl!);
      splitsOf.set(report, new Set([...(splitsOf.get(report) ?? []), log.split!]));
    }
    expect([...splitsOf].filter(([, splits]) => splits.size > 1).map(([report]) => report)).toEqual([]);
  });

  it('accepts a sidecar that names its composed lines', () => {
    expect(sidecarProblem('from https://example.org/\ncomposed: lines 1, 3 — the rest is quoted\nsplit: dev\n', 'a\nb\nc\n')).toBeUndefined();
  });

  it('accepts a verbatim log of a test report demoted to dev, never one of a dev report promoted to test', () => {
    const url = ['https://github.com/o/r/issues/1', 'https://github.com/o/r/issues/2', 'https://github.com/o/r/issues/3', 'https://github.com/o/r/issues/4'];
    const test = url.find((u) => corpusSplit(u) === 'test')!;
    const dev = url.find((u) => corpusSplit(u) === 'dev')!;
    expect(sidecarProblem(`verbatim from ${test}\ncomposed: none\nsplit: dev\n`, 'a\n')).toBeUndefined();
    expect(sidecarProblem(`verbatim from ${dev}\ncomposed: none\nsplit: test\n`, 'a\n')).toMatch(/is in the dev split/);
  });

  it("accepts a verbatim log whose split is its report's, whatever the comment", () => {
    const split = corpusSplit('https://github.com/o/r/issues/1');
    const sidecar = `context line\nverbatim from https://github.com/o/r/issues/1#issuecomment-99 (what it is)\ncomposed: none\nsplit: ${split}\n`;
    expect(sidecarProblem(sidecar, 'a\n')).toBeUndefined();
  });
});

describe('corpus: the right issue first', () => {
  it('has a log for every issue record, and a verbatim public one for at least 80 % of them', () => {
    for (const { id } of issues) expect(logsIn(id).length, id).toBeGreaterThanOrEqual(1);
    const withVerbatim = issues.filter(({ id }) => corpus.some((l) => l.expected === id && l.verbatim)).length;
    expect(withVerbatim / issues.length).toBeGreaterThanOrEqual(0.8);
  });

  // Composed logs are unit fixtures written around the records: each must find its issue first.
  it.each(corpus.filter((l) => l.expected && !l.verbatim).map((l) => [l.name, l] as const))('composed %s', (_, log) => {
    const { matches } = diagnoser.diagnose(log.text);
    expect(matches[0]?.id, `matches: ${matches.map((m) => `${m.id}(${m.confidence} ${m.score})`).join(', ')}`).toBe(log.expected);
  });
});

describe('corpus: accuracy on verbatim logs, per split', () => {
  const outcomes = evaluate(
    issues,
    corpus.filter((l) => l.verbatim),
  );
  afterAll(() => {
    const areaOf = areaOfOutcome(issues);
    const report = (label: string, these: typeof outcomes) => {
      const t = tally(these);
      console.log(
        `corpus ${label}: right first ${t.right}/${t.positives} (${percent(t.right, t.positives)}); look-alikes kept apart ${t.apart}/${t.lookalikes} (${percent(t.apart, t.lookalikes)})`,
      );
    };
    for (const split of ['dev', 'test'] as const)
      report(
        split,
        outcomes.filter((o) => splitOf(o) === split),
      );
    for (const area of [...new Set(outcomes.map(areaOf))].sort())
      report(
        `area ${area}`,
        outcomes.filter((o) => areaOf(o) === area),
      );
  });

  it.each(['dev', 'test'] as const)('%s split: right first and look-alikes kept apart at or above the floors', (split) => {
    const these = outcomes.filter((o) => splitOf(o) === split);
    const t = tally(these);
    // Names only dev misses: test-split logs measure, they are not for tuning.
    const misses = split === 'dev' ? these.filter((o) => o.rightFirst === false || o.keptApart === false).map((o) => `${o.log.name}: ${o.matches}`) : [];
    if (t.positives >= MIN_LOGS_FOR_FLOOR)
      expect(t.right / t.positives, `right first ${t.right}/${t.positives}\n${misses.join('\n')}`).toBeGreaterThanOrEqual(FLOORS[split].rightFirst);
    if (t.lookalikes >= MIN_LOGS_FOR_FLOOR)
      expect(t.apart / t.lookalikes, `kept apart ${t.apart}/${t.lookalikes}\n${misses.join('\n')}`).toBeGreaterThanOrEqual(FLOORS[split].keptApart);
  });

  it.each(['dev', 'test'] as const)("%s split: right first with the signatures of the log's own report left out, at or above the floor", (split) => {
    const t = tally(leaveOneSourceOut().filter((o) => splitOf(o) === split));
    if (t.positives >= MIN_LOGS_FOR_FLOOR) expect(t.right / t.positives, `right first ${t.right}/${t.positives}`).toBeGreaterThanOrEqual(LOSO_FLOOR);
  });
});

describe('corpus: specific evidence outranks repeated generic evidence', () => {
  it('ranks the curl teardown crash of rank 0 above the abort line the other ranks print', () => {
    // Each abort line matches three overlapping signatures of cray-mpich-ofi-poll-failed; counted
    // once per line, they weigh 8, below the crash's distinct lines (8 + 6 + 1).
    const { matches } = diagnoser.diagnose(read('cxi-libcurl-teardown-segfault', 'teardown-beside-poll-failed.txt'));
    expect(matches.filter((m) => m.confidence === 'high').map((m) => [m.id, m.score])).toEqual([
      ['cxi-libcurl-teardown-segfault', 15],
      ['cray-mpich-ofi-poll-failed', 8],
    ]);
  });
});

describe('corpus: look-alikes do not match the issue they resemble', () => {
  const lookalikes = logsIn('lookalikes');

  it('has at least ten look-alikes, each naming the issues it must not match', () => {
    expect(lookalikes.length).toBeGreaterThanOrEqual(10);
    const ids = new Set(issues.map((i) => i.id));
    for (const log of lookalikes) {
      const nots = [...read('lookalikes', `${log}.source`).matchAll(/^not: (\S+)$/gm)].map((m) => m[1]!);
      expect(nots.length, log).toBeGreaterThan(0);
      for (const id of nots) expect(ids.has(id), `${log}: unknown issue ${id}`).toBe(true);
    }
  });

  // Composed look-alikes are unit fixtures; verbatim ones count toward the floors above.
  it.each(corpus.filter((l) => !l.expected && !l.verbatim).map((l) => [l.name, l] as const))(
    'composed %s: no high-confidence match of its not: issues',
    (_, log) => {
      const matched = diagnoser
        .diagnose(log.text)
        .matches.filter((m) => m.confidence === 'high')
        .map((m) => m.id);
      expect(matched.filter((id) => log.not.includes(id))).toEqual([]);
    },
  );
});
