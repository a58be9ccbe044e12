import { test, expect, type Page } from '@playwright/test';
import { issueIdsFor, issues, packages } from './records';
import { ISSUE_STATUSES } from '../../src/schemas/issue';

async function visibleIds(page: Page): Promise<string[]> {
  return (await page.locator('[data-issue-row]:visible').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id!))).sort();
}

test('the index lists every issue', async ({ page }) => {
  await page.goto('/issues/');
  expect(await visibleIds(page)).toEqual(issueIdsFor({}));
  await expect(page.locator('[data-issue-count]')).toHaveText(`${issues.length} of ${issues.length} issues`);
});

test('filtering by package shows that package\'s issues without a reload', async ({ page }) => {
  await page.goto('/issues/');
  const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));
  for (const pkg of packages) {
    await page.getByLabel('Package').selectOption(pkg.id);
    expect(await visibleIds(page), pkg.id).toEqual(issueIdsFor({ package: pkg.id }));
    await expect(page).toHaveURL(new RegExp(`\\?package=${pkg.id}$`));
  }
  // Same document throughout: no navigation happened.
  expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
});

test('filtering by status, and by both, matches the records', async ({ page }) => {
  await page.goto('/issues/');
  for (const status of ISSUE_STATUSES) {
    await page.getByLabel('Status').selectOption(status);
    expect(await visibleIds(page), status).toEqual(issueIdsFor({ status }));
  }
  await page.getByLabel('Package').selectOption('libfabric');
  await page.getByLabel('Status').selectOption('workaround');
  expect(await visibleIds(page)).toEqual(issueIdsFor({ package: 'libfabric', status: 'workaround' }));
});

test('a shared filter URL restores the filter', async ({ page }) => {
  await page.goto('/issues/?package=libcurl&status=workaround');
  await expect(page.getByLabel('Package')).toHaveValue('libcurl');
  await expect(page.getByLabel('Status')).toHaveValue('workaround');
  expect(await visibleIds(page)).toEqual(issueIdsFor({ package: 'libcurl', status: 'workaround' }));
});
