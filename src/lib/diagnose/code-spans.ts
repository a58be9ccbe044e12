/**
 * Splits a record's short note at Markdown backticks into plain and code parts, so a page can show `code` as
 * <code> through textContent alone (no HTML parsing in the browser). An unpaired backtick stays plain text.
 */
export interface TextPart {
  text: string;
  code: boolean;
}

export function codeSpans(note: string): TextPart[] {
  const parts: TextPart[] = [];
  const re = /`([^`]+)`/g;
  let at = 0;
  for (let m = re.exec(note); m; m = re.exec(note)) {
    if (m.index > at) parts.push({ text: note.slice(at, m.index), code: false });
    parts.push({ text: m[1]!, code: true });
    at = m.index + m[0].length;
  }
  if (at < note.length) parts.push({ text: note.slice(at), code: false });
  return parts;
}
