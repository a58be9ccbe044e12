import { z } from 'astro/zod';
import { linkSchema } from './link';
import { markdown, slug } from './common';

/** Metadata of one stack package; versions and variants come from the recipe, never from here. */
export const packageSchema = z.strictObject({
  /** Spack package name; also the page slug /packages/<id>/. */
  id: slug('must be a Spack package name'),
  title: z.string().min(1),
  /** The Spack package name when it differs from `id` (the libcurl page is Spack's `curl`). */
  spack: slug('must be a Spack package name').optional(),
  /** One sentence: what the package is. */
  summary: markdown,
  /** Why the stack builds it. Markdown. */
  why: markdown,
  /**
   * network: the internal-CXI layer; support: pulled in by it; optional: may be dropped for faster builds;
   * platform: what the stack is built with or runs under (uenv, Slurm, Spack, stackinator), not in the image.
   */
  role: z.enum(['network', 'support', 'optional', 'platform']),
  upstream: z.array(linkSchema).min(1),
  /**
   * How the recipe gets a package it writes no spec for: a variant of its specs (`+cuda` brings CUDA).
   * check-recipe checks that the variant is set; the page shows this instead of a spec.
   */
  pulled_in: z.strictObject({ by: z.literal('variant'), of: z.string().regex(/^[+~]?[\w-]+(=[\w.,-]+)?$/, 'must be one variant, e.g. +cuda') }).optional(),
});

export type Package = z.output<typeof packageSchema>;

/** The Spack name under which the recipe and the dependency map know this package. */
export function spackName(pkg: Pick<Package, 'id' | 'spack'>): string {
  return pkg.spack ?? pkg.id;
}
