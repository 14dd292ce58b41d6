// `#if` / `#elif` expression evaluation with intmax_t / uintmax_t semantics (64-bit), as C requires.

import { charLiteralValue, parseIntLiteral } from '../c/literals.js';
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
export function evalPPExpr(toks: readonly Token[], charSigned: boolean, first: Token): PPValue {
  let pos = 0;
  const peek = (): Token | undefined => toks[pos];
  const fail = (msg: string, at?: Token): never => { throw new PPExprError(at ?? toks[pos] ?? toks[toks.length - 1] ?? first, msg); };
  const expect = (text: string) => {
    const t = toks[pos];
    if (!t || t.text !== text) fail(`expected '${text}' in preprocessor expression`);
    pos++;
  };
  const BIN: Record<string, number> = {
    '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '>': 7, '<=': 7, '>=': 7,
    '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
  };
  const primary = (ev: boolean): PPValue => {
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
      const v = ternary(ev);
      expect(')');
      return v;
    }
    if (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!') {
      const v = unaryChain(t, ev);
      return v;
    }
    return fail(`unexpected '${t.text}' in preprocessor expression`, t);
  };
  const unaryChain = (op: Token, ev: boolean): PPValue => {
    const v = unaryOrPrimary(ev);
    switch (op.text) {
      case '-': return norm(-v.v, v.u);
      case '+': return v;
      case '~': return norm(~v.v, v.u);
      default: return { v: v.v === 0n ? 1n : 0n, u: false };
    }
  };
  const unaryOrPrimary = (ev: boolean): PPValue => primary(ev);
  const binary = (minPrec: number, ev: boolean): PPValue => {
    let lhs = unaryOrPrimary(ev);
    for (;;) {
      const op = peek();
      if (!op || op.kind !== 'p') return lhs;
      const prec = BIN[op.text];
      if (prec === undefined || prec < minPrec) return lhs;
      pos++;
      if (op.text === '&&') {
        const rhs = binary(prec + 1, ev && lhs.v !== 0n);
        lhs = { v: lhs.v !== 0n && rhs.v !== 0n ? 1n : 0n, u: false };
        continue;
      }
      if (op.text === '||') {
        const rhs = binary(prec + 1, ev && lhs.v === 0n);
        lhs = { v: lhs.v !== 0n || rhs.v !== 0n ? 1n : 0n, u: false };
        continue;
      }
      const rhs = binary(prec + 1, ev);
      lhs = apply(op, lhs, rhs, ev);
    }
  };
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
  const ternary = (ev: boolean): PPValue => {
    const c = binary(1, ev);
    if (peek()?.text !== '?') return c;
    pos++;
    const a = ternary(ev && c.v !== 0n);
    expect(':');
    const b = ternary(ev && c.v === 0n);
    const u = a.u || b.u;
    return norm(c.v !== 0n ? a.v : b.v, u);
  };
  if (toks.length === 0) fail('#if with no expression', first);
  const v = ternary(true);
  if (pos < toks.length) fail(`unexpected '${toks[pos]!.text}' in preprocessor expression`);
  return v;
}
