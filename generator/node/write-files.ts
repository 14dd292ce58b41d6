// Writes generated files all or nothing. Every destination is checked before anything changes (a directory where a
// file goes, a file where a folder goes); new contents go to temporary names and are renamed into place only when
// all were written; if a rename still fails, the files already replaced get their old contents back. Unchanged
// files are not touched. With `clean`, generated files no longer produced are removed in the same transaction (found
// without following symbolic links). What a failed run created (folders, temporary files) is removed again.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED_MARK } from '../check/generated-mark.js';
import { osReason } from './fs-host.js';

export interface FileToWrite {
  /** Relative to the output directory, `/`-separated. */
  readonly path: string;
  readonly contents: string;
}

export interface WriteReport {
  /** Paths as given in `files`, joined to the output directory. */
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/** A file-system failure, with the path and the operating system's reason; nothing was changed. */
export class WriteError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly what = 'cannot write') {
    super(`${what} '${file}': ${reason}`);
    this.name = 'WriteError';
  }
}

/** The operations used, replaceable in tests to make one of them fail. */
export interface WriteOps {
  mkdir(dir: string): void;
  writeFile(file: string, text: string): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
  rmdir(dir: string): void;
}

/** Text longer than this is written a slice at a time: writeFileSync encodes the whole text into one buffer first
 * (a module of 100,000 records: 180 MB more at the moment memory peaks). */
const SLICE = 1 << 20;

function writeText(file: string, text: string): void {
  if (text.length <= SLICE) { fs.writeFileSync(file, text); return; }
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < text.length;) {
      let end = Math.min(text.length, i + SLICE);
      // never between the halves of a surrogate pair (each half alone would be written as U+FFFD)
      const c = text.charCodeAt(end - 1);
      if (end < text.length && c >= 0xd800 && c <= 0xdbff) end++;
      writeAll(fd, text.slice(i, end));
      i = end;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A slice written as a string, which Node encodes into memory of its own for the call (a Buffer made for each
 * slice took six times as long); if the system writes only part of it, the rest from its UTF-8 bytes. */
function writeAll(fd: number, s: string): void {
  const n = fs.writeSync(fd, s);
  if (n === Buffer.byteLength(s, 'utf8')) return;
  const buf = Buffer.from(s, 'utf8');
  for (let at = n; at < buf.length;) at += fs.writeSync(fd, buf, at);
}

const nodeOps: WriteOps = {
  mkdir: (d) => fs.mkdirSync(d),
  writeFile: writeText,
  rename: (a, b) => fs.renameSync(a, b),
  unlink: (f) => fs.unlinkSync(f),
  rmdir: (d) => fs.rmdirSync(d),
};

export { GENERATED_MARK };

/** A path as the user sees it: relative to the working folder when inside it, else absolute. */
export function shown(p: string): string {
  const r = path.relative(process.cwd(), path.resolve(p));
  return r === '' ? '.' : r.startsWith('..') || path.isAbsolute(r) ? path.resolve(p) : r;
}

type Kind = 'file' | 'dir' | 'other' | 'none';
function kindOf(p: string): { kind: Kind; error?: string } {
  try {
    const st = fs.statSync(p);
    return { kind: st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other' };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // ENOTDIR: a file stands where a folder of the path should be; the walk up finds it
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'none' } : { kind: 'none', error: osReason(e) };
  }
}

/** Files below `dir` (relative, `/`-separated) whose first line marks them as written by structgen. Symbolic links
 * are neither followed nor listed: a linked folder may be another project's (`--clean` must not remove its files),
 * and links may form loops. Each folder is visited once (a bind mount can loop too). */
export function generatedFilesIn(dir: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string, rel: string) => {
    let names: string[];
    try {
      const st = fs.statSync(d);
      const id = `${st.dev}:${st.ino}`;
      if (seen.has(id)) return;
      seen.add(id);
      names = fs.readdirSync(d);
    } catch { return; }
    for (const n of names.sort()) {
      const full = path.join(d, n);
      let st: fs.Stats;
      try { st = fs.lstatSync(full); } catch { continue; }
      if (st.isDirectory()) walk(full, `${rel}${n}/`);
      else if (st.isFile() && !n.startsWith('.') && GENERATED_MARK.test(readHead(full))) out.push(`${rel}${n}`);
    }
  };
  walk(dir, '');
  return out;
}

