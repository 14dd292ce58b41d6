// tree-sitter-c cannot parse a few GNU spellings that compilers accept; the preprocessor's output tokens are
// rewritten here to equivalent forms it can parse (the pipeline hands this filter to the preprocessor, so that
// the source map stays exact). Attribute groups that cannot change a layout (or count an array) are dropped.

import type { Token } from '../preprocess/lexer.js';
import { placeAttributes } from './attributes.js';

/** Spellings that tree-sitter-c does not accept, rewritten to equivalent ones it does. */
const KEYWORD_SPELLINGS: Record<string, string> = {
  __signed__: 'signed', __signed: 'signed', __const: 'const', __const__: 'const', __volatile: 'volatile',
  __volatile__: 'volatile', __inline: 'inline', __inline__: 'inline', __restrict: 'restrict',
  __restrict__: 'restrict', __attribute: '__attribute__',
  __typeof: 'typeof', __typeof__: 'typeof', __complex__: '_Complex', __asm: '__asm__', __thread: '_Thread_local',
  __bool: '_Bool',
};

/** Reports a spelling that was accepted by fixing it (a warning, as compilers give one). */
export type RewriteWarn = (at: Token, code: string, message: string, severity?: 'error') => void;

/** Name of the type in the declaration `_Static_assert(E, "m")` becomes, for the parser:
 * `__structgen_static_assert __structgen_static_assert_ [E] [sizeof("m")];` */
export const STATIC_ASSERT_TYPE = '__structgen_static_assert';

/** tree-sitter-c has no `_Complex`: it is spelled as the qualifier `_Nonnull` (which keeps its place among the
 * specifiers in every position); real nullability qualifiers, which change nothing in a layout, are dropped. */
export const COMPLEX_MARK = '_Nonnull';

/** The type name `offsetof(T, m)` is rewritten with: `((OFFSETOF_SIZE_T)&((T *)0)->m)`; the resolver reads it as the
 * target's size_t. */
export const OFFSETOF_SIZE_T = '__structgen_size_t';

/** Functions `_Alignof(expr)` / `__alignof__(expr)` are rewritten to (the walker reads them back). */
export const ALIGNOF_EXPR = '__structgen_alignof';
export const ALIGNOF_EXPR_GNU = '__structgen_gnu_alignof';
const ALIGNOF = new Set(['_Alignof', 'alignof', '__alignof__', '__alignof', '_alignof']);
const TYPE_START = new Set(['struct', 'union', 'enum', 'const', 'volatile', 'restrict', '_Atomic', 'typeof', '__typeof__',
  '__typeof', 'typeof_unqual', 'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
  'bool', '__int128', '_Float16', '_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__float128', '__fp16',
  '__bf16', '_Complex', '__complex__', '__signed__', '__signed', '__const', '__volatile__', '__extension__', '__builtin_va_list']);

/** Whether an operand starting with `t` is a type name (an identifier is taken for one: a typedef name). */
function startsTypeName(t: Token | undefined): boolean {
  return !!t && t.kind === 'id' && (TYPE_START.has(t.text) || t.text === COMPLEX_MARK || !/^(sizeof|_Alignof|alignof|__alignof__)$/.test(t.text));
}

const DROPPED = new Set(['__extension__', '__cdecl', '__stdcall', '__fastcall', '__vectorcall', '__thiscall', '__clrcall',
  '_cdecl', '_stdcall', '_fastcall', '_Nonnull', '_Nullable', '_Null_unspecified', '_Nullable_result']);

/**
 * Spellings tree-sitter-c has no rule for: `__extension__` and calling conventions (no effect on layouts) are
 * dropped, `_Complex` is marked, `_Atomic(T)` becomes `_Atomic T` (or `T * _Atomic` for a pointer), and
 * `_Static_assert(E, "m")` becomes a declaration the walker recognises (parse.ts).
 */
