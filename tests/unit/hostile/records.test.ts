/**
 * Hostile records against `uenv-kb check-data` (issue 17: items 1, 2, 3, 4, 5, 17, 18, 23). Every refusal is one
 * line naming the file, with exit 2 for input that cannot be read as a record and exit 1 for a record that breaks a
 * rule; nothing a refused file holds is printed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { copyOf, removeDir, runCli, tempDir, VALID_CONTENT, refusal, type CliRun } from '../../helpers';

const ISSUE = 'issues/fixture-teardown-segfault.yaml';
const SECRET = 'TOP-SECRET-7f3a9c';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

function content(): string {
  const dir = copyOf(VALID_CONTENT, 'hostile-content');
  dirs.push(dir);
  return dir;
}

/** A file outside the content directory that must never be read into the output. */
function secretFile(): string {
  const dir = tempDir('hostile-secret');
  dirs.push(dir);
  writeFileSync(join(dir, 'secret.txt'), `${SECRET}\n`);
  return join(dir, 'secret.txt');
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
  writeFileSync(path, next);
}

/** One error line with `name` and `reason`, exit 2 (see refusal). */
function expectRefused(run: CliRun, name: string, reason: RegExp): void {
  const line = refusal(run);
  expect(line, `exit ${run.code}\n${run.err}`).toBeDefined();
  expect(line).toContain(name);
  expect(line).toMatch(reason);
}

describe('record Markdown (item 1)', () => {
  it('raw HTML in cause is refused naming the file and field', async () => {
    const dir = content();
    edit(dir, ISSUE, /^cause: .*$/m, 'cause: \'<img src=x onerror="alert(1)"> <script>alert(2)</script>\'');
    const run = await runCli(['check-data', dir]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`${ISSUE}:\\d+:\\d+: cause: raw HTML "<img src=x onerror=`));
  });

  it('a javascript: link in a symptom is refused naming the file and field', async () => {
    const dir = content();
    edit(dir, ISSUE, '  - A crash at the end of an MPI program.', '  - "[fix](javascript:alert(3))"');
    const run = await runCli(['check-data', dir]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`${ISSUE}:\\d+:\\d+: symptoms\\.0: link target "javascript:alert\\(3\\)" must be an http\\(s\\) URL`));
  });

  it("an entity-encoded javascript: link in a link's shows is refused", async () => {
    const dir = content();
    edit(dir, ISSUE, 'shows: The report of the crash.', 'shows: "[report](javascript&#58;alert(1))"');
    const run = await runCli(['check-data', dir]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/links\.0\.shows: link target "javascript&#58;alert\(1\)"/);
  });

  it('raw HTML in a package text is refused', async () => {
    const dir = content();
    edit(dir, 'packages/libcurl.yaml', /^summary: .*$/m, 'summary: "<svg onload=alert(1)>"');
    const run = await runCli(['check-data', dir]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/packages\/libcurl\.yaml:\d+:\d+: summary: raw HTML/);
  });

  it('Spack specs (libfuse@2.9.7) stay text, not mailto links', async () => {
    const dir = content();
    edit(dir, ISSUE, /^cause: .*$/m, 'cause: libcxi needs libfuse@2.9.7, not fuse@3.');
    expect((await runCli(['check-data', dir])).code).toBe(0);
  });
});

