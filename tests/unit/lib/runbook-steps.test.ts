import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkIssueRefs, fillPlaceholders, parseRunbookSteps, placeholdersOf } from '../../../src/lib/runbook-steps';
import { DataError as RunbookStepsError } from '../../../src/lib/yaml-source';
import { loadRunbookSteps } from '../../../src/lib/runbook-steps-fs';
import { formatError } from '../../../src/lib/yaml-source';

const FIXTURE = 'tests/unit/fixtures/runbook-steps/two-steps.sh';
const fixture = { file: FIXTURE, text: readFileSync(FIXTURE, 'utf8') };

/** Errors of a one-file runbook, formatted as the build prints them. */
function errorsOf(text: string): string[] {
  return parseRunbookSteps([{ file: 'rb.sh', text }]).errors.map(formatError);
}

const ok = (n = 1, slug = 'only') => `# @step ${n} ${slug}: Title\n# @doc Text.\n# @command\n#   true\nf_${n}() {\n  true\n}\n`;

describe('parseRunbookSteps', () => {
  it('reads steps, docs, commands, failure modes and placeholders from a script', () => {
    const { steps, placeholders, errors } = parseRunbookSteps([fixture]);
    expect(errors).toEqual([]);
    expect(placeholders.map((p) => [p.name, p.meaning, p.line])).toEqual([
      ['build', 'the build directory (--build)', 3],
      ['jobs', 'parallel jobs (--jobs)', 4],
    ]);
    expect(steps.map((s) => [s.n, s.slug, s.title, s.fn, s.line])).toEqual([
      [1, 'check-space', 'Check free space', 'example_step_check_space', 7],
      [2, 'build', 'Build the image', 'example_step_build', 19],
    ]);
    expect(steps[0]!.doc).toBe("Checks the build path's filesystem.\nIt needs [room](https://example.org/room).\n\nA second paragraph.");
    expect(steps[0]!.commands).toEqual([{ title: undefined, code: 'df -Pk <build>', line: 12 }]);
    expect(steps[0]!.fails).toEqual([{ issue: 'disk-full', meaning: 'the filesystem is too small', line: 14 }]);
  });

  it('keeps continuation indentation and blank lines inside a command block, dedented', () => {
    const build = parseRunbookSteps([fixture]).steps[1]!;
    expect(build.commands.map((c) => [c.title, c.code])).toEqual([
      ['In the build directory', 'cd <build>\nenv --ignore-environment PATH=/usr/bin:/bin \\\n  make store.squashfs -j<jobs>\n\necho done'],
      [undefined, 'ls <build>/store.squashfs'],
    ]);
    expect(build.fails.map((f) => f.issue)).toEqual(['disk-full', 'make-died']);
    expect(placeholdersOf(build)).toEqual(['build', 'jobs']);
  });

  it('orders steps by number across several files', () => {
    const { steps, errors } = parseRunbookSteps([
      { file: 'lib.sh', text: ok(2, 'second') },
      { file: 'main.sh', text: ok(1, 'first') },
    ]);
    expect(errors).toEqual([]);
    expect(steps.map((s) => `${s.file}:${s.slug}`)).toEqual(['main.sh:first', 'lib.sh:second']);
  });

  it.each([
    ['a gap in the numbering', ok(1, 'a') + ok(3, 'b'), 'rb.sh:8:3: steps.b: is numbered 3, expected 2 (steps run 1..N without gaps)'],
    ['a duplicate slug', ok(1, 'a') + ok(2, 'a'), 'rb.sh:8:3: steps.a: duplicate step slug (also rb.sh:1)'],
    [
      'a step without its function',
      '# @step 1 a: T\n# @doc D\n# @command\n#   x\necho not-a-function\n',
      'rb.sh:5:1: steps.a: @step must be followed by the function that runs it',
    ],
    ['a step without @doc', '# @step 1 a: T\n# @command\n#   x\nf() {\n}\n', 'rb.sh:1:1: steps.a.doc: needs at least one @doc line'],
    ['a step without @command', '# @step 1 a: T\n# @doc D\nf() {\n}\n', 'rb.sh:1:1: steps.a.command: needs at least one @command block'],
    [
      'an empty @command block',
      '# @step 1 a: T\n# @doc D\n# @command\n# @command\n#   x\nf() {\n}\n',
      'rb.sh:3:1: steps.a.command: @command has no command lines below it',
    ],
    ['a malformed @step', '# @step one a: T\n', 'rb.sh:1:3: step: expected "@step <n> <slug>: Title" (slug in lowercase-hyphenated form)'],
    ['an upper-case slug', '# @step 1 Preflight: T\n', 'rb.sh:1:3: step: expected "@step <n> <slug>: Title" (slug in lowercase-hyphenated form)'],
    [
      'a malformed @fails',
      '# @step 1 a: T\n# @doc D\n# @fails no colon here\n# @command\n#   x\nf() {\n}\n',
      'rb.sh:3:3: steps.a.fails: expected "@fails <issue-id>: meaning"',
    ],
    ['a marker outside a step', '# @doc stray\n', 'rb.sh:1:3: doc: @doc outside a step (put it after an @step line)'],
    ['an unknown marker', '  # @steps 1 a: T\n', 'rb.sh:1:5: steps: unknown marker @steps (known: @step, @doc, @command, @fails, @placeholder)'],
    [
      'an undeclared placeholder',
      '# @step 1 a: T\n# @doc D\n# @command\n#   ls <dir>\nf() {\n}\n',
      'rb.sh:3:3: steps.a.command: placeholder <dir> is not declared (add "# @placeholder <dir>: meaning")',
    ],
    ['a placeholder declared twice', '# @placeholder <d>: one\n# @placeholder <d>: two\n', 'rb.sh:2:3: placeholder.d: declared twice'],
    ['a malformed @placeholder', '# @placeholder d: no brackets\n', 'rb.sh:1:3: placeholder: expected "@placeholder <name>: meaning"'],
  ])('rejects %s with file:line:col', (_name, text, expected) => {
    expect(errorsOf(text)).toContain(expected);
  });

  it('does not take shell redirections and heredocs for placeholders', () => {
    const text = '# @step 1 a: T\n# @doc D\n# @command\n#   cat <<EOF >out < in\n#   diff <(ls) x\nf() {\n}\n';
    expect(errorsOf(text)).toEqual([]);
  });
});