function normalize(toks: Token[]): Token[] {
  let changed = false;
  const out: Token[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'id') { out.push(t); continue; }
    if (DROPPED.has(t.text)) { changed = true; continue; }
    if (t.text === '_Complex' || t.text === '__complex__' || t.text === '__complex') {
      out.push({ ...t, text: COMPLEX_MARK });
      changed = true;
      continue;
    }
    if (t.text === '_Atomic' && toks[i + 1]?.text === '(') {
      const end = matchParen(toks, i + 1);
      const inner = toks.slice(i + 2, end).filter((x) => !DROPPED.has(x.text));
      let stars = 0;
      while (stars < inner.length && inner[inner.length - 1 - stars]!.text === '*') stars++;
      const words = inner.slice(0, inner.length - stars);
      if (words.length && words.every((x) => x.kind === 'id')) {
        if (stars === 0) out.push(t, ...words);
        else out.push(...words, ...inner.slice(words.length, inner.length - 1), inner[inner.length - 1]!, t);
        i = end;
        changed = true;
        continue;
      }
    }
    if (ALIGNOF.has(t.text) && toks[i + 1]?.text === '(' && !startsTypeName(toks[i + 2])) {
      // `_Alignof(expr)` (a GNU extension clang accepts): tree-sitter-c takes a type name only
      out.push({ ...t, text: t.text.startsWith('__') ? ALIGNOF_EXPR_GNU : ALIGNOF_EXPR });
      changed = true;
      continue;
    }
    if ((t.text === 'offsetof' || t.text === '__builtin_offsetof') && toks[i + 1]?.text === '(') {
      // `offsetof(T, a.b[2].c)`: tree-sitter-c takes one member name only; the null-pointer idiom it is equal to
      // takes any designator, and the constant evaluator computes it as clang does
      const end = matchParen(toks, i + 1);
      let depth = 0;
      let comma = -1;
      for (let k = i + 2; k < end && comma < 0; k++) {
        const x = toks[k]!.text;
        if (x === '(' || x === '[' || x === '{') depth++;
        else if (x === ')' || x === ']' || x === '}') depth--;
        else if (x === ',' && depth === 0) comma = k;
      }
      if (comma > i + 2 && comma < end - 1) {
        const mk = (text: string, kind: Token['kind'] = 'p'): Token => ({ ...t, kind, text, expanded: true });
        const designator = toks.slice(comma + 1, end);
        out.push(mk('('), mk('('), mk(OFFSETOF_SIZE_T, 'id'), mk(')'), mk('&'), mk('('), mk('('), ...toks.slice(i + 2, comma),
          mk('*'), mk(')'), mk('0', 'num'), mk(')'), mk('->'), ...(designator[0]?.text === '.' ? designator.slice(1) : designator), mk(')'));
        i = end;
        changed = true;
        continue;
      }
    }
    if ((t.text === '_Static_assert' || t.text === 'static_assert') && toks[i + 1]?.text === '(') {
      const end = matchParen(toks, i + 1);
      const args: Token[][] = [[]];
      let depth = 0;
      for (let k = i + 2; k < end; k++) {
        const x = toks[k]!;
        if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
        else if (x.text === ')' || x.text === ']' || x.text === '}') depth--;
        else if (x.text === ',' && depth === 0) { args.push([]); continue; }
        args[args.length - 1]!.push(x);
      }
      const mk = (text: string, kind: Token['kind'] = 'p'): Token => ({ ...t, kind, text });
      out.push(mk(STATIC_ASSERT_TYPE, 'id'), mk(`${STATIC_ASSERT_TYPE}_`, 'id'), mk('['), ...args[0]!, mk(']'));
      if (args[1]?.length) out.push(mk('['), mk('sizeof', 'id'), mk('('), ...args[1], mk(')'), mk(']'));
      i = end;
      changed = true;
      continue;
    }
    out.push(t);
  }
  return changed ? out : toks;
}

