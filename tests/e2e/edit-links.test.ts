/** Every issue page links to its own record, and the contributing page shows the template. */
import { test, expect } from '@playwright/test';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import { fileFor, read } from './dist';

const ids = loadKnowledgeBase().issues.map((i) => i.record.id);

test('each issue page links to the published copy of its own record', () => {
  for (const id of ids) {
    const html = read(fileFor(`/issues/${id}/`)!);
    const href = /class="edit-record[^"]*"><a href="([^"]+)"/.exec(html)?.[1];
    expect(href, id).toBe(`/source/content/issues/${id}.yaml`);
    expect(read(fileFor(href!)!)).toMatch(new RegExp(`^id: ${id}$`, 'm'));
  }
});

test('the contributing page shows the record template and the checks to run', async ({ page }) => {
  await page.goto('/guides/contributing/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Report or correct an issue');
  await expect(page.locator('figure', { hasText: 'content/templates/issue.yaml' })).toContainText('first_seen:');
  await expect(page.getByText('npx uenv-kb check-data').first()).toBeVisible();
});
