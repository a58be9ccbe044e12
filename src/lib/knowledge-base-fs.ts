/** Node I/O for the knowledge base: reads content/ and throws one error listing every problem. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseKnowledgeBase, type KnowledgeBase, type RecordFile } from './knowledge-base';
import { formatError } from './yaml-source';
import { listPublishedSources } from './published-sources-fs';

/**
 * Where the records live. Tests point UENV_KB_CONTENT at a mutated copy to prove that bad data
 * fails the real build.
 */
export function contentDir(): string {
  return resolve(process.env.UENV_KB_CONTENT ?? 'content');
}

/** Relative to the working directory when inside it (as editors expect), absolute otherwise. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}

function readRecords(dir: string): RecordFile[] {
  const abs = resolve(dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ file: displayPath(join(abs, name)), text: readFileSync(join(abs, name), 'utf8') }));
}

export class KnowledgeBaseError extends Error {
  constructor(readonly lines: string[]) {
    super(`invalid knowledge-base data:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    this.name = 'KnowledgeBaseError';
  }
}

/** `repoRoot` is the checkout whose files workarounds may name (see parseKnowledgeBase). */
export function loadKnowledgeBase(dir = contentDir(), repoRoot = '.'): KnowledgeBase {
  const kb = parseKnowledgeBase(readRecords(join(dir, 'issues')), readRecords(join(dir, 'packages')), new Set(listPublishedSources(repoRoot)));
  if (kb.errors.length) throw new KnowledgeBaseError(kb.errors.map(formatError));
  return kb;
}
