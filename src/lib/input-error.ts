/**
 * Input the tools refuse to read (not a regular file, a link out of the repository, too large, not UTF-8, a YAML
 * alias bomb): one line naming the file and the reason, never its contents. The CLIs exit 2 on it; the build stops.
 * Pure, so the YAML parser can raise it too.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'InputError';
    // A refusal is a message for the user, not a bug: tools that print stacks (Astro's config loader) print this line.
    this.stack = this.message;
  }
}

/** Exact sizes, so "one byte over" reads as such: `10485761 bytes`. */
export function formatBytes(bytes: number): string {
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

/** The reason for a file over a limit: `is 1048577 bytes, over the limit of 1048576 bytes (1 MiB)`. */
export function overLimit(bytes: number | undefined, maxBytes: number): string {
  const size = bytes === undefined ? 'is larger than' : `is ${formatBytes(bytes)}, over`;
  const mib = maxBytes / (1024 * 1024);
  return `${size} the limit of ${formatBytes(maxBytes)}${Number.isInteger(mib) ? ` (${mib} MiB)` : ''}`;
}

/**
 * Decodes UTF-8 strictly: a record with a byte sequence that is not UTF-8 is refused at its byte offset instead of
 * being read with U+FFFD in place of the bytes.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputError(file, `is not UTF-8 text: invalid byte sequence at byte offset ${invalidUtf8Offset(bytes)}`);
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0; // no overlong forms
      if (b === 0xed) max = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}
