/**
 * `uenv-kb affected [spack.lock …] [--spec NAME@VERSION …] [--json]`: the known issues that apply to the versions
 * of a built stack (its environments' spack.lock files) or to versions named on the command line.
 * Exit 0 none apply, 1 some apply, 2 bad input.
 */
import { commandOptions, type Command } from './io';
import { loadKnowledgeBase } from '../lib/records/knowledge-base-fs';
import { affectedIssues, type ConcretePackage } from '../lib/records/affected';
import { parseSpackLock, SpackLockError } from '../lib/spack-lock';
import { displayPath, readTextFile } from '../lib/paths-fs';
import { InputError } from '../lib/input-error';
import { DataError } from '../lib/yaml-source';
import { issueUrl, publicSiteUrl } from '../lib/site';
import { SLUG_PATTERN } from '../schemas/common';

const USAGE = `usage: uenv-kb affected [spack.lock …] [--spec NAME@VERSION …] [--json]

Lists the known issues whose affected versions include a package of the given spack.lock files (stackinator
leaves one per environment under <build>/environments/<name>/spack.lock) or of the given specs.

  --spec NAME@VERSION   a package version to check, e.g. libfabric@2.0.0 or libfabric@main (repeatable)
  --json                print {"applies":[{"id","title","status","url","matches":[…]}],"checked":N}

Exit status: 0 no known issue applies, 1 some apply, 2 bad input.`;

/** The largest spack.lock read: a big environment's is a few MiB. */
const MAX_LOCK_BYTES = 64 * 1024 * 1024;

interface Options {
  locks: string[];
  specs: string[];
  json: boolean;
}

function parseArgs(args: string[]): Options | string {
  const opts: Options = { locks: [], specs: [], json: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--json') opts.json = true;
    else if (arg === '--spec' || arg.startsWith('--spec=')) {
      const value = arg === '--spec' ? args[++i] : arg.slice('--spec='.length);
      if (!value || !new RegExp(`^${SLUG_PATTERN}@[\\w.=+-]+$`).test(value)) return `--spec needs NAME@VERSION (e.g. libfabric@2.0.0), not ${JSON.stringify(value ?? '')}`;
      opts.specs.push(value);
    } else if (arg.startsWith('-')) return `unknown option "${arg}"`;
    else opts.locks.push(arg);
  }
  if (!opts.locks.length && !opts.specs.length) return 'give a spack.lock file or --spec NAME@VERSION';
  return opts;
}

export const run: Command = async (args, io) => {
  const opts = commandOptions('affected', args, io, USAGE, parseArgs);
  if (typeof opts === 'number') return opts;
  const packages: ConcretePackage[] = opts.specs.map((s) => ({ name: s.slice(0, s.indexOf('@')), version: s.slice(s.indexOf('@') + 1), from: '--spec' }));
  let origin: string;
  let issues;
  try {
    origin = publicSiteUrl(process.env);
    for (const lock of opts.locks) {
      const name = displayPath(lock);
      try {
        packages.push(...parseSpackLock(name, readTextFile(lock, { within: '/', maxBytes: MAX_LOCK_BYTES })));
      } catch (err) {
        if (err instanceof SpackLockError) throw new InputError(name, err.message);
        throw err;
      }
    }
    issues = loadKnowledgeBase().issues.map((i) => i.record);
  } catch (err) {
    if (err instanceof InputError || err instanceof DataError || (err instanceof Error && err.message.startsWith('UENV_KB_SITE_URL'))) {
      io.err(`uenv-kb affected: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const applies = affectedIssues(issues, packages).map((a) => ({ ...a.issue, url: `${origin}${issueUrl(a.issue.id)}`, matches: a.matches }));
  if (opts.json) {
    io.out(JSON.stringify({ applies, checked: packages.length }, null, 2));
  } else if (!applies.length) {
    io.out(`no known issue applies to the ${packages.length} package version${packages.length === 1 ? '' : 's'} checked`);
  } else {
    for (const a of applies) {
      io.out(`${a.id} (${a.status}): ${a.title}\n  ${a.url}`);
      for (const m of a.matches) {
        io.out(`  ${m.certainty === 'yes' ? 'affected' : 'maybe'}: ${m.package.name}@${m.package.version} (${m.package.from}) is in ${m.spec}${m.note ? ` — ${m.note}` : ''}`);
      }
    }
  }
  return applies.length ? 1 : 0;
};
