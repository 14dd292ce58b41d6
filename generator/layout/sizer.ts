// sizeof and _Alignof of every C type on a target, with memoized raw record layouts (the algorithms' output).
// One per translation unit: the resolver makes it (sizeof/_Alignof/offsetof in constant expressions, as clang's
// ASTContext) and hands it to the layout stage (stage.ts), which turns the same layouts into facts. No other stage
// asks it anything.

import type { CType, Enum, Field, Record, ResolvedProgram, Typedef } from '../resolve/types.js';
import type { TargetDesc } from '../target/index.js';
import { intSizeAlign } from '../target/ints.js';
import { layoutRecordWith } from './algorithms.js';
import type { MemberTypeInfo, RecordLayout } from './types.js';

export type { RecordLayout, FieldLayout, MemberTypeInfo } from './types.js';

export interface TypeTables {
  record(id: number): Record;
  enumType(id: number): Enum;
  typedef(id: number): Typedef;
}

/** A record that cannot be laid out (it contains itself, or a member has no storage). */
export class LayoutError extends Error {
  constructor(readonly recordId: number, message: string, readonly code = 'layout-contains-itself') { super(message); }
}

export interface SizeAlignBytes { readonly size: number; readonly align: number }

export class TypeSizer {
  private readonly cache = new Map<number, RecordLayout>();
  private readonly inProgress = new Set<number>();

  constructor(readonly tables: TypeTables, readonly target: TargetDesc) {}

  recordLayout(id: number): RecordLayout {
    const hit = this.cache.get(id);
    if (hit) return hit;
    const rec = this.tables.record(id);
    if (this.inProgress.has(id)) {
      throw new LayoutError(id, `${rec.kind} '${rec.name ?? '(anonymous)'}' contains itself`);
    }
    this.inProgress.add(id);
    try {
      const info = rec.fields.map((f) => this.memberInfo(f));
      const l = layoutRecordWith({ record: rec, info, target: this.target });
      this.cache.set(id, l);
      return l;
    } finally {
      this.inProgress.delete(id);
    }
  }

  /** sizeof and _Alignof (alignment inside records) of a type; typedef alignment attributes honoured. Typedef
   * chains and array dimensions are walked in a loop: both can be thousands deep. */
  sizeAlign(t: CType): SizeAlignBytes {
    let mult = 1; // elements of the arrays passed so far
    let align = 0; // decided by the outermost aligned typedef, else by what the arrays hold
    let cur = t;
    for (;;) {
      if (cur.k === 'typedef') {
        const td = this.tables.typedef(cur.id);
        if (!align && td.alignAttr) align = td.alignAttr;
        cur = td.type;
        continue;
      }
      if (cur.k === 'array' && !cur.vector) {
        mult *= cur.length ?? 0;
        cur = cur.of;
        continue;
      }
      break;
    }
    const base = cur.k === 'array' ? this.vectorSizeAlign(cur) : this.scalarSizeAlign(cur);
    return { size: base.size * mult, align: align || base.align };
  }

  /** A vector (`vector_size`, vector `mode`) as clang lays it out: aligned to its size rounded up to a power of two
   * (a 12-byte vector takes 16 bytes), at most the target's largest vector alignment; gcc's i386 exception aside.
   * What aligns the element type does not matter. */
  private vectorSizeAlign(v: CType & { k: 'array' }): SizeAlignBytes {
    const T = this.target;
    const width = this.sizeAlign(v.of).size * (v.length ?? 0);
    let align = 1;
    while (align < width) align *= 2;
    const size = Math.ceil(width / align) * align;
    const elem = this.desugar(v.of);
    if (T.intVector8Align && size === 8 && (elem.k === 'int' || elem.k === 'enum')) align = T.intVector8Align;
    if (T.maxVectorAlign && align > T.maxVectorAlign) align = T.maxVectorAlign;
    return { size, align };
  }

  private scalarSizeAlign(t: CType): SizeAlignBytes {
    const T = this.target;
    switch (t.k) {
      case 'int': return intSizeAlign(T, t.name);
      case 'float':
        if (t.name === '_Float16') return { size: 2, align: 2 };
        if (t.name === '_Float128') return { size: 16, align: 16 };
        return T.floats[t.name];
      case 'complex': {
        const e = this.scalarSizeAlign({ k: 'float', name: t.of });
        return { size: e.size * 2, align: e.align };
      }
      case 'complexInt': {
        const e = intSizeAlign(T, t.of);
        return { size: e.size * 2, align: e.align };
      }
      case 'pointer': return T.pointer;
      case 'valist': return T.vaList;
      case 'record': {
        const l = this.recordLayout(t.id);
        return { size: l.size, align: l.align };
      }
      case 'enum': {
        const e = this.tables.enumType(t.id);
        const sa = intSizeAlign(T, e.underlying);
        // clang: an aligned enum is aligned exactly so (lower or higher than its integer type)
        return e.alignAttr ? { size: sa.size, align: e.alignAttr } : sa;
      }
      case 'array': case 'typedef': return this.sizeAlign(t);
      case 'void': case 'function':
        throw new Error(`sizeAlign of incomplete type ${t.k}`);
    }
  }

  desugar(t: CType): CType {
    while (t.k === 'typedef') t = this.tables.typedef(t.id).type;
    return t;
  }

  /** MSVC's "natural" size and alignment: typedefs removed at the top level only (an array of an aligned
   * typedef keeps the typedef's alignment, as clang's MSVC layout does). */
  private naturalSizeAlign(t: CType): SizeAlignBytes {
    return this.sizeAlign(this.desugar(t));
  }

  private typeAlignAttr(t: CType): number {
    // MSVC: does the type itself carry an alignment attribute (typedef, record, array of such)?
    if (t.k === 'typedef') {
      const td = this.tables.typedef(t.id);
      return td.alignAttr ? this.sizeAlign(t).align : this.typeAlignAttr(td.type);
    }
    if (t.k === 'record') return this.tables.record(t.id).alignAttr ? this.sizeAlign(t).align : 0;
    if (t.k === 'enum') return this.tables.enumType(t.id).alignAttr ? this.sizeAlign(t).align : 0;
    if (t.k === 'array') return this.typeAlignAttr(t.of);
    return 0;
  }

  memberInfo(f: Field): MemberTypeInfo {
    const sa = this.sizeAlign(f.type);
    const nat = this.naturalSizeAlign(f.type);
    let base = this.desugar(f.type);
    const flexible = base.k === 'array' && base.length === null;
    // arrays are stripped to their element; a vector is a type of its own (clang's getBaseElementType)
    while (base.k === 'array' && !base.vector) base = this.desugar(base.of);
    const scalarSize = base.k === 'int' || base.k === 'float' ? this.sizeAlign(base).size : 0;
    const needsMsvc = this.target.algorithm === 'msvc';
    return {
      size: sa.size,
      align: f.typeAlign || sa.align,
      naturalSize: nat.size,
      naturalAlign: nat.align,
      flexible,
      scalarSize,
      typeAlignAttr: needsMsvc ? this.typeAlignAttr(f.type) : 0,
      recordRequired: needsMsvc && base.k === 'record' ? this.recordLayout(base.id).required : 0,
    };
  }
}

export function tablesOf(p: ResolvedProgram): TypeTables {
  return {
    record: (id) => p.records[id]!,
    enumType: (id) => p.enums[id]!,
    typedef: (id) => p.typedefs[id]!,
  };
}
