/**
 * The Markdown renderer with hostile record text (issue 17 item 1): whatever slips past check-data renders inert.
 * The browser check of the same strings is tests/e2e/hostile.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { inlineMarkdownToHtml, markdownToHtml } from '../../../src/lib/markdown';

describe('markdownToHtml', () => {
  it('escapes raw HTML', () => {
    const html = markdownToHtml('<img src=x onerror="alert(1)"> <script>alert(2)</script>\n\n<div onclick="x()">block</div>');
    expect(html).not.toMatch(/<img|<script|<div/);
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it.each([
    ['javascript:', '[fix](javascript:alert(3))'],
    ['mixed-case scheme', '[fix](JaVaScRiPt:alert(3))'],
    ['an entity-encoded colon', '[fix](javascript&#58;alert(3))'],
    ['angle brackets', '[fix](<javascript:alert(3)>)'],
    ['a reference definition', '[fix][r]\n\n[r]: javascript:alert(3)'],
    ['data:', '[fix](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript:', '[fix](vbscript:msgbox(1))'],
    ['a protocol-relative URL', '[fix](//evil.example/x)'],
    ['a backslash URL', '[fix](/\\evil.example/x)'],
  ])('keeps only the text of a link with %s', (_, md) => {
    const html = markdownToHtml(md);
    expect(html).not.toContain('<a');
    expect(html).toContain('fix');
  });

  it('drops an image with a javascript: source, keeping its alt text escaped', () => {
    expect(markdownToHtml('![<b>x</b>](javascript:alert(1))')).toBe('<p>&lt;b&gt;x&lt;/b&gt;</p>\n');
  });

  it('keeps http(s), site and anchor links', () => {
    const html = inlineMarkdownToHtml('[a](https://github.com/ofiwg/libfabric/issues/10710?x=1&y=2) [b](/issues/x/#cause) [c](#top)');
    expect(html).toBe('<a href="https://github.com/ofiwg/libfabric/issues/10710?x=1&amp;y=2">a</a> <a href="/issues/x/#cause">b</a> <a href="#top">c</a>');
  });

  it('escapes quotes in a link title', () => {
    expect(inlineMarkdownToHtml('[a](https://x.org "t\\"onmouseover=alert(1)")')).toBe('<a href="https://x.org" title="t&quot;onmouseover=alert(1)">a</a>');
  });
});