describe('checkIssueRefs', () => {
  it('names every @fails id without an issue record', () => {
    const parsed = parseRunbookSteps([fixture]);
    expect(checkIssueRefs(parsed, ['disk-full', 'make-died'])).toEqual([]);
    expect(checkIssueRefs(parsed, ['disk-full']).map(formatError)).toEqual([
      `${FIXTURE}:30:3: steps.build.fails: unknown issue "make-died" (no content/issues/make-died.yaml)`,
    ]);
  });
});

describe('loadRunbookSteps', () => {
  it('throws one error listing every problem', () => {
    expect(() => loadRunbookSteps([FIXTURE], [])).toThrowError(RunbookStepsError);
    expect(() => loadRunbookSteps([FIXTURE], [])).toThrowError(
      /two-steps\.sh:14:3: steps\.check-space\.fails: unknown issue "disk-full"[\s\S]*two-steps\.sh:29:3/,
    );
  });

  it('returns the steps when markers and issue ids are valid', () => {
    expect(loadRunbookSteps([FIXTURE], ['disk-full', 'make-died']).steps).toHaveLength(2);
  });
});

describe('fillPlaceholders', () => {
  it('substitutes known values and leaves unknown placeholders alone', () => {
    expect(fillPlaceholders('make -C <build> -j<jobs> <other>', { build: '/dev/shm/b', jobs: '8' })).toBe('make -C /dev/shm/b -j8 <other>');
  });
});
