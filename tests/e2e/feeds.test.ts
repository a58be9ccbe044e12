/** The knowledge base for tools: /issues.json against its published JSON Schema, and a well-formed Atom feed. */
import { test, expect } from '@playwright/test';
import Ajv2020 from 'ajv/dist/2020.js';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';
import { fileFor } from './dist';

const ids = loadKnowledgeBase()
  .issues.map((i) => i.record.id)
  .sort();

test('/issues.json validates against /issues.schema.json and carries every record with its permalink', async ({ request }) => {
  const schema = await (await request.get('/issues.schema.json')).json();
  const doc = await (await request.get('/issues.json')).json();
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
  expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  expect(doc.version).toBe(1);
  expect(doc.issues.map((i: { id: string }) => i.id)).toEqual(ids);
  for (const issue of doc.issues) {
    const url = new URL(issue.permalink);
    expect(url.pathname).toBe(`/issues/${issue.id}/`);
    expect(fileFor(url.pathname), issue.permalink).toBeDefined();
    expect(issue.signatures.length).toBeGreaterThan(0);
  }
});

test('the JSON Schema rejects a document that breaks it', async ({ request }) => {
  const schema = await (await request.get('/issues.schema.json')).json();
  const doc = await (await request.get('/issues.json')).json();
  const validate = new Ajv2020({ strict: false }).compile(schema);
  doc.issues[0].status = 'solved';
  expect(validate(doc)).toBe(false);
});

test('/issues.atom is a well-formed Atom feed whose entries are the issues, newest first', async ({ page, request }) => {
  const response = await request.get('/issues.atom');
  expect(response.headers()['content-type']).toContain('xml');
  const xml = await response.text();
  await page.goto('/');
  const feed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const ns = 'http://www.w3.org/2005/Atom';
    const root = doc.documentElement;
    const child = (el: Element, name: string) => el.getElementsByTagNameNS(ns, name)[0]?.textContent ?? null;
    return {
      parseError: doc.getElementsByTagName('parsererror').length > 0,
      root: `${root.namespaceURI} ${root.localName}`,
      id: child(root, 'id'),
      updated: child(root, 'updated'),
      author: child(root, 'name'),
      entries: [...root.getElementsByTagNameNS(ns, 'entry')].map((e) => ({
        id: child(e, 'id'),
        title: child(e, 'title'),
        updated: child(e, 'updated'),
        published: child(e, 'published'),
        href: e.getElementsByTagNameNS(ns, 'link')[0]?.getAttribute('href') ?? null,
      })),
    };
  }, xml);
  expect(feed.parseError).toBe(false);
  expect(feed.root).toBe('http://www.w3.org/2005/Atom feed');
  expect(feed.id).toMatch(/^https?:\/\/.+\/issues\.atom$/);
  expect(feed.updated).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
  expect(feed.author).toBeTruthy();
  expect(feed.entries.length).toBe(Math.min(50, ids.length));
  const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
  for (const e of feed.entries) {
    expect(e.id).toBe(e.href);
    expect(e.title).toBeTruthy();
    expect(e.updated).toMatch(rfc3339);
    expect(e.published! <= e.updated!).toBe(true);
    expect(fileFor(new URL(e.href!).pathname), e.href!).toBeDefined();
  }
  const updated = feed.entries.map((e) => e.updated!);
  expect(updated).toEqual([...updated].sort().reverse());
});

test('every page announces the feed and the JSON in its head', async ({ page }) => {
  await page.goto('/packages/libfabric/');
  await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', '/issues.atom');
  await expect(page.locator('link[rel="alternate"][type="application/json"]')).toHaveAttribute('href', '/issues.json');
  await expect(page.locator('link[rel~="icon"]')).toHaveAttribute('href', '/favicon.svg');
});
