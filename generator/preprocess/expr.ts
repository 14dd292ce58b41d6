// `#if` / `#elif` expression evaluation with intmax_t / uintmax_t semantics (64-bit), as C requires. Recursive
// descent on a heap trampoline: parentheses and unary operators nest as deeply as the input says.

import { charLiteralValue, parseIntLiteral } from '../c/literals.js';
import { trampoline, type Rec } from '../core/trampoline.js';
import type { Token } from './lexer.js';

export interface PPValue {
  readonly v: bigint;
  readonly u: boolean;
}

export class PPExprError extends Error {
  constructor(readonly at: Token, message: string) { super(message); }
}

const norm = (v: bigint, u: boolean): PPValue => ({ v: u ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), u });

/** Evaluates a fully macro-expanded `#if` expression. `defined` must already be replaced. */
/** C's binary operators by precedence (higher binds tighter; all left-associative): the `#if` evaluator's, and the
 * reading of constant probes taken as tokens (probe-expr.ts), which must group as tree-sitter-c does, in C's order. */
export const BINARY_PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ['*', 10], ['/', 10], ['%', 10], ['+', 9], ['-', 9], ['<<', 8], ['>>', 8], ['<', 7], ['>', 7], ['<=', 7], ['>=', 7],
  ['==', 6], ['!=', 6], ['&', 5], ['^', 4], ['|', 3], ['&&', 2], ['||', 1],
]);

export function evalPPExpr(toks: readonly Token[], charSigned: boolean, first: Token): PPValue {
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];
  const fail = (msg: string, at?: Token): never => { throw new PPExprError(at ?? toks[pos] ?? toks[toks.length - 1] ?? first, msg); };
  const expect = (text: string) => {
    const t = toks[pos];
    if (!t || t.text !== text) fail(`expected '${text}' in preprocessor expression`);
    pos++;
  };
  function* primary(ev: boolean): Rec<PPValue> {
    const t = toks[pos];
    if (!t) return fail('expected value in preprocessor expression');
    pos++;
    if (t.kind === 'num') {
      const lit = parseIntLiteral(t.text);
      if (!lit) return fail(`invalid integer constant '${t.text}' in preprocessor expression`, t);
      const u = lit.unsigned || lit.value > 0x7fffffffffffffffn;
      if (lit.value > 0xffffffffffffffffn) return fail(`integer literal '${t.text}' is too large`, t);
      return norm(lit.value, u);
    }
    if (t.kind === 'chr') {
      const v = charLiteralValue(t.text, charSigned);
      if (v === null) return fail(`invalid character constant ${t.text}`, t);
      return norm(v, false);
    }
    if (t.kind === 'id') return { v: 0n, u: false }; // identifiers left after expansion are 0
    if (t.text === '(') {
      const v = (yield ternary(ev)) as PPValue;
      expect(')');
      return v;
    }
    if (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!') {
      return (yield unaryChain(t, ev)) as PPValue;
    }
    return fail(`unexpected '${t.text}' in preprocessor expression`, t);
  }
  function* unaryChain(op: Token, ev: boolean): Rec<PPValue> {
    const v = (yield primary(ev)) as PPValue;
    switch (op.text) {
      case '-': return norm(-v.v, v.u);
      case '+': return v;
      case '~': return norm(~v.v, v.u);
      default: return { v: v.v === 0n ? 1n : 0n, u: false };
    }
  }
  function* binary(minPrec: number, ev: boolean): Rec<PPValue> {
    let lhs = (yield primary(ev)) as PPValue;
    for (;;) {
      const op = peek();
      if (!op || op.kind !== 'p') return lhs;
      const prec = BINARY_PRECEDENCE.get(op.text);
      if (prec === undefined || prec < minPrec) return lhs;
      pos++;
      if (op.text === '&&') {
        const rhs = (yield binary(prec + 1, ev && lhs.v !== 0n)) as PPValue;
        lhs = { v: lhs.v !== 0n && rhs.v !== 0n ? 1n : 0n, u: false };
        continue;
      }
      if (op.text === '||') {
        const rhs = (yield binary(prec + 1, ev && lhs.v === 0n)) as PPValue;
        lhs = { v: lhs.v !== 0n || rhs.v !== 0n ? 1n : 0n, u: false };
        continue;
      }
      const rhs = (yield binary(prec + 1, ev)) as PPValue;
      lhs = apply(op, lhs, rhs, ev);
    }
  }
  const apply = (op: Token, a: PPValue, b: PPValue, ev: boolean): PPValue => {
    const u = a.u || b.u;
    const x = u ? BigInt.asUintN(64, a.v) : a.v;
    const y = u ? BigInt.asUintN(64, b.v) : b.v;
    const bool = (c: boolean): PPValue => ({ v: c ? 1n : 0n, u: false });
    switch (op.text) {
      case '*': return norm(x * y, u);
      case '/': case '%':
        if (y === 0n) { if (ev) fail('division by zero in preprocessor expression', op); return { v: 0n, u }; }
        return norm(op.text === '/' ? x / y : x % y, u);
      case '+': return norm(x + y, u);
      case '-': return norm(x - y, u);
      case '<<': return norm(a.v << BigInt.asUintN(64, b.v) % 64n, a.u);
      case '>>': return norm((a.u ? BigInt.asUintN(64, a.v) : a.v) >> BigInt.asUintN(64, b.v) % 64n, a.u);
      case '<': return bool(x < y);
      case '>': return bool(x > y);
      case '<=': return bool(x <= y);
      case '>=': return bool(x >= y);
      case '==': return bool(x === y);
      case '!=': return bool(x !== y);
      case '&': return norm(x & y, u);
      case '^': return norm(x ^ y, u);
      case '|': return norm(x | y, u);
    }
    return fail(`unexpected operator '${op.text}'`, op);
  };
  function* ternary(ev: boolean): Rec<PPValue> {
    const c = (yield binary(1, ev)) as PPValue;
    if (peek()?.text !== '?') return c;
    pos++;
    const a = (yield ternary(ev && c.v !== 0n)) as PPValue;
    expect(':');
    const b = (yield ternary(ev && c.v === 0n)) as PPValue;
    const u = a.u || b.u;
    return norm(c.v !== 0n ? a.v : b.v, u);
  }
  if (toks.length === 0) fail('#if with no expression', first);
  const v = trampoline(ternary(true));
  if (pos < toks.length) fail(`unexpected '${toks[pos]!.text}' in preprocessor expression`);
  return v;
}
