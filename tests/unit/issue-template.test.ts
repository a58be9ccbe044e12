/** The contributors' template (content/templates/issue.yaml) names exactly the fields the issue schema has. */
import { readFileSync } from 'node:fs';
import { parseDocument, isMap, isSeq, type Node } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'astro/zod';
import { issueSchema } from '../../src/schemas/issue';

/** Dotted key paths of a YAML node (a list's items together). */
function yamlPaths(node: Node | null | undefined, prefix = ''): string[] {
  if (isMap(node))
    return node.items.flatMap((pair) => {
      const key = `${prefix}${String((pair.key as { value: unknown }).value)}`;
      return [key, ...yamlPaths(pair.value as Node, `${key}.`)];
    });
  if (isSeq(node)) return [...new Set(node.items.flatMap((item) => yamlPaths(item as Node, prefix)))];
  return [];
}

/** The same paths from the schema's JSON Schema (unions: every branch that is an object). */
function schemaPaths(schema: Record<string, unknown>, prefix = ''): string[] {
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(props).flatMap(([name, sub]) => {
    const key = `${prefix}${name}`;
    const branches = [
      sub,
      (sub.items as Record<string, unknown>) ?? {},
      ...(((sub.anyOf ?? (sub.items as Record<string, unknown>)?.anyOf) as Record<string, unknown>[]) ?? []),
    ];
    return [key, ...new Set(branches.flatMap((b) => schemaPaths(b, `${key}.`)))];
  });
}

describe('the issue template', () => {
  it('has every field of the schema and no other', () => {
    const template = yamlPaths(parseDocument(readFileSync('content/templates/issue.yaml', 'utf8')).contents).sort();
    const schema = [...new Set(schemaPaths(z.toJSONSchema(issueSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>))].sort();
    expect(template).toEqual(schema);
  });
});
