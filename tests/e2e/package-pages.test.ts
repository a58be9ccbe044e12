import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { issueIdsFor, packages } from './records';

test.describe('each package page lists exactly its known issues', () => {
  for (const pkg of packages) {
    test(pkg.id, async ({ page }) => {
      await page.goto(`/packages/${pkg.id}/`);
      await expect(page.locator('h1')).toHaveText(pkg.title);
      const expected = issueIdsFor({ package: pkg.id });
      const listed = await page
        .locator('[data-testid="package-issues"] [data-issue-id]')
        .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.issueId!).sort());
      expect(listed).toEqual(expected);
      // Every listed issue links to its permalink.
      for (const id of listed) await expect(page.locator(`[data-issue-id="${id}"] a[href="/issues/${id}/"]`)).toHaveCount(1);
    });
  }
});

test('a package page links the stack packages it depends on and those that need it', async ({ page }) => {
  await page.goto('/packages/libcxi/');
  const deps = page.getByTestId('package-deps');
  for (const id of ['cxi-driver', 'cassini-headers', 'libfuse', 'libfabric']) {
    await expect(deps.locator(`a[href="/packages/${id}/"]`)).toHaveCount(1);
  }
});

test('the NCCL page shows every recommended setting of runbooks/data/nccl.env', async ({ page }) => {
  const settings = readFileSync('runbooks/data/nccl.env', 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => l.split(' # ')[0]!);
  expect(settings.length).toBeGreaterThan(5);
  await page.goto('/packages/nccl/');
  const block = page.locator('.expressive-code', { has: page.locator('figcaption', { hasText: 'runbooks/data/nccl.env' }) });
  await expect(block).toHaveCount(1);
  const text = await block.locator('pre').innerText();
  for (const s of settings) expect(text).toContain(s);
});
