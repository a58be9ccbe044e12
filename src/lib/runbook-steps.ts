/**
 * Step markers: the runbooks (bash) describe their own steps in comments, and the site renders those
 * comments, so a page and the script it documents cannot drift. Pure: no node:*, no DOM, no astro:*.
 *
 * Grammar (one marker per line; a marker line is `#`, one space, `@tag`, optionally indented):
 *
 *   # @placeholder <name>: <meaning>       anywhere in a file: explains `<name>` used in commands.
 *   # @step <n> <slug>: <Title>            opens step n (1, 2, … in order; slug = lowercase-hyphenated).
 *   # @doc <markdown>                      a line of the step's description; a bare `# @doc` ends a paragraph.
 *   # @command [<title>]                   opens a block: the comment lines below it, up to the next marker
 *   #   <command line>                       or the first non-comment line, are the exact commands the step
 *   #   <command line>                       runs, with `<placeholders>` for resolved values. `#` alone keeps
 *                                            a blank line. Common indentation is removed.
 *   # @fails <issue-id>: <meaning>         a failure mode and the known issue (content/issues/<id>.yaml).
 *   <function>() {                         the step's markers end at the function that runs the step.
 *
 * Rules the parser enforces (each error is `file:line:col: field: message`): steps are numbered 1..N
 * without gaps across all files given; slugs are unique; every step has a title, a description, at
 * least one command, and is followed by its function; every `<placeholder>` used in a command is
 * declared; tags are known. Issue ids are checked against the known records by `checkIssueRefs`.
 * The runbook itself derives its step list from the same `@step` lines (see runbooks/lib/build-state.sh).
 */
import { formatError, type SourceError } from './yaml-source';
import { SLUG_PATTERN } from '../schemas/common';

export interface RunbookSource {
  /** Repository-relative path, shown in errors and links. */
  file: string;
  text: string;
}

export interface RunbookCommand {
  title?: string;
  code: string;
  line: number;
}

export interface RunbookFailure {
  issue: string;
  meaning: string;
  line: number;
}

export interface RunbookStep {
  n: number;
  slug: string;
  title: string;
  /** Markdown; paragraphs separated by a blank line. */
  doc: string;
  commands: RunbookCommand[];
  fails: RunbookFailure[];
  /** The bash function that runs the step. */
  fn: string;
  file: string;
  line: number;
}

export interface Placeholder {
  name: string;
  meaning: string;
  file: string;
  line: number;
}

export interface RunbookSteps {
  steps: RunbookStep[];
  placeholders: Placeholder[];
  errors: SourceError[];
}

