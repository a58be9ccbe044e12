/**
 * Bad records must stop the site build with `file:line:col: field: message`. Each case edits a copy
 * of a valid fixture and runs the real `astro build` against it (UENV_KB_CONTENT), then checks the
 * pure parser reports the same thing.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { astroBuild as build } from '../../../helpers';
import { loadKnowledgeBase } from '../../../../src/lib/records/knowledge-base-fs';
import { DataError as KnowledgeBaseError } from '../../../../src/lib/yaml-source';

const VALID = 'tests/unit/fixtures/knowledge-base/valid';
const ISSUE = 'issues/fixture-teardown-segfault.yaml';

interface BadCase {
  name: string;
  /** Edits the copied content directory. */
  edit: (dir: string) => void;
  /** Expected `file:line` prefix (file relative to the copy) and field. */
  file: string;
  line: number;
  field: string;
  message: RegExp;
}

const replaceIn = (file: string, from: string | RegExp, to: string) => (dir: string) => {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply: ${String(from)}`);
  writeFileSync(path, next);
};

const cases: BadCase[] = [
  {
    name: 'an unknown status',
    edit: replaceIn(ISSUE, 'status: fixed-upstream', 'status: solved'),
    file: ISSUE,
    line: 4,
    field: 'status',
    message: /open.*workaround.*fixed-upstream.*wontfix|Invalid option/,
  },
  { name: 'a missing id', edit: replaceIn(ISSUE, /^id: .*\n/m, ''), file: ISSUE, line: 1, field: 'id', message: /must be a string, not missing/ },
  {
    name: 'a duplicate id',
    edit: (dir) => writeFileSync(join(dir, 'issues/zz-copy.yaml'), readFileSync(join(dir, ISSUE), 'utf8')),
    file: 'issues/zz-copy.yaml',
    line: 1,
    field: 'id',
    message: /duplicate id "fixture-teardown-segfault" \(also in .*fixture-teardown-segfault\.yaml\)/,
  },
  {
    name: 'an unknown package',
    edit: replaceIn(ISSUE, 'packages: [libfabric, libcurl]', 'packages: [libfabric, libfoo]'),
    file: ISSUE,
    line: 3,
    field: 'packages.1',
    message: /unknown package "libfoo"/,
  },
  {
    name: 'a malformed link URL',
    edit: replaceIn(ISSUE, 'url: https://github.com/ofiwg/libfabric/issues/10710', 'url: github.com/ofiwg/libfabric/issues/10710'),
    file: ISSUE,
    line: 28,
    field: 'links.0.url',
    message: /URL/,
  },
  {
    name: 'a regex signature RE2 cannot compile',
    edit: replaceIn(ISSUE, "regex: 'Segmentation fault'", "regex: '(a)\\1 backref'"),
    file: ISSUE,
    line: 11,
    field: 'signatures.1.regex',
    message: /does not compile as RE2/,
  },
  {
    name: 'an unparsable regex signature',
    edit: replaceIn(ISSUE, "regex: 'Segmentation fault'", "regex: 'Segmentation (fault'"),
    file: ISSUE,
    line: 11,
    field: 'signatures.1.regex',
    message: /does not compile as RE2/,
  },
  {
    name: 'a signature with both text and regex',
    edit: replaceIn(ISSUE, '  - text: curl_multi_cleanup\n', '  - text: curl_multi_cleanup\n    regex: curl_.*\n'),
    file: ISSUE,
    line: 8,
    field: 'signatures.0',
    message: /exactly one of `text` or `regex`/,
  },
  {
    name: 'an impossible date',
    edit: replaceIn(ISSUE, 'first_seen: 2025-01-20', 'first_seen: 2025-02-30'),
    file: ISSUE,
    line: 32,
    field: 'first_seen',
    message: /real calendar date/,
  },
  {
    name: 'last_verified before first_seen',
    edit: replaceIn(ISSUE, 'last_verified: 2026-11-25', 'last_verified: 2024-01-01'),
    file: ISSUE,
    line: 33,
    field: 'last_verified',
    message: /earlier than first_seen/,
  },
  {
    name: 'status fixed-upstream without fixed_in',
    edit: replaceIn(ISSUE, /fixed_in:\n(?: {2}.*\n)+/, ''),
    file: ISSUE,
    line: 1,
    field: 'fixed_in',
    message: /required when status is "fixed-upstream"/,
  },
  { name: 'an unknown key', edit: replaceIn(ISSUE, 'cause: ', 'severity: high\ncause: '), file: ISSUE, line: 14, field: 'severity', message: /unknown key/ },
  {
    name: 'an unknown link kind',
    edit: replaceIn(ISSUE, 'kind: issue', 'kind: blog'),
    file: ISSUE,
    line: 30,
    field: 'links.0.kind',
    message: /Invalid option|expected one of/,
  },
  { name: 'broken YAML', edit: replaceIn(ISSUE, 'symptoms:\n', 'symptoms: [\n'), file: ISSUE, line: 6, field: '', message: /invalid YAML/ },
  {
    name: 'a workaround file the repository does not have',
    edit: replaceIn(ISSUE, 'files: [content/recipe/packages.yaml]', 'files: [content/recipe/pakages.yaml]'),
    file: ISSUE,
    line: 19,
    field: 'workaround.files.0',
    message: /"content\/recipe\/pakages\.yaml" is not a file the site publishes/,
  },
  {
    name: 'a signature without source',
    edit: replaceIn(ISSUE, /^    source: .*cxip_curl\.c#L275\n/m, ''),
    file: ISSUE,
    line: 8,
    field: 'signatures.0.source',
    message: /must be a string, not missing/,
  },
  {
    name: 'a signature source on a branch',
    edit: replaceIn(ISSUE, 'libfabric/blob/v2.0.0/', 'libfabric/blob/main/'),
    file: ISSUE,
    line: 10,
    field: 'signatures.0.source',
    message: /pinned to a tag or a 40-hex commit, not "main"/,
  },
  {
    name: 'a /blob/main/ link',
    edit: replaceIn(
      ISSUE,
      'url: https://github.com/ofiwg/libfabric/issues/10710',
      'url: https://github.com/ofiwg/libfabric/blob/main/prov/cxi/src/cxip_curl.c',
    ),
    file: ISSUE,
    line: 28,
    field: 'links.0.url',
    message: /pinned to a tag or a 40-hex commit, not "main"/,
  },
  {
    name: 'a /tree/releases/v5/ link',
    edit: replaceIn(ISSUE, 'url: https://github.com/ofiwg/libfabric/issues/10710', 'url: https://github.com/eth-cscs/stackinator/tree/releases/v5/docs'),
    file: ISSUE,
    line: 28,
    field: 'links.0.url',
    message: /not "releases"/,
  },
  {
    name: 'a first_seen later than a dated source',
    edit: replaceIn(ISSUE, 'shows: The report of the crash.\n', 'shows: The report of the crash.\n    date: 2025-01-10\n'),
    file: ISSUE,
    line: 33,
    field: 'first_seen',
    message: /later than links\.0 \(2025-01-10\)/,
  },
  {
    name: 'a last_verified before a dated fix',
    edit: replaceIn(ISSUE, 'pull/10711\n', 'pull/10711\n    date: 2026-12-01\n'),
    file: ISSUE,
    line: 34,
    field: 'last_verified',
    message: /earlier than fixed_in\.0 \(2026-12-01\)/,
  },
  {
    name: 'a package whose id is not its file name',
    edit: replaceIn('packages/libcurl.yaml', 'id: libcurl', 'id: curl'),
    file: 'packages/libcurl.yaml',
    line: 1,
    field: 'id',
    message: /must equal the file name "libcurl"/,
  },
];

function copyValid(): string {
  const dir = mkdtempSync(join(tmpdir(), 'uenv-kb-data-'));
  cpSync(VALID, dir, { recursive: true });
  return dir;
}

function expectedPrefix(dir: string, c: BadCase): RegExp {
  const file = join(dir, c.file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`${file}:${c.line}:\\d+: ${c.field ? `${c.field.replace(/\./g, '\\.')}: ` : ''}`);
}

describe('the valid fixture', () => {
  it('loads with its issues and packages', () => {
    const kb = loadKnowledgeBase(VALID);
    expect(kb.issues.map((i) => i.record.id).sort()).toEqual(['fixture-open-issue', 'fixture-teardown-segfault']);
    expect(kb.packages).toHaveLength(2);
    // Defaults are applied: a signature without weight gets 5.
    expect(kb.issues.find((i) => i.record.id === 'fixture-open-issue')!.record.signatures[0]!.weight).toBe(5);
  });
});

describe('bad records are rejected with file, line and field', () => {
  it.each(cases)('$name', (c) => {
    const dir = copyValid();
    try {
      c.edit(dir);
      let error: unknown;
      try {
        loadKnowledgeBase(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KnowledgeBaseError);
      const lines = (error as KnowledgeBaseError).lines;
      const hit = lines.find((l) => expectedPrefix(dir, c).test(l));
      expect(hit, `no line for ${c.file}:${c.line} ${c.field} in:\n${lines.join('\n')}`).toBeDefined();
      expect(hit).toMatch(c.message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the site build stops on bad records', () => {
  const astroBuild = (dir: string) => {
    const result = build({ UENV_KB_CONTENT: dir });
    rmSync(result.outDir, { recursive: true, force: true });
    return result;
  };

  it.each(cases)('$name fails the build naming the file and field', (c) => {
    const dir = copyValid();
    try {
      c.edit(dir);
      const { status, output } = astroBuild(dir);
      expect(status).not.toBe(0);
      expect(output).toMatch(expectedPrefix(dir, c));
      expect(output).toMatch(c.message);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
