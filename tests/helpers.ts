/** Helpers shared by the unit, hostile-input and browser tests: one definition each. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../src/cli/main';
import type { CliIO } from '../src/cli/io';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `uenv-kb <args>` in this process with captured output (stdin is `stdin`). */
export async function runCli(args: string[], stdin = ''): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), stdin: async () => stdin };
  const code = await main(args, io);
  return { code, out, err };
}

/**
 * The one line of a refusal: exit 2, nothing on stdout, exactly one line on stderr and no stack trace. Undefined
 * when the run was anything else, so a test can `expect(refusal(run)).toMatch(...)`.
 */
export function refusal(run: CliRun): string | undefined {
  const lines = run.err.trim().split('\n');
  return run.code === 2 && run.out === '' && lines.length === 1 ? lines[0] : undefined;
}

/** A fresh scratch directory; remove it with removeDir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `uenv-kb-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A copy of `from` (a content directory, a recipe) in a new scratch directory. */
export function copyOf(from: string, prefix: string): string {
  const dir = tempDir(prefix);
  cpSync(from, dir, { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** The real `astro build` into `outDir` (a scratch directory unless given) with extra environment. */
export function astroBuild(env: Record<string, string>, outDir?: string): { status: number | null; output: string; outDir: string } {
  const out = outDir ?? tempDir('dist');
  const r = spawnSync('npx', ['astro', 'build', '--outDir', out], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}`, outDir: out };
}

/** The valid knowledge-base fixture: two issues, two packages. */
export const VALID_CONTENT = 'tests/unit/fixtures/knowledge-base/valid';
