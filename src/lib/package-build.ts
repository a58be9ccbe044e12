/** Words for where a package's spec comes from, shown on its page. Pure. */
import type { PackageSpec } from './recipe';

export function specOrigin(spec: PackageSpec): string {
  switch (spec.source) {
    case 'environments':
      return `built from source in the "${spec.environment}" environment`;
    case 'mpi':
      return `built as the MPI of the "${spec.environment}" environment (stackinator's mpi: field)`;
    case 'packages':
      return spec.external ? 'taken from the system: an external in the recipe, never built' : 'pinned in the recipe\'s packages.yaml and built from source';
    case 'cluster':
      return spec.external ? 'taken from the system: an external in the cluster configuration, never built' : 'set by the cluster configuration';
  }
}
