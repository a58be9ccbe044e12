/**
 * `uenv-kb diagnose [FILE|-] [--json] [--top N] [--min-confidence high|low]`: the /diagnose/ page on the
 * command line, for CI logs. Exit 0 when a known issue matched (with at least the minimum confidence),
 * 1 when none did, 2 on bad input or unusable records.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputTooLargeError, readCapped, type CliIO, type Command } from './io';
import { compileDiagnoser, MAX_LOG_BYTES, type Confidence } from '../lib/diagnose/engine';
import { formatJson, formatText, terminalSafe } from '../lib/diagnose/format';
import { checkLogContent, checkLogSize, decodeLogBytes, LogInputError, logTooLargeError } from '../lib/diagnose/input';
import { loadKnowledgeBase } from '../lib/records/knowledge-base-fs';
import { DataError as KnowledgeBaseError } from '../lib/yaml-source';
import { publicSiteUrl } from '../lib/site';

const USAGE = `usage: uenv-kb diagnose [FILE|-] [--json] [--top N] [--min-confidence high|low]

Matches a log (a file, or standard input with - or no FILE) against the signatures and the text of
every known issue and prints the best matches: high confidence first (specific evidence, in a log of
this stack), then at most three "possibly" (low confidence) with the lines that made them.

  --json                 print {"matches":[{"id","title","packages","status","confidence","reason",
                         "score","lines":[{"n","text"}],"url","context"?,"text"?}],"suggestion"?}
  --top N                show at most N matches (default 5)
  --min-confidence C     which matches count for the exit status: high, or low (default: any match)

Exit status: 0 a known issue matched, 1 none matched, 2 bad input.

Under npx (npm exec) only standard input, output and error reach the command: /dev/fd/N for N > 2 is
refused there; redirect it to standard input instead (npx uenv-kb diagnose - <&7).`;

const DEFAULT_TOP = 5;
const CONFIDENCES: readonly Confidence[] = ['high', 'low'];

interface Options {
  file: string;
  json: boolean;
  top: number;
  minConfidence: Confidence;
}

class UsageError extends Error {}

function parseArgs(args: string[]): Options | 'help' {
  const options: Options = { file: '-', json: false, top: DEFAULT_TOP, minConfidence: 'low' };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--json') options.json = true;
    else if (arg === '--top' || arg.startsWith('--top=')) {
      const value = arg === '--top' ? args[++i] : arg.slice('--top='.length);
      if (value === undefined || !/^[1-9]\d*$/.test(value)) throw new UsageError(`--top needs a positive whole number, got "${value ?? ''}"`);
      options.top = Number(value);
    } else if (arg === '--min-confidence' || arg.startsWith('--min-confidence=')) {
      const value = arg === '--min-confidence' ? args[++i] : arg.slice('--min-confidence='.length);
      if (!CONFIDENCES.includes(value as Confidence)) throw new UsageError(`--min-confidence needs high or low, got "${value ?? ''}"`);
      options.minConfidence = value as Confidence;
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

/**
 * True when run by npm exec (npx), which starts the command with only descriptors 0-2: a /dev/fd/N
 * above 2 is then one of npm's own descriptors or none, and reading it can block forever.
 */
function unreachableDescriptor(file: string, env: NodeJS.ProcessEnv): boolean {
  const fd = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(file)?.[1];
  const underNpx = env.npm_command === 'exec' || env.npm_lifecycle_event === 'npx';
  return fd !== undefined && Number(fd) > 2 && underNpx;
}

async function readLog(file: string, io: CliIO): Promise<string> {
  if (unreachableDescriptor(file, process.env)) {
    throw new LogInputError(
      `is a file descriptor npx does not pass to the command; redirect it to standard input instead: npx uenv-kb diagnose - <&${file.split('/').pop()}`,
    );
  }
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
    io.err(terminalSafe(`uenv-kb diagnose: ${source}: ${err.message}`));
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
  const counted = diagnosis.matches.filter((m) => options.minConfidence === 'low' || m.confidence === 'high');
  if (options.json && !counted.length && diagnosis.suggestion) {
    io.err(terminalSafe(`no known issue matches; most distinctive line (${diagnosis.suggestion.n}): ${diagnosis.suggestion.text}`));
  }
  return counted.length ? 0 : 1;
};
