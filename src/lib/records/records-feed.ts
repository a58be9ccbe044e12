/** The knowledge base for tools and feed readers: /issues.json and the Atom feed. Pure. */
import type { Issue } from '../../schemas/issue';
import { ISSUES_DOCUMENT_VERSION, type IssuesDocument } from '../../schemas/issues-document';
import { issueUrl } from '../site';

const newestFirst = (a: Issue, b: Issue) => b.last_verified.localeCompare(a.last_verified) || a.id.localeCompare(b.id);

function newestDate(issues: Issue[]): string {
  return issues.reduce((max, i) => (i.last_verified > max ? i.last_verified : max), '1970-01-01');
}

export function permalink(site: string, id: string): string {
  return new URL(issueUrl(id), site).href;
}

export function issuesDocument(issues: Issue[], site: string): IssuesDocument {
  return {
    version: ISSUES_DOCUMENT_VERSION,
    site,
    updated: newestDate(issues),
    issues: [...issues].sort((a, b) => a.id.localeCompare(b.id)).map((issue) => ({ ...issue, permalink: permalink(site, issue.id) })),
  };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Escapes text for XML, and drops the control characters XML 1.0 cannot carry at all. */
export function xmlText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

const atomDate = (day: string) => `${day}T00:00:00Z`;

/**
 * An Atom feed (RFC 4287) of new and changed issues, newest `last_verified` first. Each entry is an issue: its
 * permalink is the entry id, `published` is when it was first seen, `updated` when it was last verified.
 */
export function atomFeed(issues: Issue[], site: string, feedPath: string, limit = 50): string {
  const entries = [...issues].sort(newestFirst).slice(0, limit);
  const feedUrl = new URL(feedPath, site).href;
  const entry = (i: Issue) => {
    const link = permalink(site, i.id);
    const categories = [...i.packages.map((p) => `package:${p}`), `area:${i.area}`, `status:${i.status}`];
    return [
      '  <entry>',
      `    <id>${xmlText(link)}</id>`,
      `    <title>${xmlText(i.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${xmlText(link)}"/>`,
      `    <published>${atomDate(i.first_seen)}</published>`,
      `    <updated>${atomDate(i.last_verified)}</updated>`,
      ...categories.map((c) => `    <category term="${xmlText(c)}"/>`),
      `    <summary type="text">${xmlText(i.symptoms.join(' '))}</summary>`,
      '  </entry>',
    ].join('\n');
  };
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${xmlText(feedUrl)}</id>`,
    '  <title>uenv internal CXI: known issues</title>',
    `  <link rel="self" type="application/atom+xml" href="${xmlText(feedUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xmlText(new URL('/issues/', site).href)}"/>`,
    `  <updated>${atomDate(newestDate(issues))}</updated>`,
    '  <author><name>uenv-cxi-kb contributors</name></author>',
    ...entries.map(entry),
    '</feed>',
    '',
  ].join('\n');
}
