/**
 * The header search box finds identifiers that Pagefind would otherwise split at punctuation.
 * Search only exists in the production build, which is what these tests serve.
 */
import { test, expect } from '@playwright/test';
import { issues, packages } from './records';

const IDENTIFIERS: { query: string; page: string }[] = [
  { query: 'FI_CXI_RDZV_GET_MIN', page: '/issues/nccl-cxi-rendezvous-hang/' },
  { query: 'libcurl.so.4', page: '/issues/cxi-libcurl-teardown-segfault/' },
  { query: 'PythonPipBuilder', page: '/issues/faiss-pythonpipbuilder-import/' },
  { query: 'cxil_map', page: '/issues/cxil-map-write-error/' },
  { query: 'develop-2025-01-05', page: '/guides/building/' },
  { query: 'cuda_dlopen', page: '/issues/libfabric-links-system-cuda/' },
];

for (const { query, page: expected } of IDENTIFIERS) {
  test(`searching ${query} returns ${expected} first`, async ({ page }) => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Search' }).first().click();
    const input = page.locator('#starlight__search .pagefind-ui__search-input');
    await input.fill(query);
    const first = page.locator('#starlight__search .pagefind-ui__result-link').first();
    await expect(first).toBeVisible({ timeout: 15_000 });
    const href = new URL((await first.getAttribute('href'))!, 'http://x').pathname;
    expect(href).toBe(expected);
  });
}

test("package and status are Pagefind filters with the records' counts", async ({ page }) => {
  await page.goto('/');
  // The URL is an argument so TypeScript does not try to resolve a path that exists only on the site.
  const filters: Record<string, Record<string, number>> = await page.evaluate(async (url) => {
    const pagefind = await import(url);
    return pagefind.filters();
  }, '/pagefind/pagefind.js');
  for (const status of new Set(issues.map((i) => i.status))) {
    expect(filters.status?.[status], status).toBe(issues.filter((i) => i.status === status).length);
  }
  for (const pkg of packages) {
    // The package page itself plus every issue page that names the package.
    expect(filters.package?.[pkg.id], pkg.id).toBe(1 + issues.filter((i) => i.packages.includes(pkg.id)).length);
  }
});
