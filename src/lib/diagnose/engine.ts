/**
 * The diagnosis engine: finds the known issues whose signatures appear in a pasted log and ranks
 * them. Pure (no DOM, no node:*), so the /diagnose/ page's worker and `uenv-kb diagnose` share it.
 *
 * Linear time by construction: normalization is linear (see log-normalize.ts), and every
 * signature is an RE2 pattern (re2js: automata, no backtracking). All signatures are compiled into
 * one RE2 set that scans the log in blocks of lines; only the lines of a block in which the set found
 * a signature are then tested against that signature alone. Each character is thus scanned once by
 * the set and at most once per signature — never more, whatever the input.
 */
import { RE2Set } from 're2js';
import type { Signature } from '../../schemas/issue';
import { normalizeDisplayText, stripLinePrefixes, toDisplayText } from './log-normalize';
import { compileSignature, signaturePattern, type CompiledSignature } from './signature';
import { issueUrl } from '../site';

/** Largest log accepted, in bytes of UTF-8 (or characters of an already decoded string). */
export const MAX_LOG_BYTES = 10 * 1024 * 1024;
/**
 * Evidence of at least this weight is specific: it alone can report an issue. Lighter (generic)
 * evidence, such as a bare "Segmentation fault", only adds to the score of an issue that specific
 * evidence already points to.
 */
export const SPECIFIC_WEIGHT = 5;
/** Lines are scanned by the signature set in blocks of about this many characters. */
const BLOCK_CHARS = 16 * 1024;
/** Matched lines shown per issue, and characters shown per line. */
const MAX_LINES_PER_MATCH = 20;
const MAX_LINE_CHARS = 400;

export interface DiagnosableIssue {
  id: string;
  title: string;
  packages: string[];
  status: string;
  signatures: Signature[];
}

/** Only what matching needs, so the page ships the signatures and not whole records. */
export function toDiagnosable({ id, title, packages, status, signatures }: DiagnosableIssue): DiagnosableIssue {
  return { id, title, packages, status, signatures };
}

export interface MatchedLine {
  /** 1-based line number in the input. */
  n: number;
  /** The line as pasted (terminal escapes removed), cut to 400 characters. */
  text: string;
}

/** A signature that counts toward a match's score. */
export interface Evidence {
  /** Index of the signature in the issue record's `signatures`. */
  index: number;
  signature: Signature;
  lines: MatchedLine[];
}

export interface DiagnosisMatch {
  id: string;
  title: string;
  packages: string[];
  status: string;
  /**
   * Sum of the weights of the counted signatures: each log line counts once per issue, for the
   * heaviest signature it matches (see countedEvidence).
   */
  score: number;
  /** Every matched line of every signature, in input order (at most 20). */
  lines: MatchedLine[];
  /** Permalink of the issue page (site-relative). */
  url: string;
  evidence: Evidence[];
}

export interface Diagnosis {
  /** Best first. Empty when no issue has specific evidence in the log. */
  matches: DiagnosisMatch[];
  lineCount: number;
  /** When nothing matched: the line most worth searching for. */
  suggestion?: MatchedLine;
}

export interface DiagnoseOptions {
  /** Keep at most this many matches. */
  top?: number;
}

/** Work done by the last diagnose() call, for the linear-time tests and the benchmark. */
export interface DiagnoseStats {
  /** Characters the signature set scanned (each normalized character exactly once). */
  scannedChars: number;
  /** Single-signature tests run on lines of blocks in which the set found that signature. */
  lineTests: number;
}

interface Entry {
  issue: number;
  index: number;
  compiled: CompiledSignature;
}

export class SignatureCompileError extends Error {
  constructor(
    readonly issueId: string,
    readonly index: number,
    cause: unknown,
  ) {
    super(`issue "${issueId}": signatures.${index}: ${(cause as Error).message}`, { cause });
    this.name = 'SignatureCompileError';
  }
}

/** Offsets at which each line starts, plus a final entry one past the end. */
function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count + 1);
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
  starts[count] = text.length + 1;
  return starts;
}

