/**
 * Every version a built package page shows equals the recipe's: the <RecipeVersion> values, and any
 * `name@version` spec of a stack package in the page text. Reads dist/ (run after `npm run build`).
 */
import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadRecipe } from '../../src/lib/recipe/recipe-fs';
import { versionLabel } from '../../src/lib/recipe/labels';

const DIST = 'dist/packages';
const recipe = loadRecipe();
// Pages of packages without a spec (platform packages, CUDA pulled in by +cuda) show no recipe version.
const pages = existsSync(DIST)
  ? readdirSync(DIST)
      .filter((d) => existsSync(join(DIST, d, 'index.html')) && recipe.packageSpec(spackNameOf(d)))
      .sort()
  : [];

/** The Spack name of a page: its record's `spack`, else its id. */
function spackNameOf(id: string): string {
  const file = `content/packages/${id}.yaml`;
  return existsSync(file) ? ((parse(readFileSync(file, 'utf8')) as { spack?: string }).spack ?? id) : id;
}

function decode(html: string): string {
  return html
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * The page's visible text, code blocks included: block-level tags (and Expressive Code's line divs)
 * become line breaks, inline tags vanish, so a highlighted `nccl@2.23.4-1` stays one word.
 */
function textOf(html: string): string {
  const main = html.match(/<main[\s\S]*<\/main>/)?.[0] ?? html;
  return decode(
    main
      .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, '')
      .replace(/<\/?(?:div|p|li|ul|ol|dl|dt|dd|h[1-6]|pre|figure|figcaption|table|tr|td|th|section|br|hr)\b[^>]*>/gi, '\n')
      .replace(/<[^>]+>/g, ''),
  );
}

test('the build has package pages to check', () => {
  expect(pages.length, `no pages under ${DIST}: run npm run build first`).toBeGreaterThan(0);
});

for (const id of pages) {
  test(`package page ${id} shows the recipe's versions`, () => {
    const html = readFileSync(join(DIST, id, 'index.html'), 'utf8');
    const name = spackNameOf(id);
    const shown = [...html.matchAll(/<code[^>]*data-recipe-version="([^"]+)"[^>]*>([^<]*)<\/code>/g)].map(([, pkg, text]) => ({
      pkg: pkg!,
      text: decode(text!),
    }));
    expect(
      shown.map((s) => s.pkg),
      `${id} shows no version of ${name} from the recipe`,
    ).toContain(name);
    for (const { pkg, text } of shown) {
      const spec = recipe.packageSpec(pkg);
      expect(spec, `${id} shows a version of ${pkg}, which has no spec in the recipe`).toBeDefined();
      expect(text, `${id}: version of ${pkg}`).toBe(versionLabel(spec!));
    }
    // A `name@version` spec in the text (prose or recipe excerpt) must carry the recipe's version.
    const text = textOf(html);
    for (const spec of recipe.specs) {
      if (!spec.version) continue;
      const escaped = spec.name.replace(/[-]/g, '\\-');
      for (const [, match] of text.matchAll(new RegExp(`(?<![\\w-])${escaped}@([\\w.:-]+)`, 'g'))) {
        const version = match!.replace(/\.$/, ''); // the full stop of a sentence
        // Ranges (libfuse@2.9.7:2) and bare majors (libfabric@1, which Spack reads as any 1.x) are
        // constraints, not versions; a concrete version has a dot or names a branch.
        if (version.includes(':') || /^\d+$/.test(version)) continue;
        expect(version, `${id} mentions ${spec.name}@${version}`).toBe(recipe.packageSpec(spec.name)!.version);
      }
    }
  });
}
