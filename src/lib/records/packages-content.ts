/** Looks up package records for components; a page naming an unknown package fails the build. */
import { getEntry } from 'astro:content';
import type { Package } from '../../schemas/package';

export async function requirePackage(id: string): Promise<Package> {
  const entry = await getEntry('packages', id);
  if (!entry) throw new Error(`No package record "${id}": add content/packages/${id}.yaml or fix the page's id.`);
  return entry.data;
}
