/**
 * `npm run eval`: how well the diagnosis generalizes, measured on the corpus (tests/fixtures/logs/).
 * Evidence is the verbatim logs only, per split (`dev` guides the work, `test` only measures), by area,
 * and leave-one-source-out (each log against records without the signatures taken from its own report).
 * Composed logs are unit fixtures, reported apart. Prints every miss of the dev split; test-split misses
 * are counted, not shown, so nobody tunes on them.
 */
import { loadKnowledgeBase } from '../src/lib/records/knowledge-base-fs';
import { areaOfOutcome, evaluate, evaluateLeaveOneSourceOut, percent, readCorpus, splitOf, tally, type Outcome } from '../tests/unit/diagnose-eval';

const issues = loadKnowledgeBase().issues.map((i) => i.record);
const logs = readCorpus();
const outcomes = evaluate(issues, logs);

function line(label: string, outcomes: readonly Outcome[]): string {
  const t = tally(outcomes);
  return (
    `${label.padEnd(26)} right first ${`${t.right}/${t.positives}`.padStart(7)} ${percent(t.right, t.positives).padStart(8)}` +
    ` (high ${percent(t.rightHigh, t.positives)})   look-alikes kept apart ${`${t.apart}/${t.lookalikes}`.padStart(7)} ${percent(t.apart, t.lookalikes).padStart(8)}` +
    ` (not even "possibly" ${percent(t.apartAll, t.lookalikes)})`
  );
}

const verbatim = outcomes.filter((o) => o.log.verbatim);
const composed = outcomes.filter((o) => !o.log.verbatim);
const missingSplit = logs.filter((l) => !l.split).length;
console.log(`corpus: ${logs.length} logs, ${verbatim.length} verbatim (evidence), ${composed.length} composed (unit fixtures); ${issues.length} issues`);
if (missingSplit) console.log(`warning: ${missingSplit} sidecars have no split: line; their split is computed from the report URL`);
console.log('\n## Verbatim logs, per split');
for (const split of ['dev', 'test'] as const)
  console.log(
    line(
      split,
      verbatim.filter((o) => splitOf(o) === split),
    ),
  );
console.log(line('all verbatim', verbatim));

console.log('\n## Verbatim logs, per area (look-alikes by the area of the issue they resemble)');
const areaOf = areaOfOutcome(issues);
for (const area of [...new Set(verbatim.map(areaOf))].sort()) {
  for (const split of ['dev', 'test'] as const) {
    const these = verbatim.filter((o) => areaOf(o) === area && splitOf(o) === split);
    if (these.length) console.log(line(`${area} (${split})`, these));
  }
}

console.log("\n## Leave one source out (verbatim positives; signatures from the log's own report removed)");
const loso = evaluateLeaveOneSourceOut(issues, logs);
for (const split of ['dev', 'test'] as const)
  console.log(
    line(
      split,
      loso.filter((o) => splitOf(o) === split),
    ),
  );

console.log('\n## Composed logs (unit fixtures, not evidence)');
console.log(line('composed', composed));

const misses = [...verbatim, ...loso.map((o) => ({ ...o, log: { ...o.log, name: `${o.log.name} (leave-one-source-out)` } }))].filter(
  (o) => splitOf(o) === 'dev' && (o.rightFirst === false || o.keptApart === false),
);
console.log(`\n## Dev misses (${misses.length}); test-split misses are not shown`);
for (const o of misses) console.log(`- ${o.log.name}: expected ${o.log.expected ?? `none of ${o.log.not.join(', ')} (high)`}; got ${o.matches}`);
