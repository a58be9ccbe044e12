/**
 * A literal prefilter for the signatures: each signature is reduced to literals of which at least one
 * must appear in any line it matches, and one Aho–Corasick automaton finds all of them in a block in a
 * single pass. Only signatures whose literal occurs are then tested on the block's lines.
 *
 * Why: an RE2 set of hundreds of patterns scans ordinary logs fast, but on adversarial text (every line
 * a near miss of some signature) its automaton keeps hundreds of partial matches alive at each character
 * and falls to tens of microseconds per character. The automaton here costs the same on any text: one
 * transition per character (amortized) plus one step per literal found, whatever the number of
 * signatures. Signatures with no usable literal (case-insensitive ones, or an alternative made only of
 * classes and wildcards) stay in a small RE2 set. Written here because the well-kept Aho–Corasick
 * packages found report every overlapping occurrence, which is what makes them quadratic on such text.
 */

/** Shorter literals occur everywhere and filter nothing; a signature without one stays in the RE2 set. */
const MIN_LITERAL = 3;

/** Characters that end a literal run when escaped (classes, anchors, control escapes). */
const ESCAPE_CLASSES = /[a-zA-Z0-9]/;

/**
 * The longest literal run in each top-level alternative of an RE2 pattern, when every alternative has
 * one of at least MIN_LITERAL characters; undefined otherwise. Conservative: a run ends at any group,
 * class, wildcard, anchor or escape that is not punctuation, and a quantified character is dropped, so
 * each literal is a substring of every text the alternative matches.
 */
export function requiredLiterals(pattern: string): string[] | undefined {
  if (/\(\?[a-zA-Z]*i/.test(pattern) || pattern.includes('\\Q')) return undefined;
  const literals: string[] = [];
  let best = '';
  let run = '';
  let depth = 0;
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  const endAlternative = () => {
    endRun();
    if (best.length < MIN_LITERAL) return false;
    literals.push(best);
    best = '';
    return true;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      i++;
      if (depth > 0) continue;
      if (ESCAPE_CLASSES.test(next)) endRun();
      else run += next;
      continue;
    }
    if (c === '[') {
      // Skip the class: a `]` right after `[` or `[^` is literal, and escapes inside are skipped.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      if (depth === 0) endRun();
      continue;
    }
    if (c === '(') {
      if (depth === 0) endRun();
      depth++;
      continue;
    }
    if (c === ')') {
      depth--;
      continue;
    }
    if (depth > 0) continue;
    if (c === '|') {
      if (!endAlternative()) return undefined;
      continue;
    }
    if (c === '*' || c === '?' || c === '{') {
      // The quantified character may be absent: drop it from the run.
      run = run.slice(0, -1);
      endRun();
      if (c === '{') while (i < pattern.length && pattern[i] !== '}') i++;
      if (pattern[i + 1] === '?') i++;
      continue;
    }
    if (c === '+') {
      endRun(); // the character is there at least once; what follows may be more of it
      if (pattern[i + 1] === '?') i++;
      continue;
    }
    if (c === '.' || c === '^' || c === '$') {
      endRun();
      continue;
    }
    run += c;
  }
  return endAlternative() ? literals : undefined;
}

/** One Aho–Corasick automaton over many literals, each tagged with the ids that want it. */
export class LiteralScanner {
  /** Per node: transitions by UTF-16 code unit. */
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Ids whose literal ends at this node (its own literal only; suffixes are reached through `outLink`). */
  private readonly out: number[][] = [[]];
  /** The nearest node on the failure chain that has ids of its own, or -1. */
  private outLink: number[] = [-1];
  /** Per node, the last scan in which its ids were reported: each node reports once per scan. */
  private reported = new Int32Array(1);
  private scans = 0;

  constructor(literals: readonly { literal: string; id: number }[]) {
    for (const { literal, id } of literals) {
      let node = 0;
      for (let i = 0; i < literal.length; i++) {
        const code = literal.charCodeAt(i);
        let child = this.next[node]!.get(code);
        if (child === undefined) {
          child = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[node]!.set(code, child);
        }
        node = child;
      }
      this.out[node]!.push(id);
    }
    this.link();
  }

  private link(): void {
    this.outLink = new Array(this.next.length).fill(-1);
    this.reported = new Int32Array(this.next.length);
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (const [code, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(code)) f = this.fail[f]!;
        const target = this.next[f]!.get(code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const failNode = this.fail[child]!;
        this.outLink[child] = this.out[failNode]!.length ? failNode : this.outLink[failNode]!;
        queue.push(child);
      }
    }
  }

  /**
   * Calls found(id) once for each id whose literal occurs in the text. Linear: one amortized transition
   * per character, and each node's ids reported at most once per call.
   */
  scan(text: string, found: (id: number) => void): void {
    const scan = ++this.scans;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let child = this.next[node]!.get(code);
      while (child === undefined && node !== 0) {
        node = this.fail[node]!;
        child = this.next[node]!.get(code);
      }
      node = child ?? 0;
      // Report this node and the nodes on its output chain, stopping at the first already reported.
      for (let o = this.out[node]!.length ? node : this.outLink[node]!; o !== -1 && this.reported[o] !== scan; o = this.outLink[o]!) {
        this.reported[o] = scan;
        for (const id of this.out[o]!) found(id);
      }
    }
  }
}
