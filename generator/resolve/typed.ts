// Types and address constants of the expressions constant evaluation meets beyond integers: the operand of
// `sizeof`/`_Alignof` (`sizeof(((SDL_Event *)NULL)->padding)`, `sizeof "abc"`), and the offsetof idioms
// (`(size_t)&((T *)0)->a.b[2]`, `(char *)&p->m - (char *)p`), which clang folds to constants. Addresses are
// byte offsets from a null pointer; anything that reads memory is not a constant. Walks nest on a heap trampoline.

import { trampoline, type Rec } from '../core/trampoline.js';
import type { SourcePos } from '../diagnostics.js';
import type { Expr, TypeExpr } from '../parse/ast.js';
import type { TypeSizer } from '../layout/sizer.js';
import { intWidth } from '../target/ints.js';
import type { TargetDesc } from '../target/types.js';
import { common, EvalError, literalType, promote, type IntValue } from './consteval.js';
import type { CType, FloatName, IntName } from './types.js';

/** What the typer asks of the resolver. */
export interface TyperHost {
  readonly target: TargetDesc;
  readonly sizer: TypeSizer;
  /** A written type, resolved (a pointer's target may be incomplete). */
  resolveType(t: TypeExpr, pos: SourcePos): CType;
  typedefType(name: string, pos: SourcePos): TypeExpr | null;
  isEnumerator(name: string): boolean;
  /** A member of a record (through anonymous members), or null. */
  member(recordId: number, name: string): { type: CType; bitOffset: number; align: number; bitfield: boolean } | null;
  evalConst(e: Expr): IntValue;
}

interface Typed {
  readonly t: CType;
  /** An lvalue (a member, an element, `*p`): `addr` is where it is. Otherwise `addr` is a pointer's value. */
  readonly lvalue: boolean;
  /** The address, or the pointer value, when it is a constant; null otherwise. */
  readonly addr: bigint | null;
  /** For a member access: the member's own alignment and whether it is a bit-field. */
  readonly member?: { readonly align: number; readonly bitfield: boolean };
}

export class ExprTyper {
  constructor(private readonly h: TyperHost) {}

  /** sizeof / _Alignof / __alignof__ of an expression, as clang computes them (a member's alignment is the one it
   * was placed with). */
  sizeOf(e: Expr, kind: 'sizeof' | 'alignof' | '__alignof__'): number {
    const x = this.typed(e);
    if (x.member?.bitfield) throw new EvalError(e.pos, `invalid application of '${kind}' to bit-field`);
    const d = this.h.sizer.desugar(x.t);
    if (d.k === 'void' || d.k === 'function') throw new EvalError(e.pos, `invalid application of '${kind}' to an incomplete type`);
    if (d.k === 'array' && d.length === null) throw new EvalError(e.pos, `invalid application of '${kind}' to an incomplete type`);
    if (kind !== 'sizeof' && x.member) return x.member.align;
    const sa = this.h.sizer.sizeAlign(x.t);
    return kind === 'sizeof' ? sa.size : sa.align;
  }

  /** The value of an address constant, or null when `e` is not a pointer. */
  pointerValue(e: Expr): bigint | null {
    if (!mayBePointer(e)) return null;
    const x = this.rvalue(this.typed(e));
    if (this.h.sizer.desugar(x.t).k !== 'pointer') return null;
    if (x.addr === null) throw new EvalError(e.pos, 'expression is not an integer constant expression');
    return x.addr;
  }

  /** `p - q` of two pointers to the same type: the distance in elements, as a ptrdiff_t. */
  pointerDifference(e: Expr & { k: 'binary' }): IntValue | null {
    if (!mayBePointer(e.left) || !mayBePointer(e.right)) return null;
    const l = this.rvalue(this.typed(e.left));
    const r = this.rvalue(this.typed(e.right));
    const lt = this.h.sizer.desugar(l.t);
    const rt = this.h.sizer.desugar(r.t);
    if (lt.k !== 'pointer' || rt.k !== 'pointer') return null;
    if (l.addr === null || r.addr === null) throw new EvalError(e.pos, 'expression is not an integer constant expression');
    const size = BigInt(this.elementSize(lt, e.pos));
    const t = this.h.target.ptrdiffType as IntName;
    return { v: BigInt.asIntN(intWidth(this.h.target, t), (l.addr - r.addr) / size), t };
  }

  private typed(e: Expr): Typed {
    return trampoline(this.typedG(e));
  }

  /** An array used as a value is a pointer to its first element. */
  private rvalue(x: Typed): Typed {
    if (!x.lvalue) return x;
    const d = this.h.sizer.desugar(x.t);
    if (d.k === 'array') return { t: pointerTo(d.of), lvalue: false, addr: x.addr };
    if (d.k === 'function') return { t: pointerTo(x.t), lvalue: false, addr: x.addr };
    return { t: x.t, lvalue: false, addr: null };
  }

