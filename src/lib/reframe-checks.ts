/** The stack's ReFrame checks and their performance results, as the site shows them. Pure. */
import { reframeCatalogueSchema, performanceRunSchema, type PerformanceRun, type ReframeCatalogue, type ReframeReference } from '../schemas/reframe';

/** The catalogue (runbooks/reframe/checks.json), checked: an error names the file and the field. */
export function parseCatalogue(data: unknown, file = 'runbooks/reframe/checks.json'): ReframeCatalogue {
  const parsed = reframeCatalogueSchema.safeParse(data);
  if (!parsed.success) throw new Error(`${file}: ${formatIssue(parsed.error.issues[0])}`);
  return parsed.data;
}

/** Performance runs (content/performance/*.json, keyed by file), checked, oldest first. */
export function parseRuns(files: Record<string, unknown>): PerformanceRun[] {
  return Object.entries(files)
    .map(([file, data]) => {
      const parsed = performanceRunSchema.safeParse(data);
      if (!parsed.success) throw new Error(`${file}: ${formatIssue(parsed.error.issues[0])}`);
      return parsed.data;
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

function formatIssue(issue: { path: PropertyKey[]; message: string } | undefined): string {
  if (!issue) return 'invalid';
  return `${issue.path.map(String).join('.') || '(top level)'}: ${issue.message}`;
}

/** 1073741824 → "1 GiB", 256 → "256 B". */
export function bytesText(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} B`;
}

function percent(fraction: number): string {
  return `${fraction > 0 ? '+' : fraction < 0 ? '−' : '±'}${Math.round(Math.abs(fraction) * 100)} %`;
}

/** What a reference asks: "at least 20400 MB/s (24000 MB/s −15 %)", "at most 3.68 us (2.3 us +60 %)", or a band. */
export function referenceBounds(ref: Pick<ReframeReference, 'value' | 'unit' | 'lower' | 'upper'>): string {
  const round = (v: number) => Number(v.toPrecision(4)).toString();
  const low = ref.lower === null ? null : round(ref.value * (1 + ref.lower));
  const high = ref.upper === null ? null : round(ref.value * (1 + ref.upper));
  const bounds = [ref.lower, ref.upper]
    .filter((b): b is number => b !== null)
    .map(percent)
    .join(' ');
  const basis = `(${ref.value} ${ref.unit}${bounds ? ` ${bounds}` : ''})`;
  if (low !== null && high !== null) return `between ${low} and ${high} ${ref.unit} ${basis}`;
  if (low !== null) return `at least ${low} ${ref.unit} ${basis}`;
  if (high !== null) return `at most ${high} ${ref.unit} ${basis}`;
  return `${ref.value} ${ref.unit}, recorded only (no bound)`;
}

/** "2 nodes × 4 tasks, 1 GiB messages" (no message size where the benchmark has none). */
export function referenceShape(ref: Pick<ReframeReference, 'nodes' | 'tasks_per_node' | 'message_bytes'>): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const shape = `${plural(ref.nodes, 'node')} × ${plural(ref.tasks_per_node, 'task')}`;
  return ref.message_bytes === null ? shape : `${shape}, ${bytesText(ref.message_bytes)} messages`;
}

/** A pinned GitHub link as "owner/repo@commit file#lines"; any other URL as it is. */
export function sourceLabel(url: string): string {
  const m = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/blob\/([0-9a-f]{7})[0-9a-f]*\/(?:.*\/)?([^/#]+)(#.*)?$/.exec(url);
  return m ? `${m[1]}@${m[2]} ${m[3]}${m[4] ?? ''}` : url;
}

export interface SourceLink {
  /** Absent for a source that is not a URL (a repository path). */
  href?: string;
  label: string;
}

/** The links of a reference's source: "URL#L1-L2 and #L5-L9" is two links into the same file. */
export function sourceLinks(source: string): SourceLink[] {
  const [first = '', ...more] = source.split(/\s+and\s+/);
  if (!/^https?:\/\//.test(first)) return [{ label: source }];
  const base = first.replace(/#.*$/, '');
  return [first, ...more.map((anchor) => (anchor.startsWith('#') ? base + anchor : anchor))].map((href) => ({ href, label: sourceLabel(href) }));
}

/** The page of a check's performance results. */
export function performanceUrl(check: string): string {
  return `/performance/${check.toLowerCase()}/`;
}

export interface ResultRow {
  label: string;
  date: string;
  partition: string;
  environ: string;
  result: string;
  metric: string;
  value: number;
  unit: string;
  reference: number | null;
}

/** One row per run, partition and metric of a check, in the order of the runs (oldest first). */
export function resultsOf(runs: PerformanceRun[], check: string): ResultRow[] {
  return runs.flatMap((run) =>
    run.results
      .filter((r) => r.check === check)
      .flatMap((r) =>
        r.metrics.map((m) => ({
          label: run.label,
          date: run.date,
          partition: r.partition,
          environ: r.environ,
          result: r.result,
          metric: m.name,
          value: m.value,
          unit: m.unit,
          reference: m.reference,
        })),
      ),
  );
}
