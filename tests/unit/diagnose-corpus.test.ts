/**
 * The corpus in tests/fixtures/logs/: for every issue record, at least two logs (each with a
 * `.source` sidecar naming where its text comes from) must rank that issue first; every look-alike
 * in lookalikes/ must not match the issues its sidecar names with `not:` lines.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDiagnoser } from '../../src/lib/diagnose';
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

describe('corpus: the right issue first', () => {
  it('has at least two sourced logs for every issue record', () => {
    for (const { id } of issues) {
      const logs = logsIn(id);
      expect(logs.length, id).toBeGreaterThanOrEqual(2);
      for (const log of logs) expect(read(id, `${log}.source`).trim(), `${id}/${log}.source`).toMatch(/https?:\/\/|^constructed/);
    }
  });

  it.each(issues.flatMap(({ id }) => logsIn(id).map((log) => [id, log] as const)))('%s/%s', (id, log) => {
    tally.positives++;
    const { matches } = diagnoser.diagnose(read(id, log));
    expect(matches[0]?.id, `matches: ${matches.map((m) => `${m.id}(${m.score})`).join(', ')}`).toBe(id);
    tally.right++;
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
