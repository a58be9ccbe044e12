import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { MAX_LOG_BYTES } from '../../src/lib/diagnose/engine';

const FIXTURE_CONTENT = 'tests/unit/fixtures/diagnose/content';
const TEARDOWN = [
  'osu_bw done',
  '#0  0x00004000178a2b3c in curl_multi_cleanup () from /usr/lib64/libcurl.so.4',
  '#1  0x0000400017f01234 in cxip_curl_fini ()',
  'Segmentation fault (core dumped)',
].join('\n');

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), stdin: async () => stdin };
  const code = await main(['diagnose', ...args], io);
  return { code, out, err };
}

let dir: string;
const file = (name: string, data: string | Uint8Array) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

beforeAll(() => {
  process.env.UENV_KB_CONTENT = FIXTURE_CONTENT;
  dir = mkdtempSync(join(tmpdir(), 'uenv-kb-diagnose-'));
});
afterAll(() => {
  delete process.env.UENV_KB_CONTENT;
});

describe('uenv-kb diagnose', () => {
  it('prints the matching issue with its absolute permalink and lines, exit 0', async () => {
    const r = await cli([file('teardown.log', TEARDOWN)]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1. Fixture: segfault at teardown in cxip_curl_fini');
    expect(r.out).toContain('https://uenv-cxi-kb.example.org/issues/fixture-curl-teardown/');
    expect(r.out).toContain('line 3: #1  0x0000400017f01234 in cxip_curl_fini ()');
  });

  it('permalinks follow UENV_KB_SITE_URL; a value that is no http(s) origin is bad input, exit 2', async () => {
    try {
      process.env.UENV_KB_SITE_URL = 'https://kb.cscs.example/';
      const r = await cli([file('teardown.log', TEARDOWN)]);
      expect(r.out).toContain('https://kb.cscs.example/issues/fixture-curl-teardown/');
      process.env.UENV_KB_SITE_URL = 'https://kb.cscs.example/uenv';
      const bad = await cli([file('teardown.log', TEARDOWN)]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('UENV_KB_SITE_URL: "https://kb.cscs.example/uenv" is not an http(s) origin');
    } finally {
      delete process.env.UENV_KB_SITE_URL;
    }
  });

  it('--json prints exactly the documented shape', async () => {
    const r = await cli(['--json', '-'], TEARDOWN);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      matches: [
        {
          id: 'fixture-curl-teardown',
          title: 'Fixture: segfault at teardown in cxip_curl_fini',
          packages: ['libfabric'],
          status: 'open',
          confidence: 'high',
          reason: 'specific evidence',
          score: 15,
          lines: [
            { n: 2, text: '#0  0x00004000178a2b3c in curl_multi_cleanup () from /usr/lib64/libcurl.so.4' },
            { n: 3, text: '#1  0x0000400017f01234 in cxip_curl_fini ()' },
            { n: 4, text: 'Segmentation fault (core dumped)' },
          ],
          url: 'https://uenv-cxi-kb.example.org/issues/fixture-curl-teardown/',
        },
      ],
    });
  });

  it('--top limits the matches', async () => {
    const log = `${TEARDOWN}\nMPIDI_OFI_handle_cq_error(1062): OFI poll failed`;
    expect(JSON.parse((await cli(['--json'], log)).out).matches).toHaveLength(2);
    expect(JSON.parse((await cli(['--json', '--top', '1'], log)).out).matches.map((m: { id: string }) => m.id)).toEqual(['fixture-curl-teardown']);
  });

  it('exit 1 and a search suggestion when nothing matches', async () => {
    const r = await cli(['-'], 'configure: error: C compiler cannot create executables\nsee config.log');
    expect(r.code).toBe(1);
    expect(r.out).toContain('no known issue matches standard input (2 lines)');
    expect(r.out).toContain('configure: error: C compiler cannot create executables');
  });

  it('suggests the line as written, and says "1 line" for one line', async () => {
    const r = await cli(['-'], 'srun: error: nid001234: task 0: Segmentation fault');
    expect(r.code).toBe(1);
    expect(r.out).toContain('no known issue matches standard input (1 line).');
    expect(r.out).toContain('\n  srun: error: nid001234: task 0: Segmentation fault');
  });

  it('numbers lines like grep -n when the log holds lone CRs (progress bars)', async () => {
    const r = await cli(['--json', '-'], 'a\rb\rc\nx cxip_curl_fini\n');
    expect(JSON.parse(r.out).matches[0].lines).toEqual([{ n: 2, text: 'x cxip_curl_fini' }]);
  });

  it.each([
    ['a short log with one Latin-1 byte', 'caf\xe9 in cxip_curl_fini ()\n'],
    ['a log that starts with NULs (copytruncate)', `${'\0'.repeat(5000)}#1 in cxip_curl_fini ()\n`],
  ])('diagnoses %s', async (_what, text) => {
    expect((await cli([file('odd.log', Buffer.from(text, 'latin1'))])).code).toBe(0);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.log'), /nope\.log: cannot be read: ENOENT/],
    ['a directory', () => dir, /is a directory/],
    [
      'binary data',
      () =>
        file(
          'core',
          Uint8Array.from({ length: 4096 }, (_, i) => (i % 5 ? (i * 2654435761) >>> 24 : 0)),
        ),
      /looks like binary data, not a text log/,
    ],
    ['non-UTF-8 data', () => file('latin', new Uint8Array(Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xe9 : 0x41)))), /looks like binary data.*non-UTF-8/],
    ['a file over the size limit', () => file('big.log', 'a'.repeat(MAX_LOG_BYTES + 1)), /is 10485761 bytes, over the limit of 10485760 bytes \(10 MiB\)/],
    ['an empty file', () => file('empty.log', ''), /empty\.log: is empty: the log has no text to diagnose/],
    ['a file of whitespace', () => file('blank.log', '  \n\t\r\n'), /blank\.log: is empty/],
  ])('exit 2 with a clear message for %s', async (_what, path, message) => {
    const r = await cli([path()]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });

  it('accepts a log of exactly the size limit', async () => {
    expect((await cli([file('max.log', 'a'.repeat(MAX_LOG_BYTES))])).code).toBe(1);
  });

  it.each([
    [['--top', '0'], /--top needs a positive whole number, got "0"/],
    [['--top'], /--top needs a positive whole number, got ""/],
    [['--frobnicate'], /unknown option "--frobnicate"/],
    [['a.log', 'b.log'], /one log at a time, got 2/],
  ])('exit 2 on bad usage %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('exit 2 with the size-limit message for a stream over the limit (a pipe, an endless device)', () => {
    const env = { ...process.env, UENV_KB_CONTENT: FIXTURE_CONTENT };
    const atLimit = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose', '-'], { input: Buffer.alloc(MAX_LOG_BYTES, 'a'), env, encoding: 'utf8' });
    expect(atLimit.status).toBe(1);
    const piped = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose', '-'], { input: Buffer.alloc(MAX_LOG_BYTES + 1, 'a'), env, encoding: 'utf8' });
    expect([piped.status, piped.stderr.trim()]).toEqual([
      2,
      'uenv-kb diagnose: standard input: is larger than the limit of 10485760 bytes (10 MiB); pass the part around the error (e.g. tail -c 5M)',
    ]);
    // An endless device: stat reports size 0, so only a capped read ends.
    const zero = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose', '/dev/zero'], { env, encoding: 'utf8', timeout: 60_000 });
    expect([zero.status, zero.stderr.trim()]).toEqual([
      2,
      'uenv-kb diagnose: /dev/zero: is larger than the limit of 10485760 bytes (10 MiB); pass the part around the error (e.g. tail -c 5M)',
    ]);
  });

  it('measures standard input in bytes, as a file: Latin-1 text just under the limit is diagnosed', () => {
    // One byte in eleven is not UTF-8: each decodes to the 3-byte U+FFFD, so the decoded text is
    // over the limit although the input is not.
    const env = { ...process.env, UENV_KB_CONTENT: FIXTURE_CONTENT };
    const line = Buffer.from('abcdefghi\xe9\n', 'latin1');
    const input = Buffer.concat([Buffer.alloc(MAX_LOG_BYTES - 1000, line), Buffer.from('#1 in cxip_curl_fini ()\n')]);
    const r = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose', '-'], { input, env, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  it('exit 2 for empty standard input', () => {
    const env = { ...process.env, UENV_KB_CONTENT: FIXTURE_CONTENT };
    const empty = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose', '-'], { input: ' \n\n', env, encoding: 'utf8' });
    expect([empty.status, empty.stderr.trim()]).toEqual([2, 'uenv-kb diagnose: standard input: is empty: the log has no text to diagnose']);
  });

  it('runs as `npx uenv-kb diagnose` with standard input from a pipe', () => {
    const env = { ...process.env, UENV_KB_CONTENT: FIXTURE_CONTENT };
    const ok = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose', '--json', '-'], { input: TEARDOWN, env, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).matches[0].id).toBe('fixture-curl-teardown');
    const none = spawnSync('node', ['bin/uenv-kb.mjs', 'diagnose'], { input: 'all fine', env, encoding: 'utf8' });
    expect(none.status).toBe(1);
    expect(() => execFileSync('node', ['bin/uenv-kb.mjs', 'diagnose', join(dir, 'missing')], { env, stdio: 'pipe' })).toThrow(/missing: cannot be read/);
  });

  it('--min-confidence high counts only high-confidence matches for the exit status; low is the default', async () => {
    // The fixture's "OFI poll failed" issue lists MPICH as its context: without it the match is only "possibly".
    const bare = 'MPIDI_OFI_handle_cq_error(1062): OFI poll failed';
    const low = await cli(['-'], bare);
    expect([low.code, low.out]).toEqual([0, expect.stringContaining('1. possibly: Fixture: OFI poll failed')]);
    expect(low.out).toContain('with high confidence; the closest records, possibly:');
    expect((await cli(['--min-confidence', 'high', '-'], bare)).code).toBe(1);
    expect((await cli(['--min-confidence=low', '-'], bare)).code).toBe(0);
    const high = await cli(['--min-confidence', 'high', '--json', '-'], `MPICH ERROR [Rank 0] [job id 1] - Abort(1)\n${bare}`);
    expect(high.code).toBe(0);
    expect(JSON.parse(high.out).matches[0]).toMatchObject({ id: 'fixture-poll-failed', confidence: 'high', context: { n: 1 } });
    const bad = await cli(['--min-confidence', 'medium', '-'], bare);
    expect([bad.code, bad.err]).toEqual([2, expect.stringContaining('--min-confidence needs high or low, got "medium"')]);
  });

  it('prints no C1 control or bidirectional override from the log or its name to the terminal; JSON escapes them', async () => {
    const log = 'x \u009b31m cxip_curl_fini \u202egnp.exe\u2066 \u0085end';
    const name = file('evil\u202e.log', log);
    const r = await cli([name]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('cxip_curl_fini');
    expect(r.out + r.err).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    const missing = await cli([join(dir, 'gone\u009b2J\u202e.log')]);
    expect(missing.err).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
    const json = await cli(['--json', name]);
    expect(json.out).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('shows a window around evidence far along a long line instead of cutting the line at 400 characters', async () => {
    const line = `${'a'.repeat(800)} in cxip_curl_fini () ${'b'.repeat(500)}`;
    const m = JSON.parse((await cli(['--json', '-'], line)).out).matches[0];
    expect(m.lines[0].text).toContain('cxip_curl_fini');
    expect(m.lines[0].text).toMatch(/^…a+ in cxip_curl_fini \(\) b+…$/);
    expect(m.lines[0].text.length).toBe(402);
  });

  it('refuses /dev/fd/N above 2 under npx, which does not pass the descriptor (it would hang), naming the fix', async () => {
    process.env.npm_command = 'exec';
    try {
      const r = await cli(['/dev/fd/7']);
      expect([r.code, r.err.trim()]).toEqual([
        2,
        'uenv-kb diagnose: /dev/fd/7: is a file descriptor npx does not pass to the command; redirect it to standard input instead: npx uenv-kb diagnose - <&7',
      ]);
      expect((await cli(['--help'])).out).toContain('npx uenv-kb diagnose - <&7');
    } finally {
      delete process.env.npm_command;
    }
  });
});
