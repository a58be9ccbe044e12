/**
 * Normalizes a pasted log so the same failure reads the same on every machine: terminal colours,
 * timestamps, node and process prefixes, build-log prefixes, addresses, PIDs and user paths are
 * removed or replaced by placeholders. Signatures are written against normalized lines.
 *
 * Pure (browser and CLI). Every rule works on the whole text at once, never matches a newline (so
 * line N of the normalized text is line N of the input) and runs in linear time: each pattern is
 * anchored at a line start or begins with a literal that cannot occur inside the runs it then
 * consumes, and no quantifier is nested. tests/unit/log-normalize.test.ts checks both properties.
 */

export interface NormalizeRule {
  /** Short name, shown on the diagnose page's "what is normalized" list. */
  name: string;
  /** One input line before and after, for documentation and tests. */
  example: [before: string, after: string];
  pattern: RegExp;
  replacement: string;
}

/** Terminal escape sequences and stray control characters; removed from the displayed text too. */
const DISPLAY_RULES: NormalizeRule[] = [
  {
    name: 'ANSI colours, terminal escapes, control characters and bidirectional overrides',
    example: ['\x1b[1;31merror:\x1b[0m undefined\x08 reference\u202e', 'error: undefined reference'],
    // One pass: CSI (ESC [ or the one-byte C1 CSI U+009B, params intermediates final), OSC (ESC ] ... BEL
    // or ESC \), two-character escapes, a lone ESC, then any other C0 or C1 control character except tab
    // and newline, and the bidirectional overrides and isolates, which reorder what a reader sees.
    pattern:
      /(?:\x1b\[|\x9b)[0-9;?]*[ -/]*[@-~]|\x1b(?:\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[@-Z\\-_])?|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    replacement: '',
  },
];

/** Prefixes that tools put in front of each line; applied once each, in this order. */
const PREFIX_RULES: NormalizeRule[] = [
  {
    name: 'CI timestamps',
    example: ['2025-01-20T12:34:56.1234567Z make: *** [all] Error 2', 'make: *** [all] Error 2'],
    pattern: /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?[ \t]+/gm,
    replacement: '',
  },
  {
    name: 'bracketed and syslog timestamps',
    example: ['[2025-01-20 12:34:56] srun: error: task 0 failed', 'srun: error: task 0 failed'],
    pattern: /^(?:\[\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?\]|\[ *\d+\.\d+\]|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)[ \t]*/gm,
    replacement: '',
  },
  {
    name: 'container build steps (#9 215.6)',
    example: ['#9 215.6 configure: error: C compiler cannot create executables', 'configure: error: C compiler cannot create executables'],
    pattern: /^#\d+ \d+\.\d+ /gm,
    replacement: '',
  },
  {
    name: 'srun --label task numbers',
    example: ['3: Segmentation fault', 'Segmentation fault'],
    pattern: /^ *\d+: /gm,
    replacement: '',
  },
  {
    name: 'host and process prefixes ([nid001234:12345], NCCL host:pid:tid [dev])',
    example: ['nid001234:12345:12399 [0] NCCL INFO NET/OFI Selected provider is cxi', 'NCCL INFO NET/OFI Selected provider is cxi'],
    pattern: /^(?:\[[\w.-]+:\d+(?::\d+)*\] ?|[\w.-]+:\d+:\d+ \[\d+\] )/gm,
    replacement: '',
  },
  {
    name: 'Spack build-log excerpts (>>  702)',
    example: ['  >> 702    fuse_kernel.h:12: error: unknown type name', 'fuse_kernel.h:12: error: unknown type name'],
    pattern: /^(?:[ \t]*>>[ \t]+\d+|[ \t]{3,}\d+)[ \t]{2,}/gm,
    replacement: '',
  },
];

/** Machine-specific values inside a line, replaced by a placeholder. */
const VALUE_RULES: NormalizeRule[] = [
  {
    name: 'libfabric log prefix PID and time',
    example: ['libfabric:48213:1737370000::cxi:core:cxip_curl_init():120<warn> x', 'libfabric:PID:TIME::cxi:core:cxip_curl_init():120<warn> x'],
    pattern: /\blibfabric:\d+:\d+:/g,
    replacement: 'libfabric:PID:TIME:',
  },
  {
    name: 'dates in brackets (Cray MPICH)',
    example: ['[Mon Jan 20 12:00:00 2025] [nid001234] - Abort(1)', '[DATE] [NID] - Abort(1)'],
    pattern: /\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\]/g,
    replacement: '[DATE]',
  },
  {
    name: 'hex addresses',
    example: ['#1  0x00004000178a2b3c in curl_multi_cleanup ()', '#1  0xADDR in curl_multi_cleanup ()'],
    pattern: /\b0x[0-9a-fA-F]{5,}\b/g,
    replacement: '0xADDR',
  },
  {
    name: 'Spack install hashes',
    example: ['libfabric-main-abcdefghijklmnopqrstuvwxyz234567/lib', 'libfabric-main-HASH/lib'],
    pattern: /-[a-z0-9]{32}\b/g,
    replacement: '-HASH',
  },
  {
    name: 'user paths (/users/NAME, /home/NAME, scratch)',
    example: ['/users/jdoe/spack/opt/libcurl.so.4', '~/spack/opt/libcurl.so.4'],
    pattern: /\/(?:home|users|Users|(?:capstor|iopsstor)\/scratch\/cscs|scratch\/[\w.-]+)\/[\w.-]+\//g,
    replacement: '~/',
  },
  {
    name: 'Spack stage directories of a user',
    example: ['/tmp/jdoe/spack-stage/spack-stage-libfuse', '/tmp/USER/spack-stage/spack-stage-libfuse'],
    pattern: /\/tmp\/[\w.-]+\/spack-stage\//g,
    replacement: '/tmp/USER/spack-stage/',
  },
  {
    name: 'compute node names',
    example: ['srun: error: nid005123: task 0: Segmentation fault', 'srun: error: NID: task 0: Segmentation fault'],
    pattern: /\bnid\d{4,}\b/g,
    replacement: 'NID',
  },
  {
    name: 'process ids',
    example: ['Caught signal 11 (pid 48213)', 'Caught signal 11 (pid PID)'],
    pattern: /\b(pid|PID|tid|TID)([ =:]+)\d+\b/g,
    replacement: '$1$2PID',
  },
];

