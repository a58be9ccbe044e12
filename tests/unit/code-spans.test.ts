import { describe, expect, it } from 'vitest';
import { codeSpans } from '../../src/lib/diagnose/code-spans';

describe('codeSpans', () => {
  it('splits a note at backtick pairs', () => {
    expect(codeSpans('not in ldd output (`libcurl.so.4 => /usr/lib64/libcurl.so.4`): the provider')).toEqual([
      { text: 'not in ldd output (', code: false },
      { text: 'libcurl.so.4 => /usr/lib64/libcurl.so.4', code: true },
      { text: '): the provider', code: false },
    ]);
  });

  it('keeps text without backticks, and an unpaired backtick, as plain text', () => {
    expect(codeSpans('plain')).toEqual([{ text: 'plain', code: false }]);
    expect(codeSpans('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(codeSpans('`x` and `y`')).toEqual([
      { text: 'x', code: true },
      { text: ' and ', code: false },
      { text: 'y', code: true },
    ]);
  });

  it('keeps markup as text: the page renders each part through textContent', () => {
    expect(codeSpans('`<img src=x onerror=alert(1)>`')).toEqual([{ text: '<img src=x onerror=alert(1)>', code: true }]);
  });
});
