import { describe, expect, it } from 'vitest';
import { LiteralScanner, requiredLiterals } from '../../src/lib/diagnose/literals';
import { compileSignature } from '../../src/lib/diagnose/signature';
import { normalizeLine } from '../../src/lib/diagnose/log-normalize';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import { readCorpus } from './diagnose-eval';

describe('requiredLiterals', () => {
  it.each([
    ['OFI poll failed', ['OFI poll failed']],
    ['^(?:[^=\\n]|=[^>\\n])*/usr/lib(64)?/libcurl\\.so', ['/libcurl.so']],
    ['(Additional|Unevaluated) properties are not allowed', [' properties are not allowed']],
    ['libfabric|\\bcxip?_\\w+|NET/OFI', ['libfabric', 'cxi', 'NET/OFI']],
    ['handle_cq_error\\(\\d+\\): OFI poll failed', ['): OFI poll failed']],
    ['colou?r scheme', ['r scheme']],
    ['ab+cdef', ['cdef']],
    ['x{2,3}yzw', ['yzw']],
  ])('%s needs one of %j', (pattern, literals) => {
    expect(requiredLiterals(pattern)).toEqual(literals);
  });

  it.each(['(?i)libfuse-2\\.9', 'cxi|[0-9]+', 'a.b.c', '\\QOFI\\E poll'])('%s has no usable literal, so it stays in the RE2 set', (pattern) => {
    expect(requiredLiterals(pattern)).toBeUndefined();
  });

  it('never filters out a line a signature or context pattern matches: every pattern of the records, on every corpus line', () => {
    const patterns = loadKnowledgeBase()
      .issues.flatMap((i) => [...i.record.signatures, ...(i.record.context ?? [])])
      .filter((m) => m.regex);
    const lines = [...new Set(readCorpus().flatMap((log) => normalizeLine(log.text).split('\n')))];
    let checked = 0;
    for (const m of patterns) {
      const literals = requiredLiterals(m.regex!);
      if (!literals) continue;
      const sig = compileSignature({ regex: m.regex!, weight: 1, source: 'https://example.org/' });
      for (const line of lines) {
        if (!sig.test(line)) continue;
        checked++;
        expect(
          literals.some((l) => line.includes(l)),
          `${m.regex} matches ${JSON.stringify(line)} without any of ${JSON.stringify(literals)}`,
        ).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe('LiteralScanner', () => {
  it('reports each id whose literal occurs once, overlapping and nested literals included', () => {
    const scanner = new LiteralScanner([
      { literal: 'curl_multi_cleanup', id: 1 },
      { literal: 'multi', id: 2 },
      { literal: 'cleanup', id: 3 },
      { literal: 'absent', id: 4 },
      { literal: 'aaa', id: 5 },
      { literal: 'aaaa', id: 6 },
    ]);
    const found: number[] = [];
    scanner.scan(`#0 in curl_multi_cleanup () from /usr/lib64/libcurl.so.4 ${'a'.repeat(1000)} curl_multi_cleanup`, (id) => found.push(id));
    expect(found.sort()).toEqual([1, 2, 3, 5, 6]);
    const again: number[] = [];
    scanner.scan('cleanup only', (id) => again.push(id));
    expect(again).toEqual([3]);
  });
});
