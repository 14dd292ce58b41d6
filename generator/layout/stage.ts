// The layout stage: a resolved program and a target in, plain facts out (facts.ts). Records are laid out once, in
// definition order, by the algorithm the target and the record choose; members are promoted through anonymous
// members, bit-field windows are chosen, padding is found, and types become storage descriptions.

import { flatString as flat } from '../core/strings.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { CType, Enum, Field, Record, ResolvedProgram } from '../resolve/types.js';
import { isSigned } from '../target/ints.js';
import type { TargetDesc } from '../target/types.js';
import type {
  BitfieldFacts, ByteOrder, ConstantFacts, EnumFacts, FloatFacts, MemberFacts, PaddingFacts, PointeeFacts, ProgramFacts,
  RecordFacts, SlotFacts, TypeFacts,
} from './facts.js';
import { MAX_POINTEE_LEVELS } from './facts.js';
import { LayoutError, TypeSizer, tablesOf } from './sizer.js';
import { collectDocs, docKey, kernelDocParams, type CommentCache, type DocMap, type DocSite } from './docs.js';
import type { RecordLayout } from './types.js';

export interface ConstantInput {
  readonly name: string;
  readonly value: bigint | string;
  readonly body: string;
  readonly pos: ConstantFacts['pos'];
  readonly file?: string;
}

export interface LayoutStageInput {
  readonly header: string;
  readonly program: ResolvedProgram;
  /** The target with command-line switches and the compiler flavour applied. */
  readonly target: TargetDesc;
  readonly constants?: readonly ConstantInput[];
  /** The resolver's sizer (`Resolver.sizer`): records that sizeof, _Alignof or offsetof laid out are not laid out
   * again. Without it the stage makes its own. */
  readonly sizer?: TypeSizer;
  /** The text of a file the declarations were read from (from `PreprocessResult.sources`; null: unknown): its comments
   * fill the facts' `doc` slots. Without it every `doc` is null. */
  readonly sources?: (file: string) => string | null;
  /** Scanned files to share between translation units (the same header text is scanned once). */
  readonly comments?: CommentCache;
}

export interface LayoutStageResult {
  readonly facts: ProgramFacts;
  readonly diagnostics: readonly Diagnostic[];
}

/** Lays out every record of a resolved program and describes the result as facts, doc comments included: the facts
 * are complete when returned. */
export function layoutProgram(input: LayoutStageInput): LayoutStageResult {
  return new FactsBuilder(input).run();
}

class FactsBuilder {
  private readonly sizer: TypeSizer;
  private readonly T: TargetDesc;
  private readonly p: ResolvedProgram;
  private readonly diags: Diagnostic[] = [];
  private readonly keys = new Map<number, string>();
  private readonly reported = new Set<string>();

  constructor(private readonly input: LayoutStageInput) {
    this.p = input.program;
    this.T = input.target;
    this.sizer = input.sizer ?? new TypeSizer(tablesOf(input.program), input.target);
  }

  private docs: DocMap = new Map();

  // Facts are immutable, so equal strings and equal storage descriptions are shared: a big header's members repeat
  // a few names, spellings and types (100,000 records: about a third of the facts' memory).
  private readonly strings = new Map<string, string>();
  private readonly ints = new Map<number, TypeFacts>();
  private readonly others = new Map<string, TypeFacts>();
  private readonly arrays = new Map<TypeFacts, Map<string, TypeFacts>>();

  /** One string for equal strings, flat (a string built by concatenation keeps its parts until flattened). */
  private str<T extends string | null>(x: T): T {
    if (x === null) return x;
    const had = this.strings.get(x);
    if (had !== undefined) return had as T;
    flat(x);
    this.strings.set(x, x);
    return x;
  }

  /** A scalar's facts, one object for equal ones (the cases a record's members repeat). */
  private sharedScalar(t: TypeFacts): TypeFacts {
    let key: string;
    switch (t.k) {
      case 'int': {
        const n = (t.bytes << 3) | (t.signed ? 4 : 0) | (t.order === 'little' ? 2 : 0) | (t.char ? 1 : 0);
        const had = this.ints.get(n);
        if (had) return had;
        this.ints.set(n, t);
        return t;
      }
      case 'bool': key = `b${t.bytes}`; break;
      case 'float': key = `f${t.bytes}${t.format}${t.order}`; break;
      case 'enum': key = `e${t.id}${t.order}`; break;
      case 'record': key = `r${t.id}`; break;
      case 'opaque': key = `o${t.bytes}`; break;
      default: return t;
    }
    const had = this.others.get(key);
    if (had) return had;
    this.others.set(key, t);
    return t;
  }

