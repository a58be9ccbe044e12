import { describe, expect, it } from 'vitest';
import { compileDiagnoser, mostDistinctiveLine, SignatureCompileError, SPECIFIC_WEIGHT, type DiagnosableIssue } from '../../src/lib/diagnose/engine';
import { normalizeLine } from '../../src/lib/diagnose/log-normalize';
import { compileSignature } from '../../src/lib/diagnose/signature';
import type { Signature } from '../../src/schemas/issue';

const sig = (s: Partial<Signature> & ({ text: string } | { regex: string })): Signature => ({ weight: 5, ...s }) as Signature;

const curl: DiagnosableIssue = {
  id: 'curl-teardown',
  title: 'Segfault at teardown in the CXI provider',
  packages: ['libfabric', 'libcurl'],
  status: 'workaround',
  signatures: [
    sig({ text: 'cxip_curl_fini', weight: 8 }),
    sig({ regex: '/usr/lib(64)?/libcurl\\.so', weight: 6 }),
    sig({ text: 'Segmentation fault', weight: 1 }),
  ],
};
const finalize: DiagnosableIssue = {
  id: 'finalize-generic',
  title: 'Crash in MPI_Finalize',
  packages: ['cray-mpich'],
  status: 'open',
  signatures: [sig({ text: 'MPI_Finalize', weight: 3 }), sig({ text: 'Segmentation fault', weight: 2 })],
};
const build: DiagnosableIssue = {
  id: 'fuse-build',
  title: 'libfuse 2 on aarch64',
  packages: ['libfuse'],
  status: 'fixed-upstream',
  signatures: [sig({ regex: '^fuse_kernel\\.h:\\d+:\\d+: error: conflicting types', weight: 9 }), sig({ regex: '(?i)libfuse-2\\.9', weight: 2 })],
};
const diagnoser = compileDiagnoser([curl, finalize, build]);

const teardownLog = [
  'rank 0: osu_bw done',
  '[nid001234:48213] *** Process received signal ***',
  '#0  0x00004000178a2b3c in curl_multi_cleanup () from /usr/lib64/libcurl.so.4',
  '#1  0x0000400017f01234 in cxip_curl_fini () from ~/stack/lib/libfabric.so.1',
  '#2  0x0000400017e00000 in MPI_Finalize ()',
  'srun: error: nid001234: task 0: Segmentation fault (core dumped)',
].join('\n');

