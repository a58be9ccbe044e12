/**
 * Parses and cross-checks the knowledge base's records (issues and packages). Pure: the site's
 * content loaders and the CLI feed it file texts and get positioned errors back.
 */
import { issueSchema, type Issue } from '../../schemas/issue';
import { packageSchema, type Package } from '../../schemas/package';
import { errorAt, nodeAtPath, parseYamlWith, type SourceError, type YamlSource } from '../yaml-source';
import { signatureField, signatureProblem } from '../diagnose/signature';
import type { z } from 'astro/zod';

export interface RecordFile {
  /** Path shown in errors, relative to the repository root. */
  file: string;
  text: string;
}

export interface Parsed<T> {
  record: T;
  source: YamlSource;
}

function parseRecord<S extends z.ZodType>(schema: S, f: RecordFile, errors: SourceError[]): Parsed<z.output<S>> | undefined {
  const parsed = parseYamlWith(schema, f.file, f.text);
  errors.push(...parsed.errors);
  return parsed.ok ? { record: parsed.data, source: parsed.source } : undefined;
}

function stemOf(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
}

export interface KnowledgeBase {
  issues: Parsed<Issue>[];
  packages: Parsed<Package>[];
  errors: SourceError[];
}

/**
 * `repoFiles`, when given, are the repository files a workaround may name (those the site publishes); without it
 * workaround files are not checked.
 */
export function parseKnowledgeBase(issueFiles: RecordFile[], packageFiles: RecordFile[], repoFiles?: ReadonlySet<string>): KnowledgeBase {
  const errors: SourceError[] = [];
  const packages = packageFiles.map((f) => parseRecord(packageSchema, f, errors)).filter((p) => p !== undefined);
  for (const p of packages) {
    if (p.record.id !== stemOf(p.source.file)) {
      errors.push(errorAt(p.source, ['id'], `must equal the file name "${stemOf(p.source.file)}"`));
    }
  }
  const known = new Set(packages.map((p) => p.record.id));
  const issues = issueFiles.map((f) => parseRecord(issueSchema, f, errors)).filter((i) => i !== undefined);
  const seen = new Map<string, string>();
  for (const { record, source } of issues) {
    const first = seen.get(record.id);
    if (first) errors.push(errorAt(source, ['id'], `duplicate id "${record.id}" (also in ${first})`));
    else seen.set(record.id, source.file);
    // The permalink /issues/<id>/ and /source/content/issues/<file> must name the same record.
    if (record.id !== stemOf(source.file)) errors.push(errorAt(source, ['id'], `must equal the file name "${stemOf(source.file)}"`));
    record.packages.forEach((pkg, i) => {
      if (!known.has(pkg)) errors.push(errorAt(source, ['packages', i], `unknown package "${pkg}" (no content/packages/${pkg}.yaml)`));
    });
    record.workaround?.files.forEach((entry, i) => {
      const { file } = entry;
      // Point at `file:` when the record wrote the `{ file, path }` form, else at the list item.
      const at = nodeAtPath(source, ['workaround', 'files', i, 'file']) ? ['workaround', 'files', i, 'file'] : ['workaround', 'files', i];
      if (repoFiles && !repoFiles.has(file))
        errors.push(errorAt(source, at, `"${file}" is not a file the site publishes (see PUBLISHED_SOURCES in src/lib/site.ts)`));
    });
    record.signatures.forEach((sig, i) => {
      const problem = signatureProblem(sig);
      if (problem) errors.push(errorAt(source, ['signatures', i, signatureField(sig)], problem));
    });
  }
  return { issues, packages, errors };
}
