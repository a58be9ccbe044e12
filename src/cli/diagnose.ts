/**
 * `uenv-kb diagnose [FILE|-] [--json] [--top N]`: the /diagnose/ page on the command line, for CI
 * logs. Exit 0 when a known issue matched, 1 when none did, 2 on bad input or unusable records.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputTooLargeError, readCapped, type CliIO, type Command } from './main';
import { compileDiagnoser, MAX_LOG_BYTES, type Diagnosis } from '../lib/diagnose/engine';
import { checkLogContent, checkLogSize, decodeLogBytes, LogInputError, logTooLargeError } from '../lib/diagnose/input';
import { KnowledgeBaseError, loadKnowledgeBase } from '../lib/knowledge-base-fs';
import { publicSiteUrl } from '../lib/site';

const USAGE = `usage: uenv-kb diagnose [FILE|-] [--json] [--top N]

Matches a log (a file, or standard input with - or no FILE) against the signatures of every known
issue and prints the best matches, most specific evidence first.

  --json     print {"matches":[{"id","title","packages","status","score","lines":[{"n","text"}],"url"}]}
  --top N    show at most N matches (default 5)

Exit status: 0 a known issue matched, 1 none matched, 2 bad input.`;

const DEFAULT_TOP = 5;

interface Options {
  file: string;
  json: boolean;
  top: number;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'help' {
  const options: Options = { file: '-', json: false, top: DEFAULT_TOP };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') options.json = true;
    else if (arg === '--top' || arg.startsWith('--top=')) {
      const value = arg === '--top' ? args[++i] : arg.slice('--top='.length);
      if (value === undefined || !/^[1-9]\d*$/.test(value)) throw new UsageError(`--top needs a positive whole number, got "${value ?? ''}"`);
      options.top = Number(value);
    } else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option "${arg}"`);
    else files.push(arg);
  }
  if (files.length > 1) throw new UsageError(`one log at a time, got ${files.length}: ${files.join(' ')}`);
  options.file = files[0] ?? '-';
  return options;
}

function cannotRead(err: unknown): LogInputError {
  return new LogInputError(`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
}

/** Turns a read that stopped at the size limit into the size-limit message. */
async function capped<T>(read: Promise<T>): Promise<T> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof InputTooLargeError) throw logTooLargeError();
    throw err;
  }
}

async function readLog(file: string, io: CliIO): Promise<string> {
  // io.stdin stops at the byte limit itself; the text is not measured again, because decoding
  // turns each invalid byte into a 3-byte U+FFFD and a file of the same bytes would pass.
  if (file === '-') return checkLogContent(await capped(io.stdin(MAX_LOG_BYTES)));
  let stat;
  try {
    stat = statSync(file);
  } catch (err) {
    throw cannotRead(err);
  }
  if (stat.isDirectory()) throw new LogInputError('is a directory');
  let bytes: Uint8Array;
  if (stat.isFile()) {
    checkLogSize(stat.size); // before reading, so a huge file is never loaded
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw cannotRead(err);
    }
  } else {
    // A FIFO, a device (/dev/zero) or a socket reports no size: read it as a stream, stopping
    // one byte past the limit, so an endless one cannot hang the command.
    try {
      bytes = await capped(readCapped(createReadStream(file), MAX_LOG_BYTES));
    } catch (err) {
      if (err instanceof LogInputError) throw err;
      throw cannotRead(err);
    }
  }
  return decodeLogBytes(bytes);
}

/** The records ship with the CLI: read them beside the code unless UENV_KB_CONTENT says otherwise. */
function recordsDir(): string {
  return process.env.UENV_KB_CONTENT ?? fileURLToPath(new URL('../../content', import.meta.url));
}

/** `site` is the public origin (publicSiteUrl); permalinks are root-relative paths under it. */
function formatText(diagnosis: Diagnosis, source: string, site: string): string {
  if (!diagnosis.matches.length) {
    const lines = [`no known issue matches ${source} (${diagnosis.lineCount} line${diagnosis.lineCount === 1 ? '' : 's'}).`];
    if (diagnosis.suggestion) {
      lines.push(`Search the site (${site}/, Ctrl+K) for its most distinctive line, line ${diagnosis.suggestion.n}:`, `  ${diagnosis.suggestion.text}`);
    }
    return lines.join('\n');
  }
  return diagnosis.matches
    .map((m, i) =>
      [
        `${i + 1}. ${m.title}`,
        `   ${site}${m.url}`,
        `   id ${m.id} · status ${m.status} · packages ${m.packages.join(', ')} · score ${m.score}`,
        ...m.lines.map((l) => `   line ${l.n}: ${l.text}`),
      ].join('\n'),
    )
    .join('\n\n');
}

function formatJson(diagnosis: Diagnosis, site: string): string {
  const matches = diagnosis.matches.map(({ id, title, packages, status, score, lines, url }) => ({
    id,
    title,
    packages,
    status,
    score,
    lines,
    url: `${site}${url}`,
  }));
  return JSON.stringify({ matches });
}

export const run: Command = async (args, io) => {
  let options: Options | 'help';
  try {
    options = parseArgs(args);
  } catch (err) {
    io.err(`uenv-kb diagnose: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }
  let site: string;
  try {
    site = publicSiteUrl(process.env);
  } catch (err) {
    io.err(`uenv-kb diagnose: ${(err as Error).message}`);
    return 2;
  }
  if (options.file === '-' && !args.includes('-') && process.stdin.isTTY) {
    io.err(`uenv-kb diagnose: no log given (pass a file, or pipe one in)\n\n${USAGE}`);
    return 2;
  }
  const source = options.file === '-' ? 'standard input' : options.file;
  let text: string;
  try {
    text = await readLog(options.file, io);
  } catch (err) {
    if (!(err instanceof LogInputError)) throw err;
    io.err(`uenv-kb diagnose: ${source}: ${err.message}`);
    return 2;
  }
  let issues;
  try {
    issues = loadKnowledgeBase(recordsDir(), fileURLToPath(new URL('../..', import.meta.url))).issues.map((i) => i.record);
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    io.err(`uenv-kb diagnose: the issue records are invalid:\n${err.lines.join('\n')}`);
    return 2;
  }
  const diagnosis = compileDiagnoser(issues).diagnose(text, { top: options.top });
  io.out(options.json ? formatJson(diagnosis, site) : formatText(diagnosis, source, site));
  if (options.json && !diagnosis.matches.length && diagnosis.suggestion) {
    io.err(`no known issue matches; most distinctive line (${diagnosis.suggestion.n}): ${diagnosis.suggestion.text}`);
  }
  return diagnosis.matches.length ? 0 : 1;
};
