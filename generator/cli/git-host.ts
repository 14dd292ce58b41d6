// Headers as they were at a git revision, for `structgen diff v1.2`: a file host that reads every file inside the
// repository from the revision's tree (one `git ls-tree` for the listing, `git cat-file --batch` for the contents,
// several files per call) and every file outside it, such as system headers, from the machine. Files git ignores
// (generated or vendored headers that were never committed) and a submodule's files are read from the working tree.

import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import type { FileHost } from '../core/host.js';
import { nodeFileHost } from '../node/fs-host.js';

export interface GitRepo {
  /** The top folder of the work tree, as the working folder spells it (symbolic links kept). */
  readonly root: string;
  readonly cwd: string;
  git(args: readonly string[], input?: string | Buffer): { ok: boolean; stdout: Buffer; stderr: string };
}

/** The repository the folder is in, or null (not in one, or no git). */
export function gitRepo(cwd: string): GitRepo | null {
  const git = (args: readonly string[], input?: string | Buffer) => {
    const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    return { ok: r.status === 0, stdout: r.stdout ?? Buffer.alloc(0), stderr: r.stderr?.toString() ?? String(r.error ?? '') };
  };
  const top = git(['rev-parse', '--show-toplevel']);
  if (!top.ok) return null;
  const real = top.stdout.toString().trim();
  let root = real;
  try {
    // the working folder may be reached through a symbolic link: name the top the same way
    root = path.resolve(cwd, path.relative(realpathSync(cwd), real));
  } catch { /* keep git's */ }
  return { root, cwd, git };
}

/** The commit a name stands for (`v1.2`, `HEAD~1`, a hash), or null. */
export function resolveRevision(repo: GitRepo, name: string): string | null {
  if (name.startsWith('-')) return null;
  const r = repo.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${name}^{commit}`]);
  return r.ok ? r.stdout.toString().trim() : null;
}

interface Entry { readonly mode: string; readonly oid: string }

export interface RevisionHost extends Required<FileHost> {
  /** Paths inside the repository at the revision, relative to its top, '/'-separated. */
  readonly files: readonly string[];
  /** The path relative to the repository's top when it is inside it, else null. */
  inside(p: string): string | null;
  /** Reads these files' contents in one call (the headers named and their neighbours, before the analysis). */
  prefetch(paths: readonly string[]): void;
}

const HEADER_FILE = /\.(h|hh|hpp|hxx|h\+\+|inc|def|inl)$/i;

/** A file host over the tree of `commit`. */
export function revisionHost(repo: GitRepo, commit: string, label: string): RevisionHost {
  const listing = repo.git(['ls-tree', '-r', '-z', '--full-tree', commit]);
  if (!listing.ok) throw new Error(`git ls-tree ${label}: ${listing.stderr.trim()}`);
  const entries = new Map<string, Entry>();
  const dirs = new Set<string>(['']);
  const submodules: string[] = [];
  for (const rec of listing.stdout.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ') as [string, string, string];
    const p = rec.slice(tab + 1);
    if (type === 'commit') { submodules.push(`${p}/`); continue; }
    entries.set(p, { mode, oid });
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) dirs.add(p.slice(0, i));
  }
  const texts = new Map<string, string>();
  const ignored = new Map<string, boolean>();

  const inside = (p: string): string | null => {
    const rel = path.relative(repo.root, path.resolve(repo.cwd, p));
    if (rel === '') return '';
    if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
    return rel.split(path.sep).join('/');
  };
  /** Blobs by object id, read in one `git cat-file --batch`. */
  const readBlobs = (oids: readonly string[]) => {
    const want = [...new Set(oids)].filter((o) => !texts.has(o));
    if (!want.length) return;
    const r = repo.git(['cat-file', '--batch'], `${want.join('\n')}\n`);
    if (!r.ok) return;
    const buf = r.stdout;
    let at = 0;
    while (at < buf.length) {
      const nl = buf.indexOf(10, at);
      if (nl < 0) break;
      const [oid, type, size] = buf.subarray(at, nl).toString().split(' ');
      if (type === 'missing' || size === undefined) { at = nl + 1; continue; }
      const n = Number(size);
      texts.set(oid!, buf.subarray(nl + 1, nl + 1 + n).toString('utf8'));
      at = nl + 1 + n + 1;
    }
  };
  /** The entry a path names, following symbolic links inside the tree. */
  const lookup = (rel: string): { entry: Entry; rel: string } | { outside: string } | null => {
    let cur = rel;
    for (let hops = 0; hops < 16; hops++) {
      const e = entries.get(cur);
      if (!e) return null;
      if (e.mode !== '120000') return { entry: e, rel: cur };
      readBlobs([e.oid]);
      const target = texts.get(e.oid) ?? '';
      const next = path.posix.normalize(path.posix.join(path.posix.dirname(cur), target));
      if (path.posix.isAbsolute(target) || next.startsWith('..')) return { outside: path.posix.isAbsolute(target) ? target : path.join(repo.root, next) };
      cur = next;
    }
    return null;
  };
  /** Read from the working tree instead: inside a submodule, or ignored by git (never committed). */
  const fromDisk = (rel: string): boolean => {
    if (submodules.some((s) => rel.startsWith(s))) return true;
    let v = ignored.get(rel);
    if (v === undefined) {
      v = repo.git(['check-ignore', '-q', '--', path.join(repo.root, rel)]).ok;
      ignored.set(rel, v);
    }
    return v;
  };

  return {
    files: [...entries.keys()],
    inside,
    prefetch(paths) {
      const oids: string[] = [];
      for (const p of paths) {
        const rel = inside(p);
        if (rel === null) continue;
        const hit = lookup(rel);
        if (hit && 'entry' in hit) oids.push(hit.entry.oid);
        // the header's neighbours: what it includes is most often beside it
        const dir = rel.includes('/') ? `${rel.slice(0, rel.lastIndexOf('/'))}/` : '';
        for (const [f, e] of entries) {
          if (oids.length > 2000) break;
          if (f.startsWith(dir) && !f.slice(dir.length).includes('/') && HEADER_FILE.test(f) && e.mode !== '120000') oids.push(e.oid);
        }
      }
      readBlobs(oids);
    },
    readFile(p) {
      const rel = inside(p);
      if (rel === null) return nodeFileHost.readFile(p);
      const hit = lookup(rel);
      if (!hit) return fromDisk(rel) ? nodeFileHost.readFile(p) : null;
      if ('outside' in hit) return nodeFileHost.readFile(hit.outside);
      readBlobs([hit.entry.oid]);
      return texts.get(hit.entry.oid) ?? null;
    },
    whyUnreadable(p) {
      const rel = inside(p);
      if (rel === null) return nodeFileHost.whyUnreadable(p);
      if (dirs.has(rel)) return 'is a directory';
      if (lookup(rel)) return null;
      return fromDisk(rel) ? nodeFileHost.whyUnreadable(p) : `no such file at ${label}`;
    },
    isDirectory(p) {
      const rel = inside(p);
      if (rel === null) return nodeFileHost.isDirectory(p);
      return dirs.has(rel) || (fromDisk(rel) && nodeFileHost.isDirectory(p));
    },
  };
}
