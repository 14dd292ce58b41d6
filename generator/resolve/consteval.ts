// Integer constant expressions as C evaluates them on the target: literal types, promotions, the usual
// arithmetic conversions, wrap-around at the type's width, and sizeof/_Alignof/offsetof through callbacks.

import { trampoline, type Rec } from '../core/trampoline.js';
import type { SourcePos } from '../diagnostics.js';
import type { Expr, TypeExpr } from '../parse/ast.js';
import { charLiteralValue, parseIntLiteral } from '../c/literals.js';
import type { TargetDesc } from '../target/index.js';
import { intWidth, isSigned, wrapInt } from '../target/ints.js';
import type { IntName } from './types.js';

export interface IntValue {
  readonly v: bigint;
  readonly t: IntName;
}

export class EvalError extends Error {
  constructor(readonly pos: SourcePos, message: string) { super(message); }
}

export interface EvalContext {
  readonly target: TargetDesc;
  ident(name: string, pos: SourcePos): IntValue | null;
  sizeofType(t: TypeExpr, pos: SourcePos): number;
  alignofType(t: TypeExpr, pos: SourcePos, gnu: boolean): number;
  /** A typedef name used where the grammar saw an expression (`sizeof (size_t)`, `(u32)(x)`), as a type. */
  typedefType(name: string, pos: SourcePos): TypeExpr | null;
  /** sizeof, _Alignof or GNU __alignof__ of an expression (`sizeof(((T *)0)->m)`), from its type. */
  sizeofExpr(e: Expr, kind: 'sizeof' | 'alignof' | '__alignof__'): number;
  /** The value of a pointer expression that is an address constant (`&((T *)0)->m`, `(char *)p + 4`), or null when
   * `e` does not have pointer type. */
  pointerValue(e: Expr): bigint | null;
  /** `p - q` of two address constants, in elements, or null when they are not pointers. */
  pointerDifference(e: Expr & { k: 'binary' }): IntValue | null;
  /** The integer type a cast names, or null when it names something else. */
  castTarget(t: TypeExpr, pos: SourcePos): IntName | null;
}

const RANK: Record<IntName, number> = {
  _Bool: 0, char: 1, 'signed char': 1, 'unsigned char': 1, short: 2, 'unsigned short': 2, int: 3, 'unsigned int': 3,
  long: 4, 'unsigned long': 4, 'long long': 5, 'unsigned long long': 5, __int128: 6, 'unsigned __int128': 6,
};

const UNSIGNED_OF: Partial<Record<IntName, IntName>> = {
  int: 'unsigned int', long: 'unsigned long', 'long long': 'unsigned long long', __int128: 'unsigned __int128',
};

const wrap = wrapInt;

/** The integer promotion of a type (C11 6.3.1.1). */
export function promote(t: TargetDesc, n: IntName): IntName {
  if (RANK[n] >= RANK.int) return n;
  const w = intWidth(t, n);
  const iw = intWidth(t, 'int');
  return w < iw || isSigned(t, n) ? 'int' : 'unsigned int';
}

/** The usual arithmetic conversions of two integer types (C11 6.3.1.8). */
export function common(t: TargetDesc, a: IntName, b: IntName): IntName {
  a = promote(t, a);
  b = promote(t, b);
  if (a === b) return a;
  const sa = isSigned(t, a);
  const sb = isSigned(t, b);
  if (sa === sb) return RANK[a] >= RANK[b] ? a : b;
  const [s, u] = sa ? [a, b] : [b, a];
  if (RANK[u] >= RANK[s]) return u;
  if (intWidth(t, s) > intWidth(t, u)) return s;
  return UNSIGNED_OF[s] ?? u;
}

/** The type of an integer literal (C11 6.4.4.1). */
export function literalType(t: TargetDesc, text: string, pos: SourcePos): IntValue {
  const lit = parseIntLiteral(text);
  if (!lit) throw new EvalError(pos, `invalid integer constant '${text}'`);
  const decimal = !/^0/.test(text) || text === '0' || /^0[uUlL]*$/.test(text);
  const signedCands: IntName[] = lit.longs === 2 ? ['long long'] : lit.longs === 1 ? ['long', 'long long'] : ['int', 'long', 'long long'];
  const cands: IntName[] = [];
  for (const s of signedCands) {
    if (!lit.unsigned) cands.push(s);
    if (lit.unsigned || !decimal) cands.push(UNSIGNED_OF[s]!);
  }
  for (const c of cands) {
    const w = BigInt(intWidth(t, c));
    const max = isSigned(t, c) ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
    if (lit.value <= max) return { v: lit.value, t: c };
  }
  if (lit.value <= (1n << 64n) - 1n) return { v: lit.value, t: 'unsigned long long' };
  throw new EvalError(pos, `integer literal '${text}' is too large for any integer type`);
}

/** Evaluates an integer constant expression; iterative (a heap trampoline), however deeply the input nests. */
export function evalInt(e: Expr, ctx: EvalContext): IntValue {
  return trampoline(evalG(e, ctx));
}

