/** Reads content/deps.yaml, the dependency map behind the stack graph; bad data throws positioned errors. */
import { join } from 'node:path';
import { dependencyMapSchema } from '../schemas/recipe';
import type { DependencyMap } from './graph';
import { DataError, errorAt, parseYamlWith } from './yaml-source';
import { displayPath, readTextFile, repoRoot } from './paths-fs';

export const DEPS_FILE = 'content/deps.yaml';

export function loadDependencyMap(file = join(repoRoot(), DEPS_FILE)): DependencyMap {
  const parsed = parseYamlWith(dependencyMapSchema, displayPath(file), readTextFile(file));
  if (!parsed.ok) throw new DataError('dependency map', parsed.errors);
  const self = Object.entries(parsed.data).find(([name, deps]) => deps.includes(name));
  if (self) throw new DataError('dependency map', [errorAt(parsed.source, [self[0]], `${self[0]} depends on itself`)]);
  return parsed.data;
}
