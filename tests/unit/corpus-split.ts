import { createHash } from 'node:crypto';

/**
 * The report a URL points into: fragment, query and trailing slash dropped, host lowercased, so every
 * comment of one issue thread is one report.
 */
export function reportOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}`;
}

/** About one report in three goes to `test`: the first byte of sha256(report) modulo 3 is 0. */
export function corpusSplit(url: string): 'dev' | 'test' {
  const digest = createHash('sha256').update(reportOf(url)).digest();
  return digest[0]! % 3 === 0 ? 'test' : 'dev';
}
