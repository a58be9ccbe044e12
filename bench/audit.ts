/**
 * The linkage audit (runbooks/lib/py/audit.py) against what the seed did by hand: `ldd` on every
 * file, one after the other. Both run over the same generated tree of gcc-built ELF files, and the
 * bench stops unless both find the same thing: for every file, each library ldd lists and the path it
 * resolves to (or "not found"), which the audit reports as its closure.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, run, timeMedian, type BenchResult } from './lib';

const PAIRS = 1000; // one library and one program each: 2,000 ELF files, plus the base library and faults
const OURS_RUNS = 5;
// The ldd loop takes over a minute per run; one run by default, more with AUDIT_BENCH_LDD_RUNS.
const LDD_RUNS = Number(process.env.AUDIT_BENCH_LDD_RUNS ?? 1);
const AUDIT = 'runbooks/lib/py/audit.py';
const ALLOW = 'runbooks/data/system-libraries.allow';

/** Compiles three objects once, then copies and renames them with patchelf: fast and still real ELF. */
function generateTree(root: string): string[] {
  const src = join(root, 'src');
  const store = join(root, 'store');
  for (const d of [src, join(store, 'bin'), join(store, 'lib'), join(store, 'opt/lib')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(src, 'base.c'), 'int base(void) { return 1; }\n');
  writeFileSync(join(src, 'gen.c'), 'int base(void);\nint gen(void) { return base() + 1; }\n');
  writeFileSync(join(src, 'prog.c'), 'int gen(void);\nint main(void) { return gen() == 2 ? 0 : 1; }\n');
  const lib = join(store, 'lib');
  run('gcc', ['-shared', '-fPIC', '-Wl,-soname,libbase.so.1', '-o', join(lib, 'libbase.so.1'), join(src, 'base.c')]);
  run('gcc', [
    '-shared',
    '-fPIC',
    '-Wl,-soname,libgen_template.so.1',
    '-Wl,-rpath,$ORIGIN',
    '-o',
    join(src, 'libgen_template.so.1'),
    join(src, 'gen.c'),
    join(lib, 'libbase.so.1'),
  ]);
  run('gcc', ['-o', join(src, 'prog'), join(src, 'prog.c'), join(src, 'libgen_template.so.1'), join(lib, 'libbase.so.1'), '-Wl,-rpath,$ORIGIN/../lib']);
  const files = [join(lib, 'libbase.so.1')];
  for (let i = 0; i < PAIRS; i++) {
    const n = String(i).padStart(4, '0');
    const libFile = join(lib, `libgen_${n}.so.1`);
    const progFile = join(store, 'bin', `prog_${n}`);
    copyFileSync(join(src, 'libgen_template.so.1'), libFile);
    copyFileSync(join(src, 'prog'), progFile);
    run('patchelf', ['--set-soname', `libgen_${n}.so.1`, libFile]);
    // Planted faults, so the findings compared are not all empty: a missing library and a system libcurl.
    const needed = i === 7 ? 'libnotshipped.so.1' : `libgen_${n}.so.1`;
    run('patchelf', ['--replace-needed', 'libgen_template.so.1', needed, progFile]);
    if (i === 13) run('patchelf', ['--add-needed', 'libcurl.so.4', libFile]);
    files.push(libFile, progFile);
  }
  // A duplicate soname: a second file that calls itself libgen_0021.so.1.
  const dup = join(store, 'opt/lib/libgen_0021.so.1');
  copyFileSync(join(lib, 'libgen_0021.so.1'), dup);
  files.push(dup);
  return files;
}

type Closure = Map<string, string[]>;

/** `name=>path` per file from the ldd loop's output; the vDSO and the loader (no "=>") are left out. */
function parseLddLoop(text: string): Closure {
  const out: Closure = new Map();
  let current: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('== ')) out.set(line.slice(3), (current = []));
    else if (current && line.includes(' => ')) {
      const [name, rest] = line.trim().split(' => ');
      current.push(`${name}=>${rest === 'not found' ? 'not found' : rest!.replace(/ \(0x[0-9a-f]+\)$/, '')}`);
    }
  }
  return out;
}

function closureOfReport(path: string): Closure {
  const report = JSON.parse(readFileSync(path, 'utf8')) as { closure: Record<string, [string, string | null][]> };
  return new Map(Object.entries(report.closure).map(([file, libs]) => [file, libs.map(([n, p]) => `${n}=>${p ?? 'not found'}`)]));
}

function assertSameFindings(ldd: Closure, ours: Closure): number {
  const mismatches: string[] = [];
  for (const [file, libs] of ldd) {
    const mine = ours.get(file);
    if (!mine) mismatches.push(`${file}: missing from the audit`);
    else if ([...libs].sort().join('\n') !== [...mine].sort().join('\n')) mismatches.push(`${file}:\n  ldd:   ${libs.join(' ')}\n  audit: ${mine.join(' ')}`);
  }
  if (ours.size !== ldd.size) mismatches.push(`the audit saw ${ours.size} dynamic ELF files, the ldd loop ${ldd.size}`);
  if (mismatches.length) throw new Error(`audit and ldd disagree on ${mismatches.length} file(s):\n${mismatches.slice(0, 5).join('\n')}`);
  return [...ldd.values()].reduce((sum, libs) => sum + libs.length, 0);
}

export async function bench(): Promise<BenchResult[]> {
  const root = mkdtempSync(join(tmpdir(), 'uenv-kb-bench-audit-'));
  try {
    const files = generateTree(root);
    const store = join(root, 'store');
    const list = join(root, 'files.txt');
    writeFileSync(list, files.join('\n') + '\n');
    const report = join(root, 'report.json');
    const ours = await timeMedian(OURS_RUNS, () => {
      try {
        run('python3', [AUDIT, '--store', store, '--allow', ALLOW, '--closure', '--json', report]);
      } catch (e) {
        // Exit 1 is the expected verdict: the tree has planted faults. Anything else is a failure.
        if ((e as { status?: number }).status !== 1) throw e;
      }
    });
    const lddTimes: number[] = [];
    let lddOutput = '';
    for (let i = 0; i < LDD_RUNS; i++) {
      const t = performance.now();
      lddOutput = run('bash', ['-c', 'while IFS= read -r f; do printf "== %s\\n" "$f"; ldd "$f" || true; done < "$1"', 'ldd-loop', list], {
        LD_LIBRARY_PATH: '',
      });
      lddTimes.push(performance.now() - t);
    }
    const entries = assertSameFindings(parseLddLoop(lddOutput), closureOfReport(report));
    const kinds = (JSON.parse(readFileSync(report, 'utf8')) as { violations: { kind: string }[] }).violations.map((v) => v.kind);
    console.log(`${files.length} ELF files, ${entries} (file, library) resolutions identical in both; violations: ${kinds.join(', ')}`);
    const baseline = median(lddTimes);
    return [
      {
        name: `audit of ${files.length} ELF files (with the ldd-equivalent closure)`,
        unit: 'ms',
        ours,
        baselineName: `sequential ldd loop (${LDD_RUNS} run${LDD_RUNS > 1 ? 's' : ''})`,
        baseline,
        goal: '≥ 20× faster than the ldd loop',
        met: baseline / ours >= 20,
        digits: 0,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
