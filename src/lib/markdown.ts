/**
 * Renders the Markdown fields of records (cause, workaround, link notes) and runbook @doc lines to HTML at build
 * time. The text is untrusted: raw HTML is escaped, and a link or image whose target is not http(s) or on this
 * site keeps only its text (the rule of schemas/markdown.ts, which check-data applies to records).
 */
import { Marked, type Tokens } from 'marked';
import { isSafeHref, specsAreNotEmails } from '../schemas/markdown';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** As marked's own renderer: percent-encode what a URL may not hold, keep existing escapes. */
function encodeHref(href: string): string | undefined {
  try {
    return encodeURI(href).replace(/%25/g, '%');
  } catch {
    return undefined; // a lone surrogate
  }
}

const marked = new Marked(specsAreNotEmails, {
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = isSafeHref(token.href) ? encodeHref(token.href) : undefined;
      if (href === undefined) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(href)}"${title}>${text}</a>`;
    },
    image({ href, title, text }: Tokens.Image) {
      const src = isSafeHref(href) ? encodeHref(href) : undefined;
      if (src === undefined) return escapeHtml(text);
      return `<img src="${escapeHtml(src)}" alt="${escapeHtml(text)}"${title ? ` title="${escapeHtml(title)}"` : ''}>`;
    },
  },
});

export function markdownToHtml(text: string): string {
  return marked.parse(text) as string;
}

/** One paragraph or phrase, without the wrapping <p>. */
export function inlineMarkdownToHtml(text: string): string {
  return marked.parseInline(text) as string;
}
