/** Reads content/deps.yaml, the dependency map behind the stack graph; bad data throws positioned errors. */
import { readFileSync } from 'node:fs';
import { dependencyMapSchema } from '../schemas/recipe';
import type { DependencyMap } from './graph';
import { errorAt, formatError, parseYaml, zodErrors } from './yaml-source';

export const DEPS_FILE = 'content/deps.yaml';

export function loadDependencyMap(file = DEPS_FILE): DependencyMap {
  const { source, errors } = parseYaml(file, readFileSync(file, 'utf8'));
  if (!source) throw new Error(errors.map(formatError).join('\n'));
  const result = dependencyMapSchema.safeParse(source.value ?? {});
  if (!result.success) throw new Error(zodErrors(source, result.error).map(formatError).join('\n'));
  const self = Object.entries(result.data).find(([name, deps]) => deps.includes(name));
  if (self) throw new Error(formatError(errorAt(source, [self[0]], `${self[0]} depends on itself`)));
  return result.data;
}
