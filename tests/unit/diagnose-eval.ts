/**
 * The corpus of tests/fixtures/logs/ and how the diagnosis is scored on it; one definition shared by the
 * corpus test (floors) and `npm run eval` (the figures). Evidence of accuracy is the verbatim logs only
 * (`composed: none`), per split: `dev` logs may guide the engine and the records, `test` logs only measure.
 * Composed logs are unit fixtures, scored apart.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDiagnoser, type DiagnosableIssue, type Diagnosis } from '../../src/lib/diagnose/engine';
import { corpusSplit, reportOf } from './corpus-split';

export const CORPUS = 'tests/fixtures/logs';
export const LOOKALIKES = 'lookalikes';

export type Split = 'dev' | 'test';

export interface CorpusLog {
  /** `<dir>/<file>`, e.g. `cxi-cq-exhaustion/overflow.txt`. */
  name: string;
  text: string;
  /** The issue this log must rank first; undefined for a look-alike. */
  expected?: string;
  /** Issues a look-alike must not match with high confidence. */
  not: string[];
  sidecar?: string;
  /** True when the sidecar says `composed: none`: the only logs that are evidence of accuracy. */
  verbatim: boolean;
  /** The sidecar's `split:` line, when it has one. */
  split?: Split;
  /** The report the log comes from: the URL after "verbatim from", else the sidecar's first https URL. */
  reportUrl?: string;
}

export const logsIn = (dir: string) =>
  existsSync(join(CORPUS, dir))
    ? readdirSync(join(CORPUS, dir))
        .filter((f) => f.endsWith('.txt'))
        .sort()
    : [];

/** The report a sidecar names: the URL after "verbatim from", else its first https URL. */
export function reportUrlOf(sidecar: string): string | undefined {
  const at = sidecar.indexOf('verbatim from');
  const url = /https:\/\/\S+/.exec(at === -1 ? sidecar : sidecar.slice(at))?.[0];
  return url?.replace(/[.,;:)]+$/, '');
}

/** The split a sidecar must say: its report's for a verbatim log, `dev` for a composed one. */
export function expectedSplit(log: Pick<CorpusLog, 'verbatim' | 'reportUrl'>): Split {
  return log.verbatim && log.reportUrl ? corpusSplit(log.reportUrl) : 'dev';
}

export function readCorpus(): CorpusLog[] {
  return readdirSync(CORPUS)
    .sort()
    .flatMap((dir) =>
      logsIn(dir).map((file): CorpusLog => {
        const path = join(CORPUS, dir, file);
        const sidecar = existsSync(`${path}.source`) ? readFileSync(`${path}.source`, 'utf8') : undefined;
        const split = sidecar && /^split: (dev|test)\s*$/m.exec(sidecar)?.[1];
        const reportUrl = sidecar && reportUrlOf(sidecar);
        return {
          name: `${dir}/${file}`,
          text: readFileSync(path, 'utf8'),
          ...(dir === LOOKALIKES ? {} : { expected: dir }),
          not: sidecar ? [...sidecar.matchAll(/^not: (\S+)\s*$/gm)].map((m) => m[1]!) : [],
          ...(sidecar ? { sidecar } : {}),
          verbatim: !!sidecar && /^composed: none\b/m.test(sidecar),
          ...(split ? { split: split as Split } : {}),
          ...(reportUrl ? { reportUrl } : {}),
        };
      }),
    );
}

/** What the engine did with one log. */
export interface Outcome {
  log: CorpusLog;
  /** Positives: the first match is the right issue (at any confidence; high ones always come first). */
  rightFirst?: boolean;
  /** Positives: ... and with high confidence. */
  rightFirstHigh?: boolean;
  /** Look-alikes: none of its `not:` issues matched with high confidence. */
  keptApart?: boolean;
  /** Look-alikes: none of its `not:` issues matched at all, not even as "possibly". */
  keptApartAll?: boolean;
  matches: string;
}

export function score(log: CorpusLog, diagnosis: Diagnosis): Outcome {
  const { matches } = diagnosis;
  const shown = matches.map((m) => `${m.id}(${m.confidence}${m.score ? ` ${m.score}` : ''})`).join(', ') || 'none';
  if (log.expected) {
    return {
      log,
      rightFirst: matches[0]?.id === log.expected,
      rightFirstHigh: matches[0]?.id === log.expected && matches[0].confidence === 'high',
      matches: shown,
    };
  }
  const bad = matches.filter((m) => log.not.includes(m.id));
  return { log, keptApart: !bad.some((m) => m.confidence === 'high'), keptApartAll: bad.length === 0, matches: shown };
}

export function evaluate(issues: readonly DiagnosableIssue[], logs: readonly CorpusLog[]): Outcome[] {
  const diagnoser = compileDiagnoser(issues);
  return logs.map((log) => score(log, diagnoser.diagnose(log.text)));
}

/**
 * Leave one source out: each verbatim positive log is diagnosed against records without the
 * signatures whose `source` is that log's own report, so a signature copied from the very log it
 * is tested on cannot make the result. Records left with no signature keep their words.
 */
export function evaluateLeaveOneSourceOut(issues: readonly DiagnosableIssue[], logs: readonly CorpusLog[]): Outcome[] {
  const all = compileDiagnoser(issues);
  const byReport = new Map<string, ReturnType<typeof compileDiagnoser>>();
  return logs
    .filter((log) => log.expected && log.verbatim && log.reportUrl)
    .map((log) => {
      const report = reportOf(log.reportUrl!);
      const fromReport = (s: { source?: string }) => !!s.source && sameReport(s.source, report);
      if (!issues.some((issue) => issue.signatures.some(fromReport))) return score(log, all.diagnose(log.text));
      if (!byReport.has(report))
        byReport.set(report, compileDiagnoser(issues.map((issue) => ({ ...issue, signatures: issue.signatures.filter((s) => !fromReport(s)) }))));
      return score(log, byReport.get(report)!.diagnose(log.text));
    });
}

function sameReport(url: string, report: string): boolean {
  try {
    return reportOf(url) === report;
  } catch {
    return false;
  }
}

export interface Tally {
  positives: number;
  right: number;
  rightHigh: number;
  lookalikes: number;
  apart: number;
  apartAll: number;
}

export function tally(outcomes: readonly Outcome[]): Tally {
  const t: Tally = { positives: 0, right: 0, rightHigh: 0, lookalikes: 0, apart: 0, apartAll: 0 };
  for (const o of outcomes) {
    if (o.rightFirst !== undefined) {
      t.positives++;
      if (o.rightFirst) t.right++;
      if (o.rightFirstHigh) t.rightHigh++;
    } else {
      t.lookalikes++;
      if (o.keptApart) t.apart++;
      if (o.keptApartAll) t.apartAll++;
    }
  }
  return t;
}

/**
 * The area an outcome counts under: its issue's, or for a look-alike the area of the first issue it must not match
 * (the one it resembles).
 */
export function areaOfOutcome(issues: readonly { id: string; area: string }[]): (o: Outcome) => string {
  const areaOf = new Map(issues.map((i) => [i.id, i.area]));
  return (o) => areaOf.get(o.log.expected ?? o.log.not[0] ?? '') ?? '?';
}

/** The split an outcome's log counts in. */
export const splitOf = (o: Outcome): Split => o.log.split ?? expectedSplit(o.log);

export const percent = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');
