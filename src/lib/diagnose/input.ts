/**
 * Turns what the user gave (a file's bytes or pasted text) into log text, or says clearly why not.
 * Pure: the page's worker and the CLI both use it, so both refuse the same inputs.
 */
import { overLimit } from '../input-error';
import { MAX_LOG_BYTES } from './limits';

export class LogInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogInputError';
  }
}

/** How many characters (after any leading NULs) are inspected for signs of binary data. */
const SNIFF_CHARS = 64 * 1024;
/**
 * Binary data is refused only when at least this many suspicious characters make up more than
 * this share of the sniffed text. Both are needed: a short log with one Latin-1 byte (`caf\xe9`)
 * is a tenth suspicious but is text; a large log with a few stray bytes is a tiny share. Real
 * binaries (executables, core files, compressed logs) are far above both.
 */
const MIN_SUSPICIOUS = 8;
const MAX_SUSPICIOUS_SHARE = 0.1;
/**
 * Characters text logs do not contain: C0 controls other than tab, newlines, vertical tab, form
 * feed, backspace and ESC (which terminal output uses), DEL, and U+FFFD, which decoding puts in
 * place of every byte sequence that is not UTF-8. A run of NULs counts once: a log that was
 * truncated while a program kept writing to it (logrotate's copytruncate) holds a hole of NULs.
 */
const SUSPICIOUS = /\0+|[\x01-\x07\x0e-\x1a\x1c-\x1f\x7f\uFFFD]/g;

/** The error for a log over the size limit; `bytes` is omitted when reading stopped at the limit. */
export function logTooLargeError(bytes?: number): LogInputError {
  // Exact sizes: a log one byte over must not read "10.0 MiB, over the 10.0 MiB limit".
  return new LogInputError(`${overLimit(bytes, MAX_LOG_BYTES)}; pass the part around the error (e.g. tail -c 5M)`);
}

/** Throws LogInputError when a log of this many bytes is over the limit. */
export function checkLogSize(bytes: number): void {
  if (bytes > MAX_LOG_BYTES) throw logTooLargeError(bytes);
}

/**
 * Throws LogInputError for text that is empty or binary. Leading NULs are skipped (a truncated,
 * still written log starts with them); the rest is judged on its first SNIFF_CHARS characters.
 */
export function checkLogContent(text: string): string {
  let start = 0;
  while (start < text.length && text.charCodeAt(start) === 0) start++;
  if (text.slice(start).trim() === '') {
    throw new LogInputError('is empty: the log has no text to diagnose');
  }
  const sample = text.slice(start, start + SNIFF_CHARS);
  const suspicious = sample.match(SUSPICIOUS)?.length ?? 0;
  if (suspicious >= MIN_SUSPICIOUS && suspicious / sample.length > MAX_SUSPICIOUS_SHARE) {
    throw new LogInputError(`looks like binary data, not a text log (${suspicious} control or non-UTF-8 characters in the first ${sample.length})`);
  }
  return text;
}

/** A file's bytes as log text. Throws LogInputError for oversize, empty or binary input. */
export function decodeLogBytes(bytes: Uint8Array): string {
  checkLogSize(bytes.byteLength);
  return checkLogContent(new TextDecoder('utf-8').decode(bytes));
}

/**
 * Already decoded text (pasted, or standard input), checked by the same rules as a file. Content
 * first: decoding turns each invalid byte into a 3-byte U+FFFD, so binary data must not be
 * reported as oversize text.
 */
export function checkLogText(text: string): string {
  checkLogContent(text);
  // Each UTF-16 unit is at least one UTF-8 byte, so only long texts need the exact count.
  if (text.length > MAX_LOG_BYTES / 3) checkLogSize(new TextEncoder().encode(text).byteLength);
  return text;
}