  private sharedArray(of: TypeFacts, length: number | null, stride: number): TypeFacts {
    let m = this.arrays.get(of);
    if (!m) this.arrays.set(of, m = new Map());
    const key = `${length}:${stride}`;
    let a = m.get(key);
    if (!a) m.set(key, a = { k: 'array', of, length, stride });
    return a;
  }

  private docOf(pos: { file: string; line: number; col: number }): string | null {
    // (a header without doc comments makes no key per declaration)
    return this.docs.size === 0 ? null : this.docs.get(docKey(pos)) ?? null;
  }

  /** The doc comments of every declaration, from the sources, before any fact is made. */
  private collectDocs() {
    const sources = this.input.sources;
    if (!sources) return;
    const files = new Set<string>();
    const sites: DocSite[] = [];
    for (const r of this.p.records) {
      if (!r) continue;
      files.add(r.definedIn);
      sites.push({ pos: r.pos, kind: 'record' });
      for (const f of r.fields) if (f.name !== null) sites.push({ pos: f.pos, kind: 'member' });
    }
    for (const e of this.p.enums) {
      if (!e) continue;
      files.add(e.definedIn);
      sites.push({ pos: e.pos, kind: 'enum' });
      for (const v of e.values) sites.push({ pos: v.pos, kind: 'enumerator' });
    }
    for (const c of this.input.constants ?? []) {
      files.add(c.file ?? c.pos.file);
      sites.push({ pos: c.pos, kind: 'define' });
    }
    this.docs = collectDocs(sites, files, sources, this.input.comments);
  }

  run(): LayoutStageResult {
    this.assignKeys();
    this.collectDocs();
    const reported = new Set<string>();
    const records = this.p.records.map((r) => {
      if (!r) return null;
      try {
        return this.record(r);
      } catch (e) {
        if (!(e instanceof LayoutError)) throw e;
        const k = `${r.pos.file}:${r.pos.line}:${r.pos.col}:${e.message}`;
        if (!r.system && !reported.has(k)) {
          reported.add(k);
          this.diags.push(diag('error', r.pos, e.code, e.message));
        }
        return null;
      }
    });
    const enums = this.p.enums.map((e) => (e ? this.enumFacts(e) : null));
    const constants = (this.input.constants ?? []).map((c): ConstantFacts => ({
      name: c.name,
      value: typeof c.value === 'string' ? { k: 'string', value: c.value } : { k: 'int', value: String(c.value) },
      body: c.body, pos: c.pos, file: c.file ?? c.pos.file, doc: this.docOf(c.pos),
    }));
    const facts: ProgramFacts = {
      target: { triple: this.T.triple, endian: this.T.endian, pointerBytes: this.T.pointer.size, compiler: this.T.compiler ?? 'clang' },
      header: this.input.header, records, enums, constants,
    };
    return { facts, diagnostics: this.diags };
  }