describe('files that are not records (items 2, 3, 4)', () => {
  it('a record symlinked out of the content directory is refused by name, its contents never printed', async () => {
    const dir = content();
    symlinkSync(secretFile(), join(dir, 'issues/leak.yaml'));
    const run = await runCli(['check-data', dir]);
    expectRefused(run, 'issues/leak.yaml', /symbolic link that leaves/);
    expect(run.err).not.toContain(SECRET);
  });

  it('a record symlinked to /etc/hostname is refused by name', async () => {
    const dir = content();
    symlinkSync('/etc/hostname', join(dir, 'issues/host.yaml'));
    expectRefused(await runCli(['check-data', dir]), 'issues/host.yaml', /symbolic link that leaves/);
  });

  it('a record that is a directory', async () => {
    const dir = content();
    mkdirSync(join(dir, 'issues/dir.yaml'));
    expectRefused(await runCli(['check-data', dir]), 'issues/dir.yaml', /is a directory, not a regular file/);
  });

  it('a dangling symlink', async () => {
    const dir = content();
    symlinkSync('nowhere.yaml', join(dir, 'issues/dangling.yaml'));
    expectRefused(await runCli(['check-data', dir]), 'issues/dangling.yaml', /dangling symbolic link/);
  });

  it('a symlink loop', async () => {
    const dir = content();
    symlinkSync('loop-b.yaml', join(dir, 'issues/loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(dir, 'issues/loop-b.yaml'));
    expectRefused(await runCli(['check-data', dir]), 'issues/loop-a.yaml', /symbolic link loop/);
  });

  it('a YAML alias bomb (10 levels of 10 aliases)', async () => {
    const dir = content();
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 9; prev = `l${i}`, i++) bomb += `l${i}: &l${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    writeFileSync(join(dir, 'issues/bomb.yaml'), bomb);
    expectRefused(await runCli(['check-data', dir]), 'issues/bomb.yaml', /YAML aliases expand to more than 100/);
  });

  it('a record that is a FIFO does not hang', async () => {
    const dir = content();
    expect(spawnSync('mkfifo', [join(dir, 'issues/fifo.yaml')]).status).toBe(0);
    expectRefused(await runCli(['check-data', dir]), 'issues/fifo.yaml', /is a FIFO, not a regular file/);
  });

  it('a record symlinked to /dev/zero does not hang', async () => {
    const dir = content();
    symlinkSync('/dev/zero', join(dir, 'packages/zero.yaml'));
    expectRefused(await runCli(['check-data', dir]), 'packages/zero.yaml', /symbolic link that leaves/);
  });

  it('a record over the size limit, with exact sizes (item 23)', async () => {
    const dir = content();
    writeFileSync(join(dir, 'issues/huge.yaml'), `# ${'x'.repeat(1024 * 1024 - 2)}\n`); // one byte over 1 MiB
    expectRefused(await runCli(['check-data', dir]), 'issues/huge.yaml', /is 1048577 bytes, over the limit of 1048576 bytes \(1 MiB\)/);
  });
});

describe('what is not a content directory (item 5)', () => {
  it.each([
    ['an empty directory', () => tempDir('hostile-empty'), /is not a content directory: it has no issues\/ or packages\/ folder/],
    ['/proc', () => '/proc', /is not a content directory/],
    ['a file (README.md)', () => 'README.md', /is not a directory/],
    [
      'a directory without issues/',
      () => {
        const dir = content();
        removeDir(join(dir, 'issues'));
        return dir;
      },
      /it has no issues\/ folder/,
    ],
  ])('%s', async (_, make, reason) => {
    const dir = make();
    if (dir.includes('hostile-empty')) dirs.push(dir);
    const run = await runCli(['check-data', dir]);
    expect(run.code).toBe(2);
    expect(run.err.trim().split('\n')).toHaveLength(1);
    expect(run.err).toMatch(reason);
    expect(run.out).not.toMatch(/^ok/);
  });
});

describe('record rules (items 17, 18)', () => {
  it('an issue whose file name is not its id', async () => {
    const dir = content();
    edit(dir, ISSUE, 'id: fixture-teardown-segfault', 'id: fixture-teardown-crash');
    const run = await runCli(['check-data', dir]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(new RegExp(`${ISSUE}:1:5: id: must equal the file name "fixture-teardown-segfault"`));
  });

  it('invalid UTF-8 is refused with its byte offset, not replaced by U+FFFD', async () => {
    const dir = content();
    const text = readFileSync(join(dir, ISSUE));
    const at = text.indexOf('A crash');
    writeFileSync(join(dir, ISSUE), Buffer.concat([text.subarray(0, at), Buffer.from([0xc3, 0x28]), text.subarray(at)]));
    expectRefused(await runCli(['check-data', dir]), ISSUE, new RegExp(`is not UTF-8 text: invalid byte sequence at byte offset ${at}$`));
  });
});