/**
 * GNU spellings tree-sitter-c cannot parse are rewritten to equivalent ones it can:
 * keyword aliases (`__signed__`), `enum __attribute__((packed)) E {..}` and `struct __attribute__((x)) {..}`
 * (attribute moved after the body, where GCC gives it the same meaning),
 * and `__declspec(align(N))` (to `__attribute__((aligned(N)))`).
 */
export function rewriteForParser(input: Token[], warn: RewriteWarn = () => {}): Token[] {
  const toks = nameUnnamedBitfields(normalize(input), warn);
  let changed = toks !== input;
  const out: Token[] = [];
  const insertAfter = new Map<number, Token[]>(); // closing-brace index -> attributes moved behind it
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'id') {
      out.push(t);
      const moved = insertAfter.get(i);
      if (moved) out.push(...moved);
      continue;
    }
    const kw = Object.hasOwn(KEYWORD_SPELLINGS, t.text) ? KEYWORD_SPELLINGS[t.text] : undefined; // not `constructor`'s
    if (kw) { out.push({ ...t, text: kw }); changed = true; continue; }
    if (t.text === '__declspec' && toks[i + 1]?.text === '(') {
      const end = matchParen(toks, i + 1);
      const inner = toks.slice(i + 2, end);
      if (inner[0]?.text === 'align' && inner[1]?.text === '(') {
        const args = inner.slice(2, matchParen(inner, 1));
        const mk = (text: string, kind: Token['kind'] = 'p') => ({ ...t, kind, text });
        out.push(mk('__attribute__', 'id'), mk('('), mk('('), mk('aligned', 'id'), mk('('), ...args, mk(')'), mk(')'), mk(')'));
      }
      i = end;
      changed = true;
      continue;
    }
    if ((t.text === 'enum' || t.text === 'struct' || t.text === 'union') && toks[i + 1]?.text === '__attribute__') {
      // collect the attribute groups after the keyword (and after the tag), emit the keyword and tag, and
      // put the attributes behind the body's closing brace; a body-less reference drops them
      let j = i + 1;
      const attrs: Token[] = [];
      const take = () => {
        while (toks[j]?.text === '__attribute__' && toks[j + 1]?.text === '(') {
          const end = matchParen(toks, j + 1);
          for (let k = j; k <= end; k++) attrs.push(toks[k]!);
          j = end + 1;
        }
      };
      take();
      out.push(t);
      if (toks[j]?.kind === 'id') out.push(toks[j++]!);
      take();
      if (toks[j]?.text === '{') insertAfter.set(matchBrace(toks, j), mergeAttributeGroups(attrs));
      i = j - 1;
      changed = true;
      continue;
    }
    out.push(t);
  }
  return placeAttributes(changed ? out : toks, warn);
}

/** An empty token the preprocessor places where a `#pragma pack` change takes effect: no pass may read it as text. */
function isMarker(t: Token): boolean {
  return t.kind === 'other' && t.text === '';
}

/** Prefix of the names given to unnamed bit-fields so tree-sitter-c parses them; the parser maps it back. */
export const UNNAMED_BITFIELD_PREFIX = '__structgen_unnamed_';

const TYPE_KEYWORDS = new Set(['char', 'short', 'int', 'long', 'signed', 'unsigned', '_Bool', '__int128', 'float',
  'double', 'void', '__signed__', '__signed', 'bool']);
const TAG_KEYWORDS = new Set(['struct', 'union', 'enum']);

/** `struct` or `union`: the keyword of the record whose body starts after `from` in `out`. */
function kwOfBody(out: readonly Token[], from: number): string {
  for (let k = Math.max(0, from); k < out.length; k++) if (out[k]!.text === 'struct' || out[k]!.text === 'union') return out[k]!.text;
  return 'struct';
}

const DECL_QUALIFIERS = new Set(['const', 'volatile', '__const', '__volatile__', '__extension__', 'restrict']);

