import { describe, expect, it } from 'vitest';
import { layoutGraph, neighbours, openIssueCounts, stackGraph } from '../../../src/lib/graph';
import { loadDependencyMap } from '../../../src/lib/graph-fs';
import { loadKnowledgeBase } from '../../../src/lib/records/knowledge-base-fs';
import { ISSUE_STATUSES } from '../../../src/schemas/issue';

describe('open issues', () => {
  it('counts open and workaround, not fixed-upstream or wontfix', () => {
    const counts = openIssueCounts(ISSUE_STATUSES.map((status) => ({ status, packages: [status] })));
    expect([...counts.keys()]).toEqual(['open', 'workaround']);
  });

  it('counts per package page id', () => {
    const counts = openIssueCounts([
      { status: 'open', packages: ['libfabric', 'libcurl'] },
      { status: 'workaround', packages: ['libfabric'] },
      { status: 'fixed-upstream', packages: ['libfabric', 'nccl'] },
      { status: 'wontfix', packages: ['nccl'] },
    ]);
    expect(Object.fromEntries(counts)).toEqual({ libfabric: 2, libcurl: 1 });
  });
});

describe('layoutGraph', () => {
  const deps = { a: ['b', 'c'], b: ['d'], c: ['d'], e: ['d'] };

  it('puts every package above what it needs', () => {
    const { nodes, edges } = layoutGraph(deps);
    const at = Object.fromEntries(nodes.map((n) => [n.name, n]));
    expect(edges).toHaveLength(5);
    for (const e of edges) expect(at[e.from]!.y + at[e.from]!.height).toBeLessThan(at[e.to]!.y);
  });

  it('lifts a package to just below its lowest dependent', () => {
    const at = Object.fromEntries(layoutGraph({ top: ['mid', 'leaf'], mid: ['low'], low: ['base'] }).nodes.map((n) => [n.name, n.layer]));
    expect(at).toEqual({ top: 3, mid: 2, leaf: 2, low: 1, base: 0 });
  });

  it('never overlaps two boxes and keeps them inside the drawing', () => {
    const { nodes, width, height } = layoutGraph(deps);
    for (const a of nodes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(width);
      expect(a.y + a.height).toBeLessThanOrEqual(height);
      for (const b of nodes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
      }
    }
  });

  it('rejects a cycle', () => {
    expect(() => layoutGraph({ a: ['b'], b: ['c'], c: ['a'] })).toThrow(/dependency cycle: a → b → c → a/);
  });
});

describe('the stack graph', () => {
  const deps = loadDependencyMap();
  const kb = loadKnowledgeBase();
  // Platform packages (uenv, Slurm, Spack, stackinator) are not in the image, so not in the graph.
  const pages = kb.packages.map((p) => p.record).filter((p) => p.role !== 'platform');

  it('has one linked node per package page, with its open-issue count', () => {
    const graph = stackGraph(
      deps,
      pages,
      kb.issues.map((i) => i.record),
      () => undefined,
    );
    const linked = graph.nodes.filter((n) => n.pageId);
    expect(linked.map((n) => n.pageId).sort()).toEqual(pages.map((p) => p.id).sort());
    const counts = openIssueCounts(kb.issues.map((i) => i.record));
    for (const n of linked) expect(n.openIssues).toBe(counts.get(n.pageId!) ?? 0);
  });

  it('refuses a package page that is missing from the map', () => {
    expect(() => stackGraph(deps, [...pages, { id: 'zstd' }], [], () => undefined)).toThrow(/content\/deps\.yaml: no node for package page\(s\) zstd/);
  });
});

describe('neighbours', () => {
  const deps = { a: ['c', 'b'], b: ['c'], d: [] };
  it('lists direct dependencies and direct dependents, sorted', () => {
    expect(neighbours(deps, 'a')).toEqual({ dependsOn: ['b', 'c'], usedBy: [] });
    expect(neighbours(deps, 'c')).toEqual({ dependsOn: [], usedBy: ['a', 'b'] });
    expect(neighbours(deps, 'unknown')).toEqual({ dependsOn: [], usedBy: [] });
  });
});
