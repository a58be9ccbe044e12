/** Node I/O beside runbook-steps.ts: reads a runbook's files and throws one error listing every problem. */
import { resolve } from 'node:path';
import { checkIssueRefs, parseRunbookSteps, type RunbookSteps } from './runbook-steps';
import { DataError } from './yaml-source';
import { readTextFile } from './paths-fs';

/**
 * Parses the step markers of `files` (repository-relative paths, e.g. the runbook and its step
 * library) and checks every `@fails` id against `knownIssueIds`.
 */
export function loadRunbookSteps(files: string[], knownIssueIds: Iterable<string>, root = process.cwd()): RunbookSteps {
  const parsed = parseRunbookSteps(files.map((file) => ({ file, text: readTextFile(resolve(root, file)) })));
  const errors = [...parsed.errors, ...checkIssueRefs(parsed, knownIssueIds)];
  if (errors.length) throw new DataError('runbook step markers', errors);
  return parsed;
}
