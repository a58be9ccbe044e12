import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { missingTools, onPath } from '../../bench/prerequisites';

describe('bench prerequisites', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uenv-kb-path-'));
  writeFileSync(join(dir, 'gcc'), '#!/bin/sh\n');
  chmodSync(join(dir, 'gcc'), 0o755);
  writeFileSync(join(dir, 'patchelf'), 'not executable');

  it('finds only executables on the given PATH', () => {
    expect(onPath('gcc', dir)).toBe(true);
    expect(onPath('patchelf', dir)).toBe(false);
  });

  it('names the missing tool, its Debian package and how to skip the benchmark', () => {
    expect(
      missingTools(
        'audit',
        [
          { command: 'gcc', debian: 'gcc' },
          { command: 'patchelf', debian: 'patchelf' },
        ],
        dir,
      ),
    ).toEqual(['bench audit needs `patchelf`: apt-get install patchelf (or leave it out: npm run bench -- <the other benchmarks>)']);
  });
});
