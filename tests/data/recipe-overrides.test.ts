/**
 * The package overrides in content/recipe/repo/packages: each compiles as Python, says what it
 * changes and why with an upstream link, and every patch it names exists and is a well-formed diff.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';

const REPO = 'content/recipe/repo/packages';
const overrides = readdirSync(REPO).sort();

/** Checks that each hunk's line counts match its header, as `patch` requires. */
function hunkProblems(diff: string): string[] {
  const problems: string[] = [];
  const lines = diff.replace(/\n$/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(lines[i]!);
    if (!m) continue;
    let oldLeft = Number(m[1] ?? 1);
    let newLeft = Number(m[2] ?? 1);
    let j = i + 1;
    for (; j < lines.length && (oldLeft > 0 || newLeft > 0); j++) {
      const tag = lines[j]![0];
      if (tag === ' ' || lines[j] === '') {
        oldLeft--;
        newLeft--;
      } else if (tag === '-') oldLeft--;
      else if (tag === '+') newLeft--;
      else break;
    }
    if (oldLeft !== 0 || newLeft !== 0) problems.push(`hunk at line ${i + 1}: counts do not match its header`);
  }
  if (!/^--- a\/\S+\n\+\+\+ b\/\S+\n@@ /m.test(diff)) problems.push('not a unified diff with a/ b/ paths');
  return problems;
}

describe('package overrides', () => {
  it('exist for libfabric, libfuse, faiss and hdf5', () => {
    expect(overrides).toEqual(['faiss', 'hdf5', 'libfabric', 'libfuse']);
  });

  it.each(overrides)('%s/package.py compiles with python3 -m py_compile', (name) => {
    const cache = mkdtempSync(join(tmpdir(), 'pycache-'));
    try {
      const run = spawnSync('python3', ['-m', 'py_compile', join(REPO, name, 'package.py')], {
        encoding: 'utf8',
        // Keep __pycache__ out of the recipe (stackinator copies the recipe into the image).
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
    expect(existsSync(join(REPO, name, '__pycache__'))).toBe(false);
  });

  it.each(overrides)('%s/package.py says what it changes and why, with an upstream link, on the Spack <= 0.23 API', (name) => {
    const text = readFileSync(join(REPO, name, 'package.py'), 'utf8');
    const header = text
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    expect(header).toMatch(/What it changes:/);
    expect(header).toMatch(/Why:/);
    expect(header).toMatch(/https:\/\/github\.com\/\S+/);
    expect(text).toMatch(/^from spack\.package import \*$/m);
    // An override extends the builtin package rather than copying it.
    expect(text).toMatch(new RegExp(`^from spack\\.pkg\\.builtin\\.${name.replace(/-/g, '_')} import`, 'm'));
  });

  it.each(overrides)('every patch that %s names exists and is a well-formed diff', (name) => {
    const text = readFileSync(join(REPO, name, 'package.py'), 'utf8');
    for (const [, file] of text.matchAll(/patch\(\s*"([^"]+)"/g)) {
      if (/^https?:/.test(file!)) continue;
      const path = join(REPO, name, file!);
      expect(existsSync(path), `${path} is named by patch() but missing`).toBe(true);
      expect(hunkProblems(readFileSync(path, 'utf8'))).toEqual([]);
    }
  });

  it('the libfuse patch is applied on aarch64 only, as upstream spack/spack#47846 does', () => {
    const text = readFileSync(join(REPO, 'libfuse', 'package.py'), 'utf8');
    expect(text).toMatch(/patch\("fix_aarch64_compile\.patch", when="@:2 target=aarch64:"\)/);
    const diff = readFileSync(join(REPO, 'libfuse', 'fix_aarch64_compile.patch'), 'utf8');
    expect(diff).toMatch(/^-#include <sys\/types\.h>$/m);
    expect(diff).toMatch(/^\+#include <linux\/types\.h>$/m);
  });
});
