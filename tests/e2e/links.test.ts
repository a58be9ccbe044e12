/** Every internal link and anchor of the built site resolves, and no page says TODO. */
import { test, expect } from '@playwright/test';
import { fileFor, htmlFiles, idsIn, read, urlOf } from './dist';

const pages = htmlFiles();

test('the build has the pages we expect', () => {
  const urls = pages.map(urlOf);
  for (const u of ['/', '/issues/', '/diagnose/', '/guides/overview/', '/guides/building/', '/packages/libfabric/', '/404']) {
    expect(urls).toContain(u);
  }
});

test('every internal link and anchor resolves', () => {
  const broken: string[] = [];
  for (const file of pages) {
    const html = read(file);
    const base = new URL(urlOf(file), 'http://site');
    // Links, and the head assets and scripts every page loads (a missing favicon is a broken link too).
    for (const [, raw] of html.matchAll(/<(?:a|link)\s[^>]*?href="([^"]*)"|<(?:script|img)\s[^>]*?src="([^"]*)"/g).map((m) => [m[0], m[1] ?? m[2]])) {
      const href = raw!.replace(/&amp;/g, '&');
      if (/^(https?:|mailto:)/.test(href)) continue;
      const url = new URL(href, base);
      const target = fileFor(url.pathname);
      if (!target) {
        broken.push(`${urlOf(file)} → ${href} (no such page)`);
        continue;
      }
      const hash = decodeURIComponent(url.hash.slice(1));
      if (hash && target.endsWith('.html') && !idsIn(read(target)).has(hash)) broken.push(`${urlOf(file)} → ${href} (no anchor #${hash})`);
    }
  }
  expect(broken).toEqual([]);
});

test('no page of the built site contains "TODO"', () => {
  const offenders = pages.filter((f) => read(f).includes('TODO')).map(urlOf);
  expect(offenders).toEqual([]);
});

// Astro drops a line break between text and a following tag or expression, gluing words together
// ("a bare<code>…", "Have a log?<a …>"); write `{' '}` at the end of such a line.
test('no word is glued to the link or code that follows it', () => {
  const glued = pages.flatMap((file) =>
    [...read(file).matchAll(/.{0,30}(?:[A-Za-z0-9?,;:!]<(?:a|code|strong|em)[\s>]|<\/(?:a|code|strong|em)>\().{0,20}/g)].map((m) => `${urlOf(file)}: ${m[0]}`),
  );
  expect(glued).toEqual([]);
});

test('every content heading has an anchor link to itself', () => {
  const bare = pages.flatMap((file) => {
    const html = read(file);
    const linked = new Set([...html.matchAll(/class="sl-anchor-link" href="#([^"]+)"/g)].map((m) => m[1]));
    return [...html.matchAll(/<h[2-4][^>]*\sid="([^"]+)"/g)]
      .map((m) => m[1]!)
      .filter((id) => !id.startsWith('starlight__') && !linked.has(id))
      .map((id) => `${urlOf(file)}#${id}`);
  });
  expect(bare).toEqual([]);
});
