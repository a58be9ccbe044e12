/**
 * The concrete packages of a Spack environment from its spack.lock (JSON; lockfile format 3 and later, where each
 * concrete spec has `name` and `version`, the format of Spack 0.17 on; stackinator leaves one per environment under
 * <build>/environments/<name>/). Included environments (`include_concrete`, format 5) count too. Pure.
 */
import type { ConcretePackage } from './records/affected';

export class SpackLockError extends Error {}

function specsOf(section: unknown, file: string, where: string): ConcretePackage[] {
  if (!section || typeof section !== 'object' || Array.isArray(section)) throw new SpackLockError(`${where} must be an object of specs keyed by hash`);
  return Object.entries(section as Record<string, unknown>).map(([hash, spec]) => {
    const { name, version } = (spec ?? {}) as { name?: unknown; version?: unknown };
    if (typeof name !== 'string' || typeof version !== 'string') throw new SpackLockError(`${where}.${hash} has no string name and version`);
    return { name, version, from: file };
  });
}

/** Every concrete package of the lock file `text` (named `file` in errors and results). */
export function parseSpackLock(file: string, text: string): ConcretePackage[] {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (err) {
    throw new SpackLockError(`not JSON: ${(err as Error).message}`);
  }
  const meta = (lock as { _meta?: { 'file-type'?: unknown; 'lockfile-version'?: unknown } } | null)?._meta;
  if (meta?.['file-type'] !== 'spack-lockfile') throw new SpackLockError('not a Spack lock file (_meta.file-type is not "spack-lockfile")');
  const version = meta['lockfile-version'];
  if (typeof version !== 'number' || version < 3) throw new SpackLockError(`lockfile-version ${String(version)} is not supported (3 or later: Spack 0.17 on)`);
  const { concrete_specs, include_concrete } = lock as { concrete_specs?: unknown; include_concrete?: unknown };
  const packages = specsOf(concrete_specs, file, 'concrete_specs');
  if (include_concrete && typeof include_concrete === 'object') {
    for (const [env, included] of Object.entries(include_concrete as Record<string, { concrete_specs?: unknown }>)) {
      packages.push(...specsOf(included?.concrete_specs, file, `include_concrete.${env}.concrete_specs`));
    }
  }
  return packages;
}
