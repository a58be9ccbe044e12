/** Issue pages show the recipe lines that implement each workaround, read from the recipe at build time. */
import { test, expect } from '@playwright/test';
import { isRecipeFile, stepCommand } from '../../src/lib/records/issues';
import { loadRecipe } from '../../src/lib/recipe/recipe-fs';
import { fileFor, read } from './dist';
import { issues } from './records';

const recipe = loadRecipe();

for (const issue of issues.filter((i) => (i.workaround?.files.length ?? 0) > 0)) {
  test(`${issue.id}: the workaround shows or links every file that implements it`, () => {
    const html = read(fileFor(`/issues/${issue.id}/`)!);
    for (const { file, path } of issue.workaround!.files) {
      if (!isRecipeFile(file)) {
        expect(html).toContain(`href="/source/${file}"`);
        continue;
      }
      const { startLine, endLine } = recipe.excerpt(file, path);
      expect(html, `${file}${path ? ` ${path}` : ''}`).toContain(`data-recipe-file="${file}" data-recipe-lines="${startLine}-${endLine}"`);
    }
  });
}

test('a workaround step that is one command has a copy button with exactly that command', async ({ page }) => {
  const issue = issues.find((i) => i.workaround?.steps.some((s) => stepCommand(s)))!;
  const commands = issue.workaround!.steps.map(stepCommand).filter((c): c is string => !!c);
  await page.goto(`/issues/${issue.id}/`);
  const buttons = page.locator('#workaround').locator('xpath=ancestor::div[1]/following-sibling::ol[1]').locator('.copy button');
  await expect(buttons).toHaveCount(commands.length);
  expect(await buttons.evaluateAll((bs) => bs.map((b) => b.getAttribute('data-code')))).toEqual(commands);
});
