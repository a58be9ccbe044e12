/**
 * Zod schemas of a stackinator v5 recipe (version-1 format) and of the cluster configuration files
 * it reads. They follow stackinator releases/v5's JSON schemas (config, compilers, environments),
 * a little stricter where v5 accepts what later fails (see the comments). Cross-file rules live in
 * `src/lib/recipe-check.ts`.
 */
import { z } from 'astro/zod';
import { slug } from './common';

/** `gcc@13`, `gcc@12.3`, `gcc@13.2.0` (one digit per minor part, as stackinator's pattern). */
export const GCC_SPEC = /^gcc@\d{1,2}(\.\d(\.\d)?)?$/;
const LLVM_SPEC = /^(llvm@\d{1,2}(\.\d(\.\d)?)?|nvhpc@\d{2}(\.\d{1,2})?)$/;

/** The MPI implementations stackinator v5 knows how to add through `mpi:`. */
export const MPI_NAMES = ['cray-mpich', 'mpich', 'mvapich2', 'openmpi'] as const;

/** Environment names become directories; stackinator's own pattern is unanchored, ours is not. */
export const ENV_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

const gccSpec = z.string({ error: 'must be a string' }).regex(GCC_SPEC, 'must be a gcc spec like gcc@13 or gcc@13.2.0 (one digit per minor part)');
const nullableString = z.string().nullable();
const stringList = z.array(z.string({ error: 'must be a string' }), { error: 'must be a list of strings' });

/** No empty, `.` or `..` part after the leading `/` (so no `//` and no trailing `/`). */
const isNormalised = (path: string) => path === '/' || !/(^|\/)\.{0,2}(\/|$)/.test(path.slice(1));

/**
 * The store: a normalised absolute path, as runbooks/lib/py/recipe.py --absolute-path requires it
 * (make splits paths on whitespace; a `..` or `//` would mount somewhere other than the name says).
 */
const normalisedAbsolutePath = z
  .string({ error: 'must be a string' })
  .regex(/^\//, 'must be an absolute path')
  .refine((p) => !/[\s\x00-\x1f\x7f]/.test(p), 'must not contain whitespace or control characters')
  .refine(isNormalised, "must be a normalised path: no '.' or '..' part, no repeated or trailing '/'");

export const recipeConfigSchema = z.strictObject({
  /** Written to env.json. */
  name: z.string({ error: 'is required: a string' }).min(1, 'must not be empty'),
  /** Mount point of the image; `stack-config -m` overrides it. */
  store: normalisedAbsolutePath.default('/user-environment'),
  spack: z.strictObject(
    {
      /** Git URL; the v5 builder clones it, so it is required here although v5's schema omits it. */
      repo: z.string({ error: 'is required: the Spack git URL' }).min(1),
      /** Branch, tag or SHA; null for the default branch. */
      commit: nullableString.default(null),
    },
    { error: 'is required: { repo, commit }' },
  ),
  /** Legacy, accepted and unused by v5. */
  mirror: z.strictObject({ enable: z.boolean().default(true), key: nullableString.default(null) }).optional(),
  modules: z.boolean({ error: 'must be true or false' }).default(true),
  description: nullableString.default(null),
  /** v5 understands only version 1 (and checkouts before 2025-06 reject the key altogether). */
  version: z.literal(1, { error: 'must be 1 for stackinator v5 (or left out)' }).optional(),
});

export const recipeCompilersSchema = z.strictObject({
  /**
   * Built with the cluster's system gcc; builds the gcc below. Stackinator v5 installs it into the
   * store like every compiler environment (Makefile.compilers L31-33) and only leaves it out of the
   * compiler configuration it generates (builder.py L493-494); pinned links in content/recipe/compilers.yaml.
   */
  bootstrap: z.strictObject({ spec: gccSpec }, { error: 'is required: { spec: gcc@X }' }),
  gcc: z.strictObject(
    { specs: z.array(gccSpec, { error: 'must be a list of gcc specs' }).min(1, 'needs at least one gcc spec') },
    { error: 'is required: { specs: [gcc@X] }' },
  ),
  llvm: z
    .strictObject({
      requires: gccSpec,
      specs: z.array(z.string().regex(LLVM_SPEC, 'must be llvm@X[.Y[.Z]] or nvhpc@YY[.M]')).min(1),
    })
    .nullable()
    .default(null),
});

const viewSchema = z.strictObject({
  link: z.enum(['roots', 'all', 'run']).optional(),
  select: stringList.optional(),
  exclude: stringList.optional(),
  projections: z.record(z.string(), z.string()).optional(),
  uenv: z
    .strictObject({
      add_compilers: z.boolean().optional(),
      prefix_paths: z.record(z.string(), stringList).optional(),
    })
    .optional(),
});

/** stackinator treats `false` like null in `mpi:` and `gpu:`; one type keeps the error messages plain. */
const falseAsNull = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === false ? null : v), schema.nullable());

const mpiSchema = z.strictObject(
  {
    spec: z.string({ error: 'is required: e.g. cray-mpich@8.1.30' }),
    gpu: falseAsNull(z.enum(['cuda', 'rocm'], { error: 'must be cuda, rocm, null or false' })).default(null),
  },
  { error: 'must be null, false or { spec, gpu }' },
);

