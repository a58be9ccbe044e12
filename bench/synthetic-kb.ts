/**
 * A synthetic knowledge base of any size for the diagnosis bench: records shaped like the real ones (a
 * title with an identifier, symptoms and a cause of ordinary prose drawn from the real records' words,
 * five signatures of the kinds real records use, context on every third), deterministic, so runs compare.
 * None of its signatures occurs in the bench's noise lines; each issue's first signature is planted once.
 */
import type { DiagnosableIssue } from '../src/lib/diagnose/engine';
import { tokenize } from '../src/lib/diagnose/tokens';

/** Synthetic signatures print nowhere; the field is required of real ones. */
const SOURCE = 'https://example.org/synthetic';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

export function syntheticIssues(count: number, real: readonly DiagnosableIssue[]): DiagnosableIssue[] {
  const words = [...new Set(real.flatMap((i) => tokenize([i.title, ...(i.symptoms ?? []), i.cause ?? ''].join(' '))))];
  const next = random(count);
  const prose = (n: number) => Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(' ');
  return Array.from({ length: count }, (_, i): DiagnosableIssue => ({
    id: `synthetic-${i}`,
    title: `Synthetic issue ${i}: ${prose(4)} with FI_SYN_${i}_LIMIT`,
    area: 'cxi',
    packages: ['libfabric'],
    status: 'open',
    symptoms: [`${prose(12)} \`syn_module_${i}_init\``, prose(15)],
    cause: `${prose(60)} \`libsyn${i}.so.${i % 7}\` ${prose(30)}`,
    workaround: `Set \`FI_SYN_${i}_LIMIT\`; ${prose(20)}`,
    signatures: [
      { text: `syn_module_${i}_init failed`, weight: 8, note: `The ${prose(5)} of module ${i}.`, source: SOURCE },
      { regex: `SYN${i}_ERR_[A-Z]+ \\(code \\d+\\)`, weight: 6, source: SOURCE },
      { text: `libsyn${i}.so.${i % 7}`, weight: 5, source: SOURCE },
      { regex: `synthetic component ${i}: (?:timeout|overflow) after \\d+ ms`, weight: 5, source: SOURCE },
      { text: 'Segmentation fault', weight: 1, source: SOURCE },
    ],
    ...(i % 3 === 0 ? { context: [{ regex: 'libfabric|cxi' }] } : {}),
  }));
}
