/**
 * The areas of the stack an issue belongs to, with their labels. Kept free of Zod so browser code (the
 * index filter) can import it without bundling the schema library.
 */
export const ISSUE_AREAS = {
  launch: 'MPI start-up and launch',
  cxi: 'CXI provider limits and tuning',
  versions: 'Version compatibility and linkage',
  uenv: 'uenv and squashfs-mount',
  nccl: 'NCCL on Slingshot',
  build: 'Building the stack (Spack, stackinator)',
  'gpu-containers': 'GPU-aware MPI and containers',
} as const;
export type IssueArea = keyof typeof ISSUE_AREAS;
export const ISSUE_AREA_IDS = Object.keys(ISSUE_AREAS) as [IssueArea, ...IssueArea[]];
