/** The stack graph page in Chromium: static SVG, one linked node per package page, open-issue badges. */
import { expect, test } from '@playwright/test';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import { openIssueCounts } from '../../src/lib/graph';

const kb = loadKnowledgeBase();
// Platform packages (uenv, Slurm, Spack, stackinator) are not in the image, so not in the graph.
const pageIds = kb.packages
  .filter((p) => p.record.role !== 'platform')
  .map((p) => p.record.id)
  .sort();
const openCounts = openIssueCounts(kb.issues.map((i) => i.record));

test('the stack graph has one linked node per package page, with its open-issue count', async ({ page }) => {
  await page.goto('/guides/stack-graph/');
  const svg = page.locator('figure.stack-graph svg');
  await expect(svg).toBeVisible();
  const nodes = svg.locator('a.node');
  await expect(nodes).toHaveCount(pageIds.length);
  const found = await nodes.evaluateAll((as) =>
    as.map((a) => ({
      id: a.getAttribute('data-package'),
      href: a.getAttribute('href'),
      open: a.getAttribute('data-open-issues'),
      badge: a.querySelector('.badge text')?.textContent ?? null,
    })),
  );
  expect(found.map((n) => n.id).sort()).toEqual(pageIds);
  for (const n of found) {
    expect(n.href).toBe(`/packages/${n.id}/`);
    const open = openCounts.get(n.id!) ?? 0;
    expect(Number(n.open), `open issues of ${n.id}`).toBe(open);
    expect(n.badge).toBe(String(open));
  }
  // Each box is visible and inside the drawing (not clipped off the viewBox).
  const box = (await svg.boundingBox())!;
  for (const id of pageIds) {
    const b = (await svg.locator(`a.node[data-package="${id}"] rect`).boundingBox())!;
    expect(b.width).toBeGreaterThan(0);
    expect(b.x).toBeGreaterThanOrEqual(box.x - 1);
    expect(b.x + b.width).toBeLessThanOrEqual(box.x + box.width + 1);
  }
});

test('the stack graph is static: no script inside it, and it renders without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/guides/stack-graph/');
  await expect(page.locator('figure.stack-graph svg a.node')).toHaveCount(pageIds.length);
  await expect(page.locator('figure.stack-graph script')).toHaveCount(0);
  await context.close();
});

test('a graph node leads to its package page', async ({ page }) => {
  await page.goto('/guides/stack-graph/');
  const libfabric = kb.packages.find((p) => p.record.id === 'libfabric')!.record;
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/packages/libfabric/')),
    page.locator('figure.stack-graph a.node[data-package="libfabric"]').click(),
  ]);
  expect(response.status()).toBe(200);
  await expect(page).toHaveURL(/\/packages\/libfabric\/$/);
  await expect(page.locator('main h1')).toHaveText(libfabric.title);
});
