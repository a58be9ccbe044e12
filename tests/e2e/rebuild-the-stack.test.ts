/**
 * The "Rebuild the stack" page in Chromium: one section per step marker of the runbook, in order,
 * each command block copyable and equal to the script's, each failure mode a link to a real issue page.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parseRunbookSteps } from '../../src/lib/runbook-steps';

const FILE = 'runbooks/lib/build-steps.sh';
const { steps, errors } = parseRunbookSteps([{ file: FILE, text: readFileSync(FILE, 'utf8') }]);

test('the page shows every step of the script, in order, with its exact commands', async ({ page }) => {
  expect(errors).toEqual([]);
  await page.goto('/guides/rebuild-the-stack/');
  const sections = page.locator('section.runbook-step');
  await expect(sections).toHaveCount(steps.length);
  expect(await sections.evaluateAll((ss) => ss.map((s) => s.getAttribute('data-step')))).toEqual(steps.map((s) => s.slug));
  for (const step of steps) {
    const section = page.locator(`section.runbook-step[data-step="${step.slug}"]`);
    await expect(section.locator('h3')).toHaveText(`${step.n}. ${step.title}`);
    // Expressive Code's copy button carries the code with newlines as U+007F.
    const copied = await section
      .locator('.expressive-code button[data-code]')
      .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-code')!.replaceAll('\u007f', '\n')));
    expect(copied).toEqual(step.commands.map((c) => c.code));
    await expect(section.locator('a[href^="/source/"]')).toHaveAttribute('href', `/source/${FILE}`);
  }
});

test('the copy button puts the command on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/guides/rebuild-the-stack/');
  const build = steps.find((s) => s.slug === 'build')!;
  const section = page.locator('section.runbook-step[data-step="build"]');
  await section.locator('.expressive-code').first().hover();
  await section.locator('.expressive-code button[data-code]').first().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(build.commands[0]!.code);
});

test('every failure mode links to its known-issue page, which exists', async ({ page }) => {
  await page.goto('/guides/rebuild-the-stack/');
  const expected = steps.flatMap((s) => s.fails.map((f) => `/issues/${f.issue}/`));
  expect(expected.length).toBeGreaterThan(0);
  const hrefs = await page.locator('ul.runbook-fails a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  expect(hrefs).toEqual(expected);
  for (const href of new Set(hrefs)) {
    const res = await page.request.get(href!);
    expect(res.status(), href!).toBe(200);
    expect(await res.text()).toContain('<h1');
  }
});

test('every placeholder used in a command is explained on the page', async ({ page }) => {
  await page.goto('/guides/rebuild-the-stack/');
  const names = await page.locator('table.runbook-placeholders td:first-child code').allTextContents();
  const used = new Set(steps.flatMap((s) => s.commands.flatMap((c) => [...c.code.matchAll(/<([a-z][a-z0-9-]*)>/g)].map((m) => `<${m[1]}>`))));
  for (const u of used) expect(names).toContain(u);
});