describe('diagnose', () => {
  it('ranks the issue with specific evidence first and reports its lines and permalink', () => {
    const { matches } = diagnoser.diagnose(teardownLog);
    expect(matches.map((m) => m.id)).toEqual(['curl-teardown']);
    const [m] = matches;
    expect(m).toMatchObject({ title: curl.title, packages: curl.packages, status: 'workaround', score: 8 + 6 + 1, url: '/issues/curl-teardown/' });
    expect(m!.lines.map((l) => l.n)).toEqual([3, 4, 6]);
    expect(m!.lines[0]!.text).toBe('#0  0x00004000178a2b3c in curl_multi_cleanup () from /usr/lib64/libcurl.so.4');
    expect(m!.evidence.map((e) => e.signature.weight)).toEqual([8, 6, 1]);
  });

  it('does not report an issue whose only evidence is generic', () => {
    expect(SPECIFIC_WEIGHT).toBe(5);
    const generic = '#3 0x0000400017e00000 in MPI_Finalize ()\nSegmentation fault (core dumped)';
    const d = diagnoser.diagnose(generic);
    expect(d.matches).toEqual([]);
    expect(d.suggestion).toEqual({ n: 2, text: 'Segmentation fault (core dumped)' });
  });

  it('lets generic evidence add to an issue that specific evidence already points to', () => {
    const withCurl = `${teardownLog}\n${'x\n'.repeat(3)}`;
    const a = diagnoser.diagnose(withCurl).matches[0]!;
    const b = diagnoser.diagnose(withCurl.replace('Segmentation fault (core dumped)', 'exit 139')).matches[0]!;
    expect(a.score - b.score).toBe(1);
  });

  it('matches normalized lines: ANSI colours, CRLF, build-log and host prefixes do not hide evidence', () => {
    const log = '==> Installing libfuse-2.9.9\r\n  >> 702    fuse_kernel.h:88:9: error: conflicting types for \x1b[01m\x1b[K‘int64_t’\x1b[m\x1b[K\r\n';
    const d = diagnoser.diagnose(log);
    expect(d.matches.map((m) => m.id)).toEqual(['fuse-build']);
    expect(d.lineCount).toBe(2);
    expect(d.matches[0]!.lines).toEqual([
      { n: 1, text: '==> Installing libfuse-2.9.9' },
      { n: 2, text: '  >> 702    fuse_kernel.h:88:9: error: conflicting types for ‘int64_t’' },
    ]);
  });

  it('keeps --top matches, best first', () => {
    const log = `${teardownLog}\nfuse_kernel.h:1:2: error: conflicting types`;
    expect(diagnoser.diagnose(log).matches.map((m) => m.id)).toEqual(['curl-teardown', 'fuse-build']);
    expect(diagnoser.diagnose(log, { top: 1 }).matches.map((m) => m.id)).toEqual(['curl-teardown']);
  });

  it('finds the same evidence as testing every signature on every line, across block boundaries (fuzzed)', () => {
    const pieces = [
      'cxip_curl_fini',
      'fuse_kernel.h:3:4: error: conflicting types',
      ' /usr/lib/libcurl.so',
      'MPI_Finalize',
      'LIBFUSE-2.9',
      'x'.repeat(700),
      '[nid000001:1] ',
      '\x1b[0m',
      '',
    ];
    let s = 7;
    const random = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(pieces[Math.floor(random() * pieces.length)]! + pieces[Math.floor(random() * pieces.length)]!);
    const log = lines.join('\n');
    const got = new Map<string, number[]>();
    for (const m of diagnoser.diagnose(log).matches)
      for (const e of m.evidence)
        got.set(
          `${m.id}/${e.index}`,
          e.lines.map((l) => l.n),
        );
    for (const issue of [curl, build]) {
      // The naive way: each signature on each line; a line belongs to the heaviest signature it
      // matches; a signature counts when it owns a line, and then shows all its lines.
      const compiled = issue.signatures.map((signature) => compileSignature(signature));
      const matched = compiled.map((c) => lines.map((l, i) => (c.test(normalizeLine(l)) ? i + 1 : 0)).filter(Boolean));
      const owns = issue.signatures.map(() => false);
      lines.forEach((_, i) => {
        const heaviest = [...issue.signatures.keys()]
          .filter((k) => matched[k]!.includes(i + 1))
          .sort((a, b) => issue.signatures[b]!.weight - issue.signatures[a]!.weight || a - b)[0];
        if (heaviest !== undefined) owns[heaviest] = true;
      });
      issue.signatures.forEach((_, index) => {
        const expected = owns[index] ? matched[index]!.slice(0, 20) : [];
        expect(got.get(`${issue.id}/${index}`) ?? [], `${issue.id}/${index}`).toEqual(expected);
      });
    }
  });

  it('returns no match and no suggestion for empty input', () => {
    expect(diagnoser.diagnose('')).toEqual({ matches: [], lineCount: 0 });
  });

  it('names the issue and signature that cannot be compiled', () => {
    const bad: DiagnosableIssue = { ...curl, id: 'bad', signatures: [sig({ text: 'ok' }), sig({ regex: '(a)\\1' })] };
    expect(() => compileDiagnoser([bad])).toThrow(SignatureCompileError);
    expect(() => compileDiagnoser([bad])).toThrow(/issue "bad": signatures\.1: /);
  });
});

