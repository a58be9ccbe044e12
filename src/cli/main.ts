/**
 * `uenv-kb <command> [args]`. Exit codes shared by every command: 0 success, 1 a finding (invalid
 * data, no match), 2 bad usage or unreadable input.
 */
export type Command = (args: string[], io: CliIO) => Promise<number>;

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  /**
   * Standard input as UTF-8 text, read only when a command asks for it. With maxBytes, reading
   * stops after that many bytes and the promise rejects with InputTooLargeError.
   */
  stdin: (maxBytes?: number) => Promise<string>;
}

/** Each command lives in its own module; add one line here per command. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  'check-data': { summary: 'validate the issue and package records in content/', load: () => import('./check-data') },
  'check-recipe': { summary: 'validate the stackinator recipe and cluster configuration', load: () => import('./check-recipe') },
  affected: { summary: 'list the known issues that apply to a built stack (spack.lock) or given versions', load: () => import('./affected') },
  diagnose: { summary: 'match a log against the known issues (exit 0 match, 1 none, 2 bad input)', load: () => import('./diagnose') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `usage: uenv-kb <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'uenv-kb <command> --help' for a command's options.`;
}

/** Input that has more bytes than the reader accepts; reading stopped at the limit. */
export class InputTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
    this.name = 'InputTooLargeError';
  }
}

/**
 * Reads a stream to its end, keeping at most maxBytes bytes: one byte more and it stops and
 * rejects with InputTooLargeError, so an endless or huge stream (a pipe, /dev/zero, a FIFO) can
 * neither hang the command nor exhaust memory. Leaving the loop early destroys the stream.
 */
export async function readCapped(stream: AsyncIterable<unknown>, maxBytes = Infinity): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += bytes.length;
    if (total > maxBytes) throw new InputTooLargeError(maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

async function readStdin(maxBytes?: number): Promise<string> {
  return (await readCapped(process.stdin, maxBytes)).toString('utf8');
}

export const defaultIO: CliIO = {
  out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  stdin: readStdin,
};

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? io.out : io.err)(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`uenv-kb: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest, io);
}
