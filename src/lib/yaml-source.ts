/**
 * YAML parsed with source positions, so every error can say `file:line:col: path.to.field: message`: the one
 * YAML → schema → positioned-error pipeline (`parseYamlWith`) and the one error class (`DataError`) of the records,
 * the recipe, the dependency map and the runbook markers. Pure (no node:*), safe for the browser.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { z } from 'astro/zod';
import { InputError } from './input-error';

/** Alias expansions allowed per document: our files use a few; a "billion laughs" file needs thousands. */
const MAX_ALIAS_COUNT = 100;

export type FieldPath = ReadonlyArray<string | number>;

export interface SourceError {
  file: string;
  line: number;
  col: number;
  /** Dotted field path, e.g. `links.0.url`; empty for file-level errors. */
  field: string;
  message: string;
}

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** Plain JS value of the document (undefined for an empty file). */
  value: unknown;
}

export function formatPath(path: FieldPath): string {
  return path.map(String).join('.');
}

export function formatError(e: SourceError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
}

/** Data that failed its checks: every problem as one `file:line:col: field: message` line, in `lines`. */
export class DataError extends Error {
  readonly lines: string[];
  constructor(
    what: string,
    // Not `errors`: Astro's error overlay would print only the first one's message.
    readonly problems: SourceError[],
  ) {
    const lines = problems.map(formatError);
    super(`invalid ${what}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'DataError';
    this.lines = lines;
  }
}

/** Parses YAML; syntax errors come back as SourceErrors instead of throwing. */
export function parseYaml(file: string, text: string): { source?: YamlSource; errors: SourceError[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((err) => {
    const pos = lines.linePos(err.pos[0]);
    return { file, line: pos.line, col: pos.col, field: '', message: `invalid YAML: ${err.message.split('\n')[0]}` };
  });
  if (errors.length) return { errors };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // yaml throws a ReferenceError when aliases expand past the count: refuse the file instead of a stack trace.
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      throw new InputError(file, `YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes (refused: a resource-exhaustion pattern)`);
    }
    throw err;
  }
  return { source: { file, doc, lines, value }, errors };
}

/** The key/value pair of the map at `parent` whose key is `key`, if any. */
function pairIn(parent: unknown, key: string | number): Pair<Node, Node | null> | undefined {
  return isMap(parent) ? (parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key)) as Pair<Node, Node | null> | undefined) : undefined;
}

/** The node at exactly `path`, or undefined (unlike positionOf, never the nearest parent). */
export function nodeAtPath(source: YamlSource, path: FieldPath): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const step of path) {
    if (isMap(node)) node = pairIn(node, step)?.value;
    else if (isSeq(node) && typeof step === 'number') node = node.items[step];
    else return undefined;
    if (node == null) return undefined;
  }
  return node as Node;
}

/** The map entry that ends `path` (`['packages', 'curl']` → the `curl:` pair), if `path` names one. */
export function pairAtPath(source: YamlSource, path: FieldPath): Pair<Node, Node | null> | undefined {
  return path.length ? pairIn(nodeAtPath(source, path.slice(0, -1)), path[path.length - 1]!) : undefined;
}

/** The deepest node that exists along `path`; a missing key points at its parent map. */
function nodeAt(doc: Document.Parsed, path: FieldPath): { node: Node | null; key: boolean } {
  let node: unknown = doc.contents;
  for (const step of path) {
    if (isMap(node)) {
      const pair = pairIn(node, step);
      if (!pair) return { node: node as Node, key: false };
      if (pair.value == null || (isScalar(pair.value) && pair.value.value === null && !pair.value.range)) {
        return { node: pair.key as Node, key: true };
      }
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
      node = node.items[step];
    } else {
      break;
    }
  }
  return { node: (node as Node) ?? null, key: false };
}

export function positionOf(source: YamlSource, path: FieldPath): { line: number; col: number } {
  const { node } = nodeAt(source.doc, path);
  const offset = node?.range?.[0] ?? 0;
  return source.lines.linePos(offset);
}

export function errorAt(source: YamlSource, path: FieldPath, message: string): SourceError {
  const { line, col } = positionOf(source, path);
  return { file: source.file, line, col, field: formatPath(path), message };
}

/** Position of the key that ends `path` (for "unknown key" or "invalid name"); else of the node. */
export function keyErrorAt(source: YamlSource, path: FieldPath, message: string): SourceError {
  const parent = nodeAt(source.doc, path.slice(0, -1)).node;
  const offset = pairIn(parent, path[path.length - 1]!)?.key?.range?.[0];
  if (offset === undefined) return errorAt(source, path, message);
  const { line, col } = source.lines.linePos(offset);
  return { file: source.file, line, col, field: formatPath(path), message };
}

type ZodIssue = z.core.$ZodIssue;

function issuePath(issue: { path: PropertyKey[] }): (string | number)[] {
  return issue.path.filter((p): p is string | number => typeof p !== 'symbol');
}

/**
 * For a failed union, the branch that got furthest into the input (deepest error path) explains
 * the problem best: `{ spec: 1 }` against `null | false | { spec: string }` is about `spec`.
 */
function bestUnionBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  const depth = (issues: ZodIssue[]) => Math.max(...issues.map((i) => issuePath(i).length));
  const best = [...branches].sort((a, b) => depth(b) - depth(a))[0];
  return best && depth(best) > 0 ? best : undefined;
}

function issueErrors(source: YamlSource, issue: ZodIssue, prefix: (string | number)[]): SourceError[] {
  const path = [...prefix, ...issuePath(issue)];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => keyErrorAt(source, [...path, k], 'unknown key'));
  }
  if (issue.code === 'invalid_key') {
    return [keyErrorAt(source, path, `invalid name: ${issue.issues[0]?.message ?? issue.message}`)];
  }
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input') {
    const branch = bestUnionBranch(issue.errors);
    if (branch) return branch.flatMap((i) => issueErrors(source, i, path));
  }
  return [errorAt(source, path, friendlyMessage(issue.message))];
}

const TYPE_NAMES: Record<string, string> = {
  record: 'a map',
  object: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  null: 'empty',
  undefined: 'missing',
};

/** Zod's default "Invalid input: expected record, received null" in the words of the rest of our messages. */
function friendlyMessage(message: string): string {
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (!m) return message;
  const [, expected, received] = m;
  return `must be ${TYPE_NAMES[expected!] ?? expected}, not ${TYPE_NAMES[received!] ?? received}`;
}

/** Turns a Zod failure into positioned errors, one per problem. */
export function zodErrors(source: YamlSource, error: z.ZodError): SourceError[] {
  return error.issues.flatMap((issue) => issueErrors(source, issue as ZodIssue, []));
}

/**
 * The pipeline every YAML file of ours goes through: parse with positions, check against `schema`, and return the
 * value or every problem as a positioned error (like Starlight's parseWithFriendlyErrors). An empty file is `{}`
 * unless `emptyAs` says otherwise.
 */
export function parseYamlWith<S extends z.ZodType>(schema: S, file: string, text: string, emptyAs: unknown = {}): Checked<S> {
  const { source, errors } = parseYaml(file, text);
  return source ? checkSource(schema, source, emptyAs) : { ok: false, errors };
}

export type Checked<S extends z.ZodType> =
  { ok: true; data: z.output<S>; source: YamlSource; errors: [] } | { ok: false; source?: YamlSource; errors: SourceError[] };

/** The second half of parseYamlWith, for a file parsed once and checked by several rules (the recipe). */
export function checkSource<S extends z.ZodType>(schema: S, source: YamlSource, emptyAs: unknown = {}): Checked<S> {
  const result = schema.safeParse(source.value ?? emptyAs);
  if (!result.success) return { ok: false, source, errors: zodErrors(source, result.error) };
  return { ok: true, data: result.data, source, errors: [] };
}
