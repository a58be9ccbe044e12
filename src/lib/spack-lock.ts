/**
 * The concretized packages of a Spack environment, read from its `spack.lock` (JSON; lockfile versions 1-7, see
 * spack/environment/__init__.py): each concrete spec's name and version. A git build shows as a branch version
 * (`main`), as `git.<sha>=<branch>`, or with a `commit` parameter; the commit is kept when the lock has it.
 */

export interface Installed {
  name: string;
  /** The version, or for a git build the branch or version it stands for (`main` for `git.<sha>=main`). */
  version: string;
  commit?: string;
  /** Where it was read: a lock file path or `--spec`. */
  from: string;
}

export class LockFileError extends Error {}

type SpecRecord = Record<string, unknown>;

function asRecord(value: unknown): SpecRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as SpecRecord) : undefined;
}

/** `git.<sha>=main` → version main, commit sha; `main` → main. */
export function splitGitVersion(version: string): { version: string; commit?: string } {
  const git = /^git\.([0-9a-f]{7,40}|[\w.-]+)=(.+)$/.exec(version);
  if (!git) return { version };
  return /^[0-9a-f]{40}$/.test(git[1]!) ? { version: git[2]!, commit: git[1]! } : { version: git[2]! };
}

/** One concrete spec: v3+ keep `name` inside the record, v1-v2 key the record by the package name. */
function installedOf(key: string, value: unknown, from: string): Installed | undefined {
  let record = asRecord(value);
  if (!record) return undefined;
  if (typeof record.name !== 'string') {
    const [name, inner] = Object.entries(record).find(([k, v]) => k !== 'dependencies' && k !== 'hash' && asRecord(v)) ?? [];
    if (!name || !asRecord(inner)) return undefined;
    record = { ...asRecord(inner), name };
  }
  const raw = record.version;
  if (typeof raw !== 'string' || raw === '') throw new LockFileError(`concrete_specs.${key}: "${record.name as string}" has no version`);
  const { version, commit } = splitGitVersion(raw);
  const parameters = asRecord(record.parameters);
  const paramCommit = typeof parameters?.commit === 'string' ? parameters.commit : undefined;
  const sha = commit ?? paramCommit;
  return { name: record.name as string, version, ...(sha ? { commit: sha } : {}), from };
}

/** Every concrete spec of a lock file, included environments too. Throws LockFileError naming what is wrong. */
export function parseSpackLock(text: string, from: string): Installed[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the file; a mistaken path must not print someone's file to a CI log.
    throw new LockFileError('is not JSON');
  }
  const lock = asRecord(json);
  const meta = asRecord(lock?.['_meta']);
  if (!lock || meta?.['file-type'] !== 'spack-lockfile') throw new LockFileError('is not a Spack lock file (no _meta.file-type "spack-lockfile")');
  const sections = [lock, ...Object.values(asRecord(lock.include_concrete) ?? {}).map(asRecord)];
  const installed: Installed[] = [];
  for (const section of sections) {
    const specs = asRecord(section?.concrete_specs);
    if (!specs) throw new LockFileError('has no concrete_specs object');
    for (const [key, value] of Object.entries(specs)) {
      const one = installedOf(key, value, from);
      if (one) installed.push(one);
    }
  }
  return installed;
}

/** `--spec NAME@VERSION` as given on the command line. */
export function parseSpecArgument(text: string): Installed {
  const m = /^([a-z0-9]+(?:-[a-z0-9]+)*)@([\w.+=-]+)$/.exec(text);
  if (!m) throw new LockFileError(`"${text}" is not NAME@VERSION (e.g. libfabric@2.0.0 or libfabric@main)`);
  const { version, commit } = splitGitVersion(m[2]!);
  return { name: m[1]!, version, ...(commit ? { commit } : {}), from: '--spec' };
}
