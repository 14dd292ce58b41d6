// GNU attribute groups where compilers accept them and tree-sitter-c does not: after a `*`, after a declarator in a
// list (`int a __attribute__((aligned(8))), b;`), after the width of a bit-field, between a typedef's specifiers and
// its name, after `enum E` used as a type. clang gives every layout attribute there one of two meanings (measured):
// one written among the declaration specifiers applies to each declarator, one written inside or after a declarator
// to that declarator alone. This pass moves each group behind its declarator as a `[[...]]` attribute list
// (tree-sitter's `attributed_declarator`), every item prefixed with where it stood (`SPEC_ATTR::aligned(8)`), so
// the walker gives it the same meaning. Groups on a record or enum definition (after the keyword, after the body)
// are type attributes and stay. One pass over the tokens, with an explicit stack for record bodies.

import type { Token } from '../preprocess/lexer.js';

/** Prefix of an attribute the pass moved from the declaration specifiers (it applies to the declared type's base). */
export const SPEC_ATTR = '__structgen_spec';
/** Prefix of an attribute the pass moved from inside or after a declarator (it applies to that declarator). */
export const DECL_ATTR = '__structgen_decl';
/** Prefixes of an attribute written right after a `*`: of the declarator's own pointer (`int * A p`) or of a pointer
 * it points to (`int * A * p`). clang takes both as the declaration's; gcc as attributes of that pointer type. */
export const OWN_POINTER_ATTR = '__structgen_ptr';
export const INNER_POINTER_ATTR = '__structgen_ptrin';

const POINTER_QUALIFIERS = new Set(['const', 'volatile', 'restrict', '_Atomic', '_Nonnull']);

/** Keywords among declaration specifiers that name no type. */
const QUALIFIERS = new Set(['typedef', 'extern', 'static', 'auto', 'register', 'inline', '_Noreturn', 'noreturn',
  '_Thread_local', 'thread_local', 'constexpr', 'const', 'volatile', 'restrict', '_Atomic', '__extension__', '_Nonnull']);
/** Keywords that name (part of) a type: after one, an identifier is the declarator's name. */
const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
  'bool', '__int128', '_Float16', '_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__float128', '__fp16',
  '__bf16', '__builtin_va_list', '__int128_t', '__uint128_t']);
/** Of those, names clang does not reserve (glibc declares `typedef float _Float32;`): a name after a type. */
const UNRESERVED = new Set(['_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__int128_t', '__uint128_t', '__builtin_va_list']);
/** Keywords followed by a parenthesized operand among the specifiers. */
const WITH_OPERAND = new Set(['_Alignas', 'alignas', 'typeof', 'typeof_unqual', '__typeof__', '_Atomic', '__declspec']);

type Range = readonly [number, number];

interface Declarator {
  /** Index of the token before which its attributes go. */
  at: number;
  /** Its attribute groups, with the prefix each item takes. */
  readonly groups: Array<[string, Range]>;
}

interface Decl {
  phase: 'spec' | 'decl' | 'tail';
  /** Index of a `typedef` among the specifiers, or -1. */
  typedefAt: number;
  sawType: boolean;
  /** After `struct`/`union`/`enum` (and its tag): the next `{` opens its body. */
  tag: 'record' | 'enum' | null;
  tagNamed: boolean;
  /** Right after a definition's closing brace: attribute groups here belong to the type. */
  afterBody: boolean;
  readonly spec: Range[];
  readonly declarators: Declarator[];
  /** Open parentheses and brackets in the current declarator or its tail. */
  depth: number;
  /** The previous token of the declarator (a `(` after a name, `)` or `]` opens a parameter list). */
  prev: Token | null;
}

const fresh = (): Decl => ({ phase: 'spec', typedefAt: -1, sawType: false, tag: null, tagNamed: false, afterBody: false, spec: [], declarators: [], depth: 0, prev: null });

/** Index of the token closing the bracket opened at `open` (the last token when it never closes). */
function closing(toks: readonly Token[], open: number): number {
  const o = toks[open]!.text;
  const c = o === '(' ? ')' : o === '[' ? ']' : '}';
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    const x = toks[i]!.text;
    if (x === o) depth++;
    else if (x === c && --depth === 0) return i;
  }
  return toks.length - 1;
}

/** Which prefix a group inside a declarator takes: right after a `*` (qualifiers aside), of the declarator's own
 * pointer when its name follows (other groups and qualifiers aside), else of an inner one; elsewhere DECL_ATTR. */