/**
 * tree-sitter-c parses `int :3;` but not `unsigned short :3;`, `enum E :3;` or `long long :0;`. Inside record
 * bodies, a member whose declarator is empty before `:` gets a reserved name, so every form parses alike.
 */
function nameUnnamedBitfields(toks: Token[], warn: RewriteWarn): Token[] {
  const out: Token[] = [];
  let changed = false;
  const bodies: Array<'record' | 'enum' | 'other'> = []; // brace stack: what the brace opens
  let declStart = 0; // index in `out` where the current member declaration starts; -(i+1) after a ','
  let depth = 0; // parens/brackets inside a declaration
  let counter = 0;
  const outerStarts: number[] = [];
  const attrTok = new Set<Token>(); // tokens of the attribute groups in `out` (so no scan asks where a group is)
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'id' && t.text === '__attribute__' && toks[i + 1]?.text === '(' && toks[i + 2]?.text === '(') {
      const end = matchParen(toks, i + 1);
      if (!hasLayoutAttribute(toks.slice(i + 3, end - 1))) { i = end; changed = true; continue; }
      for (let k = i; k <= end; k++) { out.push(toks[k]!); attrTok.add(toks[k]!); }
      i = end;
      continue;
    }
    if (isMarker(t)) {
      // a `#pragma pack` change between declarations is no part of one
      if (declStart === out.length) declStart++;
      else if (declStart < 0 && -declStart === out.length) declStart--;
      out.push(t);
      continue;
    }
    if (t.kind !== 'p') { out.push(t); continue; }
    const x = t.text;
    if (x === '(' || x === '[') { depth++; out.push(t); continue; }
    if (x === ')' || x === ']') { depth = Math.max(0, depth - 1); out.push(t); continue; }
    if (depth) { out.push(t); continue; }
    if (x === '{') {
      let j = out.length - 1;
      while (j >= 0 && out[j]!.text === ')') j = matchOpenParen(out, j) - 2; // skip __attribute__((...))
      if (j >= 0 && out[j]!.kind === 'id' && !TAG_KEYWORDS.has(out[j]!.text)) j--;
      while (j >= 0 && out[j]!.text === ')') j = matchOpenParen(out, j) - 2;
      const kw = j >= 0 ? out[j]!.text : '';
      bodies.push(kw === 'struct' || kw === 'union' ? 'record' : kw === 'enum' ? 'enum' : 'other');
      outerStarts.push(declStart);
      out.push(t);
      declStart = out.length;
      continue;
    }
    if (x === '}') {
      // a last member with no ';' (`struct S { int a };`): accepted with a warning, as compilers do
      const pending = declStart >= 0 ? declStart < out.length : -declStart < out.length;
      let k = out.length - 1;
      while (k >= 0 && isMarker(out[k]!)) k--;
      if (bodies[bodies.length - 1] === 'record' && pending && k >= 0 && out[k]!.text !== ';' && out[k]!.text !== '{') {
        // where the ';' belongs: just after the last token, as clang points
        const last = out[k]!;
        const at = last.file === t.file && last.line === t.line && !last.expanded ? { ...last, col: last.col + last.text.length } : t;
        warn(at, 'parse-missing-semicolon', `expected ';' at end of declaration list`);
        out.push({ ...t, text: ';' });
        changed = true;
      }
      // the declaration that contains this body goes on after it (`struct {...} name;`); a type keyword or the end
      // of the input right after a definition is a missing ';', an error (the next record would be lost)
      const kind = bodies.pop();
      if (kind === 'record' || kind === 'enum') {
        let n = i + 1;
        while (n < toks.length && isMarker(toks[n]!)) n++;
        const next = toks[n];
        if (!next || (next.kind === 'id' && (TAG_KEYWORDS.has(next.text) || TYPE_KEYWORDS.has(next.text)))) {
          const what = kind === 'enum' ? 'enum' : kwOfBody(out, outerStarts[outerStarts.length - 1] ?? 0);
          warn(t.expanded ? t : { ...t, col: t.col + 1 }, 'parse-missing-semicolon', `expected ';' after ${what}`, 'error');
        }
      }
      out.push(t);
      declStart = outerStarts.pop() ?? out.length;
      continue;
    }
    const inRecord = bodies[bodies.length - 1] === 'record';
    if (x === ';') {
      // GNU C accepts stray ';' in a record body; tree-sitter-c does not
      if (inRecord && declStart === out.length) { changed = true; continue; }
      out.push(t);
      declStart = out.length;
      continue;
    }
    if (!inRecord) { out.push(t); continue; }
    if (x === ',') { out.push(t); declStart = -out.length; continue; }
    if (x !== ':') { out.push(t); continue; }
    let unnamed: boolean;
    if (declStart < 0) {
      unnamed = -declStart === out.length;
    } else {
      // the last three words of the declaration, attributes and qualifiers aside (a bounded look back: a long
      // declaration with many ':' stays linear)
      const words: Token[] = [];
      let more = false;
      for (let j = out.length - 1; j >= declStart; j--) {
        const w = out[j]!;
        if (attrTok.has(w) || DECL_QUALIFIERS.has(w.text) || isMarker(w)) continue;
        if (words.length === 3) { more = true; break; }
        words.unshift(w);
      }
      const count = more ? 4 : words.length;
      const last = words[words.length - 1];
      unnamed = !last || (last.kind === 'id' && (TYPE_KEYWORDS.has(last.text) || count === 1 ||
        (count === 2 && ['enum', 'struct', 'union'].includes(words[0]!.text))));
    }
    if (unnamed) {
      out.push({ ...t, kind: 'id', text: `${UNNAMED_BITFIELD_PREFIX}${counter++}`, space: true });
      changed = true;
    }
    out.push(t);
  }
  return changed ? out : toks;
}

