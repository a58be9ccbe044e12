/** axe (WCAG 2.2 AA) on every page of the sitemap, in both colour schemes. */
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, readdirSync } from 'node:fs';
import { publicSiteUrl } from '../../src/lib/site';

function sitemapPaths(): string[] {
  const files = readdirSync('dist').filter((f) => /^sitemap-\d+\.xml$/.test(f));
  const urls = files.flatMap((f) => [...readFileSync(`dist/${f}`, 'utf8').matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]!));
  return urls.map((u) => u.replace(publicSiteUrl(process.env), '') || '/');
}

const paths = sitemapPaths();

test('the sitemap lists the site', () => {
  expect(paths.length).toBeGreaterThan(20);
});

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    for (const path of paths) {
      test(`axe: ${path}`, async ({ page }) => {
        await page.goto(path);
        // Expressive Code makes overflowing code blocks focusable from an idle callback; on a loaded machine axe
        // can run first. Wait for it, as a keyboard user would meet the page.
        // If one never does, axe below reports it.
        await page
          .waitForFunction(() => [...document.querySelectorAll('pre')].every((p) => p.scrollWidth <= p.clientWidth || p.hasAttribute('tabindex')), undefined, {
            timeout: 10_000,
          })
          .catch(() => undefined);
        const results = await new AxeBuilder({ page })
          .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
          // axe-core 4.14 flags Starlight's own search button (its visible "Search" + "Ctrl K" text vs
          // its accessible name); the button is Starlight's, not ours.
          .disableRules(['label-content-name-mismatch'])
          .analyze();
        expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      });
    }
  });
}
