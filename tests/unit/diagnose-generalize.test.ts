/**
 * The three ways issue 12 found the diagnosis failing on logs nobody here had seen, each pinned by a
 * test on the real records: a log that words a known failure differently from every signature; the
 * next file or symbol of a family of identical failures; and generic evidence with nothing tying the
 * log to this stack. Logs are short and built from public texts (named at each test); where a line is
 * adapted, the comment says how. They are unit fixtures, not evidence of accuracy (that is `npm run eval`).
 */
import { describe, expect, it } from 'vitest';
import { compileDiagnoser, TEXT_MIN_TERMS, type DiagnosableIssue } from '../../src/lib/diagnose/engine';
import { tokenize } from '../../src/lib/diagnose/tokens';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import type { Signature } from '../../src/schemas/issue';

const issues = loadKnowledgeBase().issues.map((i) => i.record);
const diagnoser = compileDiagnoser(issues);
const sig = (s: Partial<Signature> & ({ text: string } | { regex: string })): Signature => ({ weight: 5, ...s }) as Signature;

describe('identifier-aware tokens', () => {
  it('keeps environment variables, functions, sonames and commands whole, and adds the parts of dotted names', () => {
    const tokens = tokenize('export FI_CXI_DEFAULT_CQ_SIZE=131072; #1 in cxip_curl_fini () from /usr/lib64/libcurl.so.4; `fi_info -p cxi`');
    expect(tokens).toEqual(expect.arrayContaining(['fi_cxi_default_cq_size', 'cxip_curl_fini', 'libcurl.so.4', 'libcurl', 'usr', 'lib64', 'fi_info', 'cxi']));
    // Sentence punctuation is not part of a token; numbers and stop words are not tokens.
    expect(tokenize('It failed at libfabric.so.1.')).toEqual(['failed', 'libfabric.so.1', 'libfabric']);
  });
});

describe('a log that words a known failure differently still finds the record, as "possibly"', () => {
  it("lists the teardown crash among the closest records for fi_info's output alone (libfabric#10710: `fi_info -p cxi` lists the provider, then segfaults)", () => {
    // The report's shape: fi_info's provider listing, then the crash; no cxip_curl_fini, no libcurl path.
    // Several records talk about fi_info's output, so the words alone cannot say which: all are "possibly".
    const log = ['$ fi_info -p cxi', 'provider: cxi', '    fabric: cxi', '    domain: cxi0', '    version: 0.1', 'Segmentation fault (core dumped)'].join('\n');
    const { matches } = diagnoser.diagnose(log);
    expect(matches.every((m) => m.confidence === 'low')).toBe(true);
    const teardown = matches.find((m) => m.id === 'cxi-libcurl-teardown-segfault');
    expect(teardown?.text?.terms).toContain('fi_info');
    expect(teardown!.lines.map((l) => l.n)).toContain(1);
  });

  it('needs several rare shared words: one shared word, words every record uses, or words of a knowledge base too small to tell rare from common are not evidence', () => {
    // Rarity needs a population: the CQ record and seven others that share only common words.
    const records: DiagnosableIssue[] = [
      {
        id: 'cq',
        title: 'CQ overflow',
        packages: ['libfabric'],
        status: 'open',
        symptoms: ['`FI_CXI_DEFAULT_CQ_SIZE` is too small for the job'],
        signatures: [sig({ text: 'Cassini Event Queue overflow detected', weight: 9 })],
      },
      ...Array.from({ length: 7 }, (_, i): DiagnosableIssue => ({
        id: `other-${i}`,
        title: `Another failure of the job, number ${i}`,
        packages: ['nccl'],
        status: 'open',
        symptoms: ['the job hangs'],
        signatures: [sig({ text: `NET/OFI something ${i}`, weight: 9 })],
      })),
    ];
    const d = compileDiagnoser(records);
    expect(compileDiagnoser(records.slice(0, 2)).diagnose('export FI_CXI_DEFAULT_CQ_SIZE=4096\nCQ overflow in the provider').matches).toEqual([]);
    expect(TEXT_MIN_TERMS).toBeGreaterThanOrEqual(2);
    expect(d.diagnose('the job failed').matches).toEqual([]);
    expect(d.diagnose('export FI_CXI_DEFAULT_CQ_SIZE=4096').matches).toEqual([]);
    const m = d.diagnose('export FI_CXI_DEFAULT_CQ_SIZE=4096\nCQ overflow in the provider').matches;
    expect(m.map((x) => [x.id, x.confidence])).toEqual([['cq', 'low']]);
  });
});

