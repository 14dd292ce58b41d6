// Builds the view model of one emitted record: TypeScript types and ready-made code snippets for decode,
// encode and view accessors. Offsets, bit windows and byte order are decided here, never in templates.

import type { TypeSizer as LayoutContext } from '../layout/sizer.js';
import type { CType, Enum, Field, Record } from '../resolve/types.js';
import type { TargetDesc } from '../target/index.js';
import { isSigned } from '../target/ints.js';
import { memberName, stringLiteral } from './names.js';

/** Where another record's generated code lives, for references across records and modules. */
export interface RecordRef {
  /** Exported type / codec name. */
  readonly name: string;
  readonly viewName: string;
  readonly inputName: string;
  /** Module that defines it (`./included.js`), or null when it is in the module being emitted. */
  readonly module: string | null;
}

export interface EnumRef {
  readonly typeName: string;
  readonly valuesName: string;
  readonly module: string | null;
}

export interface EmitContext {
  readonly target: TargetDesc;
  readonly layout: LayoutContext;
  readonly records: readonly (Record | null)[];
  readonly enums: readonly (Enum | null)[];
  recordRef(id: number): RecordRef;
  enumRef(id: number): EnumRef | null;
  /** Byte-order override for `record.field` from the config or CLI, or undefined. */
  endianOverride(record: string, field: string): 'big' | 'little' | undefined;
  /** Registers a module-level helper once; returns its name. */
  helper(name: string, code: string): string;
}

export interface MemberModel {
  readonly name: string;
  readonly cName: string;
  readonly ts: string;
  readonly inputTs: string;
  readonly viewTs: string;
  readonly optionalInput: boolean;
  /** `name: <expr>` entries of the decode object literal. */
  readonly read: string;
  readonly write: readonly string[];
  readonly viewGet: string;
  readonly viewSet: readonly string[] | null;
  readonly comment: string;
  /** Bit-fields read through an aligned window: what lets neighbours in one window share one read and one write. */
  readonly unit?: BitUnit;
}

interface BitUnit {
  /** The window's read expression (`dv.getUint16(o + 6, true)`), also its identity. */
  readonly x: string;
  readonly set: (v: string) => string;
  /** Bits of the window outside this field. */
  readonly keep: number;
  /** The field's checked value, masked and shifted into place (a 32-bit expression). */
  readonly part: string;
}

export interface RecordModel {
  readonly cName: string;
  readonly name: string;
  readonly viewName: string;
  readonly inputName: string;
  readonly kind: 'struct' | 'union';
  readonly size: number;
  readonly align: number;
  readonly where: string;
  readonly members: readonly MemberModel[];
  readonly fieldTable: string;
  readonly exportCodec: boolean;
  /** Flexible array member: decodeMany/viewMany are omitted and encode sizes itself. */
  readonly fam: { readonly member: string; readonly offset: number; readonly stride: number } | null;
  /** Statements before the decode literal: bit-field windows read once for all their fields. */
  readonly prelude: readonly string[];
  /** The record's own members as literal data for the type-level layout check (runtime LayoutCheck). */
  readonly layoutFacts: string;
  /** Statements (over `dv` and `o`) that zero the bytes no member is sure to write; encode runs them first. */
  readonly zero: readonly string[];
}

/** How one C type is decoded, viewed and encoded. Snippets take expression strings: `o` a byte offset, `r` and
 * `f` the record and field labels for errors; generated code has `dv` (a DataView) and `s` (strict) in scope. */
interface Codec {
  ts: string;
  inputTs: string;
  viewTs: string;
  size: number;
  read(o: string, r: string, f: string): string;
  view(o: string, r: string, f: string): string;
  write(o: string, v: string, r: string, f: string): string;
  /** Whether a view setter exists (false for records and arrays of records or arrays). */
  settable: boolean;
  /** Module-level element reader / writer / view-element reader names, for arrays of this type. */
  elemRead(): string;
  elemWrite(): string | null;
  elemView(): string;
}

const NUM = 'number';
/** Arrays up to this many elements are read and written element by element, without a loop. */
const UNROLL = 16;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `o + 12` plus 8 is `o + 20`: offsets stay one addition. */
function plus(o: string, k: number): string {
  if (k === 0) return o;
  const m = /^(.*) \+ (\d+)$/.exec(o);
  return m ? `${m[1]} + ${Number(m[2]) + k}` : `${o} + ${k}`;
}

/** The error label of element `i`: a literal stays a literal (no string building on the hot path). */
function indexLabel(f: string, i: number): string {
  return /^"(?:[^"\\]|\\.)*"$/.test(f) ? JSON.stringify(`${JSON.parse(f) as string}[${i}]`) : `${f} + '[${i}]'`;
}
const ELEM = "'[]'";