function pointerRole(toks: readonly Token[], a: number, b: number): string {
  let p = a - 1;
  while (p >= 0 && (POINTER_QUALIFIERS.has(toks[p]!.text) || toks[p]!.text === ')')) {
    if (toks[p]!.text === ')') {
      // another attribute group before this one, after the same `*`
      let depth = 0;
      let k = p;
      for (; k >= 0; k--) { if (toks[k]!.text === ')') depth++; else if (toks[k]!.text === '(' && --depth === 0) break; }
      if (toks[k - 1]?.text !== '__attribute__') return DECL_ATTR;
      p = k - 2;
      continue;
    }
    p--;
  }
  if (toks[p]?.text !== '*') return DECL_ATTR;
  let n = b + 1;
  for (;;) {
    const e = groupEnd(toks, n);
    if (e >= 0) { n = e + 1; continue; }
    if (toks[n] && POINTER_QUALIFIERS.has(toks[n]!.text)) { n++; continue; }
    break;
  }
  return toks[n]?.kind === 'id' ? OWN_POINTER_ATTR : INNER_POINTER_ATTR;
}

/** `__attribute__ ( ( ... ) )` starting at `i`: the index of its last `)`, or -1. */
function groupEnd(toks: readonly Token[], i: number): number {
  if (toks[i]?.text !== '__attribute__' || toks[i + 1]?.text !== '(' || toks[i + 2]?.text !== '(') return -1;
  const end = closing(toks, i + 1);
  return toks[end - 1]?.text === ')' ? end : -1;
}

/** Reports what was accepted with a fix (a warning, as clang gives one). */
export type PlaceWarn = (at: Token, code: string, message: string) => void;

/** Moves the attribute groups of declarations behind their declarators (see the file comment); a `typedef` that
 * declares no name (`typedef enum E {...};`, which clang accepts with a warning) loses its `typedef`. */