describe('a family of identical failures is matched as a family', () => {
  it('matches a compile error in any source file of the xpmem kernel module, not only xpmem_attach.c', () => {
    // File names from hpc/xpmem's kernel/ directory; the message is gcc's form for an API that moved
    // (adapted: the function and line numbers are ours).
    for (const file of ['xpmem_pfn.c', 'xpmem_mmu_notifier.c', 'xpmem_main.c']) {
      const log = `  CC [M]  /tmp/xpmem/kernel/${file.replace('.c', '.o')}\n/tmp/xpmem/kernel/${file}:120:9: error: implicit declaration of function 'get_user_pages_remote'`;
      const [first] = diagnoser.diagnose(log).matches;
      expect(first, file).toMatchObject({ id: 'xpmem-kernel-module-build', confidence: 'high' });
    }
  });
});

describe('generic evidence is not enough without the stack in the log', () => {
  // The shape of the backtrace in curl/curl#12986 (a program of its own crashing in libcurl), adapted:
  // the library's path is the system one of RHEL-family nodes, /usr/lib64/libcurl.so.4.
  const ownProgram = [
    'Thread 1 "theprogram" received signal SIGSEGV, Segmentation fault.',
    '#7  0x00007ffff7f74255 in ossl_close () from /usr/lib64/libcurl.so.4',
    '#8  0x00007ffff7f7b59d in ssl_cf_close () from /usr/lib64/libcurl.so.4',
    '#11 0x00007ffff7f690f2 in Curl_disconnect () from /usr/lib64/libcurl.so.4',
  ].join('\n');

  it('a program of its own that crashes in the system libcurl is at most "possibly" the CXI teardown crash', () => {
    const teardown = diagnoser.diagnose(ownProgram).matches.find((m) => m.id === 'cxi-libcurl-teardown-segfault');
    expect(teardown?.confidence ?? 'none').not.toBe('high');
    expect(teardown?.reason ?? '').toMatch(/nothing in the log ties it to this stack|own words/);
  });

  it('the same crash under libfabric is the teardown crash, with high confidence and the context line shown', () => {
    const [first] = diagnoser.diagnose(`${ownProgram}\n#12 0x00007ffff7a01234 in cxip_curl_fini () from /opt/stack/lib/libfabric.so.1`).matches;
    expect(first).toMatchObject({ id: 'cxi-libcurl-teardown-segfault', confidence: 'high', context: { n: 5 } });
  });

  it("another tool's jsonschema error is not stackinator's recipe validation; stack-config's is", () => {
    // jsonschema's ValidationError report, as any Python tool that validates with it prints it
    // (the message forms of the record's own signatures; the tool and key are ours).
    const report = [
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/othertool/config.py", line 42, in load',
      "jsonschema.exceptions.ValidationError: Additional properties are not allowed ('colour' was unexpected)",
      '',
      "Failed validating 'additionalProperties' in schema:",
    ].join('\n');
    const other = diagnoser.diagnose(report).matches.find((m) => m.id === 'stackinator-recipe-validation');
    expect(other?.confidence ?? 'none').not.toBe('high');
    const ours = diagnoser.diagnose(`$ stack-config -b /dev/shm/build -r ./recipe\n${report.replace('othertool/config.py', 'stackinator/recipe.py')}`)
      .matches[0];
    expect(ours).toMatchObject({ id: 'stackinator-recipe-validation', confidence: 'high' });
  });
});

describe('confidence', () => {
  const records: DiagnosableIssue[] = [
    {
      id: 'poll',
      title: 'OFI poll failed',
      packages: ['cray-mpich'],
      status: 'open',
      context: [{ text: 'MPICH' }],
      signatures: [sig({ text: 'OFI poll failed', weight: 8 })],
    },
    { id: 'curl', title: 'teardown', packages: ['libfabric'], status: 'open', signatures: [sig({ text: 'cxip_curl_fini', weight: 6 })] },
  ];
  const d = compileDiagnoser(records);

  it('lists every high match before any low one, whatever the scores, and --top never drops a high for a low', () => {
    const log = 'OFI poll failed\nOFI poll failed\ncxip_curl_fini';
    expect(d.diagnose(log).matches.map((m) => [m.id, m.confidence, m.score])).toEqual([
      ['curl', 'high', 6],
      ['poll', 'low', 8],
    ]);
    expect(d.diagnose(log, { top: 1 }).matches.map((m) => m.id)).toEqual(['curl']);
  });

  it('suggests a line to search for whenever no match is of high confidence, even with low ones', () => {
    const low = d.diagnose('error: OFI poll failed');
    expect(low.matches.map((m) => m.confidence)).toEqual(['low']);
    expect(low.suggestion?.text).toBe('error: OFI poll failed');
    expect(d.diagnose('MPICH ERROR: OFI poll failed').suggestion).toBeUndefined();
  });
});
