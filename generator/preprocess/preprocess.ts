// The built-in C preprocessor: directives, include search, conditionals and macro expansion over a file host.
// Output is plain text for the parser plus a source map and `#pragma pack` events. Nothing here touches the
// file system or Node: files are read through a `FileHost` (generator/node/ has the file-system one).

import { memoryShort } from '../core/memory.js';
import type { FileHost } from '../core/host.js';
import * as paths from '../core/paths.js';
import { diag, hasErrors, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { builtinHeaders, predefinedMacros, type TargetDesc } from '../target/index.js';
import { evalPPExpr, PPExprError } from './expr.js';
import { lex, makeToken, type LexedFile, type Token } from './lexer.js';
import { expand, EXPANSION_BASE_TOKENS, EXPANSION_PER_SOURCE_TOKEN, ExpansionLimitError, MAX_EXPANSION_TOKENS, stringize, type Budget, type ExpandHost, type Macro } from './macros.js';
import { emitConstantProbes, takenAsTokens, TokenProbesBuilder, type TokenProbes } from './probes.js';
import { cStringValue } from '../c/literals.js';
import { SourceMapBuilder, type SourceMapData } from './source-map.js';

/** How the preprocessor reads files (kept as an alias of `FileHost` for API compatibility). */
export type PreprocessHost = FileHost;

export interface PreprocessOptions {
  readonly target: TargetDesc;
  /** `-I` directories, searched in order. */
  readonly includeDirs?: readonly string[];
  /** The target's system header directories (after `-I`, before the built-in headers). */
  readonly systemDirs?: readonly string[];
  /** `-D` definitions: name -> replacement text (`1` for a bare `-DNAME`). */
  readonly defines?: Readonly<Record<string, string>>;
  readonly undefines?: readonly string[];
  /** Where files come from; without one, no file can be read (the Node entry passes the file system's). */
  readonly host?: FileHost;
  /** Shared across runs in one process: a file is read and lexed once however often it is included. */
  readonly cache?: LexCache;
  /** Append a probe declaration per object-like macro of the main file, so constants can be evaluated. */
  readonly constantProbes?: boolean;
  /** Keep probes that are plain integer expressions as tokens rather than text (default true; false writes every
   * probe as text: the parser then reads them all from the syntax tree, as tests compare). */
  readonly probeTokens?: boolean;
  /** Applied to every run of output tokens after macro expansion (the parser's spelling workarounds). */
  readonly outputFilter?: (toks: Token[], warn: (at: Token, code: string, message: string, severity?: 'error') => void) => Token[];
}

export interface PackEvent {
  /** Output position from which this state holds. */
  readonly row: number;
  readonly col: number;
  /** `#pragma pack` value in bytes; 0 = none. */
  readonly pack: number;
  /** `#pragma ms_struct on`. */
  readonly msStruct: boolean;
}

export interface MacroDefinition {
  readonly name: string;
  readonly params: readonly string[] | null;
  readonly body: string;
  readonly pos: SourcePos;
}

export interface PreprocessResult {
  readonly text: string;
  readonly map: SourceMapData;
  readonly packEvents: readonly PackEvent[];
  /** Files whose records count as "system" (found in a system or built-in directory). */
  readonly systemFiles: ReadonlySet<string>;
  /** Macros defined by the input files at the end of preprocessing (not predefined ones). */
  readonly macros: readonly MacroDefinition[];
  readonly diagnostics: readonly Diagnostic[];
  /** First output row of the constant probes (rows from here on are not the header's own text). */
  readonly probeRow: number;
  /** The constant probes kept as tokens, not written as text (plain integer expressions), and the order of all. */
  readonly tokenProbes?: TokenProbes;
  /** The host files this run read (the main file and every file it included, found on a search, or skipped by an
   * include guard), in the order first read; not structgen's built-in headers. What a watcher watches. */
  readonly includedFiles: readonly string[];
  /** Their text, as read (the layout stage reads the doc comments there: no file is read twice). */
  readonly sources?: ReadonlyMap<string, string>;
}

export { CONSTANT_PROBE_PREFIX } from '../c/literals.js';

/**
 * Shared across runs: what a file holds, lexed once. Host files are keyed by path (the same path holds the same text
 * for every target and option); structgen's built-in headers differ per target, so their entries are keyed by
 * path and text together.
 */
export class LexCache {
  readonly files = new Map<string, { text: string | null; lexed: LexedFile | null; guard: string | null | undefined }>();
  /** File table shared by every run using this cache, so lexed tokens' file indexes stay valid. */
  readonly fileList: string[] = [];
  readonly fileIndex = new Map<string, number>();
  /** Forgets what the cache holds for these host files (they changed on disk): the next run reads them again. */
  invalidate(files: Iterable<string>): void {
    for (const f of files) this.files.delete(f);
  }
}

export const BUILTIN_DIR = '<structgen>';

/** Files longer than this (characters) keep their text in a LexCache, not their tokens. */
export const LEX_CACHE_MAX = 1 << 20;

/** Tokens of text between directives from which `processFile` writes what it holds at the end of a declaration. */
const PENDING_BATCH = 1 << 14;

/** A host with no files: what the core reads when no host was given. */
const NO_FILES: FileHost = { readFile: () => null, whyUnreadable: () => 'no file host was given' };

/** Tokens a constant probe's expansion may scan (real constants scan a few hundred): nested invocations cost
 * the square of their depth without producing tokens, so producing is not bound enough. */
export const PROBE_WORK = 1_000_000;

export class FatalError extends Error {}

/** Files open at once (clang's limit: `#include nested too deeply` beyond it). */
export const MAX_INCLUDE_DEPTH = 200;

interface IncludeFrame {
  readonly file: number;
  /** Index in the search list where this file was found (for `#include_next`); -1 when not searched. */
  readonly dirIndex: number;
  readonly from: Token | null;
}

interface Cond {
  readonly parentActive: boolean;
  active: boolean;
  taken: boolean;
  sawElse: boolean;
  readonly at: Token;
}

const KNOWN_ATTRIBUTES = new Set(['packed', 'aligned', 'ms_struct', 'gcc_struct', 'mode', 'deprecated', 'unused',
  'used', 'always_inline', 'noinline', 'nonnull', 'noreturn', 'const', 'pure', 'format', 'format_arg', 'visibility',
  'warn_unused_result', 'nothrow', 'leaf', 'malloc', 'alloc_size', 'may_alias', 'sentinel', 'transparent_union',
  'designated_init', 'returns_nonnull', 'cold', 'hot', 'weak', 'alias', 'section', 'cleanup', 'fallthrough',
  'access', 'artificial', 'gnu_inline', 'vector_size', 'nonstring', 'counted_by', 'externally_visible',
  'no_instrument_function', 'constructor', 'destructor', 'error', 'warning', 'copy', 'unavailable',
  'availability', 'overloadable', 'diagnose_if', 'enable_if', 'flag_enum', 'enum_extensibility']);

/** Operators `#if` understands that `defined` and `#ifdef` see as defined. */
const HAS_OPERATORS = new Set(['__has_include', '__has_include_next', '__has_attribute', '__has_declspec_attribute',
  '__has_feature', '__has_extension', '__has_builtin', '__has_c_attribute', '__has_cpp_attribute', '__has_warning', '__is_identifier']);

const KNOWN_FEATURES = new Set(['c_alignas', 'c_alignof', 'c_static_assert', 'c_generic_selections', 'c_atomic',
  'c_thread_local', 'attribute_packed', 'attribute_aligned']);

export function preprocess(mainFile: string, options: PreprocessOptions): PreprocessResult {
  return new Preprocessor(options).run(mainFile);
}

class Preprocessor implements ExpandHost {
  readonly macros = new Map<string, Macro>();
  private readonly files: string[];
  private readonly fileIndex: Map<string, number>;
  private readonly systemFiles = new Set<string>();
  private readonly diags: Diagnostic[] = [];
  private readonly onceFiles = new Set<number>();
  private readonly stack: IncludeFrame[] = [];
  private readonly searchDirs: Array<{ dir: string; system: boolean }>;
  private readonly builtins: Map<string, string>;
  private readonly host: FileHost;
  private readonly cache: LexCache;
  private readonly pushedMacros = new Map<string, Array<Macro | undefined>>();
  private counter = 0;
  private mainFile = '';
  // output
  private readonly outRows: string[] = [];
  private readonly map = new SourceMapBuilder();
  private readonly tokenProbes = new TokenProbesBuilder();
  private cur = '';
  private curBytes = 0;
  private lastTokenFile = -1;
  private lastTokenLine = -1;
  // pragma pack
  private pack = 0;
  private msStruct = false;
  private readonly packStack: Array<{ pack: number; label: string | null }> = [];
  private readonly packEvents: PackEvent[] = [];
  private readonly readFiles = new Set<string>();
  /** `#line` directives per file, in order: output is written after a whole declaration was read, so a token takes
   * the last directive before its own line. */
  private readonly lineDeltas = new Map<number, Array<{ delta: number; name: string | null; at: number }>>();
  /** Tokens of text read (and to be expanded) so far, and tokens macro expansions produced from them: the second is
   * bounded by the first (macros.ts EXPANSION_BASE_TOKENS). */
  private textTokens = 0;
  private producedTokens = 0;
  /** Expanded text not yet written: the declaration it ends in is not complete (see `emitText`). */
  private held: Token[] = [];
  /** Open brackets in `held` after its last complete declaration. */
  private heldDepth = 0;
  /** `#pragma pack` / `ms_struct` changes met while text was held: written when the marker token is. */
  private readonly markers = new Map<Token, { pack: number; msStruct: boolean }>();

  constructor(private readonly opts: PreprocessOptions) {
    this.host = opts.host ?? NO_FILES;
    this.cache = opts.cache ?? new LexCache();
    this.files = this.cache.fileList;
    this.fileIndex = this.cache.fileIndex;
    this.builtins = builtinHeaders(opts.target);
    this.searchDirs = [
      ...(opts.includeDirs ?? []).map((dir) => ({ dir, system: false })),
      ...(opts.systemDirs ?? []).map((dir) => ({ dir, system: true })),
      { dir: BUILTIN_DIR, system: true },
    ];
    const hosted = (opts.systemDirs ?? []).length > 0;
    const predefined = predefinedMacros(opts.target, { hosted });
    for (const [k, v] of predefined) this.defineFromText(k, v, -1);
    // the Linux spelling of counted_by, as the kernel's compiler headers define it when the compiler has the
    // attribute: UAPI headers define it empty only `#ifndef __counted_by`, so flexible arrays keep their count
    // (`-U__counted_by` or a header's own unconditional definition turns it off)
    this.defineFromText('__counted_by(m)', '__attribute__((__counted_by__(m)))', -1);
    for (const [k, v] of Object.entries(opts.defines ?? {})) this.defineFromText(k, v, -1);
    for (const k of opts.undefines ?? []) this.macros.delete(k);
  }

  private defineFromText(nameWithParams: string, value: string, file: number) {
    const src = `#define ${nameWithParams} ${value}`;
    const lexed = lex(src, file < 0 ? 0 : file);
    const line = lexed.lines[0];
    if (line) this.define(line, -1);
  }

  run(mainFile: string): PreprocessResult {
    this.mainFile = mainFile;
    try {
      const idx = this.fileId(mainFile);
      const text = this.read(mainFile);
      if (text === null) {
        const why = this.host.whyUnreadable?.(mainFile) ?? null;
        this.diags.push(diag('error', null, 'pp-main-not-found', `cannot read '${mainFile}'${why ? `: ${why}` : ''}`));
      } else {
        this.processFile(idx, -1, null);
      }
      this.flushHeld();
    } catch (e) {
      if (!(e instanceof FatalError)) throw e;
    }
    this.newline();
    const probeRow = this.outRows.length;
    if (this.opts.constantProbes && !hasErrors(this.diags)) {
      try {
        emitConstantProbes(this, this.fileIndex.get(mainFile));
      } catch (e) {
        if (!(e instanceof FatalError)) throw e; // out of memory: reported
      }
      this.newline();
    }
    const userMacros: MacroDefinition[] = [];
    // the table is not used again: each macro is dropped as it is listed, so a header of millions of #defines does
    // not hold its macros twice over
    for (const [name, m] of this.macros) {
      this.macros.delete(name);
      if (m.file < 0) continue;
      userMacros.push({
        name: m.name, params: m.params,
        body: m.body.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join(''),
        pos: { file: this.files[m.file]!, line: m.line, col: m.col },
      });
    }
    return {
      text: this.outRows.join('\n'),
      map: this.map.finish(this.files),
      packEvents: this.packEvents,
      systemFiles: this.systemFiles,
      macros: userMacros,
      diagnostics: this.diags,
      probeRow,
      ...(this.opts.constantProbes ? { tokenProbes: this.tokenProbes.finish() } : {}),
      includedFiles: [...this.readFiles],
      sources: new Map([...this.readFiles].flatMap((f): Array<[string, string]> => {
        const text = this.cache.files.get(f)?.text;
        return text == null ? [] : [[f, text]];
      })),
    };
  }

  noteExpansion?: (m: Macro) => void;
  inConditional = false;

  expandTentatively(toks: readonly Token[], used: (m: Macro) => void): Token[] | 'failed' | 'limit' {
    const nd = this.diags.length;
    let out: Token[] | null = null;
    let limit = false;
    this.noteExpansion = used;
    try {
      out = expand(this, toks, { left: MAX_EXPANSION_TOKENS, work: PROBE_WORK });
    } catch (e) {
      if (!(e instanceof ExpansionLimitError)) throw e;
      limit = true;
    } finally {
      this.noteExpansion = undefined;
    }
    const clean = this.diags.length === nd;
    this.diags.length = nd;
    if (limit) return 'limit';
    return out && clean ? out : 'failed';
  }

  emitTentatively(toks: readonly Token[]): 'ok' | 'failed' | 'limit' {
    if (toks[0]) this.checkMemory(toks[0]);
    this.newline();
    const rows = this.outRows.length;
    const nd = this.diags.length;
    let failed = false;
    try {
      this.emitText(toks, { left: MAX_EXPANSION_TOKENS, work: PROBE_WORK }, true);
    } catch (e) {
      if (!(e instanceof FatalError)) throw e;
      failed = true;
    }
    let result: 'ok' | 'failed' | 'limit' = 'ok';
    if (failed || this.diags.length > nd) {
      result = this.diags.slice(nd).some((d) => d.code === 'pp-expansion-limit') ? 'limit' : 'failed';
      this.diags.length = nd;
      this.cur = '';
      this.curBytes = 0;
      this.outRows.length = rows;
      this.map.truncate(rows);
    } else this.tokenProbes.written(rows);
    this.lastTokenLine = -1;
    return result;
  }

  keepAsTokens(m: Macro, value: readonly Token[]): boolean {
    if (this.opts.probeTokens === false) return false;
    const texts = value.map((t) => t.text);
    if (!takenAsTokens(texts)) return false;
    const at: Token = { kind: 'id', text: m.name, file: m.file, line: m.line, col: m.col, space: true, bol: true, painted: false };
    this.checkMemory(at);
    // positions as `emit` maps them into the source map (`#line` applied), so the parser gives the expression the
    // positions it gives a probe written as text
    const pos: number[] = [];
    for (const t of value) this.positionOf(t, pos);
    this.positionOf(at, pos);
    const n = pos.length;
    this.tokenProbes.kept(m.name, pos[n - 3]!, pos[n - 2]!, pos[n - 1]!, at.file, texts, pos.slice(0, n - 3));
    return true;
  }

  /** Appends the file index, line and column `emit` maps a token to (`pos`, without making an object when no
   * `#line` applies). */
  private positionOf(t: Token, out: number[]): void {
    if (!this.lineDeltas.has(t.file)) { out.push(t.file, t.line, t.col); return; }
    const p = this.pos(t);
    out.push(p.file === this.files[t.file] ? t.file : this.fileId(p.file), p.line, p.col);
  }

  /** Stops with an error at `at` when memory runs short (the guard looks now and then). */
  private checkMemory(at: Token): void {
    const short = memoryShort();
    if (short) { this.error(at, 'out-of-memory', short); throw new FatalError(); }
  }

  // ---------------------------------------------------------------------------------------------------------
  private fileId(file: string): number {
    let i = this.fileIndex.get(file);
    if (i === undefined) {
      i = this.files.length;
      this.files.push(file);
      this.fileIndex.set(file, i);
    }
    return i;
  }

  /** The cache key of a file: built-in headers are per target, so their text is part of the key. */
  private cacheKey(file: string): string {
    if (!file.startsWith(BUILTIN_DIR + '/')) return file;
    const text = this.builtins.get(file.slice(BUILTIN_DIR.length + 1));
    return text === undefined ? file : `${file}\0${text}`;
  }

  private read(file: string): string | null {
    const key = this.cacheKey(file);
    const c = this.cache.files.get(key);
    if (c?.text != null && !file.startsWith(BUILTIN_DIR + '/')) this.readFiles.add(file);
    if (c) return c.text;
    let text: string | null;
    if (file.startsWith(BUILTIN_DIR + '/')) text = this.builtins.get(file.slice(BUILTIN_DIR.length + 1)) ?? null;
    else text = this.host.readFile(file);
    if (text !== null && !file.startsWith(BUILTIN_DIR + '/')) this.readFiles.add(file);
    this.cache.files.set(key, { text, lexed: null, guard: undefined });
    return text;
  }

  private lexed(file: string, idx: number): LexedFile {
    const c = this.cache.files.get(this.cacheKey(file))!;
    if (c.lexed) return c.lexed;
    const lexed = lex(c.text ?? '', idx);
    // tokens take about thirty times their text's size: a big file (a generated header of millions of lines, seldom
    // included by another) is lexed again when read again rather than held for the whole run
    if ((c.text?.length ?? 0) <= LEX_CACHE_MAX) c.lexed = lexed;
    return lexed;
  }

  private pos(t: Token): SourcePos {
    const lds = this.lineDeltas.get(t.file);
    let ld: { delta: number; name: string | null; at: number } | undefined;
    if (lds) {
      let lo = 0;
      let hi = lds.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (lds[mid]!.at <= t.line) lo = mid + 1; else hi = mid; }
      ld = lds[lo - 1];
    }
    if (ld) {
      return { file: ld.name ?? this.files[t.file]!, line: t.line + ld.delta, col: t.col };
    }
    return { file: this.files[t.file] ?? '<unknown>', line: t.line, col: t.col };
  }

  private includeNotes(): Diagnostic[] {
    const notes: Diagnostic[] = [];
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const f = this.stack[i]!;
      if (!f.from) continue;
      // a chain as deep as the depth limit is told by its innermost and outermost levels
      if (notes.length === 12 && i > 4) {
        notes.push(diag('note', this.pos(f.from), 'pp-included-from', `in file included from here (and ${i - 5} more levels of #include)`));
        i = 5;
        continue;
      }
      notes.push(diag('note', this.pos(f.from), 'pp-included-from', `in file included from here`));
    }
    return notes;
  }

  error(at: Token, code: string, message: string): void {
    this.diags.push(diag('error', this.pos(at), code, message, this.includeNotes()));
  }

  private warn(at: Token, code: string, message: string): void {
    this.diags.push(diag('warning', this.pos(at), code, message));
  }

  builtin(name: string, at: Token): Token[] | null {
    switch (name) {
      case '__FILE__': return [makeToken('str', JSON.stringify(this.pos(at).file), at, { expanded: true })];
      case '__FILE_NAME__': return [makeToken('str', JSON.stringify(paths.basename(this.pos(at).file)), at, { expanded: true })];
      case '__BASE_FILE__': return [makeToken('str', JSON.stringify(this.mainFile), at, { expanded: true })];
      case '__LINE__': return [makeToken('num', String(this.pos(at).line), at, { expanded: true })];
      case '__COUNTER__': return [makeToken('num', String(this.counter++), at, { expanded: true })];
      case '__INCLUDE_LEVEL__': return [makeToken('num', String(Math.max(0, this.stack.length - 1)), at, { expanded: true })];
      // fixed values keep the output deterministic
      case '__DATE__': return [makeToken('str', '"Jan  1 1970"', at, { expanded: true })];
      case '__TIME__': return [makeToken('str', '"00:00:00"', at, { expanded: true })];
      case '__TIMESTAMP__': return [makeToken('str', '"Thu Jan  1 00:00:00 1970"', at, { expanded: true })];
      default: return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  private staticGuard(file: string, lexed: LexedFile | null): string | null {
    const c = this.cache.files.get(this.cacheKey(file))!;
    if (c.guard !== undefined) return c.guard;
    // a big file's tokens are not held to look for its guard (processFile reads it a line at a time): included
    // again, it is read again, and its own #ifndef leaves it out
    if (!lexed) return null;
    c.guard = null;
    const lines = lexed.lines;
    const first = lines[0];
    const last = lines[lines.length - 1];
    if (!first || !last || lines.length < 2) return null;
    let guard: string | null = null;
    if (first[0]?.text === '#' && first[1]?.text === 'ifndef' && first[2]?.kind === 'id' && first.length === 3) {
      guard = first[2].text;
    } else if (first[0]?.text === '#' && first[1]?.text === 'if' && first[2]?.text === '!' && first[3]?.text === 'defined') {
      const rest = first.slice(4).filter((t) => t.text !== '(' && t.text !== ')');
      if (rest.length === 1 && rest[0]!.kind === 'id') guard = rest[0]!.text;
    }
    if (!guard) return null;
    if (!(last[0]?.text === '#' && last[1]?.text === 'endif')) return null;
    // the #endif on the last line must close the first line's #if
    let depth = 0;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l[0]?.text !== '#' || l.length < 2) continue;
      const d = l[1]!.text;
      if (d === 'if' || d === 'ifdef' || d === 'ifndef') depth++;
      else if (d === 'endif') {
        depth--;
        if (depth === 0 && i !== lines.length - 1) return null;
      }
    }
    c.guard = guard;
    return guard;
  }

  private processFile(idx: number, dirIndex: number, from: Token | null) {
    const file = this.files[idx]!;
    const conds: Cond[] = [];
    let pending: Token[] = [];
    /** Brackets open in `pending` (as written, before expansion). */
    let depth = 0;
    const active = () => conds.length === 0 || conds[conds.length - 1]!.active;
    const take = (line: readonly Token[]) => {
      const head = line[0]!;
      const short = memoryShort();
      if (short) { this.error(head, 'out-of-memory', short); throw new FatalError(); }
      if (head.kind === 'p' && head.text === '#') {
        if (pending.length) { this.emitText(pending); pending = []; }
        depth = 0;
        this.directive(line, conds, active());
        return;
      }
      if (!active()) return;
      for (const t of line) {
        pending.push(t);
        if (t.kind !== 'p') continue;
        const x = t.text;
        if (x === '(' || x === '[' || x === '{') depth++;
        else if (x === ')' || x === ']' || x === '}') depth--;
      }
      // a long run of text without directives (a generated header of 100,000 records) is expanded and written a
      // batch of whole declarations at a time, not held whole: after a line ending a declaration outside brackets
      if (pending.length >= PENDING_BATCH && depth === 0 && line[line.length - 1]!.text === ';') { this.emitText(pending); pending = []; }
    };
    const problem = ([line, col, msg, error]: readonly [number, number, string, boolean]) => diag(error ? 'error' : 'warning', { file, line, col }, 'pp-lex', msg);
    const c = this.cache.files.get(this.cacheKey(file));
    if (c && !c.lexed && (c.text?.length ?? 0) > LEX_CACHE_MAX) {
      // a big file is processed a line at a time as it is lexed: its tokens (about thirty times its text) are never
      // all held; its lexer problems take the place they have when lexed first, before what its lines report
      const nd = this.diags.length;
      const problems: Array<[number, number, string, boolean]> = [];
      this.stack.push({ file: idx, dirIndex, from });
      try {
        lex(c.text ?? '', idx, take, problems);
      } finally {
        this.diags.splice(nd, 0, ...problems.map(problem));
      }
    } else {
      const lexed = this.lexed(file, idx);
      for (const p of lexed.problems) this.diags.push(problem(p));
      this.stack.push({ file: idx, dirIndex, from });
      for (const line of lexed.lines) take(line);
    }
    if (pending.length) this.emitText(pending);
    for (const c of conds) this.error(c.at, 'pp-unterminated-conditional', `unterminated conditional directive`);
    this.stack.pop();
  }

  private directive(line: readonly Token[], conds: Cond[], active: boolean) {
    const hash = line[0]!;
    const nameTok = line[1];
    if (!nameTok) return; // null directive
    const name = nameTok.kind === 'num' ? '#line-marker' : nameTok.text;
    const rest = line.slice(nameTok.kind === 'num' ? 1 : 2);
    switch (name) {
      case 'if': case 'ifdef': case 'ifndef': {
        if (!active) { conds.push({ parentActive: false, active: false, taken: true, sawElse: false, at: hash }); return; }
        const v = name === 'if' ? this.evalIf(rest, hash) : this.ifdef(rest, hash, name === 'ifndef');
        conds.push({ parentActive: true, active: v, taken: v, sawElse: false, at: hash });
        return;
      }
      case 'elif': case 'elifdef': case 'elifndef': {
        const c = conds[conds.length - 1];
        if (!c) { this.error(hash, 'pp-elif-without-if', `#${name} without #if`); return; }
        if (c.sawElse) { this.error(hash, 'pp-elif-after-else', `#${name} after #else`); return; }
        if (!c.parentActive || c.taken) { c.active = false; return; }
        const v = name === 'elif' ? this.evalIf(rest, hash) : this.ifdef(rest, hash, name === 'elifndef');
        c.active = v;
        c.taken = v;
        return;
      }
      case 'else': {
        const c = conds[conds.length - 1];
        if (!c) { this.error(hash, 'pp-else-without-if', '#else without #if'); return; }
        if (c.sawElse) { this.error(hash, 'pp-else-after-else', '#else after #else'); return; }
        c.sawElse = true;
        c.active = c.parentActive && !c.taken;
        c.taken = true;
        return;
      }
      case 'endif': {
        if (!conds.pop()) this.error(hash, 'pp-endif-without-if', '#endif without #if');
        return;
      }
    }
    if (!active) return;
    switch (name) {
      case 'define': this.define(line, this.stack[this.stack.length - 1]!.file); return;
      case 'undef': {
        const n = rest[0];
        if (!n || n.kind !== 'id') { this.error(hash, 'pp-macro-name', 'macro name must be an identifier'); return; }
        this.macros.delete(n.text);
        return;
      }
      case 'include': case 'include_next': case 'import': this.include(line, name === 'include_next', name === 'import'); return;
      case 'error': throw this.fatalDirective(hash, rest, 'error');
      case 'warning': this.diags.push(diag('warning', this.pos(hash), 'pp-warning-directive', `#warning ${joinTokens(rest)}`)); return;
      case 'pragma': this.pragma(rest, hash); return;
      case 'line': case '#line-marker': this.lineDirective(rest, hash); return;
      case 'ident': case 'sccs': case 'assert': case 'unassert': return;
      default:
        this.error(nameTok, 'pp-invalid-directive', `invalid preprocessing directive '#${nameTok.text}'`);
    }
  }

  private fatalDirective(hash: Token, rest: readonly Token[], kind: string): FatalError {
    this.diags.push(diag('error', this.pos(hash), 'pp-error-directive', `#${kind} ${joinTokens(rest)}`, this.includeNotes()));
    return new FatalError();
  }

  private lineDirective(rest: readonly Token[], hash: Token) {
    const toks = rest.length && rest[0]!.kind === 'num' ? rest : expand(this, rest);
    const n = toks[0];
    if (!n || n.kind !== 'num' || !/^\d+$/.test(n.text)) { this.error(hash, 'pp-line', '#line directive requires a positive integer'); return; }
    // an unknown escape stands for its character, as clang reads it (with a warning)
    const fname = toks[1]?.kind === 'str' ? cStringValue(toks[1].text) ?? cStringValue(toks[1].text.replace(/\\([^\\'"?abfnrtvxuU0-7])/g, '$1')) : null;
    // the line after the directive gets number n
    const nextLine = hash.line + 1;
    let lds = this.lineDeltas.get(hash.file);
    if (!lds) this.lineDeltas.set(hash.file, lds = []);
    // directives come in line order within a pass over a file; a file read again starts over
    while (lds.length && lds[lds.length - 1]!.at >= nextLine) lds.pop();
    lds.push({ delta: Number(n.text) - nextLine, name: fname ?? lds[lds.length - 1]?.name ?? null, at: nextLine });
  }

  define(line: readonly Token[], file: number) {
    const hash = line[0]!;
    const n = line[2];
    if (!n || n.kind !== 'id') { this.error(line[1] ?? hash, 'pp-macro-name', 'macro name must be an identifier'); return; }
    if (n.text === 'defined') { this.error(n, 'pp-macro-name', `'defined' cannot be used as a macro name`); return; }
    let i = 3;
    let params: string[] | null = null;
    let variadic = false;
    if (line[3]?.text === '(' && !line[3].space) {
      params = [];
      i = 4;
      for (;;) {
        const t = line[i];
        if (!t) { this.error(n, 'pp-macro-params', `missing ')' in macro parameter list`); return; }
        if (t.text === ')') { i++; break; }
        if (t.text === '...') { params.push('__VA_ARGS__'); variadic = true; i++; }
        else if (t.kind === 'id') {
          if (params.includes(t.text)) { this.error(t, 'pp-macro-params', `duplicate macro parameter name '${t.text}'`); return; }
          params.push(t.text);
          i++;
          if (line[i]?.text === '...') { variadic = true; i++; }
        } else { this.error(t, 'pp-macro-params', `invalid token '${t.text}' in macro parameter list`); return; }
        const sep = line[i];
        if (sep?.text === ',' && !variadic) { i++; continue; }
        if (sep?.text === ')') { i++; break; }
        this.error(sep ?? t, 'pp-macro-params', `expected ',' or ')' in macro parameter list`);
        return;
      }
    }
    // tokens are never changed, so the body shares the line's: only a line's first token begins it (`bol`), and the
    // body's first has no space before it
    const body = line.slice(i);
    const b0 = body[0];
    if (b0 && (b0.space || b0.bol)) body[0] = { ...b0, space: false, bol: false };
    for (let k = 1; k < body.length; k++) if (body[k]!.bol) body[k] = { ...body[k]!, bol: false };
    if (body[0]?.text === '##' || (body.length && body[body.length - 1]!.text === '##')) {
      this.error(body[0]!.text === '##' ? body[0]! : body[body.length - 1]!, 'pp-paste-edge', `'##' cannot appear at either end of a macro expansion`);
      return;
    }
    if (params) {
      for (let k = 0; k < body.length; k++) {
        if (body[k]!.text === '#' && !(body[k + 1]?.kind === 'id' && (params.includes(body[k + 1]!.text) || body[k + 1]!.text === '__VA_OPT__'))) {
          this.error(body[k]!, 'pp-stringize', `'#' is not followed by a macro parameter`);
          return;
        }
      }
    }
    const m: Macro = { name: n.text, params, variadic, body, file, line: n.line, col: n.col };
    const old = this.macros.get(n.text);
    if (old && old.file >= 0 && file >= 0 && !sameMacro(old, m)) {
      this.warn(n, 'pp-macro-redefined', `'${n.text}' macro redefined`);
    }
    this.macros.set(n.text, m);
  }

  /** `defined X`: a macro, a builtin macro, or one of the `__has_*` operators (clang defines them, and headers test
   * `#ifdef __has_include` before using it: glibc's <bits/statx.h>). */
  private isDefined(n: Token): boolean {
    return this.macros.has(n.text) || HAS_OPERATORS.has(n.text) || this.builtin(n.text, n) !== null;
  }

  private ifdef(rest: readonly Token[], hash: Token, negate: boolean): boolean {
    const n = rest[0];
    if (!n || n.kind !== 'id') { this.error(hash, 'pp-macro-name', 'macro name must be an identifier'); return false; }
    const d = this.isDefined(n);
    return negate ? !d : d;
  }

  private evalIf(rest: readonly Token[], hash: Token): boolean {
    // `defined` and the __has_* operators act on their unexpanded operands
    const pre: Token[] = [];
    for (let i = 0; i < rest.length; i++) {
      const t = rest[i]!;
      if (t.kind === 'id' && t.text === 'defined') {
        let j = i + 1;
        const paren = rest[j]?.text === '(';
        if (paren) j++;
        const n = rest[j];
        if (!n || n.kind !== 'id') { this.error(t, 'pp-defined', `macro name missing after 'defined'`); return false; }
        if (paren && rest[j + 1]?.text !== ')') { this.error(t, 'pp-defined', `missing ')' after 'defined'`); return false; }
        const d = this.isDefined(n);
        pre.push(makeToken('num', d ? '1' : '0', t));
        i = paren ? j + 1 : j;
        continue;
      }
      if (t.kind === 'id' && t.text.startsWith('__has_') || t.text === '__is_identifier' || t.text === '__building_module') {
        if (rest[i + 1]?.text === '(') {
          let depth = 0;
          let j = i + 1;
          for (; j < rest.length; j++) {
            if (rest[j]!.text === '(') depth++;
            else if (rest[j]!.text === ')' && --depth === 0) break;
          }
          const arg = rest.slice(i + 2, j);
          pre.push(makeToken('num', this.hasOperator(t, arg) ? '1' : '0', t));
          i = j;
          continue;
        }
      }
      pre.push(t);
    }
    let toks: Token[];
    try {
      this.inConditional = true;
      toks = expand(this, pre);
    } catch (e) {
      if (e instanceof ExpansionLimitError) { this.error(e.at, 'pp-expansion-limit', e.message); throw new FatalError(); }
      throw e;
    } finally {
      this.inConditional = false;
    }
    // `defined` produced by a macro expansion (undefined behaviour, but glibc-era headers rely on it), and the
    // `__has_*` operators a macro produced (glibc's `__glibc_has_include ("linux/stat.h")`)
    const fixed: Token[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i]!;
      if (t.kind === 'id' && HAS_OPERATORS.has(t.text) && toks[i + 1]?.text === '(') {
        let depth = 0;
        let j = i + 1;
        for (; j < toks.length; j++) {
          if (toks[j]!.text === '(') depth++;
          else if (toks[j]!.text === ')' && --depth === 0) break;
        }
        fixed.push(makeToken('num', this.hasOperator(t, toks.slice(i + 2, j)) ? '1' : '0', t));
        i = j;
        continue;
      }
      if (t.kind === 'id' && t.text === 'defined') {
        let j = i + 1;
        const paren = toks[j]?.text === '(';
        if (paren) j++;
        const n = toks[j];
        const d = !!n && this.isDefined(n);
        fixed.push(makeToken('num', d ? '1' : '0', t));
        i = paren ? j + 1 : j;
        continue;
      }
      fixed.push(t);
    }
    try {
      return evalPPExpr(fixed, this.opts.target.charSigned, hash).v !== 0n;
    } catch (e) {
      if (e instanceof PPExprError) { this.error(e.at, 'pp-if-expression', e.message); return false; }
      throw e;
    }
  }

  private hasOperator(op: Token, arg: readonly Token[]): boolean {
    const word = arg.map((t) => t.text).join('');
    switch (op.text) {
      case '__has_include': case '__has_include_next': {
        let spec: string;
        let angled: boolean;
        if (arg[0]?.kind === 'str') {
          // a header name, not a string literal: no escapes, no encoding prefix (clang rejects `L"x.h"`)
          if (!arg[0].text.startsWith('"')) { this.error(arg[0], 'pp-include-syntax', `expected "FILENAME" or <FILENAME>`); return false; }
          spec = arg[0].text.slice(1, -1);
          angled = false;
        }
        else if (arg[0]?.text === '<') { spec = arg.slice(1, -1).map((t) => t.text).join(''); angled = true; }
        else if (arg[0]?.kind === 'hdr') { spec = arg[0].text.slice(1, -1); angled = true; }
        else return false;
        return this.findInclude(spec, angled, op.text === '__has_include_next') !== null;
      }
      case '__has_attribute': case '__has_declspec_attribute':
        return op.text === '__has_attribute' && KNOWN_ATTRIBUTES.has(word.replace(/^__(.*)__$/, '$1'));
      case '__has_feature': case '__has_extension': return KNOWN_FEATURES.has(word);
      case '__has_builtin': return word === '__builtin_offsetof' || word === '__builtin_va_list';
      case '__is_identifier': return true;
      default: return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  private findInclude(spec: string, angled: boolean, next: boolean): { file: string; dirIndex: number; system: boolean } | null {
    const frame = this.stack[this.stack.length - 1];
    const curFile = frame ? this.files[frame.file]! : '';
    let start = 0;
    if (next && frame && frame.dirIndex >= 0) start = frame.dirIndex + 1;
    if (!angled && !next && paths.isAbsolute(spec)) {
      return this.read(spec) !== null ? { file: spec, dirIndex: -1, system: false } : null;
    }
    if (!angled && !next && frame) {
      const dir = curFile.startsWith(BUILTIN_DIR + '/') ? BUILTIN_DIR : paths.dirname(curFile);
      const cand = dir === BUILTIN_DIR ? `${BUILTIN_DIR}/${spec}` : paths.join(dir, spec);
      if (this.read(cand) !== null) {
        return { file: cand, dirIndex: -1, system: this.systemFiles.has(curFile) };
      }
    }
    for (let i = start; i < this.searchDirs.length; i++) {
      const d = this.searchDirs[i]!;
      const cand = d.dir === BUILTIN_DIR ? `${BUILTIN_DIR}/${spec}` : paths.join(d.dir, spec);
      if (this.read(cand) !== null) return { file: cand, dirIndex: i, system: d.system };
    }
    return null;
  }

  private include(line: readonly Token[], next: boolean, once: boolean) {
    const hash = line[0]!;
    let rest = line.slice(2);
    if (rest[0]?.kind !== 'hdr' && rest[0]?.kind !== 'str') rest = expand(this, rest);
    let spec: string | null = null;
    let angled = false;
    const f = rest[0];
    if (f?.kind === 'hdr') { spec = f.text.slice(1, -1); angled = true; }
    else if (f?.kind === 'str' && f.text.startsWith('"')) spec = f.text.slice(1, -1);
    else if (f?.text === '<') {
      const close = rest.findIndex((t) => t.text === '>');
      if (close > 0) { spec = rest.slice(1, close).map((t) => t.text).join(''); angled = true; }
    }
    if (spec === null || spec === '') {
      this.error(line[1]!, 'pp-include-syntax', `expected "FILENAME" or <FILENAME>`);
      return;
    }
    const found = this.findInclude(spec, angled, next);
    if (!found) {
      this.diags.push(diag('error', this.pos(f ?? hash), 'pp-include-not-found', `'${spec}' file not found`, this.includeNotes()));
      throw new FatalError();
    }
    const idx = this.fileId(found.file);
    if (found.system) this.systemFiles.add(found.file);
    if (this.onceFiles.has(idx)) return;
    if (once) this.onceFiles.add(idx);
    const cached = this.cache.files.get(this.cacheKey(found.file));
    const big = !!cached && !cached.lexed && (cached.text?.length ?? 0) > LEX_CACHE_MAX;
    const guard = this.staticGuard(found.file, big ? null : this.lexed(found.file, idx));
    if (guard && this.macros.has(guard)) return;
    // a file may include itself, directly or not (`_mingw.h` -> `vadefs.h` -> `_mingw.h` inside its own guard, a
    // counter macro bounding the recursion): only the depth stops it, at clang's limit
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      this.diags.push(diag('error', this.pos(f ?? hash), 'pp-include-depth', `#include nested too deeply (more than ${MAX_INCLUDE_DEPTH} levels)`, this.includeNotes()));
      throw new FatalError();
    }
    this.processFile(idx, found.dirIndex, hash);
  }

  // ---------------------------------------------------------------------------------------------------------
  private pragma(rest: readonly Token[], at: Token) {
    const w = rest[0]?.text;
    if (w === 'once') { this.onceFiles.add(at.file); return; }
    if (w === 'pack') { this.pragmaPack(rest.slice(1), at); return; }
    if (w === 'ms_struct') {
      const v = rest[1]?.text;
      this.msStruct = v === 'on';
      this.packEvent();
      return;
    }
    if (w === 'push_macro' || w === 'pop_macro') {
      const s = rest[2];
      if (s?.kind !== 'str') return;
      const name = cStringValue(s.text);
      if (name === null) return;
      const st = this.pushedMacros.get(name) ?? [];
      if (w === 'push_macro') { st.push(this.macros.get(name)); this.pushedMacros.set(name, st); }
      else if (st.length) {
        const m = st.pop();
        if (m) this.macros.set(name, m); else this.macros.delete(name);
      }
      return;
    }
    if (w === 'GCC' && rest[1]?.text === 'system_header') {
      this.systemFiles.add(this.files[at.file]!);
      return;
    }
    if (w === 'GCC' && (rest[1]?.text === 'error')) throw this.fatalDirective(at, rest.slice(2), 'pragma GCC error');
  }

  private pragmaPack(args: readonly Token[], at: Token) {
    if (args[0]?.text !== '(') { this.warn(at, 'pragma-pack', `missing '(' after '#pragma pack' - ignored`); return; }
    const inner: Token[] = [];
    for (const t of args.slice(1)) { if (t.text === ')') break; inner.push(t); }
    const parts: Token[][] = [[]];
    for (const t of expand(this, inner)) {
      if (t.text === ',') parts.push([]); else parts[parts.length - 1]!.push(t);
    }
    const words = parts.map((p) => p.map((t) => t.text).join(''));
    const num = (s: string | undefined): number | null => {
      if (s === undefined || !/^\d+$/.test(s)) return null;
      const n = Number(s);
      if (![1, 2, 4, 8, 16].includes(n)) {
        this.warn(at, 'pragma-pack', `expected #pragma pack parameter to be '1', '2', '4', '8', or '16'`);
        return null;
      }
      return n;
    };
    const w0 = words[0] ?? '';
    if (words.length === 1 && w0 === '') this.pack = 0;
    else if (w0 === 'show') return;
    else if (w0 === 'push') {
      let label: string | null = null;
      let value: number | null = null;
      for (const w of words.slice(1)) {
        if (/^\d+$/.test(w)) value = num(w); else label = w;
      }
      this.packStack.push({ pack: this.pack, label });
      if (value !== null) this.pack = value;
    } else if (w0 === 'pop') {
      const arg = words[1];
      if (arg !== undefined && !/^\d+$/.test(arg)) {
        const k = this.packStack.map((e) => e.label).lastIndexOf(arg);
        if (k >= 0) { this.pack = this.packStack[k]!.pack; this.packStack.length = k; }
      } else if (this.packStack.length) {
        this.pack = this.packStack.pop()!.pack;
        if (arg !== undefined) { const v = num(arg); if (v !== null) this.pack = v; }
      } else {
        this.warn(at, 'pragma-pack', '#pragma pack(pop, ...) failed: stack empty');
      }
    } else {
      const v = num(w0);
      if (v === null) return;
      this.pack = v;
    }
    this.packEvent();
  }

  private packEvent() {
    const ev = { pack: this.pack, msStruct: this.msStruct };
    if (this.held.length === 0 || this.writing) { this.packEvents.push({ row: this.outRows.length, col: this.curBytes, ...ev }); return; }
    // text before the directive is still held: the change takes effect where that text ends
    const marker = makeToken('other', '', this.held[this.held.length - 1]!);
    this.markers.set(marker, ev);
    this.held.push(marker);
  }

  // ---------------------------------------------------------------------------------------------------------
  /**
   * Expands text and writes it through the output filter. The filter (the parser's spelling workarounds) sees whole
   * top-level declarations: what follows the last `;` outside brackets is held until the declaration is complete, so
   * a record body or a declaration split by `#if` or `#include` is rewritten as one. `flush` writes everything (the
   * end of the input, a constant probe).
   */
  private emitText(toks: readonly Token[], budget?: Budget, flush = false) {
    let out: Token[];
    try {
      if (budget) out = expand(this, toks, budget);
      else {
        this.textTokens += toks.length;
        const b: Budget = { left: MAX_EXPANSION_TOKENS, perInvocation: MAX_EXPANSION_TOKENS,
          total: EXPANSION_BASE_TOKENS + EXPANSION_PER_SOURCE_TOKEN * this.textTokens - this.producedTokens };
        const before = b.total!;
        try { out = expand(this, toks, b); } finally { this.producedTokens += before - b.total!; }
      }
    } catch (e) {
      if (e instanceof ExpansionLimitError) { this.error(e.at, 'pp-expansion-limit', e.message); throw new FatalError(); }
      throw e;
    }
    if (!this.opts.outputFilter) { this.write(out); return; }
    const held = this.held;
    let cut = -1;
    let depth = this.heldDepth;
    for (const t of out) {
      held.push(t);
      if (t.kind !== 'p') continue;
      const x = t.text;
      if (x === '(' || x === '[' || x === '{') depth++;
      else if (x === ')' || x === ']' || x === '}') depth = Math.max(0, depth - 1);
      else if (x === ';' && depth === 0) cut = held.length;
    }
    this.heldDepth = depth;
    if (flush) cut = held.length;
    if (cut <= 0) return;
    const ready = cut === held.length ? held : held.slice(0, cut);
    this.held = cut === held.length ? [] : held.slice(cut);
    if (cut === held.length) this.heldDepth = 0;
    this.write(this.opts.outputFilter(ready, (at, code, message, severity) => (severity === 'error' ? this.error(at, code, message) : this.warn(at, code, message))));
  }

  /** Writes what is still held (the end of the input). */
  private flushHeld() {
    if (this.held.length) this.emitText([], undefined, true);
  }

  /** A `_Pragma` in text being written takes effect right there. */
  private writing = false;

  private write(out: readonly Token[]) {
    this.writing = true;
    try { this.writeTokens(out); } finally { this.writing = false; }
  }

  private writeTokens(out: readonly Token[]) {
    for (let i = 0; i < out.length; i++) {
      const t = out[i]!;
      const ev = t.kind === 'other' && t.text === '' ? this.markers.get(t) : undefined;
      if (ev) { this.markers.delete(t); this.packEvents.push({ row: this.outRows.length, col: this.curBytes, ...ev }); continue; }
      if (t.kind === 'id' && t.text === '_Pragma' && out[i + 1]?.text === '(' && out[i + 2]?.kind === 'str' && out[i + 3]?.text === ')') {
        const body = cStringValue(out[i + 2]!.text) ?? '';
        const lexed = lex(body, t.file).lines.flat().map((x) => ({ ...x, file: t.file, line: t.line, col: t.col }));
        this.newline();
        this.pragma(lexed, t);
        i += 3;
        continue;
      }
      this.emit(t);
    }
  }

  private emit(t: Token) {
    const startsLine = !t.expanded && (t.file !== this.lastTokenFile || t.line !== this.lastTokenLine) && t.bol;
    if (startsLine && this.cur.length) this.newline();
    if (this.cur.length) { this.cur += ' '; this.curBytes += 1; }
    const p = this.pos(t);
    const fi = p.file === this.files[t.file] ? t.file : this.fileId(p.file);
    this.map.add(this.curBytes, fi, p.line, p.col, t.file);
    this.cur += t.text;
    // columns count UTF-16 code units, as tree-sitter reports them for a JavaScript string
    this.curBytes += t.text.length;
    this.lastTokenFile = t.file;
    this.lastTokenLine = t.line;
  }

  private newline() {
    this.outRows.push(this.cur);
    this.map.endRow();
    this.cur = '';
    this.curBytes = 0;
  }
}

function joinTokens(toks: readonly Token[]): string {
  return toks.map((t, i) => (i > 0 && t.space ? ' ' : '') + t.text).join('');
}

function sameMacro(a: Macro, b: Macro): boolean {
  if ((a.params === null) !== (b.params === null)) return false;
  if (a.params && b.params && a.params.join(',') !== b.params.join(',')) return false;
  if (a.body.length !== b.body.length) return false;
  return a.body.every((t, i) => t.text === b.body[i]!.text && (i === 0 || t.space === b.body[i]!.space));
}

