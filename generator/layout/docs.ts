// C comments into the `doc` slots of the layout facts. The preprocessor drops comments; the layout stage hands this
// module the text of each file that defines something (the text the preprocessor read), finds its comments in one
// linear scan, and attaches them by position to records, members, enums, enumerators and `#define` constants.
//
// Which comment attaches (README "Doc comments"):
// - A *trailing* comment - code before it on its line and nothing but white space (or a closing `}`) after it, or
//   one marked `/**<`, `///<`, `//!<` - documents the last member, enumerator or constant that starts on that line
//   before it, when no `{` or `}` lies between the two. `//` comments that follow it on the next lines, starting in the same column and
//   alone on their lines, continue it.
// - Otherwise a comment *leads*: the run of leading comments ending just before an entity documents it when only
//   white space (no blank line), type words and `(`/`*`/`[` lie between - no `;`, `,`, `{`, `}`, `#` (for a
//   `#define`, exactly `#define`). A blank line ends a run, so a licence block separated from the first declaration
//   by a blank line documents nothing.
// - A member's trailing comment wins over a leading one; a member or enumerator with no comment of its own takes the
//   `@name: text` paragraph of its record's or enum's kernel-doc comment (`struct foo - ...` / `@name: ...`).
// Markers are stripped (`/**`, `*/`, leading ` * `, `//`, `///`, `//!`, `<`), as are `@brief`/`\brief` tags and
// banner lines of `*`, `=`, `-`; paragraphs (blank lines) are kept. Facts' `pos` is the spelling position, so
// declarations a macro expands take the comments around the macro's argument, not its definition.

import { normalizeSource } from '../preprocess/lexer.js';

export interface CommentSpan {
  /** Offsets into the file's text: the comment is `text.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly col: number;
  /** Trails code on its line (see above). */
  readonly trailing: boolean;
}

export interface ScannedFile {
  readonly text: string;
  readonly comments: readonly CommentSpan[];
  /** Offset of the start of each line (line 1 at index 0). */
  readonly lineStarts: readonly number[];
}

/** Every comment of a C source text, in order: one pass that skips string and character literals and follows line
 * splices (a `//` comment ending in `\` goes on). */
export function scanComments(original: string): ScannedFile {
  const text = normalizeSource(original);
  const lineStarts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const comments: CommentSpan[] = [];
  const n = text.length;
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const atEol = (from: number): boolean => {
    // only white space or further comments up to the end of the line
    let j = from;
    for (;;) {
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r' || text[j] === '\f' || text[j] === '\v')) j++;
      if (j >= n || text[j] === '\n' || text[j] === '}') return true; // `int c; /* doc */ };` trails too
      if (text.startsWith('//', j)) return true;
      if (text.startsWith('/*', j)) {
        const e = text.indexOf('*/', j + 2);
        if (e < 0) return true;
        if (text.slice(j, e).includes('\n')) return true;
        j = e + 2;
        continue;
      }
      return false;
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) { line++; lineStart = i + 1; i++; continue; }
    if (c === 34 || c === 39) { // string or character literal: to its closing quote or the end of the line
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) { if (text[i + 1] === '\n') { line++; lineStart = i + 2; } i += 2; continue; }
        if (d === 10 || d === c) break;
        i++;
      }
      if (text.charCodeAt(i) === c) i++;
      continue;
    }
    if (c === 47 && (text[i + 1] === '*' || text[i + 1] === '/')) {
      const start = i;
      const startLine = line;
      const col = i - lineStart + 1;
      if (text[i + 1] === '*') {
        const e = text.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
      } else {
        i += 2;
        while (i < n && text[i] !== '\n') i++;
        // a backslash before the newline splices the next line into the comment
        while (i < n && /\\[ \t]*\r?$/.test(text.slice(Math.max(start, i - 8), i))) {
          i++;
          while (i < n && text[i] !== '\n') i++;
        }
      }
      for (let k = text.indexOf('\n', start); k >= 0 && k < i; k = text.indexOf('\n', k + 1)) { line++; lineStart = k + 1; }
      const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
      const marked = /^(\/\*[*!]<|\/\/[/!]<)/.test(text.slice(start, start + 4));
      const trailing = marked || (/\S/.test(before) && atEol(i));
      comments.push({ start, end: i, line: startLine, col, trailing });
      continue;
    }
    i++;
  }
  return { text, comments, lineStarts };
}

