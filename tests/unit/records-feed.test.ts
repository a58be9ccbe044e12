import { describe, expect, it } from 'vitest';
import { atomFeed, issuesDocument, xmlText } from '../../src/lib/records/records-feed';
import { issuesDocumentSchema } from '../../src/schemas/issues-document';
import { loadKnowledgeBase } from '../../src/lib/records/knowledge-base-fs';

const issues = loadKnowledgeBase().issues.map((i) => i.record);

describe('records feed', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xmlText('<script>a & "b"</script>\u0007')).toBe('&lt;script&gt;a &amp; &quot;b&quot;&lt;/script&gt;');
  });

  it('a hostile title stays text in the feed', () => {
    const hostile = { ...issues[0]!, title: '</title><script>alert(1)</script>' };
    const xml = atomFeed([hostile], 'https://kb.example.org', '/issues.atom');
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;/title&gt;&lt;script&gt;');
  });

  it('the JSON document satisfies its own schema, and the same records give the same file', () => {
    const doc = issuesDocument(issues, 'https://kb.example.org');
    expect(issuesDocumentSchema.safeParse(doc).success).toBe(true);
    expect(JSON.stringify(issuesDocument([...issues].reverse(), 'https://kb.example.org'))).toBe(JSON.stringify(doc));
    expect(doc.issues[0]!.permalink).toBe(`https://kb.example.org/issues/${doc.issues[0]!.id}/`);
  });
});

describe('edit links', () => {
  it('point at the repository editor when the build is told the repository', async () => {
    const { repoEditUrl } = await import('../../src/lib/site');
    expect(repoEditUrl({}, 'content/issues/a.yaml')).toBeUndefined();
    expect(repoEditUrl({ UENV_KB_REPO_URL: 'https://github.com/o/kb/' }, 'content/issues/a.yaml')).toBe(
      'https://github.com/o/kb/edit/main/content/issues/a.yaml',
    );
    expect(repoEditUrl({ UENV_KB_REPO_URL: 'https://gitlab.example.org/g/kb', UENV_KB_REPO_BRANCH: 'dev' }, 'x.yaml')).toBe(
      'https://gitlab.example.org/g/kb/edit/dev/x.yaml',
    );
    expect(() => repoEditUrl({ UENV_KB_REPO_URL: 'https://x"onmouseover="a/b/c' }, 'x')).toThrow(/UENV_KB_REPO_URL/);
    expect(() => repoEditUrl({ UENV_KB_REPO_URL: 'javascript:alert(1)' }, 'x')).toThrow(/UENV_KB_REPO_URL/);
  });
});