export class RecordEmitter {
  constructor(private readonly ctx: EmitContext) {}

  model(rec: Record, names: RecordRef, exportCodec: boolean): RecordModel {
    const L = this.ctx.layout.recordLayout(rec.id);
    const R = stringLiteral(names.name);
    const members: MemberModel[] = [];
    const table: string[] = [];
    let fam: RecordModel['fam'] = null;
    for (const m of this.flatten(rec, 0)) {
      const f = m.field;
      const name = memberName(f.name!);
      const F = stringLiteral(m.path);
      const byteOff = Math.floor(m.bitOffset / 8);
      const o = `o + ${byteOff}`;
      const optional = rec.kind === 'union' || m.inUnion;
      if (f.bitWidth !== null) {
        members.push(this.bitfield(L.size, f, name, m.bitOffset, R, F, optional));
        table.push(`[${F}, ${byteOff}, ${Math.ceil(((m.bitOffset % 8) + f.bitWidth) / 8)}]`);
        continue;
      }
      const le = this.byteOrder(f.type, rec, f);
      const t = this.ctx.layout.desugar(f.type);
      if (t.k === 'array' && t.length === null) {
        const stride = this.ctx.layout.sizeAlign(t.of).size;
        fam = { member: name, offset: byteOff, stride };
        const ebytes = this.byteElem(t.of);
        if (ebytes) {
          members.push({
            name, cName: f.name!, ts: ebytes.arr, inputTs: ebytes.arr, viewTs: ebytes.arr, optionalInput: true,
            read: `${name}: $rt.${ebytes.copy}(dv, ${o}, $rt.fitting(dv, ${o}, 1))`,
            write: [`if (v.${name} !== undefined) $rt.writeBytes(dv, ${o}, v.${name}.length, v.${name}, ${R}, ${F});`],
            viewGet: `$rt.${ebytes.view}(dv, ${o}, $rt.fitting(dv, ${o}, 1))`, viewSet: null,
            comment: `${f.spelling}: flexible array at byte ${byteOff}, the bytes that fit in the source`,
          });
        } else {
          const elem = this.codec(t.of, le);
          const writer = elem.elemWrite();
          members.push({
            name, cName: f.name!, ts: `${elem.ts}[]`, inputTs: `${elem.inputTs}[]`, viewTs: `$rt.ArrayView<${elem.viewTs}, ${elem.inputTs}>`,
            optionalInput: true,
            read: `${name}: $rt.readArray(dv, ${o}, $rt.fitting(dv, ${o}, ${stride}), ${stride}, ${elem.elemRead()}, s)`,
            write: writer ? [`if (v.${name} !== undefined) $rt.writeArray(dv, ${o}, v.${name}.length, ${stride}, v.${name}, ${writer}, ${R}, ${F});`] : [],
            viewGet: `new $rt.ArrayView<${elem.viewTs}, ${elem.inputTs}>(dv, ${o}, $rt.fitting(dv, ${o}, ${stride}), ${stride}, ${elem.elemView()}, ${writer ?? 'null'}, ${R}, ${F})`,
            viewSet: null,
            comment: `${f.spelling}: flexible array at byte ${byteOff}, the elements that fit in the source`,
          });
        }
        table.push(`[${F}, ${byteOff}, 0]`);
        continue;
      }
      const c = this.codec(f.type, le);
      const write = c.write(o, `v.${name}`, R, F);
      members.push({
        name, cName: f.name!, ts: c.ts, inputTs: c.inputTs, viewTs: c.viewTs, optionalInput: optional,
        read: `${name}: ${c.read(o, R, F)}`,
        write: optional ? [`if (v.${name} !== undefined) { ${write} }`] : [write],
        viewGet: c.view(o, R, F),
        viewSet: c.settable ? [c.write(o, 'v', R, F)] : null,
        comment: `${f.spelling} at byte ${byteOff}${c.size > 1 && !this.isByteSized(f.type) ? (le ? '' : ', big-endian') : ''}`,
      });
      table.push(`[${F}, ${byteOff}, ${this.ctx.layout.sizeAlign(f.type).size}]`);
    }
    const { members: merged, prelude } = shareBitUnits(members);
    const facts: string[] = [];
    rec.fields.forEach((f, i) => {
      if (f.name === null && f.bitWidth !== null) return; // unnamed bit-fields are padding
      const fl = L.fields[i]!;
      let align = 0;
      if (f.bitWidth === null) {
        // the alignment the layout honoured: the type's, as far as packing left it (the offset's own power of two)
        const bytes = fl.bitOffset / 8;
        align = Math.min(this.ctx.layout.sizeAlign(f.type).align, 8192);
        while (align > 1 && bytes % align !== 0) align /= 2;
        if (align === 1) align = 0; // every byte offset is aligned to 1: nothing to check
      }
      const q = align ? fl.bitOffset / (8 * align) : 0;
      facts.push(`[${stringLiteral(f.name ?? '(anonymous)')}, ${fl.bitOffset}, ${fl.bitSize}, ${align}, ${q}]`);
    });
    const layoutFacts = `{ name: ${stringLiteral(`${rec.kind} ${rec.name ?? '(anonymous)'}`)}, bits: ${L.size * 8}, union: ${rec.kind === 'union'}, fields: [${facts.join(', ')}] }`;
    // encode zeroes, before $write writes the members, exactly the bytes no member is sure to write: padding at
    // any depth, unnamed bit-fields, window bits no field holds, and unions (whose members are optional) whole.
    const covered = new Uint8Array(L.size * 8);
    const cover = (r: Record, base: number, union: boolean) => {
      for (const m of this.flatten(r, base)) {
        if (union || m.inUnion || r.kind === 'union') continue;
        if (m.field.bitWidth !== null) { covered.fill(1, m.bitOffset, m.bitOffset + m.field.bitWidth); continue; }
        coverType(m.field.type, m.bitOffset);
      }
    };
    const coverType = (t: CType, bit: number) => {
      const d = this.ctx.layout.desugar(t);
      if (d.k === 'record') { cover(this.ctx.records[d.id]!, bit, false); return; }
      if (d.k === 'array') {
        if (d.length === null) return; // a flexible array: encode zeroes its elements' bytes itself
        const stride = this.ctx.layout.sizeAlign(d.of).size * 8;
        for (let i = 0; i < d.length; i++) coverType(d.of, bit + i * stride);
        return;
      }
      covered.fill(1, bit, Math.min(bit + this.ctx.layout.sizeAlign(d).size * 8, covered.length));
    };
    cover(rec, 0, false);
    const zero: string[] = [];
    for (let b = 0; b < L.size;) {
      let dirty = false;
      for (let k = 0; k < 8; k++) if (!covered[b * 8 + k]) dirty = true;
      if (!dirty) { b++; continue; }
      let e = b + 1;
      for (; e < L.size; e++) {
        let d = false;
        for (let k = 0; k < 8; k++) if (!covered[e * 8 + k]) d = true;
        if (!d) break;
      }
      zero.push(...zeroRun(b, e - b));
      b = e;
    }
    return {
      cName: `${rec.kind} ${rec.name ?? '(anonymous)'}`, name: names.name, viewName: names.viewName,
      inputName: names.inputName, kind: rec.kind, size: L.size, align: L.align,
      where: `${rec.pos.file}:${rec.pos.line}`, members: merged, fieldTable: `[${table.join(', ')}]`, exportCodec, fam, prelude, layoutFacts, zero,
    };
  }

