/**
 * Where the tools read from, and the one way they read: records, recipe files and published sources are untrusted
 * input, so every read goes through here. A path is lstat'ed before it is opened: symbolic links that leave the
 * directory being read, dangling links, loops, directories, FIFOs and devices are refused by name (their contents
 * are never printed), regular files are read up to a size cap and must be UTF-8.
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { decodeUtf8, InputError, overLimit } from './input-error';

/** The largest record, recipe or published file read (the biggest today is under 20 KiB). */
export const MAX_FILE_BYTES = 1024 * 1024;

const PACKAGE_NAME = 'uenv-cxi-kb';
let root: string | undefined;

/**
 * The repository root: the nearest directory at or above the working directory whose package.json is this
 * project's (the build runs at the root; the CLI may run from a subdirectory), else the working directory.
 */
export function repoRoot(): string {
  if (root) return root;
  for (let dir = process.cwd(); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    try {
      if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return (root = dir);
    } catch {
      // no package.json here, or not JSON: keep looking upward
    }
    if (dirname(dir) === dir) return (root = process.cwd());
  }
}

/** The records' directory: UENV_KB_CONTENT (tests point it at a broken copy), else <root>/content. */
export function contentDir(): string {
  return resolve(process.env.UENV_KB_CONTENT ?? join(repoRoot(), 'content'));
}

/** The recipe the site is built from: UENV_KB_RECIPE, else <root>/content/recipe. */
export function recipeDir(): string {
  return resolve(process.env.UENV_KB_RECIPE ?? join(repoRoot(), 'content/recipe'));
}

/** The cluster configuration the site is built from: UENV_KB_SYSTEM, else <root>/content/cluster/internal-cxi. */
export function systemDir(): string {
  return resolve(process.env.UENV_KB_SYSTEM ?? join(repoRoot(), 'content/cluster/internal-cxi'));
}

/** Relative to the working directory when inside it (as editors expect), absolute otherwise; `/` separators. */
export function displayPath(path: string): string {
  const abs = resolve(path);
  const rel = relative(process.cwd(), abs);
  return (rel && !rel.startsWith('..') ? rel : abs).split(sep).join('/');
}

/** Relative to the working directory, even with `..` (the recipe model's paths, e.g. `content/recipe`). */
export function relativePath(path: string): string {
  return relative(process.cwd(), resolve(path)).split(sep).join('/') || '.';
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function lstatOrRefuse(path: string): Stats {
  try {
    return lstatSync(path);
  } catch (err) {
    throw new InputError(
      displayPath(path),
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(err as NodeJS.ErrnoException).code})`,
    );
  }
}

/** The target of a symbolic link, if it stays inside `within`; else a refusal naming the link. */
function followLink(path: string, within: string): { real: string; stats: Stats } {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ELOOP' ? 'is a symbolic link loop' : code === 'ENOENT' ? 'is a dangling symbolic link' : `is a symbolic link that cannot be followed (${code})`;
    throw new InputError(displayPath(path), reason);
  }
  if (!isInside(real, realpathSync(within))) throw new InputError(displayPath(path), `is a symbolic link that leaves ${displayPath(within)} (not followed)`);
  return { real, stats: statSync(real) };
}

export interface ReadOptions {
  /** A symbolic link may point only inside this directory (default: the repository root). */
  within?: string;
  maxBytes?: number;
}

/** A regular file's text, or an InputError naming it. */
export function readTextFile(path: string, { within = repoRoot(), maxBytes = MAX_FILE_BYTES }: ReadOptions = {}): string {
  const name = displayPath(path);
  let target = path;
  let stats = lstatOrRefuse(path);
  if (stats.isSymbolicLink()) ({ real: target, stats } = followLink(path, within));
  if (!stats.isFile()) throw new InputError(name, `is ${kindOf(stats)}, not a regular file`);
  if (stats.size > maxBytes) throw new InputError(name, overLimit(stats.size, maxBytes));
  // O_NONBLOCK: should the path have been swapped for a FIFO since the lstat, opening it does not hang.
  const fd = openSync(target, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    if (!fstatSync(fd).isFile()) throw new InputError(name, 'is not a regular file');
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= maxBytes; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw new InputError(name, overLimit(undefined, maxBytes));
    return decodeUtf8(buffer.subarray(0, length), name);
  } finally {
    closeSync(fd);
  }
}

export interface Tree {
  /** Absolute paths of regular files (and of links to regular files inside the walked directory). */
  files: string[];
  /** Absolute paths of directories below the walked one. */
  dirs: string[];
}

/**
 * Every file and directory under `dir`, sorted, without following links to directories (no loops); a missing `dir`
 * yields nothing. Names in `skip` (e.g. `.git`) are left out. Anything else than a regular file, a directory or a
 * link to a regular file inside `within` (default `dir`) is refused by name.
 */
export function walkTree(dir: string, skip: readonly string[] = [], within = dir): Tree {
  const tree: Tree = { files: [], dirs: [] };
  if (!existsSync(dir)) return tree;
  const top = resolve(dir);
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      if (skip.includes(name)) continue;
      const child = join(path, name);
      let stats = lstatOrRefuse(child);
      if (stats.isSymbolicLink()) {
        stats = followLink(child, within).stats;
        if (stats.isDirectory()) throw new InputError(displayPath(child), 'is a symbolic link to a directory (not followed)');
      }
      if (stats.isDirectory()) {
        tree.dirs.push(child);
        walk(child);
      } else if (stats.isFile()) tree.files.push(child);
      else throw new InputError(displayPath(child), `is ${kindOf(stats)}, not a regular file`);
    }
  };
  const stats = lstatOrRefuse(top);
  if (!stats.isDirectory()) throw new InputError(displayPath(top), `is ${stats.isSymbolicLink() ? 'a symbolic link' : kindOf(stats)}, not a directory`);
  walk(top);
  return tree;
}

/**
 * The files under `paths` (relative to `repo`) that git tracks, as repository-relative paths: what the site may
 * publish. Untracked files (a stray symlink, a build output) are never listed; a tracked symlink must point to a
 * regular file inside the repository, else it is refused by name.
 */
export function trackedFiles(repo: string, paths: readonly string[]): string[] {
  const git = spawnSync('git', ['-C', repo, 'ls-files', '-z', '--cached', '--', ...paths], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (git.error || git.status !== 0) {
    throw new Error(`cannot list the files git tracks in ${displayPath(repo)} (git ls-files): ${git.error?.message ?? git.stderr.trim()}`);
  }
  const out: string[] = [];
  for (const path of [...new Set(git.stdout.split('\0').filter(Boolean))].sort()) {
    const abs = join(repo, path);
    if (!existsSync(abs) && !lstatSync(abs, { throwIfNoEntry: false })) continue; // deleted in the work tree
    let stats = lstatOrRefuse(abs);
    if (stats.isSymbolicLink()) stats = followLink(abs, repo).stats;
    if (!stats.isFile()) throw new InputError(displayPath(abs), `is ${kindOf(stats)}, not a regular file`);
    out.push(path);
  }
  return out;
}
