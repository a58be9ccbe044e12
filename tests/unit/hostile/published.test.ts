/**
 * What the site publishes under /source/ (issue 17 item 2): only files git tracks, each a regular file inside the
 * repository; a tracked symlink that leaves it is refused by name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { trackedFiles } from '../../../src/lib/paths-fs';
import { removeDir, tempDir } from '../../helpers';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

function git(repo: string, ...args: string[]): void {
  const r = spawnSync('git', ['-C', repo, '-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** A git repository with runbooks/data/nccl.env committed. */
function repo(): string {
  const dir = tempDir('hostile-repo');
  dirs.push(dir);
  mkdirSync(join(dir, 'runbooks/data'), { recursive: true });
  writeFileSync(join(dir, 'runbooks/data/nccl.env'), 'NCCL_NET="AWS Libfabric"\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

describe('published sources', () => {
  it('lists tracked regular files', () => {
    expect(trackedFiles(repo(), ['runbooks'])).toEqual(['runbooks/data/nccl.env']);
  });

  it('leave out an untracked symlink to a host file (ln -s /etc/hostname runbooks/data/leak.allow)', () => {
    const dir = repo();
    symlinkSync('/etc/hostname', join(dir, 'runbooks/data/leak.allow'));
    writeFileSync(join(dir, 'runbooks/data/untracked.txt'), 'not committed\n');
    expect(trackedFiles(dir, ['runbooks'])).toEqual(['runbooks/data/nccl.env']);
  });

  it('refuse a committed symlink that leaves the repository, by name', () => {
    const dir = repo();
    symlinkSync('/etc/hostname', join(dir, 'runbooks/data/leak.allow'));
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'leak');
    expect(() => trackedFiles(dir, ['runbooks'])).toThrow(/runbooks\/data\/leak\.allow: is a symbolic link that leaves .* \(not followed\)$/);
  });

  it('publish a committed symlink to a file inside the repository', () => {
    const dir = repo();
    symlinkSync('nccl.env', join(dir, 'runbooks/data/alias.env'));
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', 'alias');
    expect(trackedFiles(dir, ['runbooks'])).toEqual(['runbooks/data/alias.env', 'runbooks/data/nccl.env']);
  });
});
