/**
 * The corpus in tests/fixtures/logs/: for every issue record, at least two logs must rank that
 * issue first; every look-alike in lookalikes/ must not match the issues its sidecar names with
 * `not:` lines. Every log has a `.source` sidecar that names where its text comes from with at
 * least one https URL, and says which of its lines are composed rather than quoted, on a line
 * `composed: all`, `composed: none` or `composed: lines 1-3, 7` (optionally followed by ` — note`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDiagnoser } from '../../src/lib/diagnose/engine';
import { loadKnowledgeBase } from '../../src/lib/knowledge-base-fs';

const CORPUS = 'tests/fixtures/logs';
const issues = loadKnowledgeBase().issues.map((i) => i.record);
const diagnoser = compileDiagnoser(issues);
const logsIn = (dir: string) => (existsSync(join(CORPUS, dir)) ? readdirSync(join(CORPUS, dir)).filter((f) => f.endsWith('.txt')) : []);
const read = (dir: string, file: string) => readFileSync(join(CORPUS, dir, file), 'utf8');

const tally = { positives: 0, right: 0, lookalikes: 0, clean: 0 };
afterAll(() => {
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  console.log(
    `corpus accuracy: right issue first for ${tally.right}/${tally.positives} logs (${pct(tally.right, tally.positives)}%); ` +
      `look-alikes kept apart ${tally.clean}/${tally.lookalikes} (${pct(tally.clean, tally.lookalikes)}%)`,
  );
});

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
  if (value === 'all' || value === 'none') return undefined;
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
    ['constructed: composed in the usual format\ncomposed: all\n', 'names no https URL'],
    ['from http://example.org/ only\ncomposed: all\n', 'names no https URL'],
    ['from https://example.org/\n', 'needs exactly one "composed:" line, has 0'],
    ['from https://example.org/\ncomposed: some\n', '"composed: some" is not all, none or "lines 1-3, 7"'],
    ['from https://example.org/\ncomposed: lines 2-4\n', '"composed: lines 2-4": 2-4 is not an ascending range of lines 1-3'],
    ['from https://example.org/\ncomposed: lines 2, 1\n', '"composed: lines 2, 1": 1 is not an ascending range of lines 1-3'],
  ])('refuses the sidecar %j', (text, problem) => {
    expect(sidecarProblem(text, 'a\nb\nc\n')).toBe(problem);
  });

  it('accepts a sidecar that names its composed lines', () => {
    expect(sidecarProblem('from https://example.org/\ncomposed: lines 1, 3 — the rest is quoted\n', 'a\nb\nc\n')).toBeUndefined();
  });
});

describe('corpus: the right issue first', () => {
  it('has at least two logs for every issue record', () => {
    for (const { id } of issues) expect(logsIn(id).length, id).toBeGreaterThanOrEqual(2);
  });

  it.each(issues.flatMap(({ id }) => logsIn(id).map((log) => [id, log] as const)))('%s/%s', (id, log) => {
    tally.positives++;
    const { matches } = diagnoser.diagnose(read(id, log));
    expect(matches[0]?.id, `matches: ${matches.map((m) => `${m.id}(${m.score})`).join(', ')}`).toBe(id);
    tally.right++;
  });
});

describe('corpus: specific evidence outranks repeated generic evidence', () => {
  it('ranks the curl teardown crash of rank 0 above the abort line the other ranks print', () => {
    // Each abort line matches three overlapping signatures of cray-mpich-ofi-poll-failed; counted
    // once per line, they weigh 8, below the crash's distinct lines (8 + 6 + 1).
    const { matches } = diagnoser.diagnose(read('cxi-libcurl-teardown-segfault', 'teardown-beside-poll-failed.txt'));
    expect(matches.map((m) => [m.id, m.score])).toEqual([
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

  it.each(lookalikes)('%s', (log) => {
    tally.lookalikes++;
    const nots = [...read('lookalikes', `${log}.source`).matchAll(/^not: (\S+)$/gm)].map((m) => m[1]!);
    const matched = diagnoser.diagnose(read('lookalikes', log)).matches.map((m) => m.id);
    expect(matched.filter((id) => nots.includes(id))).toEqual([]);
    tally.clean++;
  });
});
