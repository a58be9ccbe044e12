/**
 * `uenv-kb affected [LOCK …] [--spec NAME@VERSION …] [--built-on DATE] [--json]`: which known issues apply to a
 * built stack, from the concretized environments stackinator leaves under <build>/environments/<env>/spack.lock.
 * Exit 0 when none apply, 1 when some do, 2 on bad input.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Command } from './main';
import { affectedIssues, type AffectedHit } from '../lib/affected/match';
import { LockFileError, parseSpackLock, parseSpecArgument, type Installed } from '../lib/affected/spack-lock';
import { KnowledgeBaseError, loadKnowledgeBase } from '../lib/knowledge-base-fs';
import { describeAffectedVersion } from '../lib/issues';
import { issueUrl, publicSiteUrl } from '../lib/site';

const USAGE = `usage: uenv-kb affected [LOCK …] [--spec NAME@VERSION …] [--built-on YYYY-MM-DD] [--json]

Lists the known issues whose affected versions include a package of your stack: read from Spack lock files
(stackinator leaves one per environment: <build>/environments/<env>/spack.lock) and/or given with --spec.

  --spec NAME@VERSION   a package version to check (repeatable), e.g. libfabric@2.0.0 or libfabric@main
  --built-on DATE       when branch builds (@main) were taken, to place them in an issue's window of commits;
                        without it such matches are reported as "possibly"
  --json                print {"affected":[{"id","title","status","url","package","version","commit","from","range","certainty"}],"packages":N}

Exit status: 0 no known issue applies, 1 some apply, 2 bad input.`;

/** A lock file of a large environment is a few MB; anything far larger is not one. */
const MAX_LOCK_BYTES = 64 * 1024 * 1024;

class InputError extends Error {}

/** Reads a regular file of at most MAX_LOCK_BYTES as UTF-8, refusing anything else by name. */
function readLock(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw new InputError(`${file}: cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${file}: is not a regular file`);
    if (stat.size > MAX_LOCK_BYTES) throw new InputError(`${file}: is ${stat.size} bytes, over the ${MAX_LOCK_BYTES}-byte limit for a lock file`);
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, read));
    } catch {
      throw new InputError(`${file}: is not UTF-8 text`);
    }
  } finally {
    closeSync(fd);
  }
}

function formatText(hits: AffectedHit[], packages: number, site: string): string {
  if (!hits.length) return `no known issue applies to the ${packages} package version${packages === 1 ? '' : 's'} checked.`;
  return hits
    .map((h) =>
      [
        `${h.certainty === 'possibly' ? 'possibly: ' : ''}${h.issue.title}`,
        `   ${site}${issueUrl(h.issue.id)}`,
        `   id ${h.issue.id} · status ${h.issue.status}`,
        `   ${h.installed.name}@${h.installed.version}${h.installed.commit ? ` (commit ${h.installed.commit})` : ''} from ${h.installed.from} is in ${describeAffectedVersion(h.range)}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function formatJson(hits: AffectedHit[], packages: number, site: string): string {
  return JSON.stringify({
    affected: hits.map((h) => ({
      id: h.issue.id,
      title: h.issue.title,
      status: h.issue.status,
      url: `${site}${issueUrl(h.issue.id)}`,
      package: h.installed.name,
      version: h.installed.version,
      commit: h.installed.commit ?? null,
      from: h.installed.from,
      range: h.range.spec,
      certainty: h.certainty,
    })),
    packages,
  });
}

export const run: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { spec: { type: 'string', multiple: true }, 'built-on': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`uenv-kb affected: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const builtOn = values['built-on'];
  if (builtOn !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(builtOn)) {
    io.err(`uenv-kb affected: --built-on needs a date written YYYY-MM-DD, got "${builtOn}"`);
    return 2;
  }
  if (!positionals.length && !values.spec?.length) {
    io.err(`uenv-kb affected: give at least one spack.lock or --spec\n\n${USAGE}`);
    return 2;
  }
  let installed: Installed[];
  let site: string;
  try {
    site = publicSiteUrl(process.env);
    installed = [
      ...positionals.flatMap((file) => {
        try {
          return parseSpackLock(readLock(file), file);
        } catch (err) {
          if (err instanceof LockFileError) throw new InputError(`${file}: ${err.message}`);
          throw err;
        }
      }),
      ...(values.spec ?? []).map((s) => parseSpecArgument(s)),
    ];
  } catch (err) {
    if (!(err instanceof InputError || err instanceof LockFileError || /UENV_KB_SITE_URL/.test((err as Error).message))) throw err;
    io.err(`uenv-kb affected: ${(err as Error).message}`);
    return 2;
  }
  let issues;
  try {
    const content = process.env.UENV_KB_CONTENT ?? fileURLToPath(new URL('../../content', import.meta.url));
    issues = loadKnowledgeBase(content, fileURLToPath(new URL('../..', import.meta.url))).issues.map((i) => i.record);
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    io.err(`uenv-kb affected: the issue records are invalid:\n${err.lines.join('\n')}`);
    return 2;
  }
  const hits = affectedIssues(issues, installed, builtOn ? { builtOn } : {});
  const packages = new Set(installed.map((p) => `${p.name}@${p.version}`)).size;
  io.out(values.json ? formatJson(hits, packages, site) : formatText(hits, packages, site));
  return hits.length ? 1 : 0;
};
