import { test, expect, type Page } from '@playwright/test';
import { issueIdsFor, issues, packages } from './records';
import { ISSUE_STATUSES } from '../../src/schemas/issue';
import { FIRST_PAGE_ROWS } from '../../src/lib/records/issue-rows';
import { sortIssues } from '../../src/lib/records/issues';

async function visibleIds(page: Page): Promise<string[]> {
  return (await page.locator('[data-issue-row]:visible').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id!))).sort();
}

test('the index shows the first page, and every issue on request', async ({ page }) => {
  await page.goto('/issues/');
  const first = Math.min(FIRST_PAGE_ROWS, issues.length);
  await expect
    .poll(() => visibleIds(page))
    .toEqual(
      sortIssues(issues)
        .slice(0, first)
        .map((i) => i.id)
        .sort(),
    );
  if (first < issues.length) {
    await expect(page.locator('[data-issue-count]')).toHaveText(`Showing the first ${first} of ${issues.length} issues`);
    await page.getByRole('link', { name: `Show all ${issues.length} issues` }).click();
  }
  await expect(page.locator('[data-issue-count]')).toHaveText(`${issues.length} of ${issues.length} issues`);
  await expect.poll(() => visibleIds(page)).toEqual(issueIdsFor({}));
  // Rows added by the script look like the rendered ones: a status badge and linked packages.
  const last = page.locator('[data-issue-row]').last();
  await expect(last.locator('.status-badge')).toBeVisible();
  await expect(last.locator('a[href^="/issues/"]')).toHaveCount(1);
});

test('without script, "show all" leads to every issue grouped by area', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/issues/all/');
  expect((await page.locator('[data-issue-id]').evaluateAll((li) => li.map((l) => (l as HTMLElement).dataset.issueId!))).sort()).toEqual(issueIdsFor({}));
  await context.close();
});

test("filtering by package shows that package's issues without a reload", async ({ page }) => {
  await page.goto('/issues/');
  const marker = await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = Math.random()));
  for (const pkg of packages) {
    await page.getByLabel('Package').selectOption(pkg.id);
    await expect.poll(() => visibleIds(page), pkg.id).toEqual(issueIdsFor({ package: pkg.id }));
    await expect(page).toHaveURL(new RegExp(`\\?package=${pkg.id}$`));
  }
  // Same document throughout: no navigation happened.
  expect(await page.evaluate(() => (window as unknown as { __marker: number }).__marker)).toBe(marker);
});

test('filtering by status, and by both, matches the records', async ({ page }) => {
  await page.goto('/issues/');
  for (const status of ISSUE_STATUSES) {
    await page.getByLabel('Status').selectOption(status);
    await expect.poll(() => visibleIds(page), status).toEqual(issueIdsFor({ status }));
  }
  await page.getByLabel('Package').selectOption('libfabric');
  await page.getByLabel('Status').selectOption('workaround');
  await expect.poll(() => visibleIds(page)).toEqual(issueIdsFor({ package: 'libfabric', status: 'workaround' }));
});

test('a shared filter URL restores the filter', async ({ page }) => {
  await page.goto('/issues/?package=libcurl&status=workaround');
  await expect(page.getByLabel('Package')).toHaveValue('libcurl');
  await expect(page.getByLabel('Status')).toHaveValue('workaround');
  await expect.poll(() => visibleIds(page)).toEqual(issueIdsFor({ package: 'libcurl', status: 'workaround' }));
});

test('filtering by area, with each area and package counted in its option', async ({ page }) => {
  await page.goto('/issues/');
  const areas = [...new Set(issues.map((i) => i.area))];
  for (const area of areas) {
    const expected = issues
      .filter((i) => i.area === area)
      .map((i) => i.id)
      .sort();
    await expect(page.getByLabel('Area').locator(`option[value="${area}"]`)).toHaveText(new RegExp(`\\(${expected.length}\\)$`));
    await page.getByLabel('Area').selectOption(area);
    await expect.poll(() => visibleIds(page), area).toEqual(expected);
    await expect(page).toHaveURL(new RegExp(`\\?area=${area}$`));
  }
  const libfabric = issues.filter((i) => i.packages.includes('libfabric')).length;
  await expect(page.getByLabel('Package').locator('option[value="libfabric"]')).toHaveText(`libfabric (${libfabric})`);
});

test('the text filter keeps identifiers whole and needs every word', async ({ page }) => {
  await page.goto('/issues/');
  const target = issues.find((i) => i.id === 'cxi-libcurl-teardown-segfault')!;
  await page.getByLabel('Text').fill('libcurl.so.4 teardown');
  await expect
    .poll(() => visibleIds(page))
    .toEqual(
      issues
        .filter((i) => /libcurl\.so\.4/i.test(i.title) && /teardown/i.test(`${i.title} ${i.id}`))
        .map((i) => i.id)
        .sort(),
    );
  await expect.poll(() => visibleIds(page)).toContain(target.id);
  await page.getByLabel('Text').fill('no-such-word-anywhere');
  await expect(page.locator('[data-issue-empty]')).toBeVisible();
});

test('your versions show the issues whose affected ranges include them, and name what is not a version', async ({ page }) => {
  await page.goto('/issues/?versions=libfabric@2.0.0');
  await expect(page.getByLabel('Your versions')).toHaveValue('libfabric@2.0.0');
  await expect(page.locator('[data-issue-count]')).not.toContainText('Showing');
  const ids = await visibleIds(page);
  expect(ids).toContain('cxi-libcurl-teardown-segfault');
  for (const id of ids)
    expect(
      issues.find((i) => i.id === id)!.affected.versions.some((v) => v.spec.startsWith('libfabric@')),
      id,
    ).toBe(true);
  await page.getByLabel('Your versions').fill('libfabric@2.2.0');
  await expect.poll(() => visibleIds(page)).not.toContain('cxi-libcurl-teardown-segfault');
  await page.getByLabel('Your versions').fill('libfabric 2.0');
  await expect(page.locator('[data-issue-count]')).toContainText('ignored, not name@version: libfabric 2.0');
});

test('the sidebar groups issues by area, each linking to the filtered index with its count', async ({ page }) => {
  await page.goto('/guides/overview/');
  const group = page.locator('nav[aria-label="Main"] details', { hasText: 'Known issues' });
  const links = group.locator('a[href^="/issues/?area="]');
  const areas = [...new Set(issues.map((i) => i.area))];
  await expect(links).toHaveCount(areas.length);
  for (const area of areas) {
    await expect(group.locator(`a[href="/issues/?area=${area}"]`)).toContainText(String(issues.filter((i) => i.area === area).length));
  }
  // No issue titles in the sidebar: it stays short however many issues there are.
  await expect(group.locator('a[href^="/issues/"][href$="/"]')).toHaveCount(1);
});
