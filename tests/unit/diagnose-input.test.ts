import { closeSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InputTooLargeError, readCapped } from '../../src/cli/io';
import { MAX_LOG_BYTES } from '../../src/lib/diagnose/engine';
import { checkLogText, decodeLogBytes, LogInputError } from '../../src/lib/diagnose/input';

/** The first 64 KiB of the node executable: real binary data. */
function executableHead(): Uint8Array {
  const head = new Uint8Array(64 * 1024);
  const fd = openSync(process.execPath, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head;
}

const bytes = (...parts: (string | number[])[]) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

describe('log input: binary or text', () => {
  it('accepts a short log with one Latin-1 byte (one undecodable character is not binary data)', () => {
    expect(decodeLogBytes(bytes('caf\xe9 cxil_map: write error\n'))).toBe('caf\uFFFD cxil_map: write error\n');
  });

  it('accepts a log that starts with a hole of NULs (truncated by copytruncate while being written)', () => {
    const log = decodeLogBytes(bytes(new Array(4096).fill(0), 'srun: error: task 0: Segmentation fault\n'));
    expect(log.endsWith('Segmentation fault\n')).toBe(true);
  });

  it('accepts a few stray control bytes in a long log', () => {
    const line = 'NCCL INFO Channel 00/0 : 0[0] -> 4[0] [send] via NET/AWS Libfabric/0/GDRDMA\n';
    expect(() => decodeLogBytes(bytes(line.repeat(200), [0, 1, 2, 3, 0x7f, 0xff, 0xfe, 0x10, 0x11], line))).not.toThrow();
  });

  it.each([
    ['an executable', executableHead],
    ['random bytes (a compressed log)', () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    ['UTF-16 text', () => new Uint8Array(Buffer.from('error: something failed\n'.repeat(20), 'utf16le'))],
    ['alternating Latin-1 bytes', () => Uint8Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xe9 : 0x41))],
  ])('refuses %s as binary data', (_what, make) => {
    expect(() => decodeLogBytes(make())).toThrow(/looks like binary data, not a text log \(\d+ control or non-UTF-8 characters in the first \d+\)/);
  });

  it.each([[''], ['   \n\t\r\n  '], ['\0\0\0\n\n']])('refuses empty input %j: the log is empty', (text) => {
    expect(() => checkLogText(text)).toThrow(LogInputError);
    expect(() => checkLogText(text)).toThrow('is empty: the log has no text to diagnose');
    expect(() => decodeLogBytes(new TextEncoder().encode(text))).toThrow('is empty');
  });

  it('reports binary data as binary, not as oversize, although decoding makes it longer', () => {
    const binary = new TextDecoder().decode(Uint8Array.from({ length: MAX_LOG_BYTES / 2 }, () => 0xff));
    expect(() => checkLogText(binary)).toThrow(/binary data/);
  });
});

describe('readCapped', () => {
  it('reads a stream to its end when it is within the limit', async () => {
    expect((await readCapped(Readable.from([Buffer.from('ab'), Buffer.from('c')]), 3)).toString()).toBe('abc');
  });

  it('stops one chunk past the limit on an endless stream and rejects with InputTooLargeError', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024));
      },
    });
    await expect(readCapped(endless, 10 * 1024)).rejects.toBeInstanceOf(InputTooLargeError);
    expect(endless.destroyed).toBe(true);
    // The stream's own read-ahead (its highWaterMark, 16 KiB) is all that is read beyond the limit.
    expect(produced).toBeLessThanOrEqual(10 * 1024 + 16 * 1024 + 1024);
  });
});