function* evalG(e: Expr, ctx: EvalContext): Rec<IntValue> {
  const T = ctx.target;
  switch (e.k) {
    case 'int': return literalType(T, e.text, e.pos);
    case 'char': {
      const v = charLiteralValue(e.text, T.charSigned);
      if (v === null) throw new EvalError(e.pos, `invalid character constant ${e.text}`);
      return { v, t: 'int' };
    }
    case 'ident': {
      const r = ctx.ident(e.name, e.pos);
      if (!r) throw new EvalError(e.pos, `use of undeclared identifier '${e.name}' in a constant expression`);
      return r;
    }
    case 'unary': {
      const a = ((yield evalG(e.arg, ctx)) as IntValue);
      const pt = promote(T, a.t);
      switch (e.op) {
        case '-': return { v: wrap(T, pt, -a.v), t: pt };
        case '+': return { v: a.v, t: pt };
        case '~': return { v: wrap(T, pt, ~a.v), t: pt };
        case '!': return { v: a.v === 0n ? 1n : 0n, t: 'int' };
        default: throw new EvalError(e.pos, `operator '${e.op}' is not allowed in an integer constant expression`);
      }
    }
    case 'binary': {
      if (e.op === '&&' || e.op === '||') {
        const a = ((yield evalG(e.left, ctx)) as IntValue);
        if (e.op === '&&' && a.v === 0n) return { v: 0n, t: 'int' };
        if (e.op === '||' && a.v !== 0n) return { v: 1n, t: 'int' };
        const b = ((yield evalG(e.right, ctx)) as IntValue);
        return { v: b.v !== 0n ? 1n : 0n, t: 'int' };
      }
      if (e.op === '-') {
        const d = ctx.pointerDifference(e);
        if (d) return d;
      }
      const a = ((yield evalG(e.left, ctx)) as IntValue);
      const b = ((yield evalG(e.right, ctx)) as IntValue);
      if (e.op === '<<' || e.op === '>>') {
        const lt = promote(T, a.t);
        const w = intWidth(T, lt);
        if (b.v < 0n || b.v >= BigInt(w)) throw new EvalError(e.pos, `shift count ${b.v} is out of range for a ${w}-bit type`);
        return { v: wrap(T, lt, e.op === '<<' ? a.v << b.v : a.v >> b.v), t: lt };
      }
      const ct = common(T, a.t, b.t);
      const x = wrap(T, ct, a.v);
      const y = wrap(T, ct, b.v);
      const bool = (c: boolean): IntValue => ({ v: c ? 1n : 0n, t: 'int' });
      switch (e.op) {
        case '+': return { v: wrap(T, ct, x + y), t: ct };
        case '-': return { v: wrap(T, ct, x - y), t: ct };
        case '*': return { v: wrap(T, ct, x * y), t: ct };
        case '/': case '%':
          if (y === 0n) throw new EvalError(e.pos, 'division by zero in a constant expression');
          return { v: wrap(T, ct, e.op === '/' ? x / y : x % y), t: ct };
        case '&': return { v: wrap(T, ct, x & y), t: ct };
        case '|': return { v: wrap(T, ct, x | y), t: ct };
        case '^': return { v: wrap(T, ct, x ^ y), t: ct };
        case '<': return bool(x < y);
        case '>': return bool(x > y);
        case '<=': return bool(x <= y);
        case '>=': return bool(x >= y);
        case '==': return bool(x === y);
        case '!=': return bool(x !== y);
        default: throw new EvalError(e.pos, `operator '${e.op}' is not allowed in an integer constant expression`);
      }
    }
    case 'cond': {
      const c = ((yield evalG(e.cond, ctx)) as IntValue);
      const a = c.v !== 0n ? ((yield evalG(e.then, ctx)) as IntValue) : null;
      const b = c.v === 0n ? ((yield evalG(e.else, ctx)) as IntValue) : null;
      const r = (a ?? b)!;
      return r;
    }
    case 'cast': {
      const to = ctx.castTarget(e.type, e.pos);
      if (!to) throw new EvalError(e.pos, 'cast to a non-integer type in an integer constant expression');
      // an address constant cast to an integer: the offsetof idiom `(size_t)&((T *)0)->m` (a GNU constant folding)
      const p = ctx.pointerValue(e.arg);
      if (p !== null) return { v: wrap(T, to, p), t: to };
      const a = ((yield evalG(e.arg, ctx)) as IntValue);
      return { v: wrap(T, to, a.v), t: to };
    }
    case 'sizeof': case 'alignof': {
      const sizeT = T.sizeType as IntName;
      const type = e.type ?? (e.arg?.k === 'ident' ? ctx.typedefType(e.arg.name, e.arg.pos) : null);
      if (type) {
        const v = e.k === 'sizeof' ? ctx.sizeofType(type, e.pos) : ctx.alignofType(type, e.pos, e.gnu);
        return { v: BigInt(v), t: sizeT };
      }
      const v = ctx.sizeofExpr(e.arg!, e.k === 'sizeof' ? 'sizeof' : e.gnu ? '__alignof__' : 'alignof');
      return { v: BigInt(v), t: sizeT };
    }
    case 'parenCall': {
      const type = ctx.typedefType(e.name, e.pos);
      if (!type) throw new EvalError(e.pos, `function call '${e.name}(...)' in an integer constant expression`);
      return (yield evalG({ k: 'cast', type, arg: e.arg, pos: e.pos }, ctx)) as IntValue;
    }
    case 'member': case 'index':
      throw new EvalError(e.pos, 'expression is not an integer constant expression');
    case 'float': throw new EvalError(e.pos, `floating constant '${e.text}' in an integer constant expression`);
    case 'string': throw new EvalError(e.pos, 'string literal in an integer constant expression');
    case 'unsupported': throw new EvalError(e.pos, `unsupported expression '${e.text}' in an integer constant expression`);
  }
}