/** Attributes that change layouts, and `counted_by` (a flexible array's count, read by the planner); groups with
 * none of them are dropped before parsing. */
const LAYOUT_ATTRIBUTES = new Set(['packed', 'aligned', 'mode', 'vector_size', 'ms_struct', 'gcc_struct', 'counted_by']);

function hasLayoutAttribute(inner: readonly Token[]): boolean {
  let depth = 0;
  let first = true;
  for (const t of inner) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (t.text === ',' && depth === 0) { first = true; continue; }
    if (first && depth === 0 && t.kind === 'id' && LAYOUT_ATTRIBUTES.has(t.text.replace(/^__(.*)__$/, '$1'))) return true;
    first = false;
  }
  return false;
}

/** `__attribute__((a)) __attribute__((b))` -> `__attribute__((a, b))` (tree-sitter takes one group after a body). */
function mergeAttributeGroups(attrs: readonly Token[]): Token[] {
  const lists: Token[][] = [];
  for (let j = 0; j < attrs.length;) {
    const end = matchParen(attrs, j + 1);
    lists.push(attrs.slice(j + 3, end - 1));
    j = end + 1;
  }
  if (lists.length <= 1) return [...attrs];
  const at = attrs[0]!;
  const mk = (text: string, kind: Token['kind'] = 'p'): Token => ({ ...at, kind, text });
  const out: Token[] = [mk('__attribute__', 'id'), mk('('), mk('(')];
  lists.forEach((l, k) => { if (k) out.push(mk(',')); out.push(...l); });
  out.push(mk(')'), mk(')'));
  return out;
}

function matchOpenParen(toks: readonly Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    if (toks[i]!.text === ')') depth++;
    else if (toks[i]!.text === '(' && --depth === 0) return i;
  }
  return 0;
}

function matchParen(toks: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (toks[i]!.text === '(') depth++;
    else if (toks[i]!.text === ')' && --depth === 0) return i;
  }
  return toks.length - 1;
}

function matchBrace(toks: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (toks[i]!.text === '{') depth++;
    else if (toks[i]!.text === '}' && --depth === 0) return i;
  }
  return toks.length - 1;
}

