/**
 * Turns what the user gave (a file's bytes or pasted text) into log text, or says clearly why not.
 * Pure: the page's worker and the CLI both use it, so both refuse the same inputs.
 */
import { MAX_LOG_BYTES } from './diagnose';

export class LogInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogInputError';
  }
}

/** How many leading bytes are inspected for signs of binary data. */
const SNIFF_BYTES = 64 * 1024;
/** More undecodable characters than this share of the sniffed text means "not text". */
const MAX_REPLACEMENT_SHARE = 0.01;

function formatSize(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Throws LogInputError when a log of this many bytes is over the limit. */
export function checkLogSize(bytes: number): void {
  if (bytes > MAX_LOG_BYTES) {
    throw new LogInputError(`is ${formatSize(bytes)}, over the ${formatSize(MAX_LOG_BYTES)} limit; pass the part around the error (e.g. tail -c 5M)`);
  }
}

function checkNotBinary(text: string): void {
  const nul = text.indexOf('\0');
  if (nul !== -1) throw new LogInputError(`looks like binary data (NUL byte at offset ${nul}), not a text log`);
  const sample = text.slice(0, SNIFF_BYTES);
  let bad = 0;
  for (let i = sample.indexOf('\uFFFD'); i !== -1; i = sample.indexOf('\uFFFD', i + 1)) bad++;
  if (sample.length && bad / sample.length > MAX_REPLACEMENT_SHARE) {
    throw new LogInputError(`is not UTF-8 text (${bad} undecodable characters in the first ${sample.length})`);
  }
}

/** A file's bytes as log text. Throws LogInputError for oversize or binary input. */
export function decodeLogBytes(bytes: Uint8Array): string {
  checkLogSize(bytes.byteLength);
  const text = new TextDecoder('utf-8').decode(bytes);
  checkNotBinary(text);
  return text;
}

/** Pasted (already decoded) text, checked by the same rules as a file. */
export function checkLogText(text: string): string {
  // Each UTF-16 unit is at least one UTF-8 byte, so only long texts need the exact count.
  if (text.length > MAX_LOG_BYTES / 3) checkLogSize(new TextEncoder().encode(text).byteLength);
  checkNotBinary(text);
  return text;
}
