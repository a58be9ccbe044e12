/**
 * Links into repository code must be pinned: in a `/blob/<ref>/` or `/tree/<ref>/` URL the ref is a
 * 40-hex commit or a release tag, never a branch (`main`, `master`, `develop`, `releases/v5`), whose
 * content moves under the link. A schema cannot ask GitHub which refs are tags, so tags are known by
 * their shape: a version, optionally after a name (`v2.0.0`, `v2.23.4-1`, `v1.13.0-aws`, `slurm-24-11-5-1`),
 * or a dated snapshot (`develop-2025-01-05`). A branch named like a version would pass; none of ours is.
 */
const REPO_CODE_URL = /https?:\/\/(?:github\.com|gitlab\.com)\/[^\s/]+\/[^\s/]+\/(?:-\/)?(?:blob|tree)\/([^\s/#?)\]"'>`]+)/g;
const COMMIT = /^[0-9a-f]{40}$/;
const TAG = /^(?:[a-z][\w.]*[-_])?v?\d+(?:[._-]\d+)+(?:[-.+][\w.-]+)?$/;

export function isPinnedRef(ref: string): boolean {
  return COMMIT.test(ref) || TAG.test(ref);
}

/** The refs of every repository-code link in `text` that is not pinned (empty when all are). */
export function unpinnedRefs(text: string): string[] {
  return [...text.matchAll(REPO_CODE_URL)].map((m) => m[1]!).filter((ref) => !isPinnedRef(ref));
}

export function unpinnedMessage(ref: string): string {
  return `links into repository code must be pinned to a tag or a 40-hex commit, not "${ref}" (a branch moves)`;
}
