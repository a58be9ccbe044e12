import { describe, expect, it } from 'vitest';
import { compileSignature, signatureProblem } from '../../src/lib/diagnose/signature';
import { parseKnowledgeBase } from '../../src/lib/records/knowledge-base';
import { formatError } from '../../src/lib/yaml-source';
import type { Signature } from '../../src/schemas/issue';

const s = (x: Partial<Signature>) => ({ weight: 5, ...x }) as Signature;

describe('signatures', () => {
  it('match text literally and regexes with RE2 semantics', () => {
    expect(compileSignature(s({ text: 'a.b(' })).test('x a.b( y')).toBe(true);
    expect(compileSignature(s({ text: 'a.b(' })).test('axb(')).toBe(false);
    expect(compileSignature(s({ regex: '^fuse_kernel\\.h:\\d+' })).test('fuse_kernel.h:88: error')).toBe(true);
    expect(compileSignature(s({ regex: '(?i)segmentation FAULT' })).test('Segmentation fault')).toBe(true);
  });

  it.each([
    [s({ regex: '(a)\\1' }), /regex does not compile as RE2: .*\\1/],
    [s({ regex: '(?=x)y' }), /regex does not compile as RE2/],
    [s({ regex: '(?<!x)y' }), /regex does not compile as RE2/],
    [s({ regex: 'a[' }), /regex does not compile as RE2: .*missing closing \]/],
    [s({ text: 'one\ntwo' }), /must be one line/],
    [s({ text: 'at 0x00007fff12345678' }), /write it as it reads after normalization: "at 0xADDR"/],
    [s({ text: '[nid001234:12345] fault' }), /"fault"/],
    [s({ regex: '(?:)' }), /regex matches the empty string, so it would match every line/],
    [s({ regex: 'x*' }), /matches the empty string/],
    [s({ regex: 'error|' }), /matches the empty string/],
    [s({ regex: '\\b' }), /matches the empty string/],
    [s({ regex: 'killed \\(pid 4242\\)' }), /never matches a normalized log line; .*"killed \(pid PID\)"/],
    [s({ regex: 'on nid001234' }), /"on NID"/],
  ])('rejects %j', (signature, message) => {
    expect(signatureProblem(signature)).toMatch(message);
  });

  it('accepts text that normalization leaves alone', () => {
    expect(signatureProblem(s({ text: 'cxip_curl_fini' }))).toBeUndefined();
    expect(signatureProblem(s({ regex: 'NET/OFI Unable to register memory' }))).toBeUndefined();
    expect(signatureProblem(s({ regex: 'a+|b' }))).toBeUndefined();
    expect(signatureProblem(s({ regex: '^\\s*error:' }))).toBeUndefined();
  });

  it('a bad signature fails the knowledge base (and so the site build) naming its file, line and field', () => {
    const pkg = {
      file: 'content/packages/libfabric.yaml',
      text: 'id: libfabric\ntitle: libfabric\nsummary: s\nwhy: w\nrole: network\nupstream:\n  - {url: "https://example.org/", title: t, kind: source, shows: s}\n',
    };
    const issue = (signatures: string) => ({
      file: 'content/issues/bad.yaml',
      text: `id: bad\ntitle: A bad issue\npackages: [libfabric]\nstatus: open\nsymptoms: [x]\nsignatures:\n${signatures}cause: c\narea: cxi\naffected: {architectures: [any]}\nlinks:\n  - {url: "https://example.org/", title: t, kind: issue, shows: s}\nfirst_seen: 2025-01-01\nlast_verified: 2025-01-01\n`,
    });
    const regex = parseKnowledgeBase(
      [issue("  - text: fine\n    source: https://example.org/src.c#L1\n  - regex: '(a)\\1'\n    source: https://example.org/src.c#L1\n")],
      [pkg],
    ).errors.map(formatError);
    expect(regex).toEqual([expect.stringMatching(/^content\/issues\/bad\.yaml:9:12: signatures\.1\.regex: regex does not compile as RE2/)]);
    const requires = parseKnowledgeBase([issue('  - text: fine\n    requires: [0, 4]\n    source: https://example.org/src.c#L1\n')], [pkg]).errors.map(
      formatError,
    );
    expect(requires).toEqual([
      expect.stringMatching(/^content\/issues\/bad\.yaml:8:16: signatures\.0\.requires\.0: must name another signature of this issue \(0–0, not 0\)/),
      expect.stringMatching(/signatures\.0\.requires\.1: must name another signature/),
    ]);
    const empty = parseKnowledgeBase(
      [issue("  - text: fine\n    source: https://example.org/src.c#L1\n  - regex: '(?:)'\n    source: https://example.org/src.c#L1\n")],
      [pkg],
    ).errors.map(formatError);
    expect(empty).toEqual([expect.stringMatching(/^content\/issues\/bad\.yaml:9:12: signatures\.1\.regex: regex matches the empty string/)]);
    const text = parseKnowledgeBase([issue('  - text: "pid 4242 died"\n    source: https://example.org/src.c#L1\n')], [pkg]).errors.map(formatError);
    expect(text).toEqual([
      expect.stringMatching(/^content\/issues\/bad\.yaml:7:11: signatures\.0\.text: never matches a normalized log line; .*"pid PID died"/),
    ]);
  });
});