export const environmentSchema = z.strictObject({
  compiler: z
    .array(
      z.strictObject({
        toolchain: z.enum(['gcc', 'llvm'], { error: 'must be gcc or llvm' }),
        spec: z.string({ error: 'is required: e.g. gcc@13' }),
      }),
      { error: 'is required: a list of { toolchain, spec }' },
    )
    .min(1, 'needs at least one compiler'),
  /** Root specs; the compiler and the MPI are added by stackinator. */
  specs: z.array(z.string({ error: 'must be a spec string' }), { error: 'is required: a list of spec strings (not null)' }),
  variants: stringList.default([]),
  mpi: falseAsNull(mpiSchema).default(null),
  /** Found on the build node with `spack external find --not-buildable`. */
  packages: stringList.default([]),
  unify: z.union([z.boolean(), z.literal('when_possible')], { error: 'must be true, false or when_possible' }).default(true),
  deprecated: z.boolean({ error: 'must be true or false' }).default(false),
  views: z.record(z.string(), viewSchema.nullable()).default({}),
});

export const recipeEnvironmentsSchema = z.record(
  z.string().regex(ENV_NAME, 'must match [A-Za-z0-9_][A-Za-z0-9_-]* (it becomes a directory name)'),
  environmentSchema,
  { error: 'must be a map of environment name to environment' },
);

/** A Spack packages.yaml (recipe or cluster): the top level holds only `packages`. */
const externalSchema = z
  .looseObject({
    spec: z.string({ error: 'is required: the spec of the installed package, e.g. xpmem@2.9.6' }),
    prefix: z.string().startsWith('/', 'must be an absolute path').optional(),
    modules: stringList.optional(),
  })
  .refine((e) => e.prefix !== undefined || e.modules !== undefined, { message: 'needs a prefix (or modules) where the package is installed' });

export const packagesFileSchema = z.strictObject({
  packages: z.record(
    z.string(),
    z.looseObject(
      {
        buildable: z.boolean({ error: 'must be true or false' }).optional(),
        externals: z.array(externalSchema, { error: 'must be a list of {spec, prefix}' }).optional(),
      },
      { error: 'must be a map of Spack package settings' },
    ),
  ),
});

/** stackinator assigns modules.default.roots.tcl; the keys above it must exist or configure fails. */
export const modulesFileSchema = z.strictObject({
  modules: z.looseObject(
    {
      default: z.looseObject(
        {
          arch_folder: z.literal(false, { error: 'must be false (the image has one architecture)' }).optional(),
          roots: z.looseObject({}, { error: 'is required: stackinator sets roots.tcl to <mount>/modules' }),
        },
        { error: 'is required' },
      ),
    },
    { error: 'is required' },
  ),
});

/** extra/reframe.yaml: a CSCS convention read by cscs-reframe-tests, not by stackinator. */
export const reframeFileSchema = z.record(
  z.string(),
  z.strictObject({
    features: stringList,
    cc: z.string(),
    cxx: z.string(),
    ftn: z.string(),
    views: stringList.optional(),
    /** Shell command(s) that load the environment, e.g. `uenv view default`. */
    activation: z.union([z.string(), stringList], { error: 'must be a command or a list of commands' }).optional(),
    extras: z.record(z.string(), z.unknown()).optional(),
  }),
);

/** The cluster's compilers.yaml: Spack 0.2x compiler entries for the system gcc. */
export const clusterCompilersSchema = z.strictObject({
  compilers: z
    .array(
      z.strictObject({
        compiler: z.looseObject({
          spec: z.string().regex(/^gcc@\d+(\.\d+)*$/, 'must be the system gcc, e.g. gcc@7.5.0'),
          paths: z.looseObject({ cc: z.string(), cxx: z.string() }),
        }),
      }),
    )
    .min(1, 'needs the system gcc that builds the bootstrap compiler'),
});

/** repos.yaml: paths relative to the cluster folder (the site repository of alps-cluster-config). */
export const clusterReposSchema = z.strictObject({
  repos: z.array(
    z.string().refine((path) => !path.startsWith('/'), 'must be relative to the cluster folder (stackinator v5 resolves it there)'),
    {
      error: 'must be a list of strings (paths relative to the cluster folder)',
    },
  ),
});

export type RecipeConfig = z.output<typeof recipeConfigSchema>;
export type RecipeCompilers = z.output<typeof recipeCompilersSchema>;
export type RecipeEnvironment = z.output<typeof environmentSchema>;
export type RecipeEnvironments = z.output<typeof recipeEnvironmentsSchema>;

/** One package's spec as the site reads it (`Recipe.packageSpec`, the `recipe` content collection). */
export const packageSpecSchema = z.strictObject({
  /** Spack package name. */
  name: z.string(),
  /** The spec as the recipe gives it (for `mpi:`, as stackinator generates it: `<spec> +<gpu>`). */
  spec: z.string(),
  version: z.string().optional(),
  variants: z.array(z.string()),
  /** environments: a root spec; mpi: an environment's `mpi:`; packages: the recipe's packages.yaml; cluster: the cluster's. */
  source: z.enum(['environments', 'mpi', 'packages', 'cluster']),
  /** Environment name, for specs from environments.yaml. */
  environment: z.string().optional(),
  /** Repository-relative path of the file that holds the spec. */
  file: z.string(),
  line: z.number().int().positive(),
  /** True for a system external (`buildable: false`): Spack never builds it. */
  external: z.boolean().optional(),
});

export type PackageSpec = z.output<typeof packageSpecSchema>;
export type SpecSource = PackageSpec['source'];

/** content/deps.yaml: Spack package → its direct dependencies, for the stack graph. */
export const dependencyMapSchema = z.record(
  slug('must be a Spack package name'),
  z.array(slug('must be a Spack package name'), { error: 'must be a list of Spack package names' }),
  { error: 'must be a map of package to its dependencies' },
);
