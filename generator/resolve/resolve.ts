// Gives parsed declarations their meaning on one target: names looked up, keyword types classified,
// constants evaluated (array sizes, bit widths, alignments, enumerators), enums sized, errors located.

import { CONSTANT_PROBE_PREFIX, cStringValue } from '../c/literals.js';
import { diag, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { TypeSizer, LayoutError, type TypeTables } from '../layout/sizer.js';
import { mergeAttrs, NO_ATTRS, type AlignSpec, type Attrs, type EnumDecl, type Expr, type Program, type RecordDecl, type TypeExpr, type TypeSpec, type TypedefDecl } from '../parse/ast.js';
import type { IntTypeName, TargetDesc } from '../target/index.js';
import { evalInt, EvalError, type EvalContext, type IntValue } from './consteval.js';
import { ExprTyper } from './typed.js';
import { OFFSETOF_SIZE_T } from '../parse/rewrite.js';
import { intWidth, isSigned, wrapInt } from '../target/ints.js';
import type { CType, Enum, Enumerator, Field, FloatName, IntName, Record, ResolvedProgram, Typedef } from './types.js';

/** The resolve stage's one error type: a position, a message and a stable code (`resolve-*`). */
export class ResolveError extends Error {
  constructor(readonly pos: SourcePos, message: string, readonly code: ResolveCode = 'resolve-invalid') { super(message); }
}

export type ResolveCode = 'resolve-invalid' | 'resolve-unknown-type' | 'resolve-incomplete' | 'resolve-recursive'
  | 'resolve-constant' | 'resolve-bitfield' | 'resolve-array' | 'resolve-alignment' | 'resolve-static-assert'
  | 'resolve-unsupported' | 'resolve-specifiers' | 'resolve-layout';

export interface ResolveResult {
  readonly program: ResolvedProgram;
  readonly diagnostics: readonly Diagnostic[];
}

/** clang 16's MaxAtomicPromoteWidth per target, in bits (measured: `_Atomic` of 1- to 16-byte structs). */
const MAX_ATOMIC_PROMOTE_BITS: { readonly [triple: string]: number } = {
  'x86_64-linux-gnu': 128, 'i386-linux-gnu': 64, 'aarch64-linux-gnu': 128, 'armv7-linux-gnueabihf': 64,
  'riscv64-linux-gnu': 128, 'powerpc-linux-gnu': 32, 'powerpc64-linux-gnu': 128, 'powerpc64le-linux-gnu': 128,
  's390x-linux-gnu': 64, 'mips-linux-gnu': 32, 'm68k-linux-gnu': 0, 'arm-none-eabi': 64, 'riscv32-unknown-elf': 128,
  avr: 0, msp430: 0, 'wasm32-unknown-unknown': 64, 'wasm32-unknown-emscripten': 64, 'x86_64-apple-macosx': 128,
  'aarch64-apple-macosx': 128, 'x86_64-pc-windows-msvc': 128, 'i686-pc-windows-msvc': 64, 'x86_64-w64-mingw32': 128,
  'i686-w64-mingw32': 64,
};

/** Largest object structgen accepts, in bytes (clang's own limit is far larger, but no real record is). */
const MAX_OBJECT_BYTES = 2 ** 40;

type State<T> = { s: 'todo' } | { s: 'busy' } | { s: 'done'; v: T } | { s: 'error'; e: ResolveError };

export class Resolver implements TypeTables {
  /** The one sizer of this translation unit (see `layout`): hand it to the layout stage. */
  readonly sizer: TypeSizer;
  private readonly recState: State<Record>[];
  private readonly enumState: State<Enum>[];
  private readonly tdState: State<Typedef>[];
  private readonly tags = new Map<string, number>();
  private readonly enumTags = new Map<string, number>();
  private readonly typedefNames = new Map<string, number>();
  private readonly enumerators = new Map<string, [number, number]>();
  private readonly anonymousMembers = new Set<number>();
  /** Sizes and record layouts for this program and target: what sizeof, _Alignof and offsetof ask here, and what
   * the layout stage reads (`sizer`), computed once. */
  private readonly layout: TypeSizer;
  private readonly warnings: Diagnostic[] = [];
  private readonly evalCtx: EvalContext;
  private readonly typer: ExprTyper;

  constructor(private p: Program, private readonly target: TargetDesc) {
    this.recState = p.records.map(() => ({ s: 'todo' }));
    this.enumState = p.enums.map(() => ({ s: 'todo' }));
    this.tdState = p.typedefs.map(() => ({ s: 'todo' }));
    for (const r of p.records) {
      if (r.tag && !this.tags.has(`${r.kind} ${r.tag}`)) this.tags.set(`${r.kind} ${r.tag}`, r.id);
      for (const f of r.fields ?? []) {
        if (f.name === null && f.bitWidth === null && f.type.k === 'base' && f.type.spec.k === 'record') {
          this.anonymousMembers.add(f.type.spec.id);
        }
      }
    }
    for (const e of p.enums) {
      if (e.tag && !this.enumTags.has(e.tag)) this.enumTags.set(e.tag, e.id);
      (e.values ?? []).forEach((v, i) => { if (!this.enumerators.has(v.name)) this.enumerators.set(v.name, [e.id, i]); });
    }
    p.typedefs.forEach((t, i) => { if (!this.typedefNames.has(t.name)) this.typedefNames.set(t.name, i); });
    this.layout = new TypeSizer(this, target);
    this.sizer = this.layout;
    this.typer = new ExprTyper({
      target, sizer: this.layout,
      resolveType: (t, pos) => this.type(t, pos, false),
      typedefType: (name, pos) => (this.typedefNames.has(name) ? { k: 'base', spec: { k: 'typedef', name, pos }, quals: [] } : null),
      isEnumerator: (name) => this.enumerators.has(name),
      member: (id, name) => this.findMember(id, name),
      evalConst: (e) => this.evalConst(e),
    });
    this.evalCtx = {
      target,
      ident: (name) => (name.startsWith(CONSTANT_PROBE_PREFIX) ? this.probeInt(name) : this.enumeratorValue(name)),
      sizeofType: (t, pos) => this.sizeOfType(t, pos).size,
      alignofType: (t, pos, gnu) => (gnu ? this.preferredAlign(t, pos) : this.sizeOfType(t, pos).align),
      typedefType: (name, pos) => (this.typedefNames.has(name) ? { k: 'base', spec: { k: 'typedef', name, pos }, quals: [] } : null),
      sizeofExpr: (e, kind) => this.typer.sizeOf(e, kind),
      pointerValue: (e) => this.typer.pointerValue(e),
      pointerDifference: (e) => this.typer.pointerDifference(e),
      castTarget: (t, pos) => {
        const ct = this.layout.desugar(this.type(t, pos, false));
        if (ct.k === 'int') return ct.name;
        if (ct.k === 'enum') return this.enumType(ct.id).underlying;
        return null;
      },
    };
  }

  run(): ResolveResult {
    const diags: Diagnostic[] = [];
    const seen = new Set<string>();
    const report = (e: ResolveError | LayoutError, fallback: SourcePos, always: boolean) => {
      const pos = e instanceof ResolveError ? e.pos : fallback;
      const k = `${pos.file}:${pos.line}:${pos.col}:${e.message}`;
      if (seen.has(k) || !always) return;
      seen.add(k);
      diags.push(diag('error', pos, e instanceof ResolveError ? e.code : 'resolve-layout', e.message));
    };
    // typedefs first, in declaration order: each names only earlier ones, so a chain of any length resolves
    // one link at a time instead of recursing through it (errors are kept and reported below, in order)
    for (let i = 0; i < this.p.typedefs.length; i++) {
      try { this.typedef(i); } catch (e) { if (!(e instanceof ResolveError || e instanceof LayoutError)) throw e; }
    }
    const records = this.p.records.map((r) => {
      try {
        return this.record(r.id);
      } catch (e) {
        if (!(e instanceof ResolveError || e instanceof LayoutError)) throw e;
        report(e, r.pos, !r.system);
        return null;
      }
    });
    for (const a of this.p.staticAsserts) {
      this.tryGet(() => {
        if (this.evalConst(a.expr).v === 0n) {
          const msg = a.message === null ? null : cStringValue(a.message);
          throw new ResolveError(a.pos, `static assertion failed${msg !== null ? `: ${msg}` : ''}`, 'resolve-static-assert');
        }
      }, a.pos, !a.system, report);
    }
    const enums = this.p.enums.map((en) => this.tryGet(() => this.enumType(en.id), en.pos, !en.system, report));
    const typedefs = this.p.typedefs.map((t, i) => this.tryGet(() => this.typedef(i), t.pos, !t.system, report));
    return { program: { records, enums, typedefs }, diagnostics: [...diags, ...this.warnings] };
  }

  /** Lets the syntax go once `run` and every `constantValue` wanted are done: what the layout stage asks later (the
   * sizer's records, enums and typedefs) was resolved by `run`, and a big header's syntax need not outlive it. */
  releaseSyntax(): void {
    this.p = { records: [], enums: [], typedefs: [], constants: [], staticAsserts: [] };
    this.probesByName = null;
    this.probeNames = null;
    this.probeValues.clear();
  }

  private tryGet<T>(f: () => T, pos: SourcePos, always: boolean,
    report: (e: ResolveError | LayoutError, p: SourcePos, always: boolean) => void): T | null {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ResolveError || e instanceof LayoutError)) throw e;
      report(e, pos, always);
      return null;
    }
  }

  /** Values of the `#define` probes by probe name, each computed once (probes refer to each other by name). */
  private readonly probeValues = new Map<string, IntValue | string | null | 'busy'>();
  private probesByName: Map<string, Expr> | null = null;

  private probeValue(name: string): IntValue | string | null {
    const v = this.probeValues.get(name);
    if (v === 'busy') return null; // a cycle of macros naming each other: not a constant
    if (v !== undefined) return v;
    this.probesByName ??= new Map(this.p.constants.map((c) => [CONSTANT_PROBE_PREFIX + c.name, c.expr]));
    const e = this.probesByName.get(name);
    if (!e) return null;
    this.probeValues.set(name, 'busy');
    let r: IntValue | string | null = null;
    try {
      r = e.k === 'string' ? cStringValue(e.value)
        : e.k === 'ident' && e.name.startsWith(CONSTANT_PROBE_PREFIX) ? this.probeValue(e.name)
        : this.evalConst(e);
    } catch (err) {
      if (!(err instanceof ResolveError)) throw err;
    }
    this.probeValues.set(name, r);
    return r;
  }

  private probeInt(name: string): IntValue | null {
    const v = this.probeValue(name);
    return v !== null && typeof v !== 'string' ? v : null;
  }

  /** Probes named in an expression (iterative: probe expressions may be long chains of operators). */
  private static probeRefs(e: Expr): string[] {
    const out: string[] = [];
    const stack: Expr[] = [e];
    while (stack.length) {
      const x = stack.pop()!;
      switch (x.k) {
        case 'ident': if (x.name.startsWith(CONSTANT_PROBE_PREFIX)) out.push(x.name); break;
        case 'unary': case 'cast': case 'parenCall': stack.push(x.arg); break;
        case 'binary': stack.push(x.left, x.right); break;
        case 'cond': stack.push(x.cond, x.then, x.else); break;
        case 'sizeof': case 'alignof': if (x.arg) stack.push(x.arg); break;
        default: break;
      }
    }
    return out;
  }

  /** Evaluates the probes `name` depends on first, deepest first, so no evaluation nests in another. */
  private evaluateProbeDeps(name: string): void {
    this.probesByName ??= new Map(this.p.constants.map((c) => [CONSTANT_PROBE_PREFIX + c.name, c.expr]));
    const order: string[] = [];
    const seen = new Set<string>([name]);
    const stack: Array<[string, string[] | null]> = [[name, null]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top[1] === null) {
        const e = this.probesByName.get(top[0]);
        top[1] = e && !this.probeValues.has(top[0]) ? Resolver.probeRefs(e) : [];
      }
      const next = top[1].pop();
      if (next === undefined) { order.push(top[0]); stack.pop(); continue; }
      if (seen.has(next) || this.probeValues.has(next)) continue;
      seen.add(next);
      stack.push([next, null]);
    }
    for (const n of order) this.probeValue(n);
  }

  private probeNames: Map<Expr, string> | null = null;

  /** A `#define` probe's value: an integer, a string literal's text, or null when it is not a constant. */
  constantValue(e: Expr): bigint | string | null {
    this.probeNames ??= new Map(this.p.constants.map((c) => [c.expr, CONSTANT_PROBE_PREFIX + c.name]));
    const own = this.probeNames.get(e);
    if (own) {
      this.evaluateProbeDeps(own);
      const v = this.probeValue(own);
      return v === null || typeof v === 'string' ? v : v.v;
    }
    if (e.k === 'string') return cStringValue(e.value);
    if (e.k === 'ident' && e.name.startsWith(CONSTANT_PROBE_PREFIX)) {
      const v = this.probeValue(e.name);
      return v === null || typeof v === 'string' ? v : v.v;
    }
    try {
      return this.evalConst(e).v;
    } catch (err) {
      if (err instanceof ResolveError) return null;
      throw err;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  record(id: number): Record {
    const st = this.recState[id]!;
    if (st.s === 'done') return st.v;
    if (st.s === 'error') throw st.e;
    const d = this.p.records[id]!;
    if (st.s === 'busy') throw new ResolveError(d.pos, `${d.kind} '${d.tag ?? d.typedefName ?? '(anonymous)'}' contains itself`, 'resolve-recursive');
    this.recState[id] = { s: 'busy' };
    try {
      const v = this.buildRecord(d);
      this.recState[id] = { s: 'done', v };
      return v;
    } catch (e) {
      if (e instanceof ResolveError) this.recState[id] = { s: 'error', e };
      else if (e instanceof LayoutError) this.recState[id] = { s: 'error', e: new ResolveError(d.pos, e.message, 'resolve-layout') };
      else this.recState[id] = { s: 'todo' };
      throw e instanceof LayoutError ? new ResolveError(d.pos, e.message, 'resolve-layout') : e;
    }
  }

  private buildRecord(d: RecordDecl): Record {
    const fields: Field[] = [];
    const decls = d.fields ?? [];
    const kindName = `${d.kind} '${d.tag ?? d.typedefName ?? '(anonymous)'}'`;
    decls.forEach((f, idx) => {
      const label = f.name ? `'${f.name}'` : '(unnamed)';
      const { attrs, typeAlign } = this.afterStar(f.attrs, f.pos, false);
      let type = this.type(f.type, f.pos, false);
      if (attrs.mode) type = this.applyMode(type, attrs.mode, f.pos);
      const base = this.layout.desugar(type);
      if (base.k === 'void' || base.k === 'function') {
        throw new ResolveError(f.pos, `field ${label} has incomplete type '${spellType(f.type, this.p)}'`, 'resolve-incomplete');
      }
      if (base.k === 'array' && base.length === null) {
        if (d.kind === 'union') throw new ResolveError(f.pos, `flexible array member ${label} in a union is not allowed`, 'resolve-invalid');
        if (idx !== decls.length - 1) throw new ResolveError(f.pos, `flexible array member ${label} is not at the end of ${kindName}`, 'resolve-invalid');
        if (!decls.slice(0, idx).some((g) => g.name !== null || g.bitWidth === null)) {
          throw new ResolveError(f.pos, `flexible array member ${label} not allowed in otherwise empty ${d.kind}`, 'resolve-invalid');
        }
      }
      // element types must be complete (and not contain this record), an enum's values known
      this.checkComplete(type, f.pos, label);
      let elem: CType = base;
      while (elem.k === 'array') elem = this.layout.desugar(elem.of);
      if (elem.k === 'enum') this.enumType(elem.id);
      let bitWidth: number | null = null;
      if (f.bitWidth) {
        const w = this.evalConst(f.bitWidth);
        const intName = base.k === 'int' ? base.name : base.k === 'enum' ? this.enumType(base.id).underlying : null;
        if (!intName) throw new ResolveError(f.pos, `bit-field ${label} has non-integral type '${spellType(f.type, this.p)}'`, 'resolve-bitfield');
        const tw = intWidth(this.target, intName);
        if (w.v < 0n) throw new ResolveError(f.bitWidth.pos, `bit-field ${label} has negative width (${w.v})`, 'resolve-bitfield');
        if (w.v > BigInt(intName === '_Bool' ? 1 : tw)) {
          throw new ResolveError(f.bitWidth.pos, `width of bit-field ${label} (${w.v} bits) exceeds the width of its type (${intName === '_Bool' ? 1 : tw} bit${tw === 1 ? '' : 's'})`, 'resolve-bitfield');
        }
        if (w.v === 0n && f.name) throw new ResolveError(f.bitWidth.pos, `named bit-field ${label} has zero width`, 'resolve-bitfield');
        bitWidth = Number(w.v);
      }
      if (f.name === null && bitWidth === null && base.k !== 'record') {
        throw new ResolveError(f.pos, `declaration does not declare anything`, 'resolve-invalid');
      }
      let alignAttr = this.alignAttr(attrs, f.pos);
      const atomic = this.atomicAlign(f.type, type, f.pos);
      if (atomic) {
        if (d.attrs.packed || attrs.packed || (d.pack && d.pack < atomic)) {
          throw new ResolveError(f.pos, `_Atomic member ${label} in a packed record is not modelled`, 'resolve-unsupported');
        }
        alignAttr = Math.max(alignAttr, atomic);
      }
      const alignas = attrs.aligned.some((a) => a.k === 'type' || (a.k === 'expr' && a.alignas));
      if (alignas && f.bitWidth === null) {
        const nat = this.layout.sizeAlign(type).align;
        const asked = Math.max(...attrs.aligned.map((a) => (a.k === 'type' || (a.k === 'expr' && a.alignas) ? this.alignSpec(a, f.pos) : 0)));
        if (asked && asked < nat) {
          throw new ResolveError(f.pos, `requested alignment is less than minimum alignment of ${nat} for type '${spellType(f.type, this.p)}'`, 'resolve-alignment');
        }
      }
      fields.push({
        name: f.name, type, spelling: spellType(f.type, this.p, arrayLengths(type)), bitWidth,
        alignAttr, packed: attrs.packed, pos: f.pos, ...(typeAlign ? { typeAlign } : {}), ...(attrs.countedBy ? { countedBy: attrs.countedBy } : {}),
      });
    });
    return {
      id: d.id, kind: d.kind, tag: d.tag, name: d.tag ?? d.typedefName, pos: d.pos, definedIn: d.definedIn, fields,
      packed: d.attrs.packed, alignAttr: this.alignAttr(d.attrs, d.pos), pack: d.pack,
      msStruct: d.attrs.msStruct || d.msStructPragma, gccStruct: d.attrs.gccStruct, parent: d.parent, system: d.system,
      anonymousMember: this.anonymousMembers.has(d.id),
    };
  }

  private checkComplete(t: CType, pos: SourcePos, label: string) {
    let d = this.layout.desugar(t);
    while (d.k === 'array') d = this.layout.desugar(d.of);
    if (d.k === 'record') {
      try {
        this.record(d.id);
      } catch (e) {
        if (e instanceof ResolveError && e.code === 'resolve-recursive') {
          throw new ResolveError(pos, `field ${label} has incomplete type: ${e.message}`, 'resolve-incomplete');
        }
        throw e;
      }
    }
  }

  enumType(id: number): Enum {
    const st = this.enumState[id]!;
    if (st.s === 'done') return st.v;
    if (st.s === 'error') throw st.e;
    const d = this.p.enums[id]!;
    if (st.s === 'busy') throw new ResolveError(d.pos, `enum '${d.tag ?? '(anonymous)'}' depends on itself`, 'resolve-recursive');
    this.enumState[id] = { s: 'busy' };
    try {
      const v = this.buildEnum(d);
      this.enumState[id] = { s: 'done', v };
      return v;
    } catch (e) {
      if (e instanceof ResolveError) this.enumState[id] = { s: 'error', e };
      throw e;
    }
  }

  private partialEnums = new Map<number, Enumerator[]>();

  private buildEnum(d: EnumDecl): Enum {
    const values: Enumerator[] = [];
    this.partialEnums.set(d.id, values);
    try {
      let next = 0n;
      let signed = true;
      for (const v of d.values ?? []) {
        let val: bigint;
        if (v.value) {
          const c = this.evalConst(v.value);
          val = c.v;
          signed = isSigned(this.target, c.t);
        } else {
          val = next;
          // past the largest integer type the increment wraps, as clang computes it (with a warning)
          const wrapped = signed ? BigInt.asIntN(64, val) : BigInt.asUintN(64, val);
          if (wrapped !== val) {
            if (!d.system) this.warnings.push(diag('warning', v.pos, 'resolve-enum-too-large', `incremented enumerator value ${val} is not representable in the largest integer type`));
            val = wrapped;
          }
        }
        values.push({ name: v.name, value: val, pos: v.pos });
        next = val + 1n;
      }
    } finally {
      this.partialEnums.delete(d.id);
    }
    const underlying = this.enumUnderlying(values.map((v) => v.value), d.attrs.packed, d.pos, d.system);
    // values the type cannot hold (past the largest type, or any 64-bit value of an MSVC enum) are converted to it
    const fitted = values.map((v) => {
      const w = wrapInt(this.target, underlying, v.value);
      return w === v.value ? v : { ...v, value: w };
    });
    // gcc ignores `aligned` on an enum's definition (measured, gcc 12), clang aligns the enum exactly so
    const alignAttr = this.target.compiler === 'gcc' ? 0 : this.alignAttr(d.attrs, d.pos);
    return {
      id: d.id, tag: d.tag, name: d.tag ?? d.typedefName, pos: d.pos, definedIn: d.definedIn, values: fitted, underlying, system: d.system,
      ...(alignAttr ? { alignAttr } : {}),
    };
  }

  private enumUnderlying(vals: bigint[], packed: boolean, pos: SourcePos, system: boolean): IntName {
    const T = this.target;
    if (T.enumsAlwaysInt) return 'int';
    const min = vals.reduce((a, b) => (b < a ? b : a), 0n);
    const max = vals.reduce((a, b) => (b > a ? b : a), 0n);
    const neg = min < 0n;
    const fits = (n: IntName) => {
      const w = BigInt(intWidth(T, n));
      return isSigned(T, n) ? min >= -(1n << (w - 1n)) && max < (1n << (w - 1n)) : min >= 0n && max < (1n << w);
    };
    const order: IntName[] = packed || T.shortEnums
      ? (neg ? ['signed char', 'short', 'int', 'long', 'long long'] : ['unsigned char', 'unsigned short', 'unsigned int', 'unsigned long', 'unsigned long long'])
      : (neg ? ['int', 'long', 'long long'] : ['unsigned int', 'unsigned long', 'unsigned long long']);
    for (const n of order) if (fits(n)) return n;
    // negative values and values past the largest signed type: clang warns and takes the largest signed type
    if (!system) this.warnings.push(diag('warning', pos, 'resolve-enum-too-large', 'enumeration values exceed range of largest integer'));
    return intWidth(T, 'long') === 64 ? 'long' : 'long long';
  }

  private enumeratorValue(name: string): IntValue | null {
    const ref = this.enumerators.get(name);
    if (!ref) return null;
    const [eid, idx] = ref;
    const partial = this.partialEnums.get(eid);
    const v = partial ? partial[idx]?.value : this.enumType(eid).values[idx]?.value;
    if (v === undefined) return null;
    const w = BigInt(intWidth(this.target, 'int'));
    const fitsInt = v >= -(1n << (w - 1n)) && v < (1n << (w - 1n));
    return { v, t: fitsInt || partial ? 'int' : this.enumType(eid).underlying };
  }

  typedef(id: number): Typedef {
    const st = this.tdState[id]!;
    if (st.s === 'done') return st.v;
    if (st.s === 'error') throw st.e;
    const d = this.p.typedefs[id]!;
    if (st.s === 'busy') throw new ResolveError(d.pos, `typedef '${d.name}' refers to itself`, 'resolve-recursive');
    this.tdState[id] = { s: 'busy' };
    try {
      const v = this.buildTypedef(id, d);
      this.tdState[id] = { s: 'done', v };
      return v;
    } catch (e) {
      if (e instanceof ResolveError) this.tdState[id] = { s: 'error', e };
      throw e;
    }
  }

  private buildTypedef(id: number, d: TypedefDecl): Typedef {
    const { attrs } = this.afterStar(d.attrs, d.pos, true);
    let type = this.type(d.type, d.pos, true);
    if (attrs.mode) type = this.applyMode(type, attrs.mode, d.pos);
    const atomic = this.atomicAlign(d.type, type, d.pos);
    const alignAttr = Math.max(this.alignAttr(attrs, d.pos), atomic);
    return { id, name: d.name, type, alignAttr, pos: d.pos, definedIn: d.definedIn, system: d.system };
  }

  /**
   * The alignment an `_Atomic` type (possibly an array's element) needs beyond its value type's, or 0. As clang
   * does: a type no larger than the target's largest lock-free width is padded to a power of two and aligned to
   * its size (MAX_ATOMIC_PROMOTE_BITS). A size that would grow is not modelled (an error, not a wrong layout).
   */
  private atomicAlign(t: TypeExpr, ct: CType, pos: SourcePos): number {
    let x = t;
    let c = ct;
    while (x.k === 'array' && c.k === 'array') { x = x.of; c = c.of; }
    const atomic = (x.k === 'base' || x.k === 'pointer') && x.quals.includes('_Atomic');
    if (!atomic) return 0;
    const limit = MAX_ATOMIC_PROMOTE_BITS[this.target.triple] ?? 0;
    const sa = this.layout.sizeAlign(c);
    const bits = sa.size * 8;
    if (bits === 0 || bits > limit) return 0;
    let p2 = 8;
    while (p2 < bits) p2 *= 2;
    if (p2 !== bits) {
      throw new ResolveError(pos, `_Atomic '${spellType(x, this.p)}' is padded from ${sa.size} to ${p2 / 8} bytes on ${this.target.triple}, which structgen does not model`, 'resolve-unsupported');
    }
    return p2 / 8 > sa.align ? p2 / 8 : 0;
  }

  /**
   * `__attribute__((mode(M)))` on a declaration: its type becomes the machine mode's, of the same kind and signedness
   * (integer QI/HI/SI/DI/TI/word/pointer, floating HF/SF/DF/XF/TF/KF/IF, complex C..., vector V<n>...), as clang
   * maps modes to the target's types; a mode the target has no type for, or of another kind than the declared type,
   * is clang's error.
   */
  private applyMode(t: CType, mode: string, pos: SourcePos): CType {
    const T = this.target;
    let d = this.layout.desugar(t);
    if (d.k === 'enum') d = { k: 'int', name: this.enumType(d.id).underlying };
    const mismatch = () => new ResolveError(pos, 'type of machine mode does not match type of base type', 'resolve-invalid');
    const unsupported = () => new ResolveError(pos, `unsupported machine mode '${mode}'`, 'resolve-unsupported');
    const vec = /^V(\d+)([A-Z]+)$/.exec(mode);
    const cplx = !vec && /^C(QI|HI|SI|DI|TI)$|^(H|S|D|X|T|K|I)C$/.exec(mode);
    const scalar = vec ? vec[2]! : cplx ? (cplx[1] ?? `${cplx[2]}F`) : mode;
    const kind = scalarModeKind(scalar);
    if (!kind) throw new ResolveError(pos, `unknown machine mode '${mode}'`, 'resolve-unsupported');
    // the declared type's kind: a vector's element for vector modes, a complex type's part for complex modes
    let base: CType = d;
    if (vec && base.k === 'array' && base.vector) base = this.layout.desugar(base.of);
    if (cplx) {
      if (base.k === 'complex') base = { k: 'float', name: base.of };
      else if (base.k === 'complexInt') base = { k: 'int', name: base.of };
      else throw mismatch();
    }
    if (base.k !== (kind === 'int' ? 'int' : 'float')) throw mismatch();
    let elem: CType;
    if (kind === 'int') {
      const w = scalar === 'word' || scalar === 'pointer' ? T.pointer.size * 8 : INT_MODE_BITS[scalar]!;
      // the target's exact-width type of that many bits (clang: int, not short, for HI on AVR)
      const signed = isSigned(T, (base as CType & { k: 'int' }).name);
      const exact = w === 128 ? (T.ints.__int128 ? '__int128' : null) : (T.exactTypes as { readonly [b: number]: IntTypeName | undefined })[w] ?? null;
      if (!exact) throw unsupported();
      const name = exact === 'signed char' ? (signed ? 'signed char' : 'unsigned char') : signed ? exact : `unsigned ${exact}`;
      elem = { k: 'int', name: name as IntName };
    } else {
      const f = floatOfMode(T, scalar);
      if (!f) throw unsupported();
      elem = { k: 'float', name: f };
    }
    if (cplx) return elem.k === 'int' ? { k: 'complexInt', of: elem.name } : { k: 'complex', of: (elem as CType & { k: 'float' }).name };
    if (vec) {
      const n = Number(vec[1]);
      if (!(n > 0)) throw unsupported();
      this.noteVector(pos);
      return { k: 'array', of: elem, length: n, vector: true };
    }
    return elem;
  }

  /** A GNU vector of `size` bytes of `of`, checked as clang checks it (gcc also wants a power-of-two count). */
  private vector(of: CType, size: Expr, pos: SourcePos, spelling: () => string): CType {
    const e = this.layout.desugar(of);
    if (!((e.k === 'int' && e.name !== '_Bool') || e.k === 'float')) {
      throw new ResolveError(pos, `invalid vector element type '${spelling()}'`, 'resolve-invalid');
    }
    const esize = this.layout.sizeAlign(of).size;
    const bytes = this.evalConst(size).v;
    if (bytes <= 0n) throw new ResolveError(size.pos, bytes === 0n ? 'zero vector size' : 'vector size too large', 'resolve-invalid');
    if (bytes % BigInt(esize) !== 0n) throw new ResolveError(size.pos, 'vector size not an integral multiple of component size', 'resolve-invalid');
    const n = bytes / BigInt(esize);
    if (bytes > BigInt(MAX_OBJECT_BYTES)) throw new ResolveError(size.pos, 'vector size too large', 'resolve-invalid');
    if (this.target.compiler === 'gcc' && (n & (n - 1n)) !== 0n) {
      throw new ResolveError(size.pos, `number of vector components ${n} not a power of two`, 'resolve-invalid');
    }
    this.noteVector(pos);
    return { k: 'array', of, length: Number(n), vector: true };
  }

  private vectorNoted = false;
  private readonly plainComplexWarned = new Set<SourcePos>();
  /** Vectors under a compiler flavour whose vector rules were not measured: one warning per translation unit. */
  private noteVector(pos: SourcePos) {
    if (this.vectorNoted || !this.target.unmeasured?.includes('vector')) return;
    this.vectorNoted = true;
    this.warnings.push(diag('warning', pos, 'gcc-vector-unmeasured',
      `gcc's vector layout for ${this.target.triple} was not measured: structgen applies clang's rule (a vector is aligned to its size${this.target.maxVectorAlign ? `, at most ${this.target.maxVectorAlign} bytes` : ''})`));
  }

  /**
   * Attributes written after a `*` (parse/attributes.ts): clang slides them to the declaration; gcc gives them to the
   * pointer type there (measured): `aligned(N)` after the declarator's own `*` sets its type's alignment, lower or
   * higher (a typedef takes it as its own alignment, the same thing), `packed` there is ignored, and attributes of a
   * pointer the declarator points to change nothing of it.
   */
  private afterStar(a: Attrs, pos: SourcePos, typedef: boolean): { attrs: Attrs; typeAlign: number } {
    const s = a.afterStar;
    if (!s) return { attrs: a, typeAlign: 0 };
    const { afterStar: _x, ...rest } = a;
    void _x;
    if (this.target.compiler !== 'gcc') return { attrs: mergeAttrs(mergeAttrs(rest, s.own ?? NO_ATTRS), s.inner ?? NO_ATTRS), typeAlign: 0 };
    if (!s.own || s.own.aligned.length === 0) return { attrs: rest, typeAlign: 0 };
    if (typedef) return { attrs: { ...rest, aligned: [...rest.aligned, ...s.own.aligned] }, typeAlign: 0 };
    return { attrs: rest, typeAlign: this.alignAttr(s.own, pos) };
  }

  // ---------------------------------------------------------------------------------------------------------
  private alignAttr(a: Attrs, pos: SourcePos): number {
    let m = 0;
    for (const s of a.aligned) m = Math.max(m, this.alignSpec(s, pos));
    return m;
  }

  private alignSpec(s: AlignSpec, pos: SourcePos): number {
    if (s.k === 'default') return this.target.defaultAligned;
    if (s.k === 'type') return this.sizeOfType(s.type, pos).align;
    const v = this.evalConst(s.expr).v;
    if (v === 0n) return 0;
    if (v < 0n || (v & (v - 1n)) !== 0n) throw new ResolveError(s.expr.pos, `requested alignment is not a power of 2 (${v})`, 'resolve-alignment');
    if (v > 1n << 28n) throw new ResolveError(s.expr.pos, `requested alignment must be 268435456 bytes or smaller`, 'resolve-alignment');
    return Number(v);
  }

  private evalConst(e: Expr): IntValue {
    try {
      return evalInt(e, this.evalCtx);
    } catch (err) {
      if (err instanceof EvalError) throw new ResolveError(err.pos, err.message, 'resolve-constant');
      if (err instanceof LayoutError) throw new ResolveError(e.pos, err.message, 'resolve-layout');
      throw err;
    }
  }

  private sizeOfType(t: TypeExpr, pos: SourcePos): { size: number; align: number } {
    const ct = this.type(t, pos, false);
    const d = this.layout.desugar(ct);
    if (d.k === 'void' || d.k === 'function') throw new ResolveError(pos, `invalid application of sizeof/_Alignof to an incomplete type`, 'resolve-incomplete');
    this.checkComplete(ct, pos, 'operand');
    try {
      return this.layout.sizeAlign(ct);
    } catch (e) {
      if (e instanceof LayoutError) throw new ResolveError(pos, e.message, 'resolve-layout');
      throw e;
    }
  }

  /** GNU `__alignof__`: the preferred alignment of a scalar (i386: 8 for long long and double), else _Alignof. */
  private preferredAlign(t: TypeExpr, pos: SourcePos): number {
    const ct = this.type(t, pos, false);
    const sa = this.sizeOfType(t, pos);
    if (ct.k === 'typedef' && this.typedef(ct.id).alignAttr) return sa.align;
    let d = this.layout.desugar(ct);
    if (d.k === 'enum') d = { k: 'int', name: this.enumType(d.id).underlying };
    if (d.k === 'int' || d.k === 'float') {
      const key = d.name.replace(/^unsigned /, '').replace(/^signed /, '');
      const pref = this.target.preferredAlign[key];
      if (pref) return Math.max(pref, sa.align);
    }
    return sa.align;
  }

  /** A member by name, through anonymous members: where it is, its type, the alignment it was placed with. */
  private findMember(recId: number, name: string): { bitOffset: number; type: CType; align: number; bitfield: boolean } | null {
    const rec = this.record(recId);
    const l = this.layout.recordLayout(recId);
    for (let i = 0; i < rec.fields.length; i++) {
      const f = rec.fields[i]!;
      const fl = l.fields[i]!;
      if (f.name === name) return { bitOffset: fl.bitOffset, type: f.type, align: fl.align, bitfield: f.bitWidth !== null };
      if (f.name === null && f.bitWidth === null) {
        const inner = this.layout.desugar(f.type);
        if (inner.k === 'record') {
          const r = this.findMember(inner.id, name);
          if (r) return { ...r, bitOffset: fl.bitOffset + r.bitOffset };
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------------------
  /** Resolves a syntactic type. `incompleteOk` allows references to undefined records (behind pointers, typedefs). */
  type(t: TypeExpr, pos: SourcePos, incompleteOk: boolean): CType {
    switch (t.k) {
      case 'base': return this.spec(t.spec, pos, incompleteOk);
      case 'pointer': {
        // the pointee only needs to name something that exists; it may be incomplete (a loop: pointer chains
        // may be as long as the input likes)
        const levels: Array<TypeExpr & { k: 'pointer' }> = [];
        let inner: TypeExpr = t;
        while (inner.k === 'pointer') { levels.push(inner); inner = inner.to; }
        let ct = this.type(inner, pos, true);
        for (let i = levels.length - 1; i >= 0; i--) {
          const lv = levels[i]!;
          ct = { k: 'pointer', to: i === 0 ? spellType(lv.to, this.p) : '', fn: lv.to.k === 'function', pointee: ct };
        }
        return ct;
      }
      case 'array': {
        // dimensions outermost first; the element type is resolved once and the arrays are built inside out,
        // each size from the one inside it (no recursion over the dimensions)
        const dims: Array<TypeExpr & { k: 'array' }> = [];
        let cur: TypeExpr = t;
        while (cur.k === 'array') { dims.push(cur); cur = cur.of; }
        let of = this.type(cur, pos, incompleteOk);
        let esize: number | null = null;
        for (let i = dims.length - 1; i >= 0; i--) {
          const a = dims[i]!;
          if (a.size === null) {
            of = { k: 'array', of, length: null };
            esize = 0;
            continue;
          }
          const n = this.evalConst(a.size).v;
          if (n < 0n) throw new ResolveError(a.size.pos, `array has negative size (${n})`, 'resolve-array');
          if (esize === null) {
            const d = this.layout.desugar(of);
            if (d.k === 'typedef' || of.k === 'typedef') {
              try {
                const e = this.layout.sizeAlign(of);
                if (e.size % e.align !== 0) {
                  throw new ResolveError(a.pos, `size of array element of type '${spellType(a.of, this.p)}' (${e.size} bytes) isn't a multiple of its alignment (${e.align} bytes)`, 'resolve-array');
                }
              } catch (err) {
                if (err instanceof ResolveError) throw err;
              }
            }
            esize = 1;
            if (d.k !== 'void' && d.k !== 'function' && !(d.k === 'record' && incompleteOk && this.recState[d.id]!.s === 'busy')) {
              try { esize = this.layout.sizeAlign(of).size; } catch { /* incomplete element: reported by the caller */ }
            }
          }
          if (n * BigInt(Math.max(esize, 1)) > BigInt(MAX_OBJECT_BYTES)) {
            throw new ResolveError(a.size.pos, `array is too large (${n} elements of ${esize} bytes)`, 'resolve-array');
          }
          of = { k: 'array', of, length: Number(n) };
          esize = esize * Number(n);
        }
        return of;
      }
      case 'function':
        return { k: 'function' };
      case 'vector':
        return this.vector(this.type(t.of, pos, incompleteOk), t.size, t.pos, () => spellType(t.of, this.p));
    }
  }

  private spec(s: TypeSpec, pos: SourcePos, incompleteOk: boolean): CType {
    switch (s.k) {
      case 'builtin': {
        const t = builtinType(s.words, pos);
        if (t.k === 'int' && (t.name === '__int128' || t.name === 'unsigned __int128') && !this.target.ints.__int128) {
          throw new ResolveError(pos, `__int128 is not supported on this target (${this.target.triple})`, 'resolve-unsupported');
        }
        if (s.words.includes('__float128') && !this.target.float128 && this.target.floatFormats['long double'] !== 'binary128') {
          throw new ResolveError(pos, `__float128 is not supported on this target (${this.target.triple})`, 'resolve-unsupported');
        }
        if (s.words.length === 1 && s.words[0] === '_Complex' && !this.plainComplexWarned.has(pos)) {
          this.plainComplexWarned.add(pos);
          this.warnings.push(diag('warning', pos, 'resolve-plain-complex', `plain '_Complex' requires a type specifier; assuming '_Complex double'`));
        }
        return t;
      }
      case 'typedef': {
        if (s.name === OFFSETOF_SIZE_T) return { k: 'int', name: this.target.sizeType as IntName };
        const id = this.typedefNames.get(s.name);
        if (id === undefined) throw new ResolveError(s.pos, `unknown type name '${s.name}'`, 'resolve-unknown-type');
        this.typedef(id);
        return { k: 'typedef', id };
      }
      case 'record': return { k: 'record', id: s.id };
      case 'recordRef': {
        const id = this.tags.get(`${s.kind} ${s.tag}`);
        if (id === undefined) {
          if (incompleteOk) return { k: 'void' };
          throw new ResolveError(pos, `incomplete type '${s.kind} ${s.tag}' (no definition of '${s.kind} ${s.tag}' was seen)`, 'resolve-incomplete');
        }
        return { k: 'record', id };
      }
      case 'enum': return { k: 'enum', id: s.id };
      case 'enumRef': {
        const id = this.enumTags.get(s.tag);
        if (id === undefined) {
          if (incompleteOk) return { k: 'void' };
          throw new ResolveError(pos, `incomplete type 'enum ${s.tag}'`, 'resolve-incomplete');
        }
        return { k: 'enum', id };
      }
      case 'unsupported':
        throw new ResolveError(pos, `unsupported type '${s.text}'`, 'resolve-unsupported');
    }
  }
}

export { cStringValue } from '../c/literals.js';

const INT_MODE_BITS: { readonly [mode: string]: number } = { QI: 8, HI: 16, SI: 32, DI: 64, TI: 128, byte: 8 };

/** Whether a scalar machine mode names an integer or a floating type (null: no mode structgen knows). */
function scalarModeKind(mode: string): 'int' | 'float' | null {
  if (Object.hasOwn(INT_MODE_BITS, mode) || mode === 'word' || mode === 'pointer') return 'int';
  return /^(HF|SF|DF|XF|TF|KF|IF)$/.test(mode) ? 'float' : null;
}

/** The floating type a mode names on a target, as clang chooses it (null: the target has none): XF is the x87
 * format's long double, TF a 128-bit long double (IEEE quad or IBM double-double) or else __float128, KF __float128,
 * IF the IBM double-double long double. */
function floatOfMode(t: TargetDesc, mode: string): FloatName | null {
  const ld = t.floatFormats['long double'];
  switch (mode) {
    case 'HF': return '_Float16';
    case 'SF': return t.floats.float.size === 4 ? 'float' : null;
    case 'DF': return t.floats.double.size === 8 ? 'double' : t.floats['long double'].size === 8 ? 'long double' : null;
    case 'XF': return ld === 'x87-80' ? 'long double' : null;
    case 'TF': return ld === 'binary128' || ld === 'ibm-double-double' ? 'long double' : t.float128 ? '_Float128' : null;
    case 'KF': return t.float128 ? '_Float128' : null;
    case 'IF': return ld === 'ibm-double-double' ? 'long double' : null;
    default: return null;
  }
}

/** Which keywords each base type keyword combines with (C11 6.7.2p2, GNU's __int128 and _FloatN). */
const COMBINES: { readonly [base: string]: ReadonlySet<string> } = {
  void: new Set(), _Bool: new Set(), bool: new Set(), __builtin_va_list: new Set(),
  char: new Set(['signed', 'unsigned', '_Complex']),
  short: new Set(['signed', 'unsigned', 'int', '_Complex']),
  int: new Set(['signed', 'unsigned', 'short', 'long', '_Complex']),
  long: new Set(['signed', 'unsigned', 'int', 'long', 'double', '_Complex']),
  __int128: new Set(['signed', 'unsigned']),
  float: new Set(['_Complex']), double: new Set(['long', '_Complex']),
  _Float16: new Set(['_Complex']), _Float32: new Set(['_Complex']), _Float64: new Set(['_Complex']), _Float128: new Set(['_Complex']),
  _Float32x: new Set(['_Complex']), _Float64x: new Set(['_Complex']), __float128: new Set(['_Complex']), __fp16: new Set(), __bf16: new Set(),
  signed: new Set(['char', 'short', 'int', 'long', '__int128', '_Complex']), unsigned: new Set(['char', 'short', 'int', 'long', '__int128', '_Complex']),
  // GNU complex integers too (`_Complex short`), not of _Bool or __int128
  _Complex: new Set(['float', 'double', 'long', '_Float16', '_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__float128',
    'char', 'short', 'int', 'signed', 'unsigned']),
};

/** An invalid combination of type keywords (`long char`, `int int`), as clang words it; null when valid. */
export function specifierError(words: readonly string[]): string | null {
  const seen = new Map<string, number>();
  for (const w of words) {
    const n = (seen.get(w) ?? 0) + 1;
    seen.set(w, n);
    if (n > (w === 'long' ? 2 : 1)) return w === 'long' ? `'long long long' is invalid` : `cannot combine with previous '${w}' declaration specifier`;
    const ok = COMBINES[w];
    if (!ok) continue;
    for (const other of seen.keys()) {
      if (other !== w && COMBINES[other] && !ok.has(other)) return w === '_Complex' ? `'_Complex ${other}' is invalid` : `'${other} ${w}' is invalid`;
    }
  }
  return null;
}

export function builtinType(words: readonly string[], pos: SourcePos): CType {
  const problem = specifierError(words);
  if (problem) throw new ResolveError(pos, problem, 'resolve-specifiers');
  const count = (w: string) => words.filter((x) => x === w).length;
  const has = (w: string) => words.includes(w);
  const unsigned = has('unsigned');
  const signed = has('signed');
  const longs = count('long');
  const bad = () => new ResolveError(pos, `invalid type specifier combination '${words.join(' ')}'`, 'resolve-specifiers');
  if (unsigned && signed) throw bad();
  if (has('__builtin_va_list')) return { k: 'valist' };
  if (has('void')) return { k: 'void' };
  if (has('_Bool') || has('bool')) return { k: 'int', name: '_Bool' };
  if (has('__int128') || has('__int128_t')) return { k: 'int', name: unsigned ? 'unsigned __int128' : '__int128' };
  if (has('__uint128_t')) return { k: 'int', name: 'unsigned __int128' };
  const flt = (): FloatName | null => {
    if (has('float') || has('_Float32')) return 'float';
    if (has('double')) return longs ? 'long double' : 'double';
    if (has('_Float64') || has('_Float32x')) return 'double';
    if (has('_Float64x')) return 'long double';
    if (has('_Float128') || has('__float128')) return '_Float128';
    if (has('_Float16') || has('__fp16')) return '_Float16';
    return null;
  };
  const f = flt();
  if (f) return has('_Complex') ? { k: 'complex', of: f } : { k: 'float', name: f };
  if (has('_Complex')) {
    // a GNU complex integer; plain `_Complex` is `_Complex double` (the caller warns, as clang does)
    if (words.length === 1) return { k: 'complex', of: 'double' };
    const part = builtinType(words.filter((w) => w !== '_Complex'), pos);
    if (part.k === 'int') return { k: 'complexInt', of: part.name };
    throw bad();
  }
  if (has('char')) return { k: 'int', name: unsigned ? 'unsigned char' : signed ? 'signed char' : 'char' };
  if (has('short')) return { k: 'int', name: unsigned ? 'unsigned short' : 'short' };
  if (longs >= 3) throw bad();
  if (longs === 2) return { k: 'int', name: unsigned ? 'unsigned long long' : 'long long' };
  if (longs === 1) return { k: 'int', name: unsigned ? 'unsigned long' : 'long' };
  if (has('int') || unsigned || signed) return { k: 'int', name: unsigned ? 'unsigned int' : 'int' };
  throw bad();
}

const CANON: { [k: string]: string } = {};
/** Evaluated dimensions of an array type, outermost first (typedef'd element types stop the walk). */
function arrayLengths(t: CType): Array<number | null> {
  const out: Array<number | null> = [];
  while (t.k === 'array') { out.push(t.length); t = t.of; }
  return out;
}

/** The declared type as C writes it: `unsigned int`, `struct timeval`, `char[8]`, `int *`, `void (*)(int)`. */
export function spellType(t: TypeExpr, p: Program, lengths?: ReadonlyArray<number | null>): string {
  const dims: string[] = [];
  let cur = t;
  while (cur.k === 'array') {
    const n = lengths?.[dims.length];
    dims.push(n !== undefined ? (n === null ? '[]' : `[${n}]`) : cur.size ? `[${exprText(cur.size)}]` : '[]');
    cur = cur.of;
  }
  let s: string;
  if (cur.k === 'base') s = [...cur.quals.filter((q) => q !== '__extension__'), specSpelling(cur.spec, p)].join(' ');
  else if (cur.k === 'pointer') {
    if (cur.to.k === 'function') s = `${spellType(cur.to.ret, p)} (*)${cur.to.params}`;
    else {
      // `T **...*`, counted in a loop
      let stars = 0;
      let x: TypeExpr = cur;
      while (x.k === 'pointer' && x.to.k !== 'function') { stars++; x = x.to; }
      const inner = spellType(x, p);
      s = inner.endsWith('*') ? `${inner}${'*'.repeat(stars)}` : `${inner} ${'*'.repeat(stars)}`;
    }
  } else if (cur.k === 'vector') s = `${spellType(cur.of, p)} __attribute__((vector_size(${exprText(cur.size)})))`;
  else s = `${spellType(cur.ret, p)} ()${cur.params}`;
  return dims.length ? `${s}${dims.join('')}` : s;
}

function exprText(e: Expr): string {
  switch (e.k) {
    case 'int': case 'float': case 'char': return e.text;
    case 'ident': return e.name;
    default: return '…';
  }
}

function specSpelling(s: TypeSpec, p: Program): string {
  switch (s.k) {
    case 'builtin': {
      const key = s.words.join(' ');
      if (CANON[key]) return CANON[key]!;
      try {
        const t = builtinType(s.words, { file: '', line: 0, col: 0 });
        const name = t.k === 'int' ? t.name : t.k === 'float' ? t.name : t.k === 'void' ? 'void' : t.k === 'valist' ? '__builtin_va_list' : t.k === 'complex' ? `_Complex ${t.of}` : key;
        CANON[key] = name;
        return name;
      } catch {
        return key;
      }
    }
    case 'typedef': return s.name;
    case 'record': {
      const r = p.records[s.id]!;
      return `${r.kind} ${r.tag ?? '(anonymous)'}`;
    }
    case 'recordRef': return `${s.kind} ${s.tag}`;
    case 'enum': return `enum ${p.enums[s.id]!.tag ?? '(anonymous)'}`;
    case 'enumRef': return `enum ${s.tag}`;
    case 'unsupported': return s.text;
  }
}
