/**
 * The diagnosis as the command line prints it: text for a terminal, JSON for CI. Pure; `site` is the
 * public origin the permalinks go under (publicSiteUrl).
 *
 * Everything printed comes from untrusted input (the log, the records, the file name), so text output
 * is made terminal-safe: besides the C0 controls and ESC sequences the display text already lacks,
 * C1 controls (U+0080–U+009F: `\x9b` is a one-byte CSI to many terminals) and bidirectional overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069, which reorder what the reader sees) are removed. JSON keeps
 * every character but writes those as \u escapes, so the value is the same and a terminal shows no
 * raw control.
 */
import type { Confidence, Diagnosis, DiagnosisMatch } from './engine';

/** C0 and C1 controls except tab and newline, DEL, and the bidirectional formatting characters. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text that cannot move the cursor, change colours or reorder what a terminal shows. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, '');
}

/** How a confidence reads: a low match is only "possibly" the issue. */
export const CONFIDENCE_LABEL: Record<Confidence, string> = { high: 'matches', low: 'possibly' };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatMatch(m: DiagnosisMatch, rank: number, site: string): string {
  const rows = [
    `${rank}. ${m.confidence === 'low' ? 'possibly: ' : ''}${m.title}`,
    `   ${site}${m.url}`,
    `   id ${m.id} · confidence ${m.confidence} (${m.reason}) · status ${m.status} · packages ${m.packages.join(', ')} · score ${m.score}`,
    ...m.lines.map((l) => `   line ${l.n}: ${l.text}`),
  ];
  if (m.text && m.evidence.length) rows.push(`   shared words: ${m.text.terms.join(', ')}`);
  else if (m.text) rows.push(`   the log shares these words with the record: ${m.text.terms.join(', ')}`);
  if (m.context) rows.push(`   stack context, line ${m.context.n}: ${m.context.text}`);
  return rows.join('\n');
}

/** The text report; `source` names the log (a file name or "standard input"). */
export function formatText(diagnosis: Diagnosis, source: string, site: string): string {
  const { matches, lineCount, suggestion } = diagnosis;
  const parts: string[] = [];
  const high = matches.filter((m) => m.confidence === 'high');
  if (!high.length) {
    const what = `no known issue matches ${source} (${plural(lineCount, 'line')})`;
    parts.push(matches.length ? `${what} with high confidence; the closest records, possibly:` : `${what}.`);
  }
  parts.push(...matches.map((m, i) => formatMatch(m, i + 1, site)));
  if (!high.length && suggestion) {
    parts.push(`Search the site (${site}/, Ctrl+K) for its most distinctive line, line ${suggestion.n}:\n  ${suggestion.text}`);
  }
  return terminalSafe(parts.join(high.length ? '\n\n' : '\n'));
}

/** JSON that is the same value, with C1 and bidirectional characters written as \u escapes. */
function escapeUnsafe(json: string): string {
  return json.replace(/[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `{"matches":[{id,title,packages,status,confidence,reason,score,lines,url,context?,text?}],"suggestion"?}`;
 * the permalink is absolute.
 */
export function formatJson(diagnosis: Diagnosis, site: string): string {
  const matches = diagnosis.matches.map(({ id, title, packages, status, confidence, reason, score, lines, url, context, text }) => ({
    id,
    title,
    packages,
    status,
    confidence,
    reason,
    score,
    lines,
    url: `${site}${url}`,
    ...(context ? { context } : {}),
    ...(text ? { text: { score: text.score, terms: text.terms } } : {}),
  }));
  return escapeUnsafe(JSON.stringify({ matches, ...(diagnosis.suggestion ? { suggestion: diagnosis.suggestion } : {}) }));
}
