/**
 * Identifier-aware tokens, shared by the record index and the log, so both sides split text the same
 * way: `FI_CXI_DEFAULT_CQ_SIZE`, `cxip_curl_fini`, `libcurl.so.4` and `MPIDI_OFI_handle_cq_error` stay
 * whole (they are what makes a line specific), while `/usr/lib64/libcurl.so.4` splits at `/` and a
 * dotted or hyphenated name also yields its first part (`libcurl.so.4` → `libcurl`, `cray-mpich` →
 * `cray`, `mpich`), so prose that names the library finds the log that names the file.
 *
 * Linear time: one global scan with a pattern that has no nested quantifier; a token ends at the
 * last letter or digit of its run, so each character is read at most twice (once forward, once
 * when a trailing run of punctuation is given back).
 */

/** A run of word characters joined by `.`, `-`, `+` or `::`-style punctuation, ending in a word character. */
const TOKEN = /[A-Za-z0-9_$][\w$.+:-]*[\w$+]|[A-Za-z_$]/g;
/** Splits a compound token into its parts (underscores do not split: snake_case is one identifier). */
const PARTS = /[.:+-]+/;

/**
 * Words too common in English or in any log to say anything about an issue. Rarity in the records (the
 * BM25 weight) already discounts common words; this list only keeps the index and the queries small.
 */
const STOP_WORDS = new Set(
  `the and for are but not you all any can had her was one our out has his how its may new now old see two way who did
  get let put say she too use from have this that with they will your what when were been than them then there these
  those which while where into only also over some such very just more most other after before about above below
  between each both does doing done being here their would could should because again further once same own yes off
  using used via per shows show shown set sets file files line lines log logs run runs running`.split(/\s+/),
);

/** True for a token worth indexing or querying: 3+ characters with a letter, not a stop word. */
function keep(token: string): boolean {
  return token.length >= 3 && /[a-z_]/.test(token) && !STOP_WORDS.has(token);
}

/** Calls fn with each token of the text (lower-cased), compound tokens followed by their parts. */
export function forEachToken(text: string, fn: (token: string) => void): void {
  for (const m of text.matchAll(TOKEN)) {
    const whole = m[0].toLowerCase();
    if (keep(whole)) fn(whole);
    if (!PARTS.test(whole)) continue;
    for (const part of whole.split(PARTS)) if (part !== whole && keep(part)) fn(part);
  }
}

/**
 * The fast path for a log: calls fn with each candidate token of already lower-cased text and where it
 * starts, compound tokens followed by their parts, unfiltered. The caller keeps only tokens of the
 * index's vocabulary, which holds no stop word or short token, so filtering here would be work twice.
 */
export function forEachRawToken(lower: string, fn: (token: string, at: number) => void): void {
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(lower); m; m = TOKEN.exec(lower)) {
    const whole = m[0];
    fn(whole, m.index);
    if (whole.length > 2 && PARTS.test(whole)) for (const part of whole.split(PARTS)) if (part !== whole) fn(part, m.index);
  }
}

/** Every token of the text, in order, with repeats: the index's term frequencies. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  forEachToken(text, (t) => tokens.push(t));
  return tokens;
}

/** Markdown as plain words: link targets and bare URLs say where a claim comes from, not what a log shows. */
export function markdownWords(markdown: string): string {
  return markdown.replace(/\]\([^)\s]*\)/g, ']').replace(/https?:\/\/\S+/g, ' ');
}
