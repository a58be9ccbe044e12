/**
 * Ranks the records by their own words — title, symptoms, cause, workaround, signature texts and
 * notes — against the words of a log, with BM25 (MiniSearch), so a log that words a known failure
 * differently from every signature still finds the record that describes it. A token that few
 * records use (`FI_CXI_DEFAULT_CQ_SIZE`, `cxip_curl_fini`) weighs far more than one most use.
 *
 * Linear in the log: the log is tokenized once (tokens.ts) and only its distinct tokens that some
 * record uses are looked up, so the search itself is bounded by the size of the knowledge base, not
 * of the log.
 */
import MiniSearch from 'minisearch';
import type { Signature } from '../../schemas/issue';
import { markdownWords, tokenize } from './tokens';

/** The words of a record that describe its failure; all optional, so a record may give only signatures. */
export interface RecordText {
  id: string;
  title: string;
  symptoms?: string[];
  cause?: string;
  workaround?: string | { summary: string; steps: string[] };
  signatures: Signature[];
}

/** How much a word counts by where the record uses it: the title and symptoms say what a user sees. */
const FIELD_BOOST = { title: 3, symptoms: 2, evidence: 2, cause: 1, workaround: 0.5 } as const;
type Field = keyof typeof FIELD_BOOST;

/** A record's score for a log: the sum of the BM25 weights of the log's tokens it uses. */
export interface TextScore {
  index: number;
  score: number;
  /** The log tokens the record uses, the rarest (heaviest) first. */
  terms: string[];
}

/** A record's workaround as one text: its summary and steps. */
export function workaroundText(workaround: RecordText['workaround']): string | undefined {
  return typeof workaround === 'string' || workaround === undefined ? workaround : [workaround.summary, ...workaround.steps].join('\n');
}

function fieldsOf(record: RecordText): Record<Field, string> {
  return {
    title: record.title,
    symptoms: markdownWords((record.symptoms ?? []).join('\n')),
    // Literal signature texts are words of the log by definition; notes say why a line is evidence.
    evidence: record.signatures.map((s) => `${s.text ?? ''} ${s.note ?? ''}`).join('\n'),
    cause: markdownWords(record.cause ?? ''),
    workaround: markdownWords(workaroundText(record.workaround) ?? ''),
  };
}

export class TextIndex {
  private readonly search = new MiniSearch<Record<Field, string> & { id: number }>({
    fields: Object.keys(FIELD_BOOST),
    tokenize,
    // Tokens arrive lower-cased and filtered; MiniSearch must not change them again.
    processTerm: (term) => term,
    searchOptions: { boost: FIELD_BOOST, tokenize: (t) => [t], processTerm: (t) => t },
  });
  /** Every token some record uses, so a log's other tokens are never looked up. */
  readonly vocabulary = new Set<string>();
  /** How many records use each token, for choosing the rarest ones to show. */
  private readonly recordsWith = new Map<string, number>();

  constructor(records: readonly RecordText[]) {
    records.forEach((record, id) => {
      const fields = fieldsOf(record);
      const seen = new Set<string>();
      for (const text of Object.values(fields)) for (const t of tokenize(text)) seen.add(t);
      for (const t of seen) {
        this.vocabulary.add(t);
        this.recordsWith.set(t, (this.recordsWith.get(t) ?? 0) + 1);
      }
      this.search.add({ id, ...fields });
    });
  }

  get recordCount(): number {
    return this.search.documentCount;
  }

  /** Share of the records that use a token (0 when none does). */
  spread(term: string): number {
    return (this.recordsWith.get(term) ?? 0) / Math.max(1, this.recordCount);
  }

  /** Records that use any of the terms, best first. Terms must come from the vocabulary. */
  rank(terms: Iterable<string>): TextScore[] {
    const queries = [...terms];
    if (!queries.length) return [];
    return this.search.search({ combineWith: 'OR', queries }).map((r) => ({
      index: r.id as number,
      // MiniSearch multiplies the BM25 sum by the number of matched terms, which rewards a long log
      // for being long; the plain sum is kept, so a few rare tokens outweigh many common ones.
      score: r.score / Math.max(1, r.queryTerms.length),
      terms: [...r.queryTerms].sort((a, b) => this.spread(a) - this.spread(b) || a.localeCompare(b)),
    }));
  }
}
