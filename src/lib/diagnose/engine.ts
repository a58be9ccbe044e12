/**
 * The diagnosis engine: finds the known issues whose signatures appear in a pasted log and ranks
 * them. Pure (no DOM, no node:*), so the /diagnose/ page's worker and `uenv-kb diagnose` share it.
 *
 * Linear time by construction: normalization is linear (see log-normalize.ts), and every
 * signature is an RE2 pattern (re2js: automata, no backtracking). The log is scanned in blocks of
 * lines by one Aho–Corasick automaton over a literal each signature requires (literals.ts), and by a
 * small RE2 set of the signatures that have none; only the lines of a block in which a signature's
 * literal or pattern occurs are then tested against that signature alone. Each character is thus
 * scanned once by each automaton and at most once per signature — never more, whatever the input.
 */
import { RE2Set } from 're2js';
import type { Signature } from '../../schemas/issue';
import { issueUrl } from '../site';
import { normalizeDisplayText, stripLinePrefixes, toDisplayText } from './log-normalize';
import { requiredLiterals, LiteralScanner } from './literals';
import { compileSignature, signaturePattern, type CompiledSignature } from './signature';
import { TextIndex, workaroundText, type TextScore } from './text-rank';
import { forEachRawToken } from './tokens';

export { MAX_LOG_BYTES } from './limits';
/**
 * Evidence of at least this weight is specific: it alone can report an issue. Lighter (generic)
 * evidence, such as a bare "Segmentation fault", only adds to the score of an issue that specific
 * evidence already points to.
 */
export const SPECIFIC_WEIGHT = 5;
/**
 * A record's own words point to it ("possibly") when the log shares at least TEXT_MIN_TERMS
 * distinctive tokens with it: tokens used by at most DISTINCTIVE_SPREAD of the records.
 * With only TEXT_MIN_TERMS, one must be an identifier (prose like "undefined reference" is every failure
 * of its kind). Set on the dev split of the corpus: 3 terms or a 5 % spread keep more look-alikes from
 * even a "possibly", at the price of right answers when a log's own report is left out (`npm run eval`).
 */
export const TEXT_MIN_TERMS = 2;
const DISTINCTIVE_SPREAD = 0.15;
/** Low-confidence matches kept after the high ones: the closest records, not every record that shares a word. */
const MAX_LOW_MATCHES = 3;
/** Lines are scanned by the signature set in blocks of about this many characters. */
const BLOCK_CHARS = 16 * 1024;
/** Matched lines shown per issue, and characters shown per line (a window around the evidence). */
const MAX_LINES_PER_MATCH = 20;
export const MAX_LINE_CHARS = 400;
/** Log tokens shown as the words a low-confidence match rests on. */
const MAX_TEXT_TERMS = 8;

export type Confidence = 'high' | 'low';

/** A context line of a record: what a log must show to be about this stack. */
export interface ContextMatcher {
  text?: string;
  regex?: string;
  note?: string;
}

export interface DiagnosableIssue {
  id: string;
  title: string;
  packages: string[];
  status: string;
  signatures: Signature[];
  area?: string;
  context?: ContextMatcher[];
  /** The record's own words, ranked against the log's (text-rank.ts). Markdown. */
  symptoms?: string[];
  cause?: string;
  workaround?: string | { summary: string; steps: string[] };
}

/** Only what matching and ranking need, so the page ships these fields and not whole records. */
export function toDiagnosable(issue: DiagnosableIssue): DiagnosableIssue {
  const { id, title, area, packages, status, signatures, context, symptoms, cause } = issue;
  const workaround = workaroundText(issue.workaround);
  const out: DiagnosableIssue = { id, title, packages, status, signatures };
  if (area) out.area = area;
  if (context?.length) out.context = context.map(({ text, regex, note }) => ({ text, regex, note }));
  if (symptoms) out.symptoms = symptoms;
  if (cause) out.cause = cause;
  if (workaround) out.workaround = workaround;
  return out;
}

export interface MatchedLine {
  /** 1-based line number in the input. */
  n: number;
  /**
   * The line as pasted (terminal escapes removed); a line longer than 400 characters is shown as a
   * window of 400 around the evidence, with `…` where it was cut.
   */
  text: string;
}

