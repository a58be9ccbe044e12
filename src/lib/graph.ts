/**
 * The stack graph: a layered layout of the dependency map (content/deps.yaml), computed at build
 * time and drawn as static SVG by StackGraph.astro. Pure: no DOM, no node:*.
 */
import type { Issue } from '../schemas/issue';
import { isOpen } from './records/issues';

/** Package → its direct dependencies (Spack names). */
export type DependencyMap = Record<string, string[]>;

/** Open issues per package page id ("open" as everywhere on the site: `isOpen` of lib/issues). */
export function openIssueCounts(issues: Pick<Issue, 'status' | 'packages'>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const issue of issues.filter(isOpen)) {
    for (const id of issue.packages) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

export interface NodeInfo {
  /** Package page id, when the package has a page. */
  pageId?: string;
  /** Shown under the name, e.g. the recipe's version. */
  detail?: string;
  openIssues?: number;
}

export interface LayoutNode extends NodeInfo {
  name: string;
  layer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayoutEdge {
  from: string;
  to: string;
  /** SVG path from the bottom of `from` to the top of `to`. */
  d: string;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

export const NODE = { width: 136, height: 50, gapX: 20, gapY: 56, margin: 16 } as const;

/** Throws on a cycle: a dependency map of a Spack stack is a DAG. */
function layers(deps: DependencyMap, names: string[]): Map<string, number> {
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string, path: string[]): number => {
    const known = layer.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`dependency cycle: ${[...path, name].join(' → ')}`);
    visiting.add(name);
    const below = (deps[name] ?? []).map((d) => visit(d, [...path, name]));
    visiting.delete(name);
    const l = below.length ? 1 + Math.max(...below) : 0;
    layer.set(name, l);
    return l;
  };
  names.forEach((n) => visit(n, []));
  // Lift each package to just below its lowest dependent (top-down), so leaves such as xpmem sit
  // next to what needs them instead of all crowding the bottom row.
  const dependents = (name: string) => names.filter((n) => deps[n]?.includes(name));
  for (const name of [...names].sort((a, b) => layer.get(b)! - layer.get(a)!)) {
    const above = dependents(name).map((d) => layer.get(d)!);
    if (above.length) layer.set(name, Math.min(...above) - 1);
  }
  return layer;
}

/**
 * Layers by longest path (the packages users load at the top), each lifted to just below its lowest
 * dependent, then orders
 * each row by the mean position of its dependencies (one barycenter sweep from the bottom up), so
 * edges mostly run straight down.
 */
export function layoutGraph(deps: DependencyMap, info: Record<string, NodeInfo> = {}): GraphLayout {
  const names = [...new Set([...Object.keys(deps), ...Object.values(deps).flat()])].sort();
  const layerOf = layers(deps, names);
  const depth = Math.max(0, ...layerOf.values());
  const rows: string[][] = Array.from({ length: depth + 1 }, () => []);
  for (const n of names) rows[layerOf.get(n)!]!.push(n);

  const order = new Map<string, number>();
  rows.forEach((row, l) => {
    if (l > 0) {
      const score = (n: string) => {
        const placed = (deps[n] ?? []).map((d) => order.get(d)!);
        return placed.reduce((a, b) => a + b, 0) / placed.length;
      };
      row.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
    }
    // Centre every row on the widest one.
    row.forEach((n, i) => order.set(n, i - (row.length - 1) / 2));
  });

  const widest = Math.max(...rows.map((r) => r.length));
  const width = 2 * NODE.margin + widest * NODE.width + (widest - 1) * NODE.gapX;
  const height = 2 * NODE.margin + rows.length * NODE.height + (rows.length - 1) * NODE.gapY;
  const centre = width / 2;
  const nodes: LayoutNode[] = names.map((name) => {
    const layer = layerOf.get(name)!;
    const row = depth - layer;
    return {
      name,
      ...info[name],
      layer,
      x: Math.round(centre + order.get(name)! * (NODE.width + NODE.gapX) - NODE.width / 2),
      y: NODE.margin + row * (NODE.height + NODE.gapY),
      width: NODE.width,
      height: NODE.height,
    };
  });
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const edges: LayoutEdge[] = Object.entries(deps).flatMap(([from, tos]) =>
    tos.map((to) => {
      const a = byName.get(from)!;
      const b = byName.get(to)!;
      const x1 = a.x + a.width / 2;
      const y1 = a.y + a.height;
      const x2 = b.x + b.width / 2;
      const y2 = b.y;
      const bend = (y2 - y1) / 2;
      return { from, to, d: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}` };
    }),
  );
  return { width, height, nodes, edges };
}

export interface GraphPage {
  id: string;
  spack?: string;
  role?: string;
}

/**
 * The stack graph of the site: every package page is a node (linked, with its open-issue count and
 * recipe version); other dependencies are plain nodes. Throws if a page's package is not in the map.
 * Platform packages (uenv, Slurm, Spack, stackinator) are not in the image, so not in the graph.
 */
export function stackGraph(
  deps: DependencyMap,
  pages: GraphPage[],
  issues: Pick<Issue, 'status' | 'packages'>[],
  detailOf: (spackName: string) => string | undefined,
): GraphLayout {
  pages = pages.filter((p) => p.role !== 'platform');
  const names = new Set([...Object.keys(deps), ...Object.values(deps).flat()]);
  const missing = pages.filter((p) => !names.has(p.spack ?? p.id)).map((p) => p.spack ?? p.id);
  if (missing.length) throw new Error(`content/deps.yaml: no node for package page(s) ${missing.join(', ')}: add them to the dependency map`);
  const counts = openIssueCounts(issues);
  const info: Record<string, NodeInfo> = {};
  for (const name of names) info[name] = { detail: detailOf(name) };
  for (const page of pages) {
    const name = page.spack ?? page.id;
    info[name] = { ...info[name], pageId: page.id, openIssues: counts.get(page.id) ?? 0 };
  }
  return layoutGraph(deps, info);
}

/** A package's direct dependencies and direct dependents in the map, each sorted. */
export function neighbours(deps: DependencyMap, name: string): { dependsOn: string[]; usedBy: string[] } {
  return {
    dependsOn: [...(deps[name] ?? [])].sort(),
    usedBy: Object.keys(deps)
      .filter((k) => deps[k]!.includes(name))
      .sort(),
  };
}
