import { describe, expect, it } from 'vitest';
import { NORMALIZE_RULES, normalizeDisplayText, normalizeLine, showControls, toDisplayText } from '../../src/lib/diagnose/log-normalize';

/** Small deterministic PRNG, so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('normalization rules', () => {
  it.each(NORMALIZE_RULES.map((r) => [r.name, r.example] as const))('%s: rewrites its example', (_name, [before, after]) => {
    expect(normalizeLine(before)).toBe(after);
  });

  it('strips every prefix a line carries, in order', () => {
    const line = '2025-01-20T12:34:56.123Z #9 215.6 [nid001234:4242] libfabric:4242:1737370000::cxi:core:cxip_curl_fini():271<warn> 0x00004000deadbeef';
    expect(normalizeLine(line)).toBe('libfabric:PID:TIME::cxi:core:cxip_curl_fini():271<warn> 0xADDR');
  });

  it('keeps short hex values, gdb frame numbers and unrelated numbers', () => {
    expect(normalizeLine('#0  0x10 in ?? ()')).toBe('#0  0x10 in ?? ()');
    expect(normalizeLine('Failing at address: 0x10')).toBe('Failing at address: 0x10');
    expect(normalizeLine('osu_bw 1048576 23145.61')).toBe('osu_bw 1048576 23145.61');
  });

  it('turns CRLF into LF, keeps a lone CR inside its line as a space and removes terminal escapes', () => {
    expect(toDisplayText('a\r\nb\rc\x1b[0m\x1b]0;title\x07')).toBe('a\nb c');
    expect(toDisplayText('10%\r50%\r100% done\r\n')).toBe('10% 50% 100% done\n');
  });

  it('numbers lines like grep -n: only LF ends a line, whatever CRs the text holds (fuzzed)', () => {
    const random = prng(7);
    const alphabet = ['\n', '\r', '\r\n', 'x', ' ', '\x1b[0m'];
    for (let round = 0; round < 500; round++) {
      let text = '';
      for (let i = Math.floor(random() * 60); i > 0; i--) text += alphabet[Math.floor(random() * alphabet.length)];
      const newlines = text.split('\n').length;
      expect(toDisplayText(text).split('\n').length, JSON.stringify(text)).toBe(newlines);
    }
  });

  it('never adds or removes a line, whatever the input (fuzzed)', () => {
    const alphabet = ['\n', '\r', '\x1b', '[', ']', '#', '>', ':', ' ', '\t', '0', '9', 'x', 'a', '/', '-', '.', 'nid', 'pid ', '0x', 'users/'];
    const random = prng(42);
    for (let round = 0; round < 500; round++) {
      let text = '';
      const length = Math.floor(random() * 200);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const display = toDisplayText(text);
      const lines = display.split('\n').length;
      expect(normalizeDisplayText(display).split('\n').length, JSON.stringify(text)).toBe(lines);
    }
  });

  it('normalizes a block of lines exactly as it normalizes each line alone', () => {
    const lines = ['[nid000001:1] 3: x', '  >> 12    error: y', '#9 1.5 z 0x1234567', '/users/a/b'];
    expect(normalizeDisplayText(lines.join('\n'))).toBe(lines.map(normalizeLine).join('\n'));
  });

  it('shows control characters of the examples as escapes', () => {
    expect(showControls('\x1b[1mx\x08\ty')).toBe('\\e[1mx\\x08\ty');
  });
});