/** A signature that counts toward a match's score. */
export interface Evidence {
  /** Index of the signature in the issue record's `signatures`. */
  index: number;
  signature: Signature;
  lines: MatchedLine[];
}

/** The record's own words that the log shares (text-rank.ts), rarest first, and where they first appear. */
export interface TextEvidence {
  score: number;
  terms: string[];
  lines: MatchedLine[];
}

export interface DiagnosisMatch {
  id: string;
  title: string;
  packages: string[];
  status: string;
  /**
   * `high`: specific signature evidence (weight 5+) and, when the record lists context, a context line
   * in the log. `low` ("possibly"): specific evidence without the stack's context, or only the
   * record's own words. Every high match is listed before every low one.
   */
  confidence: Confidence;
  /** Why this confidence, in one sentence. */
  reason: string;
  /**
   * Sum of the weights of the counted signatures: each log line counts once per issue, for the
   * heaviest signature it matches (see countedEvidence). 0 when only the record's words matched.
   */
  score: number;
  /** Every matched line of every signature, in input order (at most 20); for a words-only match, the text lines. */
  lines: MatchedLine[];
  /** Permalink of the issue page (site-relative). */
  url: string;
  evidence: Evidence[];
  /** The first line that ties the log to the stack (the record's `context`), when the record lists context. */
  context?: MatchedLine;
  /** The record's words found in the log, when they add up to evidence. */
  text?: TextEvidence;
}

export interface Diagnosis {
  /** High confidence first, then at most three low ones. Empty when nothing points to a known issue. */
  matches: DiagnosisMatch[];
  lineCount: number;
  /** When no match is of high confidence: the line most worth searching for. */
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
  /** Single-matcher tests run on lines of blocks in which the set found that matcher. */
  lineTests: number;
  /** Tokens read from the log for the text ranking (at most one per character). */
  tokens: number;
}

interface Entry {
  issue: number;
  /** Index in the record's `signatures`, or in its `context` for a context line. */
  index: number;
  kind: 'signature' | 'context';
  compiled: CompiledSignature;
}

/**
 * One distinct pattern and the entries (signatures or context lines of any record) that use it: a
 * pattern many records share, such as a context line, is tested once per line, not once per record.
 */
interface Matcher {
  compiled: CompiledSignature;
  /** At least one of these is in every line the pattern matches (literals.ts); undefined: none usable. */
  literals?: string[];
  entries: number[];
  /** Only context lines use it: the first matching line is all that is needed. */
  contextOnly: boolean;
}