  private elementSize(p: CType & { k: 'pointer' }, pos: SourcePos): number {
    const to = p.pointee ? this.h.sizer.desugar(p.pointee) : { k: 'void' as const };
    if (to.k === 'void' || to.k === 'function') return 1; // GNU: arithmetic on void * steps bytes
    if (to.k === 'array' && to.length === null) throw new EvalError(pos, 'arithmetic on a pointer to an incomplete type');
    return this.h.sizer.sizeAlign(p.pointee!).size;
  }

  private *typedG(e: Expr): Rec<Typed> {
    const T = this.h.target;
    const S = this.h.sizer;
    const int = (name: IntName): Typed => ({ t: { k: 'int', name }, lvalue: false, addr: null });
    switch (e.k) {
      case 'int': return int(literalType(T, e.text, e.pos).t);
      case 'char': return int('int');
      case 'float': {
        const suffix = /[fF]$/.test(e.text) && !/^0[xX][^pP]*$/.test(e.text) ? 'float' : /[lL]$/.test(e.text) ? 'long double' : 'double';
        return { t: { k: 'float', name: suffix as FloatName }, lvalue: false, addr: null };
      }
      case 'string': {
        const { elem, length } = stringArray(e.value, T);
        return { t: { k: 'array', of: { k: 'int', name: elem }, length }, lvalue: true, addr: null };
      }
      case 'ident': {
        if (this.h.isEnumerator(e.name)) return int('int');
        const td = this.h.typedefType(e.name, e.pos);
        if (td) throw new EvalError(e.pos, `unexpected type name '${e.name}': expected expression`);
        throw new EvalError(e.pos, `use of undeclared identifier '${e.name}'`);
      }
      case 'sizeof': case 'alignof': return int(T.sizeType as IntName);
      case 'cast': case 'parenCall': {
        const type = e.k === 'cast' ? e.type : this.h.typedefType(e.name, e.pos);
        if (!type) throw new EvalError(e.pos, `function call '${e.k === 'parenCall' ? e.name : ''}(...)' in a constant expression`);
        const t = this.h.resolveType(type, e.pos);
        if (S.desugar(t).k !== 'pointer') return { t, lvalue: false, addr: null };
        // a pointer: from another pointer (same address) or from an integer constant
        const arg = mayBePointer(e.arg) ? this.rvalue((yield this.typedG(e.arg)) as Typed) : null;
        if (arg && S.desugar(arg.t).k === 'pointer') return { t, lvalue: false, addr: arg.addr };
        return { t, lvalue: false, addr: this.h.evalConst(e.arg).v };
      }
      case 'unary': {
        const a = (yield this.typedG(e.arg)) as Typed;
        if (e.op === '&') {
          if (!a.lvalue) throw new EvalError(e.pos, 'cannot take the address of an rvalue');
          if (a.member?.bitfield) throw new EvalError(e.pos, 'address of bit-field requested');
          return { t: pointerTo(a.t), lvalue: false, addr: a.addr };
        }
        if (e.op === '*') {
          const p = this.rvalue(a);
          const d = S.desugar(p.t);
          if (d.k !== 'pointer') throw new EvalError(e.pos, 'indirection requires pointer operand');
          return { t: d.pointee ?? { k: 'void' }, lvalue: true, addr: p.addr };
        }
        if (e.op === '!') return int('int');
        const d = S.desugar(this.rvalue(a).t);
        if (d.k === 'int') return int(promote(T, d.name));
        if (d.k === 'enum') return int('int');
        return { t: d, lvalue: false, addr: null };
      }
      case 'member': {
        let base: Typed = (yield this.typedG(e.arg)) as Typed;
        let addr: bigint | null;
        if (e.arrow) {
          const p = this.rvalue(base);
          const d = S.desugar(p.t);
          if (d.k !== 'pointer') throw new EvalError(e.pos, `member reference type is not a pointer`);
          base = { t: d.pointee ?? { k: 'void' }, lvalue: true, addr: p.addr };
          addr = p.addr;
        } else {
          addr = base.lvalue ? base.addr : null;
        }
        const rec = S.desugar(base.t);
        if (rec.k !== 'record') throw new EvalError(e.pos, `member reference base type is not a structure or union`);
        const m = this.h.member(rec.id, e.name);
        if (!m) throw new EvalError(e.pos, `no member named '${e.name}'`);
        return {
          t: m.type, lvalue: true, addr: addr === null || m.bitfield ? null : addr + BigInt(Math.floor(m.bitOffset / 8)),
          member: { align: m.align, bitfield: m.bitfield },
        };
      }
      case 'index': {
        const a = this.rvalue((yield this.typedG(e.arg)) as Typed);
        const d = S.desugar(a.t);
        if (d.k !== 'pointer') throw new EvalError(e.pos, 'subscripted value is not an array or pointer');
        const i = this.h.evalConst(e.index).v;
        const addr = a.addr === null ? null : a.addr + i * BigInt(this.elementSize(d, e.pos));
        return { t: d.pointee ?? { k: 'void' }, lvalue: true, addr };
      }
      case 'binary': {
        if (['<', '>', '<=', '>=', '==', '!=', '&&', '||'].includes(e.op)) return int('int');
        const l = this.rvalue((yield this.typedG(e.left)) as Typed);
        const r = this.rvalue((yield this.typedG(e.right)) as Typed);
        const lt = S.desugar(l.t);
        const rt = S.desugar(r.t);
        if ((e.op === '+' || e.op === '-') && (lt.k === 'pointer' || rt.k === 'pointer')) {
          if (lt.k === 'pointer' && rt.k === 'pointer') return int(T.ptrdiffType as IntName);
          const [p, n, ne] = lt.k === 'pointer' ? [lt, l, e.right] : [rt as CType & { k: 'pointer' }, r, e.left];
          void n;
          const base = lt.k === 'pointer' ? l.addr : r.addr;
          const i = this.h.evalConst(ne).v * (e.op === '-' ? -1n : 1n);
          return { t: p, lvalue: false, addr: base === null ? null : base + i * BigInt(this.elementSize(p, e.pos)) };
        }
        if (lt.k === 'float' || rt.k === 'float') {
          const rank = (x: CType) => (x.k === 'float' ? ['_Float16', 'float', 'double', 'long double', '_Float128'].indexOf(x.name) : -1);
          return { t: rank(lt) >= rank(rt) ? lt : rt, lvalue: false, addr: null };
        }
        const ln = lt.k === 'int' ? lt.name : 'int';
        const rn = rt.k === 'int' ? rt.name : 'int';
        return int(e.op === '<<' || e.op === '>>' ? promote(T, ln) : common(T, ln, rn));
      }
      case 'cond': {
        const t = (yield this.typedG(e.then)) as Typed;
        return { ...this.rvalue(t), addr: null };
      }
      case 'unsupported':
        throw new EvalError(e.pos, `unsupported expression '${e.text}' in a constant expression`);
    }
  }
}

