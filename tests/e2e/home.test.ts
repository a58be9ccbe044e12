/** The home page answers: the stack at a glance with counts from the records, what changed recently, feeds. */
import { test, expect } from '@playwright/test';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';

const kb = loadKnowledgeBase();
const issues = kb.issues.map((i) => i.record);

test('the stack at a glance counts each package’s open and worked-around issues from the records', async ({ page }) => {
  await page.goto('/');
  const table = page.getByTestId('stack-glance');
  for (const { record: pkg } of kb.packages) {
    const mine = issues.filter((i) => i.packages.includes(pkg.id));
    const row = table.locator(`tr[data-package="${pkg.id}"]`);
    await expect(row.locator('td').nth(1), pkg.id).toHaveText(String(mine.filter((i) => i.status === 'open').length));
    await expect(row.locator('td').nth(2), pkg.id).toHaveText(String(mine.filter((i) => i.status === 'workaround').length));
  }
});

test('recently changed lists the newest issues first and links the feed and the JSON', async ({ page }) => {
  await page.goto('/');
  const newest = [...issues].sort((a, b) => {
    const changed = (i: typeof a) => (i.last_verified > i.first_seen ? i.last_verified : i.first_seen);
    return changed(b).localeCompare(changed(a)) || a.id.localeCompare(b.id);
  })[0]!;
  await expect(page.getByTestId('recent-issues').locator('li').first()).toHaveAttribute('data-issue-id', newest.id);
  await expect(page.locator('main a[href="/issues.atom"]')).toBeVisible();
  await expect(page.locator('main a[href="/issues.json"]')).toBeVisible();
});