  private isByteSized(t: CType): boolean {
    let d = this.ctx.layout.desugar(t);
    while (d.k === 'array') d = this.ctx.layout.desugar(d.of);
    return d.k !== 'record' && (d.k === 'void' || this.ctx.layout.sizeAlign(d).size <= 1);
  }

  /** Members as C accesses them: anonymous struct/union members promoted, unnamed bit-fields left out. */
  private *flatten(rec: Record, base: number, inUnion = false): Generator<{ field: Field; bitOffset: number; path: string; inUnion: boolean }> {
    const L = this.ctx.layout.recordLayout(rec.id);
    for (let i = 0; i < rec.fields.length; i++) {
      const f = rec.fields[i]!;
      const off = base + L.fields[i]!.bitOffset;
      if (f.name === null) {
        if (f.bitWidth !== null) continue;
        const t = this.ctx.layout.desugar(f.type);
        if (t.k === 'record') {
          const inner = this.ctx.records[t.id]!;
          yield* this.flatten(inner, off, inUnion || rec.kind === 'union' || inner.kind === 'union');
        }
        continue;
      }
      yield { field: f, bitOffset: off, path: f.name, inUnion: inUnion || rec.kind === 'union' };
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  /** true: little-endian, false: big-endian. */
  private byteOrder(t: CType, rec: Record, f: Field): boolean {
    const o = this.ctx.endianOverride(rec.name ?? '', f.name ?? '');
    if (o) return o === 'little';
    return this.declaredOrder(t) ?? this.ctx.target.endian === 'little';
  }

  /** `__be16`, `__le32`, ... as the Linux headers spell them: the declared type says the byte order. */
  private declaredOrder(t: CType): boolean | null {
    let cur: CType = t;
    while (cur.k === 'typedef') {
      const td = this.ctx.layout.tables.typedef(cur.id);
      const m = /^__(be|le)(16|32|64)$/.exec(td.name);
      if (m) return m[1] === 'le';
      cur = td.type;
    }
    if (cur.k === 'array') return this.declaredOrder(cur.of);
    return null;
  }

  private byteElem(t: CType): { arr: string; copy: string; view: string } | null {
    const d = this.ctx.layout.desugar(t);
    if (d.k !== 'int' || this.ctx.layout.sizeAlign(d).size !== 1 || d.name === '_Bool') return null;
    return isSigned(this.ctx.target, d.name)
      ? { arr: 'Int8Array', copy: 'copySignedBytes', view: 'signedBytesView' }
      : { arr: 'Uint8Array', copy: 'copyBytes', view: 'bytesView' };
  }

  private helperFor(kind: 'r' | 'w' | 'v', key: string, code: (name: string) => string): string {
    const name = `$${kind}_${key.replace(/[^A-Za-z0-9_$]/g, '_')}`;
    return this.ctx.helper(name, code(name));
  }

  /** A codec whose element helpers are derived from its own snippets. */
  private simple(key: string, ts: string, inputTs: string, size: number, read: Codec['read'], view: Codec['view'], write: Codec['write'] | null): Codec {
    const self = this;
    return {
      ts, inputTs, viewTs: ts, size, settable: write !== null, read, view,
      write: write ?? (() => '/* not writable */'),
      elemRead() { return self.helperFor('r', key, (n) => `const ${n} = (dv: DataView, o: number, s = false): ${ts} => ${read('o', "'element'", ELEM)};`); },
      elemWrite() {
        if (!write) return null;
        return self.helperFor('w', key, (n) => `const ${n} = (dv: DataView, o: number, v: ${inputTs}, r: string, f: string): void => { ${write('o', 'v', 'r', 'f')} };`);
      },
      elemView() { return self.helperFor('v', key, (n) => `const ${n} = (dv: DataView, o: number): ${ts} => ${view('o', "'element'", ELEM)};`); },
    };
  }

  codec(t: CType, leIn: boolean): Codec {
    const layout = this.ctx.layout;
    const T = this.ctx.target;
    const le = this.declaredOrder(t) ?? leIn;
    const d = layout.desugar(t);
    const size = layout.sizeAlign(t).size;
    const L = le ? 'true' : 'false';
    const self = this;
    switch (d.k) {
      case 'int': {
        if (d.name === '_Bool') {
          return this.simple('bool', 'boolean', 'boolean', size,
            (o, r, f) => `(s ? $rt.strictBool(dv.getUint8(${o}), ${r}, ${f}, ${o}) : dv.getUint8(${o}) !== 0)`,
            (o) => `dv.getUint8(${o}) !== 0`,
            (o, v, r, f) => `dv.setUint8(${o}, $rt.checkBool(${v}, ${r}, ${f}) ? 1 : 0);`);
        }
        return this.intCodec(size, isSigned(T, d.name), le, null);
      }
      case 'enum': {
        const e = this.ctx.enums[d.id]!;
        return this.intCodec(size, isSigned(T, e.underlying), le, this.ctx.enumRef(d.id));
      }
      case 'pointer':
        // a pointer decodes to the address as an integer
        return this.intCodec(size, false, le, null);
      case 'float': {
        const fmt = d.name === '_Float16' ? 'binary16' : d.name === '_Float128' ? 'binary128' : T.floatFormats[d.name];
        const io = floatIO(fmt);
        return this.simple(`f_${fmt.replace(/\W/g, '')}_${size}${le ? 'le' : 'be'}`, NUM, NUM, size,
          (o) => io.read(o, L), (o) => io.read(o, L),
          (o, v, r, f) => `${io.write(o, `$rt.checkNumber(${v}, ${r}, ${f})`, L)};`);
      }
      case 'complex': {
        const e = this.codec({ k: 'float', name: d.of }, le);
        const es = e.size;
        const tup = `[${NUM}, ${NUM}]`;
        return this.simple(`cplx${size}${le ? 'le' : 'be'}`, tup, tup, size,
          (o, r, f) => `[${e.read(o, r, f)}, ${e.read(`${o} + ${es}`, r, f)}] as ${tup}`,
          (o, r, f) => `[${e.view(o, r, f)}, ${e.view(`${o} + ${es}`, r, f)}] as ${tup}`,
          (o, v, r, f) => `$rt.checkLength(${v}.length, 2, ${r}, ${f}); ${e.write(o, `${v}[0]`, r, f)} ${e.write(`${o} + ${es}`, `${v}[1]`, r, f)}`);
      }
      case 'valist':
        return this.bytesCodec(size, false);
      case 'array': {
        const n = d.length ?? 0;
        const el = layout.desugar(d.of);
        // char[N] -> string; other 8-bit arrays -> typed arrays (views share memory)
        if (el.k === 'int' && el.name === 'char') return this.stringCodec(n);
        const be = this.byteElem(d.of);
        if (be) return this.bytesCodec(n, be.arr === 'Int8Array');
        const elem = this.codec(d.of, le);
        const stride = layout.sizeAlign(d.of).size;
        const key = `a${n}x${stride}${elem.elemRead().slice(2)}`;
        const writer = elem.elemWrite();
        const viewTs = `$rt.ArrayView<${elem.viewTs}, ${elem.inputTs}>`;
        // short arrays of scalars or records are unrolled: an array literal of direct reads is as fast as
        // hand-written code, where a shared loop over a reader callback is not
        const unroll = n <= UNROLL && el.k !== 'array' && writer !== null;
        return {
          ts: `${elem.ts}[]`, inputTs: `${elem.inputTs}[]`, viewTs, size, settable: false,
          read: unroll
            ? (o, r, f) => `[${range(n).map((i) => elem.read(plus(o, i * stride), r, indexLabel(f, i))).join(', ')}]`
            : (o) => `$rt.readArray(dv, ${o}, ${n}, ${stride}, ${elem.elemRead()}, s)`,
          view: (o, r, f) => `new ${viewTs}(dv, ${o}, ${n}, ${stride}, ${elem.elemView()}, ${writer ?? 'null'}, ${r}, ${f})`,
          write: unroll
            ? (o, v, r, f) => `if (!Array.isArray(${v}) || ${v}.length !== ${n}) $rt.badArray(${v}, ${n}, ${r}, ${f}); ${range(n).map((i) => elem.write(plus(o, i * stride), `${v}[${i}]!`, r, indexLabel(f, i))).join(' ')}`
            : (o, v, r, f) => `$rt.writeArray(dv, ${o}, ${n}, ${stride}, ${v}, ${writer ?? '$rt.notWritable'}, ${r}, ${f});`,
          elemRead() { return self.helperFor('r', key, (nm) => `const ${nm} = (dv: DataView, o: number, s = false): ${elem.ts}[] => $rt.readArray(dv, o, ${n}, ${stride}, ${elem.elemRead()}, s);`); },
          elemWrite() { return self.helperFor('w', key, (nm) => `const ${nm} = (dv: DataView, o: number, v: ${elem.inputTs}[], r: string, f: string): void => $rt.writeArray(dv, o, ${n}, ${stride}, v, ${writer ?? '$rt.notWritable'}, r, f);`); },
          elemView() { return self.helperFor('v', key, (nm) => `const ${nm} = (dv: DataView, o: number): ${viewTs} => new ${viewTs}(dv, o, ${n}, ${stride}, ${elem.elemView()}, ${writer ?? 'null'}, 'element', ${ELEM});`); },
        };
      }
      case 'record': {
        const ref = this.ctx.recordRef(d.id);
        return {
          ts: ref.name, inputTs: ref.inputName, viewTs: ref.viewName, size, settable: false,
          read: (o) => `${ref.name}$read(dv, ${o}, s)`,
          view: (o) => `new ${ref.viewName}(dv, ${o})`,
          write: (o, v, r, f) => `if (typeof ${v} !== 'object' || ${v} === null) $rt.badObject(${v}, ${r}, ${f}); ${ref.name}$write(dv, ${o}, ${v});`,
          elemRead() { return `${ref.name}$read`; },
          elemWrite() { return self.helperFor('w', `rec_${ref.name}`, (nm) => `const ${nm} = (dv: DataView, o: number, v: ${ref.inputName}, r: string, f: string): void => { $rt.checkObject(v, r, f); ${ref.name}$write(dv, o, v); };`); },
          elemView() { return self.helperFor('v', `rec_${ref.name}`, (nm) => `const ${nm} = (dv: DataView, o: number): ${ref.viewName} => new ${ref.viewName}(dv, o);`); },
        };
      }
      default:
        throw new Error(`cannot emit a member of type ${d.k}`);
    }
  }

  private intCodec(bytes: number, signed: boolean, le: boolean, en: EnumRef | null): Codec {
    const L = le ? 'true' : 'false';
    const bits = bytes * 8;
    const big = bytes > 4;
    const base = big ? 'bigint' : NUM;
    const ts = en ? en.typeName : base;
    const min = signed ? -(2n ** BigInt(bits - 1)) : 0n;
    const max = signed ? 2n ** BigInt(bits - 1) - 1n : 2n ** BigInt(bits) - 1n;
    const lit = (v: bigint) => (big ? `${v}n` : String(v));
    const get = (o: string): string => {
      switch (bytes) {
        case 1: return `dv.get${signed ? 'Int8' : 'Uint8'}(${o})`;
        case 2: return `dv.get${signed ? 'Int16' : 'Uint16'}(${o}, ${L})`;
        case 4: return `dv.get${signed ? 'Int32' : 'Uint32'}(${o}, ${L})`;
        case 8: return `dv.get${signed ? 'BigInt64' : 'BigUint64'}(${o}, ${L})`;
        case 16: return `$rt.readI128(dv, ${o}, ${L}, ${signed})`;
        default: throw new Error(`no ${bytes}-byte integers`);
      }
    };
    const set = (o: string, v: string): string => {
      switch (bytes) {
        case 1: return `dv.set${signed ? 'Int8' : 'Uint8'}(${o}, ${v});`;
        case 2: return `dv.set${signed ? 'Int16' : 'Uint16'}(${o}, ${v}, ${L});`;
        case 4: return `dv.set${signed ? 'Int32' : 'Uint32'}(${o}, ${v}, ${L});`;
        case 8: return `dv.set${signed ? 'BigInt64' : 'BigUint64'}(${o}, ${v}, ${L});`;
        default: return `$rt.writeI128(dv, ${o}, ${v}, ${L});`;
      }
    };
    const check = (v: string, r: string, f: string) => big
      ? `$rt.checkBigInt(${v}, ${lit(min)}, ${lit(max)}, ${r}, ${f})` : intCheck(v, bits, signed, r, f);
    const read = en
      ? (o: string, r: string, f: string) => `(s ? $rt.checkEnum(${get(o)}, ${en.valuesName}, ${r}, ${f}, ${o}) : ${get(o)}) as ${en.typeName}`
      : (o: string) => get(o);
    const view = en ? (o: string) => `${get(o)} as ${en.typeName}` : (o: string) => get(o);
    const key = `${signed ? 'i' : 'u'}${bits}${bytes > 1 ? (le ? 'le' : 'be') : ''}${en ? `_${en.typeName}` : ''}`;
    return this.simple(key, ts, ts === base ? base : `${ts} | ${base}`, bytes, read, view, (o, v, r, f) => set(o, check(v, r, f)));
  }

  private stringCodec(n: number): Codec {
    return this.simple(`str${n}`, 'string', 'string', n,
      (o) => `$rt.readString(dv, ${o}, ${n})`, (o) => `$rt.readString(dv, ${o}, ${n})`,
      (o, v, r, f) => `$rt.writeString(dv, ${o}, ${n}, ${v}, ${r}, ${f});`);
  }

  private bytesCodec(n: number, signed: boolean): Codec {
    const arr = signed ? 'Int8Array' : 'Uint8Array';
    return this.simple(`${signed ? 's' : 'u'}bytes${n}`, arr, arr, n,
      (o) => `$rt.${signed ? 'copySignedBytes' : 'copyBytes'}(dv, ${o}, ${n})`,
      (o) => `$rt.${signed ? 'signedBytesView' : 'bytesView'}(dv, ${o}, ${n})`,
      (o, v, r, f) => `$rt.writeBytes(dv, ${o}, ${n}, ${v}, ${r}, ${f});`);
  }

  // -------------------------------------------------------------------------------------------------------------
  /** Bit-fields: read the smallest window of 1, 2, 4 (or 8, over 32 bits) bytes inside the record that covers the
   * field, in the target's byte order, then shift and mask; fall back to the runtime's general readers. */
  private bitfield(recSize: number, f: Field, name: string, bitOffset: number, R: string, F: string, optional: boolean): MemberModel {
    const T = this.ctx.target;
    const width = f.bitWidth!;
    const d = this.ctx.layout.desugar(f.type);
    const en = d.k === 'enum' ? this.ctx.enumRef(d.id) : null;
    const under = d.k === 'enum' ? this.ctx.enums[d.id]!.underlying : d.k === 'int' ? d.name : 'int';
    const isBool = d.k === 'int' && d.name === '_Bool';
    const signed = !isBool && (d.k === 'enum' ? T.enumBitfieldSigned || isSigned(T, under) : isSigned(T, under));
    const le = T.endian === 'little';
    const L = le ? 'true' : 'false';
    const byte = Math.floor(bitOffset / 8);
    const span = Math.ceil(((bitOffset % 8) + width) / 8);
    const big = width > 32;
    let start = -1;
    let W = 0;
    // the declared type's own storage unit first, so that neighbours in one unit share one window
    const T0 = this.ctx.layout.sizeAlign(d.k === 'enum' ? { k: 'int', name: under } : f.type).size;
    const unitStart = T0 > 0 ? Math.floor(byte / T0) * T0 : 0;
    if (!big && (T0 === 1 || T0 === 2 || T0 === 4) && (bitOffset + width) <= (unitStart + T0) * 8 && unitStart + T0 <= recSize) {
      start = unitStart;
      W = T0;
    }
    for (const w of W > 0 ? [] : big ? [8] : [1, 2, 4]) {
      if (w < span) continue;
      if (byte + w <= recSize) { start = byte; W = w; break; }
      if (byte + span - w >= 0) { start = byte + span - w; W = w; break; }
    }
    const o = `o + ${start}`;
    const rel = bitOffset - start * 8;
    const sh = le ? rel : W * 8 - rel - width;
    const mask = 2 ** width - 1;
    const maskHex = `0x${mask.toString(16)}`;
    const ts = isBool ? 'boolean' : en ? en.typeName : big ? 'bigint' : NUM;
    const base = isBool ? 'boolean' : big ? 'bigint' : NUM;
    const min = signed ? -(2n ** BigInt(width - 1)) : 0n;
    const max = signed ? 2n ** BigInt(width - 1) - 1n : 2n ** BigInt(width) - 1n;
    const checked = (v: string) => isBool ? `($rt.checkBool(${v}, ${R}, ${F}) ? 1 : 0)`
      : big ? `$rt.checkBigInt(${v}, ${min}n, ${max}n, ${R}, ${F})` : intCheck(v, width, signed, R, F);
    let read: string;
    let write: (v: string) => string;
    let unit: BitUnit | undefined;
    if (W > 0 && !big) {
      const x = W === 1 ? `dv.getUint8(${o})` : `dv.getUint${W * 8}(${o}, ${L})`;
      const setX = (v: string) => (W === 1 ? `dv.setUint8(${o}, ${v});` : `dv.setUint${W * 8}(${o}, ${v}, ${L});`);
      if (signed) read = `((${x} << ${32 - sh - width}) >> ${32 - width})`;
      else if (width === 32) read = x;
      else read = sh === 0 ? `(${x} & ${maskHex})` : `((${x} >>> ${sh}) & ${maskHex})`;
      const keep = ((~(mask * 2 ** sh) >>> 0) & (2 ** (W * 8) - 1)) >>> 0; // >>> 0: `&` yields a signed 32-bit result
      write = (v) => `{ const x = ${x}; ${setX(`((x & 0x${keep.toString(16)}) | ((${checked(v)} & ${maskHex}) << ${sh})) >>> 0`)} }`;
      if (!optional) unit = { x, set: setX, keep, part: `((${checked(`v.${name}`)} & ${maskHex}) << ${sh})` };
    } else if (W === 8) {
      const x = `dv.getBigUint64(${o}, ${L})`;
      read = `BigInt.as${signed ? 'Int' : 'Uint'}N(${width}, ${x} >> ${sh}n)`;
      const fmask = ((1n << BigInt(width)) - 1n) << BigInt(sh);
      const keep = ((1n << 64n) - 1n) ^ fmask;
      write = (v) => `{ const x = ${x}; dv.setBigUint64(${o}, (x & 0x${keep.toString(16)}n) | (BigInt.asUintN(${width}, ${checked(v)}) << ${sh}n), ${L}); }`;
    } else {
      // no aligned window inside the record covers the field: the runtime's general (slower) readers
      const rel0 = bitOffset - byte * 8;
      const sh0 = le ? rel0 : span * 8 - rel0 - width;
      if (big || span > 6) {
        const rb = `$rt.readBitsBig(dv, o + ${byte}, ${span}, ${sh0}, ${width}, ${signed}, ${L})`;
        read = big ? rb : `Number(${rb})`;
        write = (v) => `$rt.writeBitsBig(dv, o + ${byte}, ${span}, ${sh0}, ${width}, ${big ? checked(v) : `BigInt(${checked(v)})`}, ${L});`;
      } else {
        read = `$rt.readBits(dv, o + ${byte}, ${span}, ${sh0}, ${width}, ${signed}, ${L})`;
        write = (v) => `$rt.writeBits(dv, o + ${byte}, ${span}, ${sh0}, ${width}, ${checked(v)}, ${L});`;
      }
    }
    let decoded = isBool ? `(${read} !== 0)` : read;
    if (en) decoded = `(s ? $rt.checkEnum(${read}, ${en.valuesName}, ${R}, ${F}, o + ${byte}) : ${read}) as ${en.typeName}`;
    return {
      name, cName: f.name!, ts, inputTs: ts === base ? base : `${ts} | ${base}`, viewTs: ts, optionalInput: optional,
      read: `${name}: ${decoded}`,
      write: optional ? [`if (v.${name} !== undefined) { const v_ = v.${name}; ${write('v_')} }`] : [write(`v.${name}`)],
      viewGet: isBool ? `(${read} !== 0)` : en ? `${read} as ${en.typeName}` : read,
      viewSet: [write('v')],
      comment: `${f.spelling} : ${width}, bits ${bitOffset % 8}.. of byte ${byte}`,
      ...(unit ? { unit } : {}),
    };
  }
}

/** Zeroes `n` bytes at `o + at`: word stores for short runs, the runtime's fill for long ones. */
function zeroRun(at: number, n: number): string[] {
  if (n > 32) return [`$rt.zeroBytes(dv, o + ${at}, ${n});`];
  const out: string[] = [];
  let i = at;
  for (; i + 4 <= at + n; i += 4) out.push(`dv.setUint32(o + ${i}, 0);`);
  if (i + 2 <= at + n) { out.push(`dv.setUint16(o + ${i}, 0);`); i += 2; }
  if (i < at + n) out.push(`dv.setUint8(o + ${i}, 0);`);
  return out;
}

/** The range check of an integer up to 32 bits, inline: one bitwise test on the hot path (it also rejects
 * non-numbers, fractions and NaN), the call that throws only on failure. `v` is a side-effect-free expression. */
function intCheck(v: string, bits: number, signed: boolean, r: string, f: string): string {
  const min = signed ? -(2 ** (bits - 1)) : 0;
  const max = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const test = signed
    ? bits === 32 ? `(${v} | 0) === ${v}` : `((${v} << ${32 - bits}) >> ${32 - bits}) === ${v}`
    : bits === 32 ? `(${v} >>> 0) === ${v}` : `(${v} & 0x${max.toString(16)}) === ${v}`;
  return `(${test} ? ${v} : $rt.badInt(${v}, ${min}, ${max}, ${r}, ${f}))`;
}

/** Bit-fields that share a window are decoded from one read of it (a prelude constant) and, when they follow
 * each other in a struct, encoded with one read-modify-write of it, as hand-written code does. */
function shareBitUnits(members: readonly MemberModel[]): { members: MemberModel[]; prelude: string[] } {
  const uses = new Map<string, number>();
  for (const m of members) if (m.unit) uses.set(m.unit.x, (uses.get(m.unit.x) ?? 0) + 1);
  const prelude: string[] = [];
  const names = new Map<string, string>();
  for (const [x, n] of uses) {
    if (n < 2) continue;
    const name = `$u${names.size}`;
    names.set(x, name);
    prelude.push(`const ${name} = ${x};`);
  }
  const out: MemberModel[] = [];
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const u = m.unit;
    if (!u || !names.has(u.x)) { out.push(m); continue; }
    const read = m.read.split(u.x).join(names.get(u.x)!);
    // the run of fields in the same window, each written in full: one read, one write
    let j = i;
    while (j + 1 < members.length && members[j + 1]!.unit?.x === u.x) j++;
    const run = members.slice(i, j + 1);
    const keep = run.reduce((k, r) => (k & r.unit!.keep) >>> 0, 0xffffffff);
    // fields that fill their window between them need not read it first
    const write = keep === 0
      ? u.set(`(${run.map((r) => r.unit!.part).join(' | ')}) >>> 0`)
      : `{ const x = ${u.x}; ${u.set(`((x & 0x${keep.toString(16)}) | ${run.map((r) => r.unit!.part).join(' | ')}) >>> 0`)} }`;
    out.push({ ...m, read, write: [write] });
    for (const r of run.slice(1)) out.push({ ...r, read: r.read.split(u.x).join(names.get(u.x)!), write: [] });
    i = j;
  }
  return { members: out, prelude };
}

function floatIO(fmt: string): { read(o: string, L: string): string; write(o: string, v: string, L: string): string } {
  switch (fmt) {
    case 'binary32': return { read: (o, L) => `dv.getFloat32(${o}, ${L})`, write: (o, v, L) => `dv.setFloat32(${o}, ${v}, ${L})` };
    case 'binary64': return { read: (o, L) => `dv.getFloat64(${o}, ${L})`, write: (o, v, L) => `dv.setFloat64(${o}, ${v}, ${L})` };
    case 'binary16': return { read: (o, L) => `$rt.readF16(dv, ${o}, ${L})`, write: (o, v, L) => `$rt.writeF16(dv, ${o}, ${v}, ${L})` };
    case 'x87-80': return { read: (o, L) => `$rt.readF80(dv, ${o}, ${L})`, write: (o, v, L) => `$rt.writeF80(dv, ${o}, ${v}, ${L})` };
    case 'm68k-96': return { read: (o) => `$rt.readF80(dv, ${o}, false, 2)`, write: (o, v) => `$rt.writeF80(dv, ${o}, ${v}, false, 2)` };
    case 'binary128': return { read: (o, L) => `$rt.readF128(dv, ${o}, ${L})`, write: (o, v, L) => `$rt.writeF128(dv, ${o}, ${v}, ${L})` };
    case 'ibm-double-double': return { read: (o, L) => `$rt.readDD(dv, ${o}, ${L})`, write: (o, v, L) => `$rt.writeDD(dv, ${o}, ${v}, ${L})` };
    default: throw new Error(`no float format ${fmt}`);
  }
}