function lineAt(text: string, starts: Int32Array, i: number): string {
  return text.slice(starts[i], starts[i + 1]! - 1);
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}

/** A signature of one issue found in the log: every line (0-based) it matched. */
interface Found {
  index: number;
  signature: Signature;
  lines: number[];
}

/**
 * The evidence that counts toward an issue's score, heaviest first. Two rules keep overlapping
 * signatures from inflating a score:
 * - a signature with `requires` counts only when every signature it names is also in the log;
 * - a log line counts once per issue, for the heaviest of the issue's signatures it matches, so a
 *   signature counts only if it is the heaviest on at least one of its lines. One cray-mpich line
 *   that matches a full-message regex, its error code and its short form is one piece of evidence,
 *   not three, and cannot outweigh a crash with several distinct lines of evidence.
 * Equal weights on a line go to the lower index, so the result does not depend on match order.
 */
function countedEvidence(found: Found[]): Found[] {
  const present = new Set(found.map((f) => f.index));
  const usable = found
    .filter((f) => (f.signature.requires ?? []).every((r) => present.has(r)))
    .sort((a, b) => b.signature.weight - a.signature.weight || a.index - b.index);
  const claimed = new Set<number>();
  return usable.filter((f) => {
    let claims = false;
    for (const line of f.lines) {
      if (claimed.has(line)) continue;
      claimed.add(line);
      claims = true;
    }
    return claims;
  });
}

export class Diagnoser {
  private readonly entries: Entry[] = [];
  private readonly set = new RE2Set(RE2Set.UNANCHORED);
  readonly stats: DiagnoseStats = { scannedChars: 0, lineTests: 0 };

  constructor(private readonly issues: readonly DiagnosableIssue[]) {
    issues.forEach((issue, i) =>
      issue.signatures.forEach((signature, index) => {
        try {
          this.entries.push({ issue: i, index, compiled: compileSignature(signature) });
          // Multi-line mode, so ^ and $ keep meaning "line start/end" when a block is scanned.
          this.set.add(`(?m)${signaturePattern(signature)}`);
        } catch (err) {
          throw new SignatureCompileError(issue.id, index, err);
        }
      }),
    );
    if (this.entries.length) this.set.compile();
  }

  get signatureCount(): number {
    return this.entries.length;
  }

  diagnose(text: string, options: DiagnoseOptions = {}): Diagnosis {
    const display = toDisplayText(text);
    const starts = lineStarts(display);
    // A final newline ends the last line; it does not start another. Empty input has no lines.
    const lineCount = display === '' ? 0 : starts.length - 1 - (display.endsWith('\n') ? 1 : 0);
    const shown = (i: number): MatchedLine => ({ n: i + 1, text: clip(lineAt(display, starts, i)) });

    const byIssue = new Map<number, Found[]>();
    for (const [e, lines] of this.findHits(display, starts, lineCount)) {
      const { issue, index, compiled } = this.entries[e]!;
      byIssue.set(issue, [...(byIssue.get(issue) ?? []), { index, signature: compiled.signature, lines }]);
    }
    const matches: (DiagnosisMatch & { strongest: number })[] = [];
    for (const [i, found] of byIssue) {
      const evidence = countedEvidence(found);
      const weights = evidence.map((ev) => ev.signature.weight);
      const strongest = Math.max(0, ...weights);
      if (strongest < SPECIFIC_WEIGHT) continue;
      const issue = this.issues[i]!;
      // The counted signatures' lines: a signature left out matched only lines among them.
      const numbers = [...new Set(evidence.flatMap((ev) => ev.lines.slice(0, MAX_LINES_PER_MATCH)))].sort((a, b) => a - b);
      matches.push({
        id: issue.id,
        title: issue.title,
        packages: issue.packages,
        status: issue.status,
        score: weights.reduce((a, b) => a + b, 0),
        lines: numbers.slice(0, MAX_LINES_PER_MATCH).map(shown),
        url: issueUrl(issue.id),
        evidence: evidence.map((ev) => ({ ...ev, lines: ev.lines.slice(0, MAX_LINES_PER_MATCH).map(shown) })),
        strongest,
      });
    }
    matches.sort((a, b) => b.score - a.score || b.strongest - a.strongest || a.lines[0]!.n - b.lines[0]!.n || a.id.localeCompare(b.id));
    const kept = matches.slice(0, options.top ?? matches.length).map(({ strongest: _, ...m }) => m);
    const diagnosis: Diagnosis = { matches: kept, lineCount };
    if (!kept.length) {
      const suggestion = mostDistinctiveLine(display, starts, lineCount);
      if (suggestion) diagnosis.suggestion = suggestion;
    }
    return diagnosis;
  }

