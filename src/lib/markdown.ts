/** Renders the short Markdown fields of records (cause, workaround) to HTML at build time. */
import { Marked } from 'marked';

const marked = new Marked({ gfm: true, async: false });

export function markdownToHtml(text: string): string {
  return marked.parse(text) as string;
}

/** One paragraph or phrase, without the wrapping <p>. */
export function inlineMarkdownToHtml(text: string): string {
  return marked.parseInline(text) as string;
}