describe('mostDistinctiveLine', () => {
  it('prefers the earliest error line that names things, and keeps its text without the line prefix', () => {
    const log = [
      'checking for gcc... gcc',
      'warning: something mild',
      '2025-01-20T12:34:56Z ld: error: undefined reference to `fi_getinfo@FABRIC_1.7` in /users/jdoe/app/main.o',
      'make: *** [Makefile:12: app] Error 1',
      'ld: error: undefined reference to `fi_fabric@FABRIC_1.7` in /users/jdoe/app/util.o',
    ].join('\n');
    expect(mostDistinctiveLine(log)).toEqual({ n: 3, text: 'ld: error: undefined reference to `fi_getinfo@FABRIC_1.7` in /users/jdoe/app/main.o' });
  });

  it('suggests the line as written: node names, addresses and the words PID and NID stay', () => {
    expect(diagnoser.diagnose('osu_bw done\n[nid001234:4242] srun: error: nid001234: task 0: Segmentation fault').suggestion).toEqual({
      n: 2,
      text: 'srun: error: nid001234: task 0: Segmentation fault',
    });
    expect(mostDistinctiveLine('error: PID file /run/munge.pid not found on NID list at 0x00007fff12345678')!.text).toBe(
      'error: PID file /run/munge.pid not found on NID list at 0x00007fff12345678',
    );
  });

  it('suggests nothing when no line looks like an error', () => {
    expect(mostDistinctiveLine('all good\nstill fine')).toBeUndefined();
  });
});

describe('requires', () => {
  const header: DiagnosableIssue = {
    id: 'needs-header',
    title: 'A compile error that proves the issue only next to its header',
    packages: ['libfuse'],
    status: 'open',
    signatures: [sig({ text: 'fuse_kernel.h', weight: 2 }), sig({ regex: 'conflicting types for .?int64_t', weight: 7, requires: [0] })],
  };
  const d = compileDiagnoser([header]);

  it('counts evidence only when the evidence it requires is also in the log', () => {
    expect(d.diagnose("x.c:1:2: error: conflicting types for 'int64_t'").matches).toEqual([]);
    const m = d.diagnose("In file included from fuse_kernel.h:90,\nx.c:1:2: error: conflicting types for 'int64_t'").matches;
    expect(m.map((x) => [x.id, x.score])).toEqual([['needs-header', 9]]);
  });
});

describe('a log line counts once per issue', () => {
  // One line that matches three overlapping signatures of one issue (as a cray-mpich abort line
  // matches its full regex, its error code and its short form) against a crash with distinct lines.
  const overlapping: DiagnosableIssue = {
    id: 'poll',
    title: 'OFI poll failed',
    packages: ['cray-mpich'],
    status: 'open',
    signatures: [
      sig({ regex: 'handle_cq_error\\(\\d+\\): OFI poll failed', weight: 8 }),
      sig({ text: 'PTLTE_NOT_FOUND', weight: 6 }),
      sig({ text: 'OFI poll failed', weight: 5 }),
    ],
  };
  const d = compileDiagnoser([curl, overlapping]);
  const pollLine = 'MPIDI_OFI_handle_cq_error(1062): OFI poll failed (ofi_events.c:1064:MPIDI_OFI_handle_cq_error:Input/output error - PTLTE_NOT_FOUND)';

  it('scores a line by the heaviest signature of the issue it matches, so distinct evidence wins', () => {
    const { matches } = d.diagnose(`${teardownLog}\n${pollLine}\n${pollLine}`);
    expect(matches.map((m) => [m.id, m.score])).toEqual([
      ['curl-teardown', 8 + 6 + 1],
      ['poll', 8],
    ]);
    expect(matches[1]!.evidence.map((e) => e.index)).toEqual([0]);
    expect(matches[1]!.lines.map((l) => l.n)).toEqual([7, 8]);
  });

  it('still counts a lighter signature on a line of its own', () => {
    const m = d.diagnose(`${pollLine}\nnid001234: cxi error PTLTE_NOT_FOUND`).matches[0]!;
    expect([m.score, m.evidence.map((e) => e.index)]).toEqual([8 + 6, [0, 1]]);
  });

  it('gives a line matched by signatures of equal weight to the lower index, once', () => {
    const twins: DiagnosableIssue = { ...curl, id: 'twins', signatures: [sig({ text: 'alpha', weight: 5 }), sig({ text: 'beta', weight: 5 })] };
    const m = compileDiagnoser([twins]).diagnose('alpha beta').matches[0]!;
    expect([m.score, m.evidence.map((e) => e.index)]).toEqual([5, [0]]);
  });
});