/** The text of a comment with its markers stripped; null when nothing is left. */
export function commentText(raw: string): string | null {
  let body: string[];
  if (raw.startsWith('/*')) {
    let s = raw.slice(2, raw.endsWith('*/') && raw.length >= 4 ? -2 : undefined);
    s = s.replace(/^[*!]?<?/, '');
    body = s.split(/\r?\n/).map((l) => l.replace(/^\s*\*+(?!\/)\s?/, '').replace(/^\s+/, ''));
  } else {
    body = raw.split(/\\?\r?\n/).map((l) => l.replace(/^\s*\/\/[/!]?<?\s?/, '').replace(/^\s+/, ''));
  }
  const out: string[] = [];
  for (let l of body) {
    l = l.replace(/\s+$/, '').replace(/^[@\\]brief\s+/, '');
    if (/^[*=\-_#/\\]{3,}$/.test(l)) l = '';
    if (l === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(l);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  return out.length ? out.join('\n') : null;
}

export type Kind = 'record' | 'enum' | 'member' | 'enumerator' | 'define';

interface Entity {
  offset: number;
  readonly line: number;
  readonly col: number;
  readonly kind: Kind;
  doc: string | null;
}

const BLANK_LINE = /\n[ \t\r\f\v]*\n/;
/** Between a comment and the name of the `#define` it documents. */
const DEFINE_GAP = /^[ \t\r]*\n?[ \t]*#[ \t]*define[ \t]+$/;

/** Attaches doc comments to the entities of one file (sorted by offset in place). Linear in comments + entities,
 * after the sort. */
export function attachComments(file: ScannedFile, entities: Entity[]): void {
  const { text, comments } = file;
  entities.sort((a, b) => a.offset - b.offset);
  const used = new Set<number>();
  // trailing comments: walk both lists in order
  let e = 0;
  for (let k = 0; k < comments.length; k++) {
    const c = comments[k]!;
    if (!c.trailing) continue;
    while (e < entities.length && entities[e]!.offset < c.start) e++;
    const ent = entities[e - 1];
    if (!ent || ent.line !== c.line || ent.kind === 'record' || ent.kind === 'enum') continue;
    if (/[{}]/.test(text.slice(ent.offset, c.start))) continue;
    const parts = [text.slice(c.start, c.end)];
    used.add(k);
    // `//` continuation lines in the same column
    for (let j = k + 1; j < comments.length; j++) {
      const d = comments[j]!;
      const prev = comments[j - 1]!;
      if (d.trailing || d.col !== c.col || !text.startsWith('//', d.start) || !text.startsWith('//', c.start)) break;
      if (!/^[ \t\r]*\n[ \t]*$/.test(text.slice(prev.end, d.start))) break;
      parts.push(text.slice(d.start, d.end));
      used.add(j);
    }
    const doc = joinDocs(parts);
    if (doc !== null) ent.doc = doc;
  }
  // leading comments: the last comment ending before each entity, and the run before it
  let k = 0;
  for (const ent of entities) {
    while (k < comments.length && comments[k]!.end <= ent.offset) k++;
    if (ent.doc !== null) continue;
    const last = k - 1;
    const c = comments[last];
    if (!c || c.trailing || used.has(last)) continue;
    if (ent.kind === 'define' ? ent.offset - c.end > 256 || !DEFINE_GAP.test(text.slice(c.end, ent.offset)) : !leadingGap(text, c.end, ent.offset)) continue;
    let first = last;
    while (first > 0) {
      const p = comments[first - 1]!;
      if (p.trailing || used.has(first - 1)) break;
      const between = text.slice(p.end, comments[first]!.start);
      if (/\S/.test(between) || BLANK_LINE.test(between)) break;
      first--;
    }
    const parts: string[] = [];
    for (let j = first; j <= last; j++) { parts.push(text.slice(comments[j]!.start, comments[j]!.end)); used.add(j); }
    ent.doc = joinDocs(parts);
  }
}

/** What may stand between a leading comment and what it documents: no blank line, no `;`, `{`, `}` or `#`, and no
 * `,` outside parentheses (`/** a *\/ int a, b;` documents `a` only; `FIELD(int, x)`, a macro's argument, is one
 * declaration). Stops at the first offending character, so a long stretch after a comment is not rescanned for every
 * entity after it. */
function leadingGap(text: string, from: number, to: number): boolean {
  let depth = 0;
  let blank = false; // only white space since the last newline
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '\n') { if (blank) return false; blank = true; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') continue;
    blank = false;
    if (c === ';' || c === '{' || c === '}' || c === '#') return false;
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) return false;
  }
  return true;
}

/** The `@name: text` paragraphs of a kernel-doc comment (`struct foo - what it is` / `@member: what it holds`), by
 * name: what a member or enumerator without a comment of its own takes. Continuation lines join until the next `@`
 * line or a blank line. */
export function kernelDocParams(doc: string | null): Map<string, string> | null {
  if (doc === null || !doc.includes('@')) return null;
  let out: Map<string, string> | null = null;
  let cur: { name: string; lines: string[] } | null = null;
  const flush = () => { if (cur && cur.lines.join('').trim()) (out ??= new Map()).set(cur.name, cur.lines.join('\n').trim()); cur = null; };
  for (const line of doc.split('\n')) {
    const m = /^@([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$/.exec(line);
    if (m) { flush(); cur = { name: m[1]!, lines: [m[2]!] }; continue; }
    if (line.trim() === '' || line.startsWith('@')) { flush(); continue; }
    cur?.lines.push(line);
  }
  flush();
  return out;
}

function joinDocs(parts: readonly string[]): string | null {
  const texts = parts.map(commentText).filter((t): t is string => t !== null);
  return texts.length ? texts.join('\n') : null;
}

/** Scanned files, by name: the same text is scanned once however many translation units include it. */
export class CommentCache {
  private readonly files = new Map<string, ScannedFile>();
  get(name: string, text: string): ScannedFile {
    const hit = this.files.get(name);
    if (hit && hit.text === text) return hit;
    if (this.files.size > 4096) this.files.clear();
    const s = scanComments(text);
    this.files.set(name, s);
    return s;
  }
}

/** Where a declaration's name is spelled, and what it declares (which comments may document it). */
export interface DocSite {
  readonly pos: { readonly file: string; readonly line: number; readonly col: number };
  readonly kind: Kind;
}

/** Columns below this make a position's number (`line * COLS + col`), a key without a string per site. */
const COLS = 1 << 20;

/** The doc comments of declarations, by position (`docKey`). */
export type DocMap = ReadonlyMap<string, string>;

export function docKey(pos: { readonly file: string; readonly line: number; readonly col: number }): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

/**
 * The comments documenting `sites`, read from the files' own text (`readFile`: null when unknown; its sites get no
 * doc). Only positions in files declarations were read from (`files`) are used: a `#line` naming another file is
 * skipped. One scan per file; the layout stage fills its facts' `doc` slots from the result.
 */
export function collectDocs(sites: Iterable<DocSite>, files: ReadonlySet<string>, readFile: (file: string) => string | null,
  cache = new CommentCache()): DocMap {
  const byFile = new Map<string, Map<number | string, Entity>>();
  for (const { pos, kind } of sites) {
    if (!files.has(pos.file)) continue;
    let list = byFile.get(pos.file);
    if (!list) byFile.set(pos.file, list = new Map());
    // one entity per position: a promoted member is listed by its anonymous record and by the outer one
    const key = pos.col < COLS ? pos.line * COLS + pos.col : `${pos.line}:${pos.col}`;
    if (!list.has(key)) list.set(key, { offset: -1, line: pos.line, col: pos.col, kind, doc: null });
  }
  const out = new Map<string, string>();
  for (const [file, list] of byFile) {
    const text = readFile(file);
    if (text === null) continue;
    const scanned = cache.get(file, text);
    const ls = scanned.lineStarts;
    const usable = [...list.values()].filter((x) => {
      const start = ls[x.line - 1];
      if (start === undefined) return false;
      x.offset = start + x.col - 1;
      return x.offset <= text.length;
    });
    attachComments(scanned, usable);
    for (const x of usable) if (x.doc !== null) out.set(`${file}:${x.line}:${x.col}`, x.doc);
  }
  return out;
}
