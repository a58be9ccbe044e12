/** The sections of a package page, in order; the page and its table of contents share this list. Pure. */
import type { Package } from '../../schemas/package';

export interface PackageSection {
  slug: string;
  label: string;
  present: (pkg: Package) => boolean;
}

/** Platform packages (uenv, Slurm, Spack, stackinator) are not in the image: nothing to build, no dependencies. */
const inImage = (pkg: Package) => pkg.role !== 'platform';

export const PACKAGE_SECTIONS: PackageSection[] = [
  { slug: 'how-the-stack-builds-it', label: 'How the stack builds it', present: inImage },
  // NCCL's settings live in runbooks/data/nccl.env; only its page shows them.
  { slug: 'recommended-settings', label: 'Recommended settings', present: (pkg) => pkg.id === 'nccl' },
  { slug: 'dependencies', label: 'Dependencies', present: inImage },
  { slug: 'known-issues', label: 'Known issues', present: () => true },
  { slug: 'upstream', label: 'Upstream', present: () => true },
];

/** The role labels a sidebar or badge shows, in the order the sidebar lists the roles. */
export const ROLE_ORDER: Package['role'][] = ['network', 'support', 'optional', 'platform'];

/** Package pages in sidebar order: by role (network layer first), then by title. */
export function sortPackages<P extends Pick<Package, 'role' | 'title'>>(pkgs: P[]): P[] {
  return [...pkgs].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.title.localeCompare(b.title));
}
