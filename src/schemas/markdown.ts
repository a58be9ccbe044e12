/**
 * What Markdown a record may hold. Records are untrusted input (anyone may propose one), and the site renders
 * their Markdown into pages: no raw HTML, and link or image targets only http(s) or on this site. The renderer
 * (lib/markdown.ts) applies the same rule, so a record that slipped past the check still runs no script.
 */
import { Marked, type MarkedExtension, type Token } from 'marked';

/** A bare `name@host.tld` that GFM made a mailto link: in our texts a Spack spec (`libfuse@2.9.7`), never an address. */
function isBareEmail(token: Token): boolean {
  return token.type === 'link' && token.href.startsWith('mailto:') && token.raw === token.text && !token.raw.startsWith('<');
}

/** Turns those links back into text. The lint below and the renderer (lib/markdown.ts) both use this. */
export const specsAreNotEmails: MarkedExtension = {
  walkTokens(token) {
    if (isBareEmail(token)) Object.assign(token, { type: 'text', text: token.raw, tokens: undefined, escaped: false });
  },
};

const lexer = new Marked({ gfm: true, async: false }, specsAreNotEmails);

/** `https://…`, `http://…`, `/issues/<id>/` (not `//host`), or `#anchor`; never a backslash or whitespace. */
const SAFE_HREF = /^(?:https?:\/\/[^\s\\]+|\/(?![/\\])[^\s\\]*|#[^\s\\]*)$/i;

export function isSafeHref(href: string): boolean {
  return SAFE_HREF.test(href);
}

function shorten(text: string): string {
  const one = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(one.length > 40 ? `${one.slice(0, 40)}…` : one);
}

/** The first problem of a Markdown text, or undefined when it is plain Markdown with safe links. */
export function markdownProblem(text: string): string | undefined {
  let problem: string | undefined;
  lexer.walkTokens(lexer.lexer(text), (token: Token) => {
    if (problem || isBareEmail(token)) return;
    if (token.type === 'html') problem = `raw HTML ${shorten(token.raw)} is not allowed: write Markdown, or put the text in \`backticks\``;
    else if ((token.type === 'link' || token.type === 'image' || token.type === 'def') && !isSafeHref(token.href)) {
      problem = `link target ${shorten(token.href)} must be an http(s) URL or a path on this site (/issues/<id>/)`;
    }
  });
  return problem;
}