function pointerTo(t: CType): CType {
  return { k: 'pointer', to: '', fn: t.k === 'function', pointee: t };
}

/** Whether an expression can have pointer type at all (so integer expressions skip the typer). */
function mayBePointer(e: Expr): boolean {
  switch (e.k) {
    case 'int': case 'char': case 'float': case 'sizeof': case 'alignof': return false;
    case 'unary': return e.op === '&' || e.op === '*';
    case 'binary': return (e.op === '+' || e.op === '-') && (mayBePointer(e.left) || mayBePointer(e.right));
    case 'ident': return false;
    default: return true;
  }
}

/** A string literal's array type: its element and its length with the terminating NUL. */
function stringArray(src: string, T: TargetDesc): { elem: IntName; length: number } {
  const prefix = /^(u8|u|U|L)?"/.exec(src)?.[1] ?? '';
  const elem: IntName = prefix === 'L' ? T.wcharType as IntName : prefix === 'u' ? T.char16Type as IntName : prefix === 'U' ? T.char32Type as IntName : 'char';
  let units = 0;
  const enc = new TextEncoder();
  for (const m of src.matchAll(/(?:u8|u|U|L)?"((?:[^"\\]|\\.)*)"/gs)) {
    const body = m[1]!;
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '\\') {
        const n = body[i + 1] ?? '';
        if (n === 'x') { i += 1 + (/^[0-9a-fA-F]*/.exec(body.slice(i + 2))?.[0].length ?? 0); units++; continue; }
        if (/[0-7]/.test(n)) { i += (/^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0].length ?? 1); units++; continue; }
        if (n === 'u' || n === 'U') {
          const len = n === 'u' ? 4 : 8;
          const cp = parseInt(body.slice(i + 2, i + 2 + len), 16);
          i += 1 + len;
          units += prefix === '' || prefix === 'u8' ? enc.encode(String.fromCodePoint(cp)).length : prefix === 'u' && cp > 0xffff ? 2 : 1;
          continue;
        }
        i++;
        units++;
        continue;
      }
      const cp = body.codePointAt(i)!;
      if (cp > 0xffff) i++;
      units += prefix === '' || prefix === 'u8' ? enc.encode(String.fromCodePoint(cp)).length : prefix === 'u' && cp > 0xffff ? 2 : 1;
    }
  }
  return { elem, length: units + 1 };
}