export const NORMALIZE_RULES: readonly NormalizeRule[] = [...DISPLAY_RULES, ...PREFIX_RULES, ...VALUE_RULES];

function applyRules(text: string, rules: readonly NormalizeRule[]): string {
  let out = text;
  for (const rule of rules) out = out.replace(rule.pattern, rule.replacement);
  return out;
}

/**
 * CRLF becomes LF. A lone CR (progress bars redraw a line with it) stays inside its line as a
 * space: only LF ends a line, so line N here is line N for `grep -n` and editors, and text before
 * a CR is kept as evidence rather than dropped the way a terminal would overwrite it.
 */
export function unifyLineEndings(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(/\r/g, ' ');
}

/** The input as the user sees it: unified line endings, no terminal escapes or control characters. */
export function toDisplayText(text: string): string {
  return applyRules(unifyLineEndings(text), DISPLAY_RULES);
}

/**
 * Normalizes text that went through toDisplayText. Callers may pass any run of whole lines: the
 * diagnosis engine normalizes a log block by block, which keeps the strings small and fast.
 */
export function normalizeDisplayText(display: string): string {
  return applyRules(applyRules(display, PREFIX_RULES), VALUE_RULES);
}

/**
 * Display text without the prefixes tools put in front of lines (timestamps, host and process
 * ids, build-step numbers), values left as written: what a person would search for.
 */
export function stripLinePrefixes(display: string): string {
  return applyRules(display, PREFIX_RULES);
}

/** One line (or a whole log) normalized the way the engine sees it, for signature authors and tests. */
export function normalizeLine(text: string): string {
  return normalizeDisplayText(toDisplayText(text));
}

/** Control characters written as escapes (ESC as `\e`), for showing the rules' examples on a page. */
export function showControls(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === '\x1b' ? '\\e' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