const MARKER = /^(\s*)# @([A-Za-z-]+)(?:[ \t]+(.*?))?\s*$/;
const STEP = new RegExp(`^(\\d+) (${SLUG_PATTERN}): (\\S.*)$`);
const FAILS = new RegExp(`^(${SLUG_PATTERN}): (\\S.*)$`);
const PLACEHOLDER = /^<([a-z][a-z0-9-]*)>: (\S.*)$/;
const FUNCTION = /^\s*(?:function\s+)?([A-Za-z_][\w:]*)\s*\(\)\s*\{?\s*$/;
/** `<name>` in a command; `<<EOF`, `< file` and `<(…)` do not match. */
const PLACEHOLDER_USE = /<([a-z][a-z0-9-]*)>/g;
const COMMENT = /^(\s*)#(?: (.*))?$/;

const TAGS = ['step', 'doc', 'command', 'fails', 'placeholder'] as const;

function dedent(lines: string[]): string {
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indents = lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

interface Open {
  step: RunbookStep;
  doc: string[];
  /** The command block being read, if any. */
  block?: { command: RunbookCommand; lines: string[] };
}

function parseFile(src: RunbookSource, steps: RunbookStep[], placeholders: Placeholder[], errors: SourceError[]): void {
  const err = (line: number, col: number, field: string, message: string) => errors.push({ file: src.file, line, col, field, message });
  let open: Open | undefined;

  const closeBlock = () => {
    if (!open?.block) return;
    const code = dedent(open.block.lines);
    if (!code) err(open.block.command.line, 1, `steps.${open.step.slug}.command`, '@command has no command lines below it');
    else open.step.commands.push({ ...open.block.command, code });
    open.block = undefined;
  };
  const closeStep = (line: number, fn?: string) => {
    if (!open) return;
    closeBlock();
    const s = open.step;
    s.doc = open.doc
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (!s.doc) err(s.line, 1, `steps.${s.slug}.doc`, 'needs at least one @doc line');
    if (!s.commands.length) err(s.line, 1, `steps.${s.slug}.command`, 'needs at least one @command block');
    if (fn) s.fn = fn;
    else err(line, 1, `steps.${s.slug}`, '@step must be followed by the function that runs it');
    steps.push(s);
    open = undefined;
  };

  const lines = src.text.split(/\r?\n/);
  lines.forEach((text, i) => {
    const line = i + 1;
    const m = MARKER.exec(text);
    if (m) {
      const [, indent, tag, rest = ''] = m;
      const col = indent!.length + 3;
      closeBlock();
      if (!(TAGS as readonly string[]).includes(tag!)) return err(line, col, tag!, `unknown marker @${tag} (known: ${TAGS.map((t) => `@${t}`).join(', ')})`);
      if (tag === 'placeholder') {
        const p = PLACEHOLDER.exec(rest);
        if (!p) return err(line, col, 'placeholder', 'expected "@placeholder <name>: meaning"');
        return void placeholders.push({ name: p[1]!, meaning: p[2]!, file: src.file, line });
      }
      if (tag === 'step') {
        closeStep(line);
        const s = STEP.exec(rest);
        if (!s) return err(line, col, 'step', 'expected "@step <n> <slug>: Title" (slug in lowercase-hyphenated form)');
        open = { step: { n: Number(s[1]), slug: s[2]!, title: s[3]!, doc: '', commands: [], fails: [], fn: '', file: src.file, line }, doc: [] };
        return;
      }
      if (!open) return err(line, col, tag!, `@${tag} outside a step (put it after an @step line)`);
      const field = `steps.${open.step.slug}.${tag}`;
      if (tag === 'doc') return void open.doc.push(rest === '' ? '\n' : rest);
      if (tag === 'command') return void (open.block = { command: { title: rest || undefined, code: '', line }, lines: [] });
      const f = FAILS.exec(rest);
      if (!f) return err(line, col, field, 'expected "@fails <issue-id>: meaning"');
      return void open.step.fails.push({ issue: f[1]!, meaning: f[2]!, line });
    }
    if (!open) return;
    const c = COMMENT.exec(text);
    if (c) {
      if (open.block) open.block.lines.push(c[2] ?? '');
      return;
    }
    if (text.trim() === '') return closeBlock();
    const fn = FUNCTION.exec(text);
    closeStep(line, fn?.[1]);
  });
  if (open) closeStep(lines.length);
}

/** Parses the markers of one runbook, which may spread its steps over several files (script + libraries). */
export function parseRunbookSteps(sources: RunbookSource[]): RunbookSteps {
  const steps: RunbookStep[] = [];
  const placeholders: Placeholder[] = [];
  const errors: SourceError[] = [];
  for (const src of sources) parseFile(src, steps, placeholders, errors);
  steps.sort((a, b) => a.n - b.n);

  steps.forEach((s, i) => {
    if (s.n !== i + 1)
      errors.push({
        file: s.file,
        line: s.line,
        col: 3,
        field: `steps.${s.slug}`,
        message: `is numbered ${s.n}, expected ${i + 1} (steps run 1..N without gaps)`,
      });
  });
  const slugs = new Map<string, RunbookStep>();
  for (const s of steps) {
    const first = slugs.get(s.slug);
    if (first) errors.push({ file: s.file, line: s.line, col: 3, field: `steps.${s.slug}`, message: `duplicate step slug (also ${first.file}:${first.line})` });
    else slugs.set(s.slug, s);
  }
  const declared = new Map<string, Placeholder>();
  for (const p of placeholders) {
    if (declared.has(p.name)) errors.push({ file: p.file, line: p.line, col: 3, field: `placeholder.${p.name}`, message: 'declared twice' });
    else declared.set(p.name, p);
  }
  for (const s of steps) {
    for (const c of s.commands) {
      for (const [, name] of c.code.matchAll(PLACEHOLDER_USE)) {
        if (!declared.has(name!))
          errors.push({
            file: s.file,
            line: c.line,
            col: 3,
            field: `steps.${s.slug}.command`,
            message: `placeholder <${name}> is not declared (add "# @placeholder <${name}>: meaning")`,
          });
      }
    }
  }
  return { steps, placeholders, errors };
}

/** Errors for `@fails` ids that name no known issue record. */
export function checkIssueRefs(parsed: RunbookSteps, knownIssueIds: Iterable<string>): SourceError[] {
  const known = new Set(knownIssueIds);
  return parsed.steps.flatMap((s) =>
    s.fails
      .filter((f) => !known.has(f.issue))
      .map((f) => ({
        file: s.file,
        line: f.line,
        col: 3,
        field: `steps.${s.slug}.fails`,
        message: `unknown issue "${f.issue}" (no content/issues/${f.issue}.yaml)`,
      })),
  );
}

/** The placeholders a step's commands use, in order of first use. */
export function placeholdersOf(step: RunbookStep): string[] {
  return [...new Set(step.commands.flatMap((c) => [...c.code.matchAll(PLACEHOLDER_USE)].map((m) => m[1]!)))];
}

/** Substitutes resolved values for placeholders (the runbook's tests compare this with `--dry-run`). */
export function fillPlaceholders(code: string, values: Record<string, string>): string {
  return code.replace(PLACEHOLDER_USE, (whole, name: string) => values[name] ?? whole);
}