  /** Signature entry → indexes of the lines it matches, in order. */
  private findHits(display: string, starts: Int32Array, lineCount: number): Map<number, number[]> {
    const hits = new Map<number, number[]>();
    this.stats.scannedChars = this.stats.lineTests = 0;
    if (!this.entries.length) return hits;
    forEachBlock(display, starts, lineCount, (first, block) => {
      this.stats.scannedChars += block.length;
      const found = this.set.match(block);
      if (!found.length) return;
      const lines = block.split('\n');
      for (const e of found) {
        const { compiled } = this.entries[e]!;
        this.stats.lineTests += lines.length;
        lines.forEach((line, j) => {
          if (!compiled.test(line)) return;
          const list = hits.get(e) ?? [];
          list.push(first + j);
          hits.set(e, list);
        });
      }
    });
    return new Map([...hits].sort((a, b) => a[0] - b[0]));
  }
}

/**
 * Calls fn with each block of whole lines (about BLOCK_CHARS long), normalized. Small strings keep
 * the regular expressions fast; a block never splits a line, so line numbers carry over.
 */
function forEachBlock(display: string, starts: Int32Array, lineCount: number, fn: (first: number, normalizedBlock: string) => void): void {
  for (let first = 0; first < lineCount; ) {
    let end = first + 1;
    while (end < lineCount && starts[end]! - starts[first]! < BLOCK_CHARS) end++;
    fn(first, normalizeDisplayText(display.slice(starts[first], starts[end]! - 1)));
    first = end;
  }
}

export function compileDiagnoser(issues: readonly DiagnosableIssue[]): Diagnoser {
  return new Diagnoser(issues);
}

const ERROR_WORDS =
  /\b(?:error|errors|fatal|failed|failure|abort|aborted|segmentation fault|sigsegv|sigbus|undefined reference|undefined symbol|cannot|no such file|not found|traceback|exception|panic|core dumped|killed)\b/i;
const WARNING_WORDS = /\bwarn(?:ing)?\b/i;
/** A token that names something: snake_case, a dotted soname, a path, a C++ scope, a call. */
const NAMING = /[_.:/(]/;

/**
 * The line a person would search for when no issue matched: an error line that names things
 * (identifiers, files). Lines are scored on their normalized text, so a machine-specific value
 * (an address, a node name) does not make a line look distinctive; the suggestion is the line as
 * written, only without the prefixes tools put in front of lines (timestamps, host and process
 * ids), because values such as `nid001234` are real words of the message. Earliest wins ties,
 * because a build log's first error is usually the cause.
 */
export function mostDistinctiveLine(display: string, starts: Int32Array = lineStarts(display), lineCount = starts.length - 1): MatchedLine | undefined {
  let best = -1;
  let bestScore = 0;
  forEachBlock(display, starts, lineCount, (first, block) => {
    block.split('\n').forEach((full, j) => {
      const line = full.slice(0, MAX_LINE_CHARS).trim();
      if (line.length < 8) return;
      let score = ERROR_WORDS.test(line) ? 10 : WARNING_WORDS.test(line) ? 3 : 0;
      if (!score) return;
      score += Math.min(5, line.split(/[ \t]+/).filter((token) => token.length > 3 && NAMING.test(token)).length);
      if (score <= bestScore) return;
      bestScore = score;
      best = first + j;
    });
  });
  if (best < 0) return undefined;
  return { n: best + 1, text: clip(stripLinePrefixes(lineAt(display, starts, best)).trim()) };
}
