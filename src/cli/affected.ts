/**
 * `uenv-kb affected [LOCK …] [--spec NAME@VERSION …] [--built-on DATE] [--json]`: which known issues apply to a
 * built stack, from the concretized environments stackinator leaves under <build>/environments/<env>/spack.lock.
 * Exit 0 when none apply, 1 when some do, 2 on bad input.
 */
import { parseArgs } from 'node:util';
import type { Command } from './io';
import { affectedIssues, type AffectedHit } from '../lib/records/affected';
import { LockFileError, parseSpackLock, parseSpecArgument, type Installed } from '../lib/spack-lock';
import { loadKnowledgeBase } from '../lib/records/knowledge-base-fs';
import { readTextFile } from '../lib/paths-fs';
import { InputError } from '../lib/input-error';
import { DataError } from '../lib/yaml-source';
import { describeAffectedVersion } from '../lib/records/issues';
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
        // The user names these files, so a link may point anywhere; the reader still refuses non-regular files.
        const text = readTextFile(file, { within: '/', maxBytes: MAX_LOCK_BYTES });
        try {
          return parseSpackLock(text, file);
        } catch (err) {
          if (err instanceof LockFileError) throw new LockFileError(`${file}: ${err.message}`);
          throw err;
        }
      }),
      ...(values.spec ?? []).map((spec) => parseSpecArgument(spec)),
    ];
  } catch (err) {
    if (!(err instanceof InputError || err instanceof LockFileError || /UENV_KB_SITE_URL/.test((err as Error).message))) throw err;
    io.err(`uenv-kb affected: ${(err as Error).message}`);
    return 2;
  }
  let issues;
  try {
    issues = loadKnowledgeBase().issues.map((i) => i.record);
  } catch (err) {
    if (!(err instanceof DataError || err instanceof InputError)) throw err;
    io.err(`uenv-kb affected: the issue records are invalid:\n${err instanceof DataError ? err.lines.join('\n') : err.message}`);
    return 2;
  }
  const hits = affectedIssues(issues, installed, builtOn ? { builtOn } : {});
  const packages = new Set(installed.map((p) => `${p.name}@${p.version}`)).size;
  io.out(values.json ? formatJson(hits, packages, site) : formatText(hits, packages, site));
  return hits.length ? 1 : 0;
};
