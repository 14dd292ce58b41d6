// Plain integer expressions among the constant probes (numbers, identifiers, parentheses, unary `! ~ - +`, binary and
// conditional operators), read straight from their tokens as tree-sitter-c reads the probe's text, so that a header's
// millions of `#define D 123` need no syntax tree: the preprocessor keeps such a probe as tokens (probes.ts) and the
// parser builds its expression from them (parse/probe-constants.ts). Anything else (casts, sizeof, strings, calls,
// keywords, a reserved name, deep nesting) is not taken: that probe is written as text and parsed as before.

import { BINARY_PRECEDENCE } from './expr.js';

/** Identifier-like words tree-sitter-c reads as something else (keywords, `primitive_type`s, `true`, `NULL`) or that
 * the parser's rewrite changes, other than the reserved ones (leading underscore), which are never taken. A word
 * here only sends its probe the old way, so the list errs on the long side (test/parse/probe-expr.test.ts checks it
 * against tree-sitter-c's grammar). */
const WORDS = new Set(['FALSE', 'NULL', 'TRUE', 'alignas', 'alignof', 'asm', 'auto', 'bool', 'break', 'case', 'char',
  'char16_t', 'char32_t', 'char64_t', 'char8_t', 'charptr_t', 'complex', 'const', 'constexpr', 'continue', 'default',
  'defined', 'do', 'double', 'else', 'enum', 'extern', 'false', 'float', 'for', 'goto', 'if', 'imaginary', 'inline',
  'int', 'int16_t', 'int32_t', 'int64_t', 'int8_t', 'intptr_t', 'long', 'max_align_t', 'noreturn', 'nullptr',
  'nullptr_t', 'offsetof', 'ptrdiff_t', 'register', 'restrict', 'return', 'short', 'signed', 'size_t', 'sizeof',
  'ssize_t', 'static', 'static_assert', 'struct', 'switch', 'thread_local', 'true', 'typedef', 'typeof',
  'typeof_unqual', 'uint16_t', 'uint32_t', 'uint64_t', 'uint8_t', 'uintptr_t', 'union', 'unsigned', 'void',
  'volatile', 'while', 'wchar_t']);


/** Parentheses and unary operators nest at most this deep in a probe taken as tokens. */
const MAX_DEPTH = 64;

/** Tokens at most in a probe taken as tokens. */
export const PROBE_EXPR_MAX_TOKENS = 4096;

/** An integer literal the parser reads as one `number_literal` of kind 'int' (no digit separators, no binary). */
const INT = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*$/;
const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;

/** What a leaf token is: 1 a number, 2 an identifier, 0 neither (not taken). `prefix`: the reserved prefix of the
 * probes' own names, which probes refer to each other by. */
function leafKind(text: string, prefix: string): 0 | 1 | 2 {
  const c = text.charCodeAt(0);
  if (c >= 48 && c <= 57) return INT.test(text) ? 1 : 0;
  if (c === 95) return text.startsWith(prefix) && text.length > prefix.length && IDENT.test(text.slice(prefix.length).replace(/^_+/, 'a')) ? 2 : 0;
  return IDENT.test(text) && !WORDS.has(text) ? 2 : 0;
}

/** Builds the expression's nodes; indexes are of tokens. Positions follow tree-sitter's: a node is where its first
 * token is, a parenthesized expression is its inner one. */
export interface ProbeExprBuilder<T> {
  /** An integer literal (`number`) or an identifier. */
  leaf(token: number, number: boolean): T;
  unary(op: number, arg: T): T;
  /** `start`: the first token of the left operand (a `(` when it is parenthesized); `parenIdent`: the identifier's
   * token when the left operand is exactly `( identifier )` (a cast to a typedef name, for the parser), else -1. */
  binary(op: number, left: T, right: T, start: number, parenIdent: number): T;
  cond(cond: T, then: T, otherwise: T, start: number): T;
}

/**
 * The expression `texts[from..to)` as `b` builds it, or null when it is not a plain integer expression (then the
 * probe goes the old way). Recursion is bounded by MAX_DEPTH.
 */
export function parseProbeExpr<T>(texts: ArrayLike<string>, from: number, to: number, prefix: string, b: ProbeExprBuilder<T>): T | null {
  if (to <= from || to - from > PROBE_EXPR_MAX_TOKENS) return null;
  let i = from;
  let depth = 0;
  /** The identifier token of the primary just read when it was `( identifier )`, else -1. */
  let parenIdent = -1;
  const at = (k: number): string => (k < to ? texts[k]! : '');

  const primary = (): T | null => {
    const t = at(i);
    parenIdent = -1;
    if (t === '(') {
      if (++depth > MAX_DEPTH) return null;
      const open = i++;
      const inner = conditional();
      if (inner === null || at(i) !== ')') return null;
      depth--;
      const lone = i === open + 2 && leafKind(at(open + 1), prefix) === 2 ? open + 1 : -1;
      i++;
      // `(T) - 1`, `(T) & x`: a cast when T is a type, which tree-sitter decides by the context, not as C does; the
      // probes' own names (`(__structgen_constant_A) & x`) are never types: C's reading, a binary operator
      const next = at(i);
      if (lone >= 0 && !at(lone).startsWith(prefix) && (next === '-' || next === '+' || next === '*' || next === '&')) return null;
      parenIdent = lone;
      return inner;
    }
    if (t === '!' || t === '~' || t === '-' || t === '+') {
      if (++depth > MAX_DEPTH) return null;
      const op = i++;
      const arg = primary();
      if (arg === null) return null;
      depth--;
      parenIdent = -1;
      return b.unary(op, arg);
    }
    const kind = leafKind(t, prefix);
    if (kind === 0) return null;
    return b.leaf(i++, kind === 1);
  };

  const binary = (minPrec: number): T | null => {
    const start = i;
    let left = primary();
    if (left === null) return null;
    let lone = parenIdent;
    for (;;) {
      const op = at(i);
      const p = BINARY_PRECEDENCE.get(op);
      if (p === undefined || p < minPrec) break;
      const opAt = i++;
      const right = binary(p + 1);
      if (right === null) return null;
      left = b.binary(opAt, left, right, start, lone);
      lone = -1;
    }
    parenIdent = lone;
    return left;
  };

  function conditional(): T | null {
    const start = i;
    const c = binary(1);
    if (c === null || at(i) !== '?') return c;
    if (++depth > MAX_DEPTH) return null;
    i++;
    const then = conditional();
    if (then === null || at(i) !== ':') return null;
    i++;
    const otherwise = conditional();
    if (otherwise === null) return null;
    depth--;
    parenIdent = -1;
    return b.cond(c, then, otherwise, start);
  }

  const e = conditional();
  return e !== null && i === to ? e : null;
}

/** A builder that builds nothing: whether the tokens are taken. */
export const VALIDATE: ProbeExprBuilder<true> = { leaf: () => true, unary: () => true, binary: () => true, cond: () => true };