function readHead(file: string): string {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const buf = Buffer.alloc(64);
    return buf.subarray(0, fs.readSync(fd, buf, 0, 64, 0)).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/**
 * Writes `files` under `outDir`. Throws WriteError, having changed nothing, when a destination cannot be written.
 * `clean`: also remove the files under `outDir` that structgen wrote (GENERATED_MARK) and `files` no longer holds
 * (`true`: all of them; a function: those of them it selects, by path relative to `outDir`).
 */
export function writeFilesAtomically(outDir: string, files: readonly FileToWrite[], opts: { clean?: boolean | ((relPath: string) => boolean); ops?: WriteOps } = {}): WriteReport {
  const ops = opts.ops ?? nodeOps;
  // 1. check every destination before changing anything
  const dirsToMake: string[] = [];
  const planned = new Set<string>();
  const needDir = (dir: string) => {
    const chain: string[] = [];
    for (let d = path.resolve(dir); ; d = path.dirname(d)) {
      if (planned.has(d)) break;
      const k = kindOf(d);
      if (k.error) throw new WriteError(d, k.error, 'cannot use');
      if (k.kind === 'dir') break;
      if (k.kind !== 'none') {
        if (d === path.resolve(dir)) throw new WriteError(dir, 'not a directory', 'cannot write to');
        throw new WriteError(dir, `'${shown(d)}' is not a directory`, 'cannot create');
      }
      chain.push(d);
      if (path.dirname(d) === d) break;
    }
    for (const d of chain.reverse()) { planned.add(d); dirsToMake.push(d); }
  };
  needDir(outDir);
  const changed: Array<{ final: string; temp: string; contents: string; old: string | null }> = [];
  const unchanged: string[] = [];
  for (const f of files) {
    const final = path.join(outDir, f.path);
    needDir(path.dirname(final));
    const k = kindOf(final);
    if (k.error) throw new WriteError(final, k.error);
    if (k.kind === 'dir') throw new WriteError(final, 'is a directory');
    if (k.kind === 'other') throw new WriteError(final, 'not a regular file');
    let old: string | null = null;
    if (k.kind === 'file') {
      try { old = fs.readFileSync(final, 'utf8'); } catch (e) { throw new WriteError(final, osReason(e), 'cannot read'); }
    }
    if (old === f.contents) { unchanged.push(final); continue; }
    changed.push({ final, temp: path.join(path.dirname(final), `.${path.basename(final)}.${process.pid}.tmp`), contents: f.contents, old });
  }
  const produced = new Set(files.map((f) => path.join(outDir, f.path)));
  const clean = opts.clean;
  const removals = clean
    ? generatedFilesIn(outDir).filter((rel) => clean === true || clean(rel)).map((rel) => path.join(outDir, rel)).filter((p) => !produced.has(p))
      .map((p) => ({ file: p, old: fs.readFileSync(p, 'utf8') }))
    : [];

  // 2. make folders and write every new file under a temporary name; undo on failure
  const made: string[] = [];
  const temps: string[] = [];
  const undoPrepared = () => {
    for (const t of temps) { try { ops.unlink(t); } catch { /* already gone */ } }
    for (const d of made.reverse()) { try { ops.rmdir(d); } catch { /* not empty or gone */ } }
  };
  try {
    for (const d of dirsToMake) {
      try {
        ops.mkdir(d);
      } catch (e) {
        // another run made it meanwhile (parallel runs into one missing folder): it is there, which is all we need
        if ((e as NodeJS.ErrnoException).code === 'EEXIST' && kindOf(d).kind === 'dir') continue;
        throw new WriteError(d, osReason(e), 'cannot create');
      }
      made.push(d);
    }
    for (const c of changed) {
      // listed before writing: a write that fails part-way (a full disk) leaves a partial file to remove
      temps.push(c.temp);
      try { ops.writeFile(c.temp, c.contents); } catch (e) { throw new WriteError(c.final, osReason(e)); }
    }
  } catch (e) {
    undoPrepared();
    throw e;
  }

  // 3. rename into place and remove; on a failure, put the old contents back
  const done: Array<{ file: string; old: string | null }> = [];
  try {
    for (const c of changed) {
      try { ops.rename(c.temp, c.final); } catch (e) { throw new WriteError(c.final, osReason(e)); }
      temps.splice(temps.indexOf(c.temp), 1);
      done.push({ file: c.final, old: c.old });
    }
    for (const r of removals) {
      try { ops.unlink(r.file); } catch (e) { throw new WriteError(r.file, osReason(e), 'cannot remove'); }
      done.push(r);
    }
  } catch (e) {
    const failed: string[] = [];
    for (const d of done.reverse()) {
      const t = `${d.file}.${process.pid}.restore`;
      try {
        if (d.old === null) ops.unlink(d.file);
        else { ops.writeFile(t, d.old); ops.rename(t, d.file); }
      } catch {
        if (d.old !== null) { try { ops.unlink(t); } catch { /* never written */ } }
        failed.push(d.file);
      }
    }
    undoPrepared();
    if (failed.length && e instanceof WriteError) {
      throw new WriteError(e.file, `${e.reason}; and the old contents of ${failed.map((f) => `'${f}'`).join(', ')} could not be restored`, e.what);
    }
    throw e;
  }
  return { written: changed.map((c) => c.final), unchanged, removed: removals.map((r) => r.file) };
}
