/** UENV_KB_SITE_URL is written into every page: only an http(s) origin is accepted (issue 17 item 21). */
import { describe, expect, it } from 'vitest';
import { publicSiteUrl } from '../../../src/lib/site';

describe('UENV_KB_SITE_URL', () => {
  it.each([
    'https://x"onmouseover="alert(1)',
    "https://x'y.org",
    'https://x y.org',
    'https://user:pw@kb.example.org',
    'https://kb.example.org/path',
    'https://kb.example.org/?q=1',
    'https://kb.example.org/#x',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'https://kb.example.org\n',
  ])('refuses %j', (value) => {
    expect(() => publicSiteUrl({ UENV_KB_SITE_URL: value })).toThrow(`UENV_KB_SITE_URL: ${JSON.stringify(value)} is not an http(s) origin`);
  });

  it.each([
    ['https://kb.example.org', 'https://kb.example.org'],
    ['https://kb.example.org/', 'https://kb.example.org'],
    ['http://127.0.0.1:4321', 'http://127.0.0.1:4321'],
    ['https://KB.example.org', 'https://kb.example.org'],
  ])('accepts %j as %j', (value, origin) => {
    expect(publicSiteUrl({ UENV_KB_SITE_URL: value })).toBe(origin);
  });
});