export class SignatureCompileError extends Error {
  constructor(
    readonly issueId: string,
    readonly index: number,
    cause: unknown,
    field = 'signatures',
  ) {
    super(`issue "${issueId}": ${field}.${index}: ${(cause as Error).message}`, { cause });
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

/**
 * At most MAX_LINE_CHARS of a line, centred on `at` (a character offset) when the line is longer, with `…`
 * where it was cut, so evidence far along a long line is shown rather than cut off.
 */
export function windowAround(line: string, at = 0): string {
  if (line.length <= MAX_LINE_CHARS) return line;
  const start = Math.max(0, Math.min(line.length - MAX_LINE_CHARS, at - MAX_LINE_CHARS / 4));
  const end = start + MAX_LINE_CHARS;
  return `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? '…' : ''}`;
}

/** Placeholders normalization puts into a line; the text between them is as written. */
const PLACEHOLDERS = /0xADDR|libfabric:PID:TIME:|\[DATE\]|-HASH|~\/|\/tmp\/USER\/|\bNID\b|\bPID\b/;

/**
 * Where in the displayed line the evidence found in its normalized form starts: the longest run of the
 * matched text that normalization kept as written, looked up in the displayed line.
 */
function displayOffset(display: string, matched: string): number {
  const pieces = matched.split(PLACEHOLDERS).sort((a, b) => b.length - a.length);
  for (const piece of pieces) {
    if (piece.length < 3) break;
    const at = display.indexOf(piece);
    if (at !== -1) return at;
  }
  return 0;
}

/** A signature of one issue found in the log: every line (0-based) it matched. */
interface Found {
  index: number;
  signature: Signature;
  lines: number[];
}

/** A matcher's lines (0-based) and, per line, where the match starts in the normalized line. */
interface Hits {
  lines: number[];
  matched: string[];
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

/** A token that names something (snake_case, a soname, a version, a path part): not an English word. */
function isIdentifier(token: string): boolean {
  return /[\d_.:+-]/.test(token);
}

interface Candidate extends DiagnosisMatch {
  strongest: number;
  rank: number;
}

export class Diagnoser {
  private readonly entries: Entry[] = [];
  private readonly matchers: Matcher[] = [];
  /** Finds, in one pass over a block, the matchers whose required literal occurs (literals.ts). */
  private readonly literals: LiteralScanner;
  /** The matchers without a usable literal, in one RE2 set; `fallbackMatchers[k]` is the matcher of set pattern k. */
  private readonly fallback = new RE2Set(RE2Set.UNANCHORED);
  private readonly fallbackMatchers: number[] = [];
  private readonly text: TextIndex;
  readonly stats: DiagnoseStats = { scannedChars: 0, lineTests: 0, tokens: 0 };

  constructor(private readonly issues: readonly DiagnosableIssue[]) {
    const byPattern = new Map<string, number>();
    issues.forEach((issue, i) => {
      const add = (kind: Entry['kind'], matcher: Signature, index: number) => {
        try {
          const compiled = compileSignature(matcher);
          const id = this.entries.length;
          this.entries.push({ issue: i, index, kind, compiled });
          const known = byPattern.get(compiled.pattern);
          if (known !== undefined) {
            this.matchers[known]!.entries.push(id);
            this.matchers[known]!.contextOnly &&= kind === 'context';
            return;
          }
          byPattern.set(compiled.pattern, this.matchers.length);
          const literals = matcher.text !== undefined ? [matcher.text] : requiredLiterals(matcher.regex!);
          this.matchers.push({ compiled, ...(literals ? { literals } : {}), entries: [id], contextOnly: kind === 'context' });
        } catch (err) {
          throw new SignatureCompileError(issue.id, index, err, kind === 'context' ? 'context' : 'signatures');
        }
      };
      issue.signatures.forEach((signature, index) => add('signature', signature, index));
      issue.context?.forEach((line, index) => add('context', { ...line, weight: 1 } as Signature, index));
    });
    const literals: { literal: string; id: number }[] = [];
    this.matchers.forEach((m, id) => {
      if (m.literals) for (const literal of m.literals) literals.push({ literal, id });
      else {
        // Multi-line mode, so ^ and $ keep meaning "line start/end" when a block is scanned.
        this.fallback.add(`(?m)${m.compiled.pattern}`);
        this.fallbackMatchers.push(id);
      }
    });
    if (this.fallbackMatchers.length) this.fallback.compile();
    this.literals = new LiteralScanner(literals);
    this.text = new TextIndex(issues);
  }

  get signatureCount(): number {
    return this.entries.filter((e) => e.kind === 'signature').length;
  }

  /** Distinct patterns of the signatures and context lines: what a line can be tested against. */
  get matcherCount(): number {
    return this.matchers.length;
  }

  diagnose(text: string, options: DiagnoseOptions = {}): Diagnosis {
    const display = toDisplayText(text);
    const starts = lineStarts(display);
    // A final newline ends the last line; it does not start another. Empty input has no lines.
    const lineCount = display === '' ? 0 : starts.length - 1 - (display.endsWith('\n') ? 1 : 0);
    const shown = (i: number, matched = ''): MatchedLine => {
      const line = lineAt(display, starts, i);
      return { n: i + 1, text: windowAround(line, line.length > MAX_LINE_CHARS ? displayOffset(line, matched) : 0) };
    };

    const { hits, terms } = this.scan(display, starts, lineCount);
    const byIssue = new Map<number, Found[]>();
    const contextOf = new Map<number, MatchedLine>();
    const where = new Map<string, string>();
    for (const [e, { lines, matched }] of hits) {
      const { issue, index, kind, compiled } = this.entries[e]!;
      if (kind === 'context') {
        const first = contextOf.get(issue);
        if (!first || first.n > lines[0]! + 1) contextOf.set(issue, shown(lines[0]!, matched[0]));
        continue;
      }
      lines.forEach((line, j) => where.set(`${issue}:${index}:${line}`, matched[j]!));
      byIssue.set(issue, [...(byIssue.get(issue) ?? []), { index, signature: compiled.signature, lines }]);
    }
    const textScores = new Map(this.text.rank(terms.keys()).map((t) => [t.index, t]));

    const candidates: Candidate[] = [];
    for (let i = 0; i < this.issues.length; i++) {
      const found = byIssue.get(i);
      const textScore = textScores.get(i);
      if (!found && !textScore) continue;
      const issue = this.issues[i]!;
      const evidence = countedEvidence(found ?? []);
      const weights = evidence.map((ev) => ev.signature.weight);
      const strongest = Math.max(0, ...weights);
      const score = weights.reduce((a, b) => a + b, 0);
      const shownEvidence = evidence.map((ev) => ({
        index: ev.index,
        signature: ev.signature,
        lines: ev.lines.slice(0, MAX_LINES_PER_MATCH).map((n) => shown(n, where.get(`${i}:${ev.index}:${n}`))),
      }));
      const words = textScore && this.textEvidence(textScore, terms, shown);
      const context = contextOf.get(i);
      const needsContext = (issue.context?.length ?? 0) > 0;
      let confidence: Confidence;
      let reason: string;
      if (strongest >= SPECIFIC_WEIGHT && (!needsContext || context)) {
        confidence = 'high';
        reason = needsContext ? 'specific evidence, in a log of this stack' : 'specific evidence';
      } else if (strongest >= SPECIFIC_WEIGHT) {
        confidence = 'low';
        reason = 'specific evidence, but nothing in the log ties it to this stack';
      } else if (words) {
        confidence = 'low';
        reason = score ? "the record's own words, and generic evidence" : "the record's own words only";
      } else continue;
      // The counted signatures' lines; for a low match also the lines of the shared words, which made it.
      const shownLines = [...shownEvidence.flatMap((ev) => ev.lines), ...(confidence === 'low' ? (words?.lines ?? []) : [])];
      const lines = [...new Map(shownLines.map((l) => [l.n, l])).values()].sort((a, b) => a.n - b.n).slice(0, MAX_LINES_PER_MATCH);
      const match: Candidate = {
        id: issue.id,
        title: issue.title,
        packages: issue.packages,
        status: issue.status,
        confidence,
        reason,
        score,
        lines,
        url: issueUrl(issue.id),
        evidence: shownEvidence,
        strongest,
        rank: score + (textScore?.score ?? 0) / 4,
      };
      if (context) match.context = context;
      if (words) match.text = words;
      candidates.push(match);
    }
    const high = candidates.filter((m) => m.confidence === 'high');
    const low = candidates.filter((m) => m.confidence === 'low');
    high.sort((a, b) => b.score - a.score || b.strongest - a.strongest || b.rank - a.rank || a.lines[0]!.n - b.lines[0]!.n || a.id.localeCompare(b.id));
    low.sort((a, b) => b.rank - a.rank || b.strongest - a.strongest || a.id.localeCompare(b.id));
    const ordered = [...high, ...low.slice(0, MAX_LOW_MATCHES)];
    const kept = ordered.slice(0, options.top ?? ordered.length).map(({ strongest: _s, rank: _r, ...m }) => m);
    const diagnosis: Diagnosis = { matches: kept, lineCount };
    if (!high.length) {
      const suggestion = mostDistinctiveLine(display, starts, lineCount);
      if (suggestion) diagnosis.suggestion = suggestion;
    }
    return diagnosis;
  }

  /** The record's words as evidence, or undefined when too few of them are distinctive to point to it. */
  private textEvidence(t: TextScore, terms: Map<string, number>, shown: (i: number, matched?: string) => MatchedLine): TextEvidence | undefined {
    // Rarity needs a population: with fewer than 1 / DISTINCTIVE_SPREAD records no word is distinctive.
    const distinctive = t.terms.filter((term) => this.text.spread(term) <= DISTINCTIVE_SPREAD);
    // Two words of prose ("undefined reference") are every failure of their kind: with only two, one must
    // be an identifier.
    if (distinctive.length < TEXT_MIN_TERMS || (distinctive.length === TEXT_MIN_TERMS && !distinctive.some(isIdentifier))) return undefined;
    const shownTerms = distinctive.slice(0, MAX_TEXT_TERMS);
    const firstLines = new Map<number, string>();
    for (const term of shownTerms) if (!firstLines.has(terms.get(term)!)) firstLines.set(terms.get(term)!, term);
    const lines = [...firstLines].sort((a, b) => a[0] - b[0]).map(([n, term]) => shown(n, term));
    return { score: Math.round(t.score * 10) / 10, terms: shownTerms, lines };
  }

  /**
   * Adds to `terms` each token of the block that some record uses and that is new, with its line
   * (0-based). Lines are counted only up to the last new token, so a block with none costs one scan.
   */
  private collectTerms(block: string, first: number, terms: Map<string, number>): void {
    const found: [string, number][] = [];
    const { vocabulary } = this.text;
    forEachRawToken(block.toLowerCase(), (token, at) => {
      this.stats.tokens++;
      if (vocabulary.has(token) && !terms.has(token)) {
        terms.set(token, -1);
        found.push([token, at]);
      }
    });
    let line = first;
    let from = 0;
    for (const [token, at] of found) {
      for (let nl = block.indexOf('\n', from); nl !== -1 && nl < at; nl = block.indexOf('\n', nl + 1)) {
        line++;
        from = nl + 1;
      }
      terms.set(token, line);
    }
  }

  /**
   * One pass over the normalized log, block by block: the RE2 set finds which matchers occur in a
   * block, only those are tested on its lines; and the block's tokens that some record uses are kept
   * with the first line they occur on.
   */
  private scan(display: string, starts: Int32Array, lineCount: number): { hits: Map<number, Hits>; terms: Map<string, number> } {
    const byMatcher = new Map<number, Hits>();
    const terms = new Map<string, number>();
    this.stats.scannedChars = this.stats.lineTests = this.stats.tokens = 0;
    forEachBlock(display, starts, lineCount, (first, block) => {
      this.stats.scannedChars += block.length;
      this.collectTerms(block, first, terms);
      if (!this.matchers.length) return;
      const found = new Set<number>();
      this.literals.scan(block, (m) => found.add(m));
      if (this.fallbackMatchers.length) for (const k of this.fallback.match(block)) found.add(this.fallbackMatchers[k]!);
      if (!found.size) return;
      const lines = block.split('\n');
      for (const m of found) {
        const { compiled, literals, contextOnly } = this.matchers[m]!;
        // A context line is needed once; a pattern is tried only on the lines that hold one of its literals.
        if (contextOnly && byMatcher.has(m)) continue;
        for (let j = 0; j < lines.length; j++) {
          const line = lines[j]!;
          this.stats.lineTests++;
          if (literals && !literals.some((l) => line.includes(l))) continue;
          const matched = compiled.find(line);
          if (matched === undefined) continue;
          const h = byMatcher.get(m) ?? { lines: [], matched: [] };
          h.lines.push(first + j);
          h.matched.push(matched);
          byMatcher.set(m, h);
          if (contextOnly) break;
        }
      }
    });
    // Each entry (a record's signature or context line) gets its pattern's lines.
    const hits = new Map<number, Hits>();
    for (const [m, h] of byMatcher) for (const e of this.matchers[m]!.entries) hits.set(e, h);
    return { hits: new Map([...hits].sort((a, b) => a[0] - b[0])), terms };
  }
}

/**
 * Calls fn with each block of whole lines (about BLOCK_CHARS long), normalized. Small strings keep
 * the regular expressions fast; a block never splits a line, so line numbers carry over.
 */
function forEachBlock(display: string, starts: Int32Array, lineCount: number, fn: (first: number, normalizedBlock: string) => void): void {
  for (let first = 0; first < lineCount;) {
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
  return { n: best + 1, text: windowAround(stripLinePrefixes(lineAt(display, starts, best)).trim()) };
}
