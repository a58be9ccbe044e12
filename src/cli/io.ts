/** What a command gets: its arguments and the terminal (output, error output, capped standard input). */
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

/**
 * The start every command shares: `--help`/`-h` prints `usage` (exit 0); arguments `parse` refuses print the problem
 * and `usage` (exit 2). Returns the options, or the exit status to return.
 */
export function commandOptions<T>(name: string, args: string[], io: CliIO, usage: string, parse: (args: string[]) => T | string): T | number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(usage);
    return 0;
  }
  const opts = parse(args);
  if (typeof opts !== 'string') return opts;
  io.err(`uenv-kb ${name}: ${opts}\n\n${usage}`);
  return 2;
}
