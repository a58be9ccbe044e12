/**
 * Hostile recipes against `uenv-kb check-recipe` (issue 17: items 2, 3, 4, 19): one line naming the file and exit 2
 * for what cannot be read as a recipe file; a positioned error for a YAML file that is a directory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { removeDir, runCli, tempDir, refusal, type CliRun } from '../../helpers';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

/** <dir>/r (the recipe) and <dir>/s (the cluster configuration), copies of the real ones; <dir>/p, no package pages. */
function recipe(): string {
  const dir = tempDir('hostile-recipe');
  dirs.push(dir);
  cpSync('content/recipe', join(dir, 'r'), { recursive: true });
  cpSync('content/cluster/internal-cxi', join(dir, 's'), { recursive: true });
  mkdirSync(join(dir, 'p'));
  return dir;
}

const check = (dir: string) => runCli(['check-recipe', join(dir, 'r'), '--system', join(dir, 's'), '--packages', join(dir, 'p')]);

/** One error line with `name` and `reason`, exit 2 (see refusal). */
function expectRefused(run: CliRun, name: string, reason: RegExp): void {
  const line = refusal(run);
  expect(line, `exit ${run.code}\n${run.err}`).toBeDefined();
  expect(line).toContain(name);
  expect(line).toMatch(reason);
}

describe('check-recipe on hostile files', () => {
  it('passes the untouched copy (each case below fails for its change alone)', async () => {
    const run = await check(recipe());
    expect([run.code, run.err]).toEqual([0, '']);
  });

  it('a symlink loop inside the recipe (ln -s .. r/extra/loop)', async () => {
    const dir = recipe();
    symlinkSync('..', join(dir, 'r/extra/loop'));
    expectRefused(await check(dir), 'r/extra/loop', /symbolic link to a directory \(not followed\)/);
  });

  it('a dangling symlink', async () => {
    const dir = recipe();
    symlinkSync('gone.yaml', join(dir, 'r/modules-extra.yaml'));
    expectRefused(await check(dir), 'r/modules-extra.yaml', /dangling symbolic link/);
  });

  it('a recipe file symlinked out of the recipe is refused, its contents never printed', async () => {
    const dir = recipe();
    rmSync(join(dir, 'r/config.yaml'));
    symlinkSync('/etc/hostname', join(dir, 'r/config.yaml'));
    const run = await check(dir);
    expectRefused(run, 'r/config.yaml', /symbolic link that leaves/);
  });

  it('a recipe file that is a FIFO does not hang', async () => {
    const dir = recipe();
    expect(spawnSync('mkfifo', [join(dir, 'r/extra/fifo')]).status).toBe(0);
    expectRefused(await check(dir), 'r/extra/fifo', /is a FIFO, not a regular file/);
  });

  it('a YAML alias bomb in environments.yaml', async () => {
    const dir = recipe();
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 9; prev = `l${i}`, i++) bomb += `l${i}: &l${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    writeFileSync(join(dir, 'r/environments.yaml'), bomb);
    expectRefused(await check(dir), 'r/environments.yaml', /YAML aliases expand to more than 100/);
  });

  it('packages.yaml that is a directory is reported as such (item 19)', async () => {
    const dir = recipe();
    rmSync(join(dir, 's/packages.yaml'));
    mkdirSync(join(dir, 's/packages.yaml'));
    const run = await check(dir);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/s\/packages\.yaml:1:1: is a directory: it must be a YAML file/);
    expect(run.err).not.toMatch(/required file is missing|no spec for/);
  });
});