export function placeAttributes(toks: Token[], warn: PlaceWarn = () => {}): Token[] {
  if (!toks.some((t) => t.text === '__attribute__' || t.text === 'typedef')) return toks;
  const removed = new Uint8Array(toks.length);
  const inserts = new Map<number, Array<[string, Range]>>();
  const stack: Decl[] = [];
  let d = fresh();
  let changed = false;
  /** The last token of the last attribute group after a body; where a `,` joins the next group's list to it. */
  let lastTypeGroup = -2;
  const commas = new Set<number>();

  const removeGroupsIn = (a: number, b: number) => {
    for (let k = a; k <= b; k++) {
      const e = groupEnd(toks, k);
      if (e < 0) continue;
      removed.fill(1, k, e + 1);
      changed = true;
      k = e;
    }
  };
  const finish = () => {
    if (d.declarators.length === 0 && d.typedefAt >= 0) {
      warn(toks[d.typedefAt]!, 'parse-typedef-no-name', 'typedef requires a name');
      removed[d.typedefAt] = 1;
      changed = true;
    }
    if (d.declarators.length) {
      for (const [a, b] of d.spec) removed.fill(1, a, b + 1);
      for (const dc of d.declarators) {
        const items: Array<[string, Range]> = [...d.spec.map((r): [string, Range] => [SPEC_ATTR, r]), ...dc.groups];
        for (const [, [a, b]] of dc.groups) removed.fill(1, a, b + 1);
        if (!items.length) continue;
        const list = inserts.get(dc.at);
        if (list) list.push(...items); else inserts.set(dc.at, items);
        changed = true;
      }
    }
    d = fresh();
  };
  const startDeclarator = (i: number): Declarator => {
    const dc: Declarator = { at: i, groups: [] };
    d.declarators.push(dc);
    d.phase = 'decl';
    d.depth = 0;
    d.prev = null;
    return dc;
  };

  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const x = t.text;
    const ge = groupEnd(toks, i);
    if (d.phase === 'spec') {
      if (ge >= 0) {
        if (!d.afterBody) d.spec.push([i, ge]);
        else if (lastTypeGroup === i - 1) {
          // a second group after a body (`} __attribute__((packed)) __attribute__((aligned(8)))`): tree-sitter takes
          // one, so the lists become one
          removed[i - 2] = 1; removed[i - 1] = 1; removed[i] = 1; removed[i + 1] = 1; removed[i + 2] = 1;
          commas.add(i + 3);
          changed = true;
        }
        if (d.afterBody) lastTypeGroup = ge;
        i = ge;
        continue;
      }
      d.afterBody = false;
      if (t.kind === 'id') {
        if (x === 'struct' || x === 'union' || x === 'enum') { d.tag = x === 'enum' ? 'enum' : 'record'; d.tagNamed = false; d.sawType = true; continue; }
        if (WITH_OPERAND.has(x) && toks[i + 1]?.text === '(') {
          if (x.includes('typeof')) d.sawType = true;
          i = closing(toks, i + 1);
          continue;
        }
        if (x === 'typedef' && d.typedefAt < 0) d.typedefAt = i;
        if (QUALIFIERS.has(x)) continue;
        if (TYPE_WORDS.has(x) && !(d.sawType && UNRESERVED.has(x))) { d.sawType = true; d.tag = null; continue; }
        if (d.tag && !d.tagNamed) { d.tagNamed = true; continue; }
        if (!d.sawType) { d.sawType = true; continue; }
        d.tag = null;
        startDeclarator(i);
        d.prev = t;
        continue;
      }
      if (t.kind !== 'p') continue;
      if (x === '{') {
        if (d.tag === 'record') {
          stack.push(d);
          d = fresh();
          continue;
        }
        i = closing(toks, i);
        d.tag = null;
        d.afterBody = true;
        continue;
      }
      if (x === '}') {
        // the end of a record body: the declaration that holds it goes on
        finish();
        const outer = stack.pop();
        if (outer) { d = outer; d.tag = null; d.afterBody = true; }
        continue;
      }
      if (x === ':' && d.tag === 'enum') continue; // `enum E : unsigned char`
      d.tag = null;
      if (x === ';') { finish(); continue; }
      if (x === '*' || x === '(') { startDeclarator(i); i--; continue; }
      if (x === ':' || x === ',') { startDeclarator(i); d.phase = 'tail'; i--; continue; }
      continue;
    }
    const cur = d.declarators[d.declarators.length - 1]!;
    if (ge >= 0) {
      cur.groups.push([d.phase === 'decl' ? pointerRole(toks, i, ge) : DECL_ATTR, [i, ge]]);
      i = ge;
      continue;
    }
    if (t.kind === 'p' && x === '}' && d.depth === 0) {
      // a record body ends inside a declaration with no ';' (malformed: nothing to place after it)
      if (d.phase === 'decl') cur.at = i;
      finish();
      const outer = stack.pop();
      if (outer) { d = outer; d.tag = null; d.afterBody = true; }
      continue;
    }
    if (d.phase === 'decl') {
      if (t.kind === 'id' && (x === '__asm__' || x === 'asm')) { cur.at = i; d.phase = 'tail'; continue; }
      if (t.kind !== 'p') { d.prev = t; continue; }
      if (x === '(') {
        const p = d.prev;
        if (p && (p.kind === 'id' || p.text === ')' || p.text === ']')) {
          // a parameter list: its attributes describe parameters, which nothing lays out
          const e = closing(toks, i);
          removeGroupsIn(i + 1, e - 1);
          i = e;
          d.prev = toks[e]!;
          continue;
        }
        d.depth++;
        d.prev = t;
        continue;
      }
      if (x === '[') { i = closing(toks, i); d.prev = toks[i]!; continue; }
      if (x === ')') { d.depth = Math.max(0, d.depth - 1); d.prev = t; continue; }
      if (d.depth > 0) { d.prev = t; continue; }
      if (x === ',') { cur.at = i; startDeclarator(i + 1); continue; }
      if (x === ';') { cur.at = i; finish(); continue; }
      if (x === '=' || x === ':') { cur.at = i; d.phase = 'tail'; continue; }
      if (x === '{') {
        // a function body
        cur.at = i;
        i = closing(toks, i);
        finish();
        continue;
      }
      d.prev = t;
      continue;
    }
    // tail: a bit-field width, an initializer, an asm label
    if (t.kind !== 'p') continue;
    if (x === '(' || x === '[') { d.depth++; continue; }
    if (x === ')' || x === ']') { d.depth = Math.max(0, d.depth - 1); continue; }
    if (x === '{') { i = closing(toks, i); continue; }
    if (d.depth > 0) continue;
    if (x === ',') { startDeclarator(i + 1); continue; }
    if (x === ';') { finish(); continue; }
  }
  finish();
  if (!changed) return toks;

  const out: Token[] = [];
  const mk = (at: Token, kind: Token['kind'], text: string): Token => ({ ...at, kind, text, space: true, bol: false });
  for (let i = 0; i <= toks.length; i++) {
    const items = inserts.get(i);
    if (items) {
      const at = toks[Math.min(i, toks.length - 1)]!;
      out.push(mk(at, 'p', '[['));
      items.forEach(([prefix, [a, b]], k) => {
        // the items of `__attribute__((x, y(1)))`, split at the commas outside parentheses
        let depth = 0;
        let first = true;
        for (let j = a + 3; j <= b - 2; j++) {
          const y = toks[j]!;
          if (y.text === '(') depth++;
          else if (y.text === ')') depth--;
          else if (y.text === ',' && depth === 0) { first = true; continue; }
          if (first) {
            if (k > 0 || out[out.length - 1]!.text !== '[[') out.push(mk(y, 'p', ','));
            out.push(mk(y, 'id', prefix), mk(y, 'p', '::'));
            first = false;
          }
          out.push(y);
        }
      });
      if (out[out.length - 1]!.text === '[[') out.pop(); else out.push(mk(at, 'p', ']]'));
    }
    if (commas.has(i)) out.push(mk(toks[i]!, 'p', ','));
    if (i < toks.length && !removed[i]) out.push(toks[i]!);
  }
  return out;
}