  /** Records a macro expands at one spot share it (`__struct_group` makes two): their ordinal there is part of the
   * key, and the same header text gives the same ordinals in every translation unit. */
  private assignKeys() {
    const count = new Map<string, number>();
    for (const r of this.p.records) {
      if (!r) continue;
      const base = `${r.definedIn}:${r.pos.line}:${r.pos.col}:${r.kind}:${r.name ?? ''}`;
      const n = count.get(base) ?? 0;
      count.set(base, n + 1);
      this.keys.set(r.id, flat(`${base}#${n}`));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  private record(r: Record): RecordFacts {
    const L = this.sizer.recordLayout(r.id);
    const slots: SlotFacts[] = r.fields.map((f, i) => {
      const fl = L.fields[i]!;
      return { name: this.str(f.name), bitOffset: fl.bitOffset, bitSize: fl.bitSize, bitfield: f.bitWidth !== null, align: fl.align };
    });
    const members: MemberFacts[] = [];
    const doc = this.docOf(r.pos);
    this.promote(r, L, 0, r.kind === 'union', L.size, members, kernelDocParams(doc));
    const last = r.fields[r.fields.length - 1];
    let flexible: RecordFacts['flexible'] = null;
    if (last && last.name !== null && last.bitWidth === null) {
      const t = this.sizer.desugar(last.type);
      if (t.k === 'array' && t.length === null) {
        flexible = { member: last.name, byteOffset: L.fields[r.fields.length - 1]!.bitOffset / 8, stride: this.sizer.sizeAlign(t.of).size };
      }
    }
    for (const m of members) {
      if (m.countedBy === null || flexible?.member === m.name || r.system) continue;
      if (m.type.k === 'pointer' && m.type.to.k !== 'void' && m.type.to.k !== 'function') continue; // counts what it points to
      const k = `${m.pos.file}:${m.pos.line}:${m.pos.col}:counted_by`;
      if (this.reported.has(k)) continue; // a promoted member is met again in the record that holds its own
      this.reported.add(k);
      this.diags.push(diag('warning', m.pos, 'counted-by-not-flexible',
        `'counted_by(${m.countedBy})' on '${m.name}' is ignored: it applies to a flexible array member (the last member, declared T name[]) or a pointer to a type with a size`));
    }
    return {
      id: r.id, key: this.keys.get(r.id)!, kind: r.kind, tag: this.str(r.tag), name: this.str(r.name),
      cName: this.str(r.tag ? `${r.kind} ${r.tag}` : r.name ?? `${r.kind} (anonymous)`),
      size: L.size, align: L.align, packed: r.packed, pack: r.pack, algorithm: this.algorithmOf(r),
      pos: r.pos, file: r.definedIn, parent: r.parent, anonymousMember: r.anonymousMember, system: r.system, doc,
      slots, members, padding: orNone(slotPadding(r, slots, L.size)), gaps: orNone(memberGaps(members, L.size)), flexible,
    };
  }

  private algorithmOf(r: Record): RecordFacts['algorithm'] {
    if (this.T.algorithm === 'msvc') return 'msvc';
    const gcc = this.T.compiler === 'gcc';
    const attr = this.T.gnuFlavour?.msStructAttr ?? true;
    return (this.T.algorithm === 'ms_struct' && !(gcc && r.gccStruct)) || (r.msStruct && attr) ? 'ms_struct' : 'gnu';
  }

  /** Members as C accesses them: anonymous struct/union members promoted, unnamed bit-fields left out. */
  private promote(r: Record, L: RecordLayout, base: number, overlaid: boolean, outerSize: number, out: MemberFacts[],
    params: Map<string, string> | null) {
    const stack: Array<{ r: Record; L: RecordLayout; base: number; overlaid: boolean; i: number }> = [{ r, L, base, overlaid, i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.r.fields.length) { stack.pop(); continue; }
      const i = top.i++;
      const f = top.r.fields[i]!;
      const off = top.base + top.L.fields[i]!.bitOffset;
      if (f.name === null) {
        if (f.bitWidth !== null) continue;
        const t = this.sizer.desugar(f.type);
        if (t.k !== 'record') continue;
        const inner = this.p.records[t.id]!;
        stack.push({ r: inner, L: this.sizer.recordLayout(t.id), base: off, overlaid: top.overlaid || inner.kind === 'union', i: 0 });
        continue;
      }
      // a member with no comment of its own takes its paragraph of the record's kernel-doc comment
      out.push(this.member(f, off, top.L.fields[i]!.bitSize, top.overlaid, outerSize, this.docOf(f.pos) ?? params?.get(f.name) ?? null));
    }
  }

  private member(f: Field, bitOffset: number, bitSize: number, overlaid: boolean, recSize: number, doc: string | null): MemberFacts {
    const bitfield = f.bitWidth === null ? null : this.bitfield(f, bitOffset, recSize);
    return {
      name: this.str(f.name!), bitOffset, bitSize: f.bitWidth ?? bitSize, type: this.typeFacts(f.type), cType: this.str(f.spelling),
      bitfield, overlaid, pos: f.pos, doc, countedBy: f.countedBy ?? null,
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** A member's type as storage. Typedefs are followed (iteratively: chains can be long); `__be16`, `__le32`, ...
   * (the Linux spellings) set the byte order of what they name. */
  typeFacts(t: CType, inherited: ByteOrder | null = null): TypeFacts {
    // peel array layers first (a member may have thousands of dimensions), then describe the element
    const layers: Array<{ length: number | null; stride: number }> = [];
    let order = inherited;
    let cur = t;
    for (;;) {
      const d = this.desugarWithOrder(cur);
      if (d.order) order = d.order;
      if (d.t.k !== 'array') { cur = d.t; break; }
      layers.push({ length: d.t.length, stride: this.sizer.sizeAlign(d.t.of).size });
      cur = d.t.of;
    }
    let facts = this.sharedScalar(this.scalar(cur, order ?? this.T.endian));
    for (let i = layers.length - 1; i >= 0; i--) facts = this.sharedArray(facts, layers[i]!.length, layers[i]!.stride);
    return facts;
  }

  private desugarWithOrder(t: CType): { t: CType; order: ByteOrder | null } {
    let order: ByteOrder | null = null;
    let cur = t;
    while (cur.k === 'typedef') {
      const td = this.p.typedefs[cur.id]!;
      if (order === null) {
        const m = /^__(be|le)(16|32|64)$/.exec(td.name);
        if (m) order = m[1] === 'le' ? 'little' : 'big';
      }
      cur = td.type;
    }
    return { t: cur, order };
  }

  private scalar(t: CType, order: ByteOrder): TypeFacts {
    const T = this.T;
    switch (t.k) {
      case 'int': {
        const bytes = this.sizer.sizeAlign(t).size;
        if (t.name === '_Bool') return { k: 'bool', bytes };
        return { k: 'int', bytes, signed: isSigned(T, t.name), order, char: t.name === 'char' };
      }
      case 'enum': {
        const e = this.p.enums[t.id]!;
        return { k: 'enum', id: t.id, bytes: this.sizer.sizeAlign(t).size, signed: isSigned(T, e.underlying), order };
      }
      case 'pointer': {
        const { to, text } = this.pointee(t);
        return { k: 'pointer', bytes: T.pointer.size, order, function: t.fn, to, text };
      }
      case 'float': return this.float(t.name, order);
      case 'complex': {
        const part = this.float(t.of, order);
        return { k: 'complex', bytes: part.bytes * 2, part };
      }
      case 'complexInt': {
        // a GNU complex integer is read as its two parts, real first
        const part = this.scalar({ k: 'int', name: t.of }, order);
        return { k: 'array', of: part, length: 2, stride: this.sizer.sizeAlign({ k: 'int', name: t.of }).size };
      }
      case 'record': return { k: 'record', id: t.id };
      case 'valist': return { k: 'opaque', bytes: T.vaList.size };
      case 'array': case 'typedef': return this.typeFacts(t, order);
      case 'void': case 'function':
        throw new LayoutError(-1, `a member of type ${t.k} has no storage`, 'layout-incomplete');
    }
  }

  /** What a pointer points to. Typedefs of the byte-sized integers (`uint8_t`, `__u8`) make a character pointee
   * data, not text. A pointee with no storage (an undefined record inside an array) is `void`. */
  /** How many pointer levels `pointee` is inside. */
  private pointerLevel = 0;

  private pointee(t: CType & { k: 'pointer' }): { to: PointeeFacts; text: boolean } {
    if (t.fn) return { to: { k: 'function' }, text: false };
    // a chain `T **...*` is described MAX_POINTEE_LEVELS levels deep (the member's own counted): bounded recursion
    if (!t.pointee || this.pointerLevel >= MAX_POINTEE_LEVELS - 1) return { to: { k: 'void' }, text: false };
    let cur = t.pointee;
    let bytesNamed = false;
    while (cur.k === 'typedef') {
      const td = this.p.typedefs[cur.id]!;
      if (BYTE_INTEGER_NAMES.has(td.name)) bytesNamed = true;
      cur = td.type;
    }
    if (cur.k === 'void') return { to: { k: 'void' }, text: false };
    if (cur.k === 'function') return { to: { k: 'function' }, text: false };
    this.pointerLevel++;
    try {
      const to = this.typeFacts(t.pointee);
      return { to, text: !bytesNamed && to.k === 'int' && to.bytes === 1 };
    } catch (e) {
      if (e instanceof LayoutError) return { to: { k: 'void' }, text: false };
      throw e;
    } finally {
      this.pointerLevel--;
    }
  }

  private float(name: import('../resolve/types.js').FloatName, order: ByteOrder): FloatFacts {
    const format = name === '_Float16' ? 'binary16' : name === '_Float128' ? 'binary128' : this.T.floatFormats[name];
    return { k: 'float', bytes: this.sizer.sizeAlign({ k: 'float', name }).size, format, order };
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** Where a bit-field is read from: its declared type's storage unit when that unit lies inside the record and
   * holds the field (so neighbours in one unit share one read), else the smallest aligned window of 1, 2 or 4 bytes
   * (8 over 32 bits) that does; and always the span of bytes it touches. */
  private bitfield(f: Field, bitOffset: number, recSize: number): BitfieldFacts {
    const T = this.T;
    const width = f.bitWidth!;
    const d = this.sizer.desugar(f.type);
    const under = d.k === 'enum' ? this.p.enums[d.id]!.underlying : d.k === 'int' ? d.name : 'int';
    const isBool = d.k === 'int' && d.name === '_Bool';
    const signed = !isBool && (d.k === 'enum' ? T.enumBitfieldSigned || isSigned(T, under) : isSigned(T, under));
    const le = T.endian === 'little';
    const byte = Math.floor(bitOffset / 8);
    const span = Math.ceil(((bitOffset % 8) + width) / 8);
    const big = width > 32;
    let start = -1;
    let W = 0;
    const T0 = this.sizer.sizeAlign(d.k === 'enum' ? { k: 'int', name: under } : f.type).size;
    const unitStart = T0 > 0 ? Math.floor(byte / T0) * T0 : 0;
    if (!big && (T0 === 1 || T0 === 2 || T0 === 4) && bitOffset + width <= (unitStart + T0) * 8 && unitStart + T0 <= recSize) {
      start = unitStart;
      W = T0;
    }
    for (const w of W > 0 ? [] : big ? [8] : [1, 2, 4]) {
      if (w < span) continue;
      if (byte + w <= recSize) { start = byte; W = w; break; }
      if (byte + span - w >= 0) { start = byte + span - w; W = w; break; }
    }
    const shiftIn = (at: number, bytes: number) => {
      const rel = bitOffset - at * 8;
      return le ? rel : bytes * 8 - rel - width;
    };
    return {
      width, signed,
      unit: W > 0 ? { byteOffset: start, bytes: W as 1 | 2 | 4 | 8, shift: shiftIn(start, W) } : null,
      span: { byteOffset: byte, bytes: span, shift: shiftIn(byte, span) },
    };
  }

  // ---------------------------------------------------------------------------------------------------------------
  private enumFacts(e: Enum): EnumFacts {
    const sa = this.sizer.sizeAlign({ k: 'int', name: e.underlying });
    const doc = this.docOf(e.pos);
    const params = kernelDocParams(doc);
    return {
      id: e.id, key: `${e.definedIn}:${e.pos.line}:${e.pos.col}:${e.name ?? ''}`, tag: e.tag, name: e.name,
      bytes: sa.size, signed: isSigned(this.T, e.underlying),
      values: e.values.map((v) => ({ name: v.name, value: String(v.value), pos: v.pos, doc: this.docOf(v.pos) ?? params?.get(v.name) ?? null })),
      pos: e.pos, file: e.definedIn, system: e.system, doc,
    };
  }
}

/** No padding, no gaps: one empty list for every record. */
const NONE: readonly PaddingFacts[] = Object.freeze([]);
const orNone = (l: readonly PaddingFacts[]): readonly PaddingFacts[] => (l.length ? l : NONE);

/** Typedef names of byte-sized integers: a pointer to one points to data, not text. */
const BYTE_INTEGER_NAMES = new Set(['int8_t', 'uint8_t', '__int8_t', '__uint8_t', 'int_least8_t', 'uint_least8_t', '__u8', '__s8', 'u8', 's8', 'u_int8_t']);

/** Unused bits between and after the declared slots; unnamed bit-fields are padding, an anonymous member one slot. */
function slotPadding(r: Record, slots: readonly SlotFacts[], size: number): PaddingFacts[] {
  const end = size * 8;
  const out: PaddingFacts[] = [];
  if (r.kind === 'union') {
    const used = Math.max(0, ...slots.map((f) => f.bitOffset + f.bitSize));
    if (used < end) out.push({ bitOffset: used, bitSize: end - used, kind: 'tail' });
    return out;
  }
  let cursor = 0;
  slots.forEach((f) => {
    if (f.name === null && f.bitfield) return;
    if (f.bitOffset > cursor) out.push({ bitOffset: cursor, bitSize: f.bitOffset - cursor, kind: 'hole' });
    cursor = Math.max(cursor, f.bitOffset + f.bitSize);
  });
  if (cursor < end) out.push({ bitOffset: cursor, bitSize: end - cursor, kind: 'tail' });
  return out;
}

/** Unused bits at the level of the promoted members (members may overlap: a union's, an anonymous union's). */
function memberGaps(members: readonly MemberFacts[], size: number): PaddingFacts[] {
  const end = size * 8;
  const spans = members.map((m) => [m.bitOffset, m.bitOffset + m.bitSize] as const).filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  const out: PaddingFacts[] = [];
  let cursor = 0;
  for (const [a, b] of spans) {
    if (a > cursor) out.push({ bitOffset: cursor, bitSize: a - cursor, kind: 'hole' });
    cursor = Math.max(cursor, b);
  }
  if (cursor < end) out.push({ bitOffset: cursor, bitSize: end - cursor, kind: 'tail' });
  return out;
}
