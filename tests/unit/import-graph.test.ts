/**
 * No import cycle in src/ (issue 11): every relative import of every module (static, re-export, dynamic, type-only)
 * is an edge; a depth-first search reports the first cycle it meets, as a path.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

type Graph = Map<string, string[]>;

const SOURCE = /\.(ts|astro|mjs)$/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"?]+)(?:\?[^'"]*)?['"]/g;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : SOURCE.test(name) ? [path] : [];
  });
}

/** The module a relative specifier names, or undefined when it is no source module (e.g. `?raw` data). */
function resolveModule(from: string, spec: string): string | undefined {
  const base = normalize(join(dirname(from), spec));
  return [base, `${base}.ts`, `${base}.astro`, `${base}.mjs`, join(base, 'index.ts')].find((p) => SOURCE.test(p) && existsSync(p));
}

export function importGraph(root: string): Graph {
  const graph: Graph = new Map();
  for (const file of filesUnder(root)) {
    const text = readFileSync(file, 'utf8');
    graph.set(
      file,
      [...text.matchAll(IMPORT)].map((m) => resolveModule(file, m[1]!)).filter((p): p is string => p !== undefined),
    );
  }
  return graph;
}

/** The first cycle found, as [a, b, …, a], or undefined. */
export function findCycle(graph: Graph): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the import graph of src/', () => {
  it('has modules and edges to check', () => {
    const graph = importGraph('src');
    expect(graph.size).toBeGreaterThan(40);
    expect([...graph.values()].flat().length).toBeGreaterThan(80);
    expect(graph.get(join('src/cli/main.ts'))).toContain(join('src/cli/io.ts'));
  });

  it('has no cycle', () => {
    expect(findCycle(importGraph('src'))?.join(' → ')).toBeUndefined();
  });

  it('the search finds a cycle when there is one', () => {
    const graph: Graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycle(graph)).toEqual(['a', 'b', 'c', 'a']);
    expect(
      findCycle(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toBeUndefined();
  });
});
