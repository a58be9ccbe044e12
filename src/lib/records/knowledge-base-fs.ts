/** Node I/O for the knowledge base: reads content/ and throws one error listing every problem. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseKnowledgeBase, type KnowledgeBase, type RecordFile } from './knowledge-base';
import { DataError } from '../yaml-source';
import { listPublishedSources } from '../published-sources-fs';
import { contentDir, displayPath, readTextFile, repoRoot, walkTree } from '../paths-fs';
import { InputError } from '../input-error';

export { contentDir, displayPath } from '../paths-fs';

/** The *.yaml records directly in `dir`; every one a regular UTF-8 file inside `within` (see paths-fs). */
function readRecords(dir: string, within: string): RecordFile[] {
  const { files, dirs } = walkTree(dir, [], within);
  const nested = dirs.find((d) => /\.ya?ml$/.test(d));
  if (nested) throw new InputError(displayPath(nested), 'is a directory, not a regular file');
  return files
    .filter((path) => /\.ya?ml$/.test(path) && !path.slice(dir.length + 1).includes('/'))
    .map((path) => ({ file: displayPath(path), text: readTextFile(path, { within }) }));
}

/**
 * A content directory holds issues/ and packages/ folders; anything else (an empty folder, /proc, a file) is
 * refused before any record is read.
 */
export function assertContentDir(dir: string): void {
  const stats = statSync(dir, { throwIfNoEntry: false });
  if (!stats) throw new InputError(displayPath(dir), 'does not exist');
  if (!stats.isDirectory()) throw new InputError(displayPath(dir), 'is not a directory (give the content directory, e.g. content)');
  const entries = new Set(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name),
  );
  const missing = ['issues', 'packages'].filter((d) => !entries.has(d));
  if (missing.length) throw new InputError(displayPath(dir), `is not a content directory: it has no ${missing.map((m) => `${m}/`).join(' or ')} folder`);
}

/** `repo` is the checkout whose files workarounds may name (see parseKnowledgeBase). */
export function loadKnowledgeBase(dir = contentDir(), repo = repoRoot()): KnowledgeBase {
  const abs = resolve(dir);
  assertContentDir(abs);
  const kb = parseKnowledgeBase(readRecords(join(abs, 'issues'), abs), readRecords(join(abs, 'packages'), abs), new Set(listPublishedSources(repo)));
  if (kb.errors.length) throw new DataError('knowledge-base data', kb.errors);
  return kb;
}
