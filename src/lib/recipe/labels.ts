/** Words a page shows for a spec: its version, and where in the recipe it comes from. Pure. */
import type { PackageSpec } from '../../schemas/recipe';

/** The text a page shows for a package's version: the pinned version, or why there is none. */
export function versionLabel(spec: PackageSpec): string {
  if (spec.version) return spec.version;
  return spec.external ? 'system external' : 'Spack default';
}

/** Where a package's spec comes from, in words. */
export function specOrigin(spec: PackageSpec): string {
  switch (spec.source) {
    case 'environments':
      return `built from source in the "${spec.environment}" environment`;
    case 'mpi':
      return `built as the MPI of the "${spec.environment}" environment (stackinator's mpi: field)`;
    case 'packages':
      return spec.external ? 'taken from the system: an external in the recipe, never built' : "pinned in the recipe's packages.yaml and built from source";
    case 'cluster':
      return spec.external ? 'taken from the system: an external in the cluster configuration, never built' : 'set by the cluster configuration';
  }
}
