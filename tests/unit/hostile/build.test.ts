/**
 * The real site build with hostile content (issue 17 items 1, 2 and 3): raw HTML in record Markdown, a record
 * symlinked out of the repository, and a YAML alias bomb each stop the build with the one line check-data prints, naming the file; nothing is read from
 * the link's target.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { astroBuild, copyOf, removeDir, tempDir, VALID_CONTENT } from '../../helpers';

const SECRET = 'TOP-SECRET-build-5d1e';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

function build(edit: (content: string) => void): { status: number | null; output: string; outDir: string } {
  const content = copyOf(VALID_CONTENT, 'hostile-build');
  dirs.push(content);
  edit(content);
  const result = astroBuild({ UENV_KB_CONTENT: content });
  dirs.push(result.outDir);
  return result;
}

describe('the site build with hostile records', () => {
  it('refuses a record symlinked out of the repository, by name', () => {
    const outside = tempDir('hostile-secret');
    dirs.push(outside);
    writeFileSync(join(outside, 'secret.yaml'), `id: ${SECRET}\n`);
    const { status, output, outDir } = build((c) => symlinkSync(join(outside, 'secret.yaml'), join(c, 'issues/leak.yaml')));
    expect(status).not.toBe(0);
    expect(output).toMatch(/issues\/leak\.yaml: is a symbolic link that leaves .* \(not followed\)/);
    expect(output).not.toContain(SECRET);
    expect(existsSync(join(outDir, 'index.html'))).toBe(false);
  });

  it('refuses raw HTML and a javascript: link in record Markdown, naming the file and field (item 1)', () => {
    const { status, output, outDir } = build((c) => {
      const file = join(c, 'issues/fixture-teardown-segfault.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(/^cause: .*$/m, `cause: '<img src=x onerror="alert(1)"> <script>alert(2)</script> [fix](javascript:alert(3))'`),
      );
    });
    expect(status).not.toBe(0);
    expect(output).toMatch(/issues\/fixture-teardown-segfault\.yaml:\d+:\d+: cause: raw HTML/);
    expect(existsSync(join(outDir, 'issues'))).toBe(false);
  });

  it('refuses a YAML alias bomb with one line naming the file', () => {
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 9; prev = `l${i}`, i++) bomb += `l${i}: &l${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    const { status, output } = build((c) => writeFileSync(join(c, 'packages/bomb.yaml'), bomb));
    expect(status).not.toBe(0);
    expect(output).toMatch(/packages\/bomb\.yaml: YAML aliases expand to more than 100 nodes/);
  });
});
