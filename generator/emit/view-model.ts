// The view model of an emitted module: the plan turned into the data the templates render. Every read, write and
// check is a node naming the partial that spells it (`templates/partials/`), with its operands as data; no code
// is built here. TypeScript types are written here, since they follow from representations alone.

import type { FloatFormat } from '../target/types.js';
import type { CountRef, EnumPlan, MemberPlan, ModulePlan, RecordPlan, Rep } from '../plan/plan.js';
import { commentText, docText, stringLiteral } from './text.js';

/** A node the templates render with the partial it names; `dv` and `o` name the DataView and base offset. */
export interface Node {
  readonly partial: string;
  readonly [k: string]: unknown;
}

export interface MemberVM {
  readonly prop: string;
  readonly doc: string;
  readonly ts: string;
  readonly inputTs: string;
  readonly viewTs: string;
  readonly optional: boolean;
  /** In what encode takes: absent allowed (optional members, counts encode sets). */
  readonly inputOptional: boolean;
  readonly read: Node;
  readonly get: Node;
  /** Statements of `$write`; null when it is written with its window's group. */
  readonly write: Node | null;
  /** A scalar checked up front (`RecordVM.checked`): the store of its local, the test, the failure path's check. */
  readonly pre: { readonly val: string; readonly test: (local: string) => Node; readonly check: string; readonly store: (local: string) => Node } | null;
  readonly set: Node | null;
}

export interface RecordVM {
  readonly name: string;
  readonly viewName: string;
  readonly inputName: string;
  readonly nameLiteral: string;
  readonly cName: string;
  readonly cNameLiteral: string;
  readonly bits: number;
  readonly where: string;
  readonly size: number;
  readonly align: number;
  readonly doc: string;
  readonly members: readonly MemberVM[];
  /** Scalar members `$write` reads into locals and checks all at once before it writes anything (one failure call
   * for all of them keeps `$write` small enough for V8 to inline); `checks` is what the failure path re-checks. */
  readonly checked: {
    readonly binds: ReadonlyArray<{ readonly name: string; readonly val: string }>;
    readonly tests: readonly Node[];
    readonly checks: readonly string[];
  } | null;
  readonly inputSame: boolean;
  /** Bit-field windows read once for the fields sharing them. */
  readonly prelude: ReadonlyArray<{ readonly name: string; readonly read: Node }>;
  readonly zero: readonly Node[];
  readonly layoutFields: string;
  readonly isUnion: boolean;
  /** A flexible array member: encode sizes the record by its elements, checked once (`check` in the runtime);
   * `extent`, when a member counts them: the byte length of the record at `o` (records of varying length). */
  readonly flex: { readonly prop: string; readonly label: string; readonly check: 'flex' | 'flexBytes'; readonly offset: number; readonly stride: number; readonly extent: Node | null } | null;
  /** Tagged unions: the decoded type and encode's input are the common members and one variant per case. */
  readonly tagged: {
    readonly common: ReadonlyArray<{ readonly prop: string; readonly doc: string; readonly ts: string }>;
    readonly commonInput: ReadonlyArray<{ readonly prop: string; readonly optional: boolean; readonly ts: string }>;
    readonly groups: ReadonlyArray<{ readonly variants: ReadonlyArray<{ readonly ts: string; readonly inputTs: string }> }>;
  } | null;
}

export interface EnumVM {
  readonly name: string;
  readonly valuesName: string;
  readonly cName: string;
  readonly where: string;
  readonly doc: string;
  readonly values: ReadonlyArray<{ readonly key: string; readonly value: string; readonly doc: string }>;
}

export interface ModuleVM {
  readonly records: readonly RecordVM[];
  readonly enums: readonly EnumVM[];
  readonly constants: ReadonlyArray<{ readonly name: string; readonly value: string; readonly doc: string }>;
  readonly helpers: readonly Node[];
  readonly imports: ReadonlyArray<{ readonly module: string; readonly names: string }>;
}

/** Arrays up to this many elements are read and written element by element, without a loop. */
const UNROLL = 16;

const DV: Pick<Node, 'dv' | 'o'> = { dv: 'dv', o: 'o' };
const VIEW: Pick<Node, 'dv' | 'o'> = { dv: 'this.$dv', o: 'this.$offset' };

const INT_METHOD: { [k: number]: [string, string] } = { 1: ['Uint8', 'Int8'], 2: ['Uint16', 'Int16'], 4: ['Uint32', 'Int32'], 8: ['BigUint64', 'BigInt64'] };

export function moduleVM(m: ModulePlan): ModuleVM {
  const helpers = new Map<string, Node>();
  const b = new Builder(helpers);
  const records = m.records.map((r) => b.record(r));
  return {
    records,
    enums: m.enums.map(enumVM),
    constants: m.constants.map((c) => ({
      name: c.name,
      value: c.facts.value.k === 'string' ? stringLiteral(c.facts.value.value) : intLiteral(BigInt(c.facts.value.value)),
      doc: docText(`${c.facts.doc ? `${c.facts.doc.trim()}\n` : ''}#define ${c.facts.name} ${c.facts.body}`),
    })),
    helpers: [...helpers.values()],
    imports: m.imports.map((i) => ({ module: `./${i.module}.js`, names: i.names.join(', ') })),
  };
}

function intLiteral(v: bigint): string {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? String(v) : `${v}n`;
}

function enumVM(e: EnumPlan): EnumVM {
  return {
    name: e.name, valuesName: e.valuesName, cName: commentText(`enum ${e.facts.name}`), where: commentText(e.where),
    doc: e.facts.doc ? docText(e.facts.doc) : '',
    values: e.facts.values.map((v) => ({
      key: /^[A-Za-z_$][\w$]*$/.test(v.name) ? v.name : stringLiteral(v.name),
      value: e.big ? `${v.value}n` : v.value,
      doc: v.doc ? docText(v.doc, '  ') : '',
    })),
  };
}

class Builder {
  constructor(private readonly helpers: Map<string, Node>) {}

  record(r: RecordPlan): RecordVM {
    const R = stringLiteral(r.name);
    const members = r.members.map((m) => this.member(r, m, R));
    const shared = shareWindows(r, members, R);
    const f = r.facts;
    const flexMember = r.members.find((m) => m.rep.k === 'flex');
    const layoutFields = f.slots.map((s) => {
      const q = s.align > 1 ? s.bitOffset / (8 * s.align) : 0;
      return `[${stringLiteral(s.name ?? '(anonymous)')}, ${s.bitOffset}, ${s.bitSize}, ${s.align > 1 ? s.align : 0}, ${q}]`;
    }).join(', ');
    // a tag is read once, into a local both it and its union read
    const prelude = [...shared.prelude];
    let grouped = shared.members;
    for (const m of r.members) {
      if (m.rep.k !== 'tagged') continue;
      const local = `t${prelude.length}`;
      const tagIdx = grouped.findIndex((x) => x.prop === (m.rep as Extract<Rep, { k: 'tagged' }>).tag.prop);
      const unionIdx = grouped.findIndex((x) => x.prop === m.prop);
      prelude.push({ name: local, read: grouped[tagIdx]!.read });
      grouped = grouped.map((x, i) => i === tagIdx ? { ...x, read: { partial: 'read/local', name: local } }
        : i === unionIdx ? { ...x, read: { ...x.read, t: local } } : x);
    }
    const tagged = r.members.some((m) => m.rep.k === 'tagged') ? this.variants(r, grouped) : null;
    let flex: RecordVM['flex'] = null;
    if (flexMember && flexMember.rep.k === 'flex') {
      const rep = flexMember.rep;
      const offset = flexMember.facts.bitOffset / 8;
      flex = {
        prop: flexMember.prop, label: stringLiteral(flexMember.facts.name), offset, stride: rep.stride,
        check: rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum ? 'flexBytes' : 'flex',
        extent: rep.count ? {
          partial: 'read/extent', size: f.size, offset, stride: rep.stride, r: R, f: stringLiteral(flexMember.facts.name), by: stringLiteral(rep.count.name),
          n: this.countRead(rep.count, DV, R),
        } : null,
      };
    }
    return {
      name: r.name, viewName: r.viewName, inputName: r.inputName, nameLiteral: R, cName: commentText(f.cName),
      cNameLiteral: stringLiteral(f.cName), bits: f.size * 8,
      where: commentText(r.where), size: f.size, align: f.align, doc: f.doc ? docText(f.doc) : '',
      ...checkedFirst(grouped),
      inputSame: !tagged && grouped.every((m) => m.ts === m.inputTs && !m.optional && !m.inputOptional), prelude,
      zero: r.zero.map(([at, n]) => zeroNode(at, n)), layoutFields, isUnion: f.kind === 'union', flex, tagged,
    };
  }

  /** The decoded type and encode's input of a record with tagged unions: the members no tag concerns, then for each
   * tagged union one variant per case (the tag's value as a literal type, the union holding that case's member). */
  private variants(r: RecordPlan, vms: readonly MemberVM[]): NonNullable<RecordVM['tagged']> {
    const inVariants = new Set<string>();
    const groups: Array<{ variants: Array<{ ts: string; inputTs: string }> }> = [];
    for (const m of r.members) {
      if (m.rep.k !== 'tagged') continue;
      const rep = m.rep;
      inVariants.add(m.prop);
      inVariants.add(rep.tag.prop);
      const tagVm = vms.find((x) => x.prop === rep.tag.prop)!;
      const unionVm = vms.find((x) => x.prop === m.prop)!;
      const big = rep.tag.rep.k === 'bigint';
      groups.push({
        variants: rep.cases.map((c) => {
          const t = this.types(c.rep);
          const lit = big ? `${c.value}n` : String(c.value);
          const tagDoc = `/** ${tagVm.doc} */ `;
          const unionDoc = `/** ${unionVm.doc} */ `;
          return {
            ts: `{ ${tagDoc}${rep.tag.prop}: ${lit}; ${unionDoc}${m.prop}: { ${c.prop}: ${t.ts} } }`,
            inputTs: `{ ${rep.tag.prop}: ${lit}; ${m.prop}: { ${c.prop}: ${t.inputTs} } }`,
          };
        }),
      });
    }
    const rest = vms.filter((x) => !inVariants.has(x.prop));
    return {
      common: rest.map((x) => ({ prop: x.prop, doc: x.doc, ts: x.ts })),
      commonInput: rest.map((x) => ({ prop: x.prop, optional: x.optional || x.inputOptional, ts: x.inputTs })),
      groups,
    };
  }

  /** How a counted flexible array's count member is read (no validation: the count is checked as a count). */
  private countRead(c: CountRef, at: Pick<Node, 'dv' | 'o'>, R: string): Node {
    return this.read(c.rep, { dv: at.dv, o: at.o, off: c.facts.bitfield ? 0 : c.facts.bitOffset / 8, r: R, f: stringLiteral(c.name) }, false);
  }

  private member(r: RecordPlan, m: MemberPlan, R: string): MemberVM {
    const F = stringLiteral(m.facts.name);
    const off = m.facts.bitfield ? 0 : m.facts.bitOffset / 8;
    const t = this.types(m.rep);
    const val = m.optional ? 'x' : `v.${m.prop}`;
    // an optional member's storage was zeroed up front (when zeroing at all): nested records must not zero again,
    // or members written before them (a union's) would lose bytes
    let write = this.write(m.rep, { ...DV, off, val: m.counts !== null ? 'x' : val, r: R, f: F, z: m.optional ? 'false' : 'z' });
    if (m.optional && write) write = { partial: 'write/optional', prop: m.prop, inner: write };
    if (m.counts !== null && write) {
      const flex = r.members.find((x) => x.prop === m.counts)!;
      write = { partial: 'write/count', prop: m.prop, inner: write, r: R, f: F, flex: stringLiteral(flex.facts.name), big: String(m.rep.k === 'bigint' || (m.rep.k === 'bits' && m.rep.as === 'bigint')) };
    }
    const pre = !m.optional && m.counts === null && !m.facts.bitfield ? this.precheck(m.rep, { ...DV, off, r: R, f: F }, stringLiteral(m.prop)) : null;
    return {
      prop: m.prop, doc: docText(memberDoc(r, m), '  '), ts: t.ts, inputTs: t.inputTs, viewTs: t.viewTs, optional: m.optional,
      inputOptional: m.counts !== null, pre: pre && { ...pre, val: `v.${m.prop}` },
      read: this.read(m.rep, { ...DV, off, r: R, f: F }, true),
      get: this.read(m.rep, { ...VIEW, off, r: R, f: F }, false),
      write,
      set: t.settable ? this.write(m.rep, { ...VIEW, off, val: 'v', r: R, f: F, z: 'true', set: true }) : null,
    };
  }

  /** For a scalar stored with one DataView call: its check as a test of a local, the failure path's entry, and the
   * store of the checked local. null for the rest (written with their checks inline). */
  private precheck(rep: Rep, at: { dv: unknown; o: unknown; off: number; r: string; f: string }, prop: string): Omit<NonNullable<MemberVM['pre']>, 'val'> | null {
    switch (rep.k) {
      case 'int': case 'bigint': {
        if (rep.k === 'bigint' && rep.bytes !== 8) return null;
        const bits = rep.bytes * 8;
        const m = INT_METHOD[rep.bytes]![rep.signed ? 1 : 0];
        return {
          test: (local: string) => testOf(intCheck(bits, rep.signed, { ...at, val: local })),
          check: `[${at.f}, ${prop}, "${rep.k === 'bigint' ? 'big' : 'int'}", ${bits}, ${rep.signed}]`,
          store: (local: string) => ({ partial: 'write/set', ...at, m, value: { partial: 'check/raw', val: local }, le: rep.bytes > 1 ? String(rep.le) : '' }),
        };
      }
      case 'float': {
        if (rep.format !== 'binary32' && rep.format !== 'binary64') return null;
        return {
          test: (local: string) => ({ partial: 'test/num', val: local }),
          check: `[${at.f}, ${prop}, "num"]`,
          store: (local: string) => ({ partial: 'write/set', ...at, m: rep.format === 'binary32' ? 'Float32' : 'Float64', value: { partial: 'check/raw', val: local }, le: String(rep.le) }),
        };
      }
      case 'bool': {
        if (rep.bytes !== 1) return null;
        return {
          test: (local: string) => ({ partial: 'test/bool', val: local }),
          check: `[${at.f}, ${prop}, "bool"]`,
          store: (local: string) => ({ partial: 'write/set', ...at, m: 'Uint8', value: { partial: 'check/boolRaw', val: local }, le: '' }),
        };
      }
      default: return null;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** TypeScript types of a representation: decoded, accepted by encode, and in views. */
  types(rep: Rep): { ts: string; inputTs: string; viewTs: string; settable: boolean } {
    switch (rep.k) {
      case 'int': case 'bigint': {
        const base = rep.k === 'int' ? 'number' : 'bigint';
        if (rep.enum) return { ts: rep.enum.name, inputTs: `${rep.enum.name} | ${base}`, viewTs: rep.enum.name, settable: true };
        return { ts: base, inputTs: base, viewTs: base, settable: true };
      }
      case 'bits': {
        const base = rep.as === 'bool' ? 'boolean' : rep.as;
        if (rep.enum) return { ts: rep.enum.name, inputTs: `${rep.enum.name} | ${base}`, viewTs: rep.enum.name, settable: true };
        return { ts: base, inputTs: base, viewTs: base, settable: true };
      }
      case 'safe': {
        if (rep.enum) return { ts: rep.enum.name, inputTs: `${rep.enum.name} | number`, viewTs: rep.enum.name, settable: true };
        return { ts: 'number', inputTs: 'number', viewTs: 'number', settable: true };
      }
      case 'tagged': {
        const cases = rep.cases.map((c) => ({ prop: c.prop, t: this.types(c.rep) }));
        return {
          ts: cases.map((c) => `{ ${c.prop}: ${c.t.ts} }`).join(' | '), inputTs: cases.map((c) => `{ ${c.prop}: ${c.t.inputTs} }`).join(' | '),
          viewTs: rep.ref.viewName, settable: false,
        };
      }
      case 'bool': return { ts: 'boolean', inputTs: 'boolean', viewTs: 'boolean', settable: true };
      case 'float': return { ts: 'number', inputTs: 'number', viewTs: 'number', settable: true };
      case 'complex': return { ts: '$rt.Complex', inputTs: '$rt.Complex', viewTs: '$rt.Complex', settable: true };
      case 'string': return { ts: 'string', inputTs: 'string', viewTs: 'string', settable: true };
      case 'bytes': {
        const a = rep.signed ? 'Int8Array' : 'Uint8Array';
        return { ts: a, inputTs: a, viewTs: a, settable: false };
      }
      case 'record': return { ts: rep.ref.name, inputTs: rep.ref.inputName, viewTs: rep.ref.viewName, settable: false };
      case 'array': case 'flex': {
        const e = this.types(rep.of);
        if (rep.k === 'flex' && rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum) {
          const a = rep.of.signed ? 'Int8Array' : 'Uint8Array';
          return { ts: a, inputTs: a, viewTs: a, settable: false };
        }
        const wrap = (s: string) => (/[|&]/.test(s) ? `(${s})[]` : `${s}[]`);
        return { ts: wrap(e.ts), inputTs: wrap(e.inputTs), viewTs: `$rt.ArrayView<${e.viewTs}, ${e.inputTs}>`, settable: false };
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** How a value is read: `strict` for decode (enums and bools checked with `s`), not for view getters. */
  read(rep: Rep, at: { dv: unknown; o: unknown; off: number; r: string; f: string }, strict: boolean): Node {
    switch (rep.k) {
      case 'int': case 'bigint': {
        const x = rep.bytes === 16
          ? { partial: 'read/call', ...at, fn: 'readI128', args: [String(rep.le), String(rep.signed)] }
          : { partial: 'read/get', ...at, m: INT_METHOD[rep.bytes]![rep.signed ? 1 : 0], le: rep.bytes > 1 ? String(rep.le) : '' };
        if (!rep.enum) return x;
        return { partial: 'read/enum', ...at, x, strict, type: rep.enum.name, values: rep.enum.valuesName };
      }
      case 'safe': {
        const x: Node = { partial: 'read/safe', ...at, x: { partial: 'read/get', ...at, m: rep.signed ? 'BigInt64' : 'BigUint64', le: String(rep.le) } };
        if (!rep.enum) return x;
        return { partial: 'read/enum', ...at, x, strict, type: rep.enum.name, values: rep.enum.valuesName };
      }
      case 'bool': {
        const m = INT_METHOD[rep.bytes]?.[0] ?? 'Uint8';
        const x = { partial: 'read/get', ...at, m, le: rep.bytes > 1 ? String(rep.le) : '' };
        return { partial: 'read/bool', ...at, x, strict, zero: rep.bytes === 8 ? '0n' : '0' };
      }
      case 'tagged': {
        if (!strict) return { partial: 'read/new', ...at, cls: rep.ref.viewName };
        const big = rep.tag.rep.k === 'bigint';
        return {
          partial: 'read/tagged', ...at, t: 't0', all: { partial: 'read/record', ...at, fn: `${rep.ref.name}$read` },
          tag: stringLiteral(rep.tag.name), labels: stringLiteral(caseList(rep)),
          cases: rep.cases.map((c) => ({
            lit: big ? `${c.value}n` : String(c.value), prop: c.prop,
            read: this.read(c.rep, { ...at, off: c.facts.bitfield ? 0 : c.facts.bitOffset / 8, f: stringLiteral(`${JSON.parse(at.f) as string}.${c.name}`) }, true),
          })),
        };
      }
      case 'float': return floatRead(rep.format, rep.le, at);
      case 'complex': {
        const n = rep.part.bytes;
        return { partial: 'read/complex', re: floatRead(rep.part.format, rep.part.le, at), im: floatRead(rep.part.format, rep.part.le, { ...at, off: at.off + n }) };
      }
      case 'string': return { partial: 'read/call', ...at, fn: rep.encoding === 'latin1' ? 'latin1' : 'str', args: [String(rep.bytes)] };
      case 'bytes': {
        const fn = strict ? (rep.signed ? 'copySignedBytes' : 'copyBytes') : (rep.signed ? 'signedBytesView' : 'bytesView');
        return { partial: 'read/call', ...at, fn, args: [String(rep.bytes)] };
      }
      case 'record': return strict
        ? { partial: 'read/record', ...at, fn: `${rep.ref.name}$read` }
        : { partial: 'read/new', ...at, cls: rep.ref.viewName };
      case 'bits': return this.bitsRead(rep, at, strict);
      case 'array': {
        const e = this.types(rep.of);
        const writer = this.elementWriter(rep.of);
        if (!strict) {
          return { partial: 'read/arrayView', ...at, n: rep.length, stride: rep.stride, viewTs: e.viewTs, inputTs: e.inputTs, elem: this.elementReader(rep.of, false), writer: writer ?? 'null' };
        }
        if (rep.length <= UNROLL && rep.of.k !== 'array' && writer !== null) {
          return { partial: 'read/unrolled', elems: range(rep.length).map((i) => this.read(rep.of, { ...at, off: at.off + i * rep.stride, f: indexLabel(at.f, i) }, true)) };
        }
        return { partial: 'read/array', ...at, n: rep.length, stride: rep.stride, elem: this.elementReader(rep.of, true) };
      }
      case 'flex': {
        const count: Node = rep.count
          ? { partial: 'read/counted', ...at, stride: rep.stride, by: stringLiteral(rep.count.name), n: this.countRead(rep.count, at, at.r) }
          : { partial: 'read/fitting', ...at, stride: rep.stride };
        if (rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum) {
          const fn = strict ? (rep.of.signed ? 'copySignedBytes' : 'copyBytes') : (rep.of.signed ? 'signedBytesView' : 'bytesView');
          return { partial: 'read/flexBytes', ...at, fn, count };
        }
        const e = this.types(rep.of);
        if (!strict) {
          return { partial: 'read/flexView', ...at, count, stride: rep.stride, viewTs: e.viewTs, inputTs: e.inputTs, elem: this.elementReader(rep.of, false), writer: this.elementWriter(rep.of) ?? 'null' };
        }
        return { partial: 'read/flex', ...at, count, stride: rep.stride, elem: this.elementReader(rep.of, true) };
      }
    }
  }

  private bitsRead(rep: Extract<Rep, { k: 'bits' }>, at: { dv: unknown; o: unknown; off: number; r: string; f: string }, strict: boolean): Node {
    const b = rep.bits;
    const L = String(rep.le);
    let x: Node;
    if (b.unit && b.width <= 32 && b.unit.bytes <= 4) {
      const u = b.unit;
      const window = { partial: 'read/get', ...at, off: u.byteOffset, m: INT_METHOD[u.bytes]![0], le: u.bytes > 1 ? L : '' };
      x = bitsOf(window, u.shift, b.width, b.signed);
    } else if (b.unit && b.unit.bytes === 8) {
      const window = { partial: 'read/get', ...at, off: b.unit.byteOffset, m: 'BigUint64', le: L };
      const big = { partial: 'read/bigBits', x: window, shift: b.unit.shift, width: b.width, fn: b.signed ? 'asIntN' : 'asUintN' };
      x = b.width > 32 ? big : { partial: 'read/toNumber', x: big };
    } else {
      const s = b.span;
      const bigRead = b.width > 32 || s.bytes > 6;
      const call = { partial: 'read/call', ...at, off: s.byteOffset, fn: bigRead ? 'readBitsBig' : 'readBits', args: [String(s.bytes), String(s.shift), String(b.width), String(b.signed), L] };
      x = bigRead && b.width <= 32 ? { partial: 'read/toNumber', x: call } : call;
    }
    if (rep.as === 'bool') return { partial: 'read/nonZero', x };
    if (rep.enum) return { partial: 'read/enum', ...at, off: b.span.byteOffset, x, strict, type: rep.enum.name, values: rep.enum.valuesName };
    return x;
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** The statement writing `val` (a property or an element): the value is read once, into a local when the checks
   * need it more than once, so that what is checked is what is written. */
  write(rep: Rep, at: { dv: unknown; o: unknown; off: number; val: string; r: string; f: string; z: string; set?: boolean }): Node | null {
    const rereads = rep.k !== 'string' && rep.k !== 'bytes' && rep.k !== 'array' && rep.k !== 'flex' && rep.k !== 'tagged';
    if (rereads && !/^[A-Za-z_$][\w$]*$/.test(at.val)) {
      const inner = this.write(rep, { ...at, val: 'x' });
      return inner && { partial: 'write/bind', name: 'x', val: at.val, inner };
    }
    switch (rep.k) {
      case 'int': case 'bigint': {
        const check = intCheck(rep.bytes * 8, rep.signed, at);
        if (rep.bytes === 16) return { partial: 'write/call', ...at, fn: 'writeI128', value: check, args: [String(rep.le)] };
        return { partial: 'write/set', ...at, m: INT_METHOD[rep.bytes]![rep.signed ? 1 : 0], value: check, le: rep.bytes > 1 ? String(rep.le) : '' };
      }
      case 'safe': {
        const max = 2 ** 53 - 1;
        return { partial: 'write/set', ...at, m: rep.signed ? 'BigInt64' : 'BigUint64', le: String(rep.le),
          value: { partial: 'check/safe', ...at, min: rep.signed ? String(-max) : '0', max: String(max) } };
      }
      case 'bool': {
        const value = checkOf('bool', at);
        return { partial: 'write/set', ...at, m: INT_METHOD[rep.bytes]?.[0] ?? 'Uint8', value: rep.bytes === 8 ? { partial: 'check/toBigInt', value } : value, le: rep.bytes > 1 ? String(rep.le) : '' };
      }
      case 'tagged': {
        const big = rep.tag.rep.k === 'bigint';
        const f = JSON.parse(at.f) as string;
        return {
          partial: 'write/tagged', ...at, tagProp: rep.tag.prop, prop: at.val.replace(/^v\./, ''), tag: stringLiteral(rep.tag.name), labels: stringLiteral(caseList(rep)),
          cases: rep.cases.map((c) => ({
            lit: big ? `${c.value}n` : String(c.value), member: stringLiteral(c.name), prop: c.prop,
            write: this.write(c.rep, { ...at, off: c.facts.bitfield ? 0 : c.facts.bitOffset / 8, val: `b.${c.prop}`, f: stringLiteral(`${f}.${c.name}`) }),
          })),
        };
      }
      case 'float': return floatWrite(rep.format, rep.le, { ...at, value: checkOf('num', at) });
      case 'complex': {
        const n = rep.part.bytes;
        const part = (key: string, off: number): Node => ({
          partial: 'write/bind', name: 'x', val: `c.${key}`,
          inner: floatWrite(rep.part.format, rep.part.le, { ...at, off, value: checkOf('num', { ...at, val: 'x' }) }),
        });
        return { partial: 'write/complex', ...at, re: part('re', at.off), im: part('im', at.off + n) };
      }
      case 'string':
        return { partial: 'write/call', ...at, fn: rep.encoding === 'latin1' ? 'writeLatin1' : 'writeStr', pre: [String(rep.bytes)], value: { partial: 'check/raw', val: at.val }, args: [at.r, at.f] };
      case 'bytes':
        return { partial: 'write/call', ...at, fn: 'writeBytes', pre: [String(rep.bytes)], value: { partial: 'check/raw', val: at.val }, args: [at.r, at.f] };
      case 'record':
        return { partial: 'write/record', ...at, fn: `${rep.ref.name}$write`, value: checkOf('obj', at) };
      case 'bits': return this.bitsWrite(rep, at);
      case 'array': {
        const writer = this.elementWriter(rep.of);
        if (writer === null) return null;
        if (rep.length <= UNROLL && rep.of.k !== 'array') {
          return {
            partial: 'write/unrolled', ...at, n: rep.length,
            elems: range(rep.length).map((i) => this.write(rep.of, { ...at, off: at.off + i * rep.stride, val: `a[${i}]!`, f: indexLabel(at.f, i) })),
          };
        }
        return { partial: 'write/array', ...at, n: rep.length, stride: rep.stride, writer };
      }
      case 'flex': {
        if (rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum) {
          return { partial: 'write/call', ...at, fn: 'writeBytes', pre: ['-1'], value: { partial: 'check/raw', val: 'fl' }, args: [at.r, at.f] };
        }
        const writer = this.elementWriter(rep.of);
        return writer === null ? null : { partial: 'write/flex', ...at, stride: rep.stride, writer };
      }
    }
  }

  private bitsWrite(rep: Extract<Rep, { k: 'bits' }>, at: { dv: unknown; o: unknown; off: number; val: string; r: string; f: string; z: string; set?: boolean }): Node {
    const b = rep.bits;
    const L = String(rep.le);
    if (b.unit && b.width <= 32 && b.unit.bytes <= 4) return windowWrite(b.unit, L, at, [{ rep, val: at.val, r: at.r, f: at.f, ...(at.set ? { set: true } : {}) }]);
    const check = bitsCheck(rep, at);
    if (b.unit && b.unit.bytes === 8) {
      const fmask = ((1n << BigInt(b.width)) - 1n) << BigInt(b.unit.shift);
      const keep = ((1n << 64n) - 1n) ^ fmask;
      const value = b.width > 32 ? check : { partial: 'check/toBigInt', value: check };
      return { partial: 'write/bigWindow', ...at, off: b.unit.byteOffset, le: L, keep: `0x${keep.toString(16)}n`, width: b.width, shift: b.unit.shift, value };
    }
    const s = b.span;
    const bigWrite = b.width > 32 || s.bytes > 6;
    const value = bigWrite && b.width <= 32 ? { partial: 'check/toBigInt', value: check } : check;
    return { partial: 'write/call', ...at, off: s.byteOffset, fn: bigWrite ? 'writeBitsBig' : 'writeBits', pre: [String(s.bytes), String(s.shift), String(b.width)], value, args: [L] };
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** Module-level element readers and writers for arrays, one per representation, shared by every array of it. */
  private elementReader(rep: Rep, strict: boolean): string {
    const key = `${strict ? 'r' : 'v'}_${repKey(rep)}`;
    const name = `$${key}`;
    if (!this.helpers.has(name)) {
      this.helpers.set(name, { partial: 'helper/reader', name, ts: strict ? this.types(rep).ts : this.types(rep).viewTs, strict,
        body: this.read(rep, { ...DV, off: 0, r: "'element'", f: "'[]'" }, strict) });
    }
    return name;
  }

  private elementWriter(rep: Rep): string | null {
    const key = `w_${repKey(rep)}`;
    const name = `$${key}`;
    if (this.helpers.has(name)) return name;
    const body = this.write(rep, { ...DV, off: 0, val: 'v', r: 'r', f: 'f', z: 'z' });
    if (!body) return null;
    this.helpers.set(name, { partial: 'helper/writer', name, ts: this.types(rep).inputTs, body });
    return name;
  }
}

// -----------------------------------------------------------------------------------------------------------------

/** The cases of a tagged union as messages list them: `MSG_PING (1), MSG_DATA (2)`. */
function caseList(rep: Extract<Rep, { k: 'tagged' }>): string {
  return rep.cases.map((c) => (c.label === String(c.value) ? c.label : `${c.label} (${c.value})`)).join(', ');
}

/** A check node (`check/uint`: the value or the failure call) as a test (`test/uint`: true when it passes). */
function testOf(check: Node): Node {
  return { ...check, partial: check.partial.replace(/^check\//, 'test/') };
}

/** `$write`'s scalars read into locals (`$0`, `$1`, ...) and tested at once before anything is written. */
function checkedFirst(members: readonly MemberVM[]): { members: MemberVM[]; checked: RecordVM['checked'] } {
  const binds: Array<{ name: string; val: string }> = [];
  const tests: Node[] = [];
  const checks: string[] = [];
  const out = members.map((m) => {
    if (!m.pre || !m.write) return m;
    const name = `$${binds.length}`;
    binds.push({ name, val: m.pre.val });
    tests.push(m.pre.test(name));
    checks.push(m.pre.check);
    return { ...m, write: m.pre.store(name) };
  });
  return { members: out, checked: binds.length ? { binds, tests, checks } : null };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** The error label of element `i`: a literal stays a literal (no string building on the hot path). */
function indexLabel(f: string, i: number): string {
  return /^"(?:[^"\\]|\\.)*"$/.test(f) ? stringLiteral(`${JSON.parse(f) as string}[${i}]`) : `${f} + '[${i}]'`;
}

function repKey(rep: Rep): string {
  switch (rep.k) {
    case 'int': case 'bigint': return `${rep.signed ? 'i' : 'u'}${rep.bytes * 8}${rep.bytes > 1 ? (rep.le ? 'le' : 'be') : ''}${rep.enum ? `_${rep.enum.name}` : ''}`;
    case 'bool': return `bool${rep.bytes}${rep.bytes > 1 ? (rep.le ? 'le' : 'be') : ''}`;
    case 'safe': return `n${rep.signed ? 'i' : 'u'}64${rep.le ? 'le' : 'be'}${rep.enum ? `_${rep.enum.name}` : ''}`;
    case 'tagged': return `tagged_${rep.ref.name}`;
    case 'float': return `f_${rep.format.replace(/\W/g, '')}${rep.le ? 'le' : 'be'}`;
    case 'complex': return `c_${repKey(rep.part)}`;
    case 'string': return `str${rep.bytes}${rep.encoding === 'latin1' ? 'l1' : ''}`;
    case 'bytes': return `${rep.signed ? 's' : 'u'}bytes${rep.bytes}`;
    case 'record': return `rec_${rep.ref.name}`;
    case 'array': return `a${rep.length}x${rep.stride}_${repKey(rep.of)}`;
    case 'flex': return `flex_${repKey(rep.of)}`;
    case 'bits': return `bits`;
  }
}

function bitsOf(window: Node, shift: number, width: number, signed: boolean): Node {
  if (signed) return { partial: 'read/signedBits', x: window, left: 32 - shift - width, right: 32 - width };
  if (width === 32) return window;
  return { partial: 'read/bits', x: window, shift, mask: hex(2 ** width - 1) };
}

/** The check of an integer value: inline in `$write` (many per function: V8 would not inline calls to them all),
 * a call in view setters (one per function). `at.set` marks a setter. */
function intCheck(bits: number, signed: boolean, at: { val: string; r: string; f: string; set?: boolean }, asBigInt = false): Node {
  if (bits > 32 || asBigInt) {
    return { partial: at.set ? 'set/big' : 'check/big', ...at, bits, signed: String(signed), fn: signed ? 'asIntN' : 'asUintN' };
  }
  if (at.set) return { partial: signed ? 'set/int' : 'set/uint', ...at, bits };
  if (signed) return bits === 32 ? { partial: 'check/int32', ...at } : { partial: 'check/int', ...at, bits, shift: 32 - bits };
  return bits === 32 ? { partial: 'check/uint32', ...at } : { partial: 'check/uint', ...at, bits, mask: hex(2 ** bits - 1) };
}

function checkOf(kind: 'bool' | 'num' | 'obj', at: { val: string; r: string; f: string; set?: boolean }): Node {
  return { partial: at.set && kind !== 'obj' ? `set/${kind}` : `check/${kind}`, ...at };
}

function floatRead(format: FloatFormat, le: boolean, at: { dv: unknown; o: unknown; off: number }): Node {
  const L = String(le);
  switch (format) {
    case 'binary32': return { partial: 'read/get', ...at, m: 'Float32', le: L };
    case 'binary64': return { partial: 'read/get', ...at, m: 'Float64', le: L };
    case 'binary16': return { partial: 'read/call', ...at, fn: 'readF16', args: [L] };
    case 'x87-80': return { partial: 'read/call', ...at, fn: 'readF80', args: [L] };
    case 'm68k-96': return { partial: 'read/call', ...at, fn: 'readF80', args: ['false', '2'] };
    case 'binary128': return { partial: 'read/call', ...at, fn: 'readF128', args: [L] };
    case 'ibm-double-double': return { partial: 'read/call', ...at, fn: 'readDD', args: [L] };
  }
}

function floatWrite(format: FloatFormat, le: boolean, at: { dv: unknown; o: unknown; off: number; value: Node }): Node {
  const L = String(le);
  switch (format) {
    case 'binary32': return { partial: 'write/set', ...at, m: 'Float32', le: L };
    case 'binary64': return { partial: 'write/set', ...at, m: 'Float64', le: L };
    case 'binary16': return { partial: 'write/call', ...at, fn: 'writeF16', args: [L] };
    case 'x87-80': return { partial: 'write/call', ...at, fn: 'writeF80', args: [L] };
    case 'm68k-96': return { partial: 'write/call', ...at, fn: 'writeF80', args: ['false', '2'] };
    case 'binary128': return { partial: 'write/call', ...at, fn: 'writeF128', args: [L] };
    case 'ibm-double-double': return { partial: 'write/call', ...at, fn: 'writeDD', args: [L] };
  }
}

function bitsCheck(rep: Extract<Rep, { k: 'bits' }>, at: { val: string; r: string; f: string; set?: boolean }): Node {
  if (rep.as === 'bool') return checkOf('bool', at);
  return intCheck(rep.bits.width, rep.bits.signed, at, rep.as === 'bigint');
}

/** One store to a bit-field window for one or more fields sharing it: each value read once (`x0`, `x1`, ...),
 * checked, masked (signed ones) and shifted into place; the window is read first when the fields leave bits of it
 * to keep. */
function windowWrite(unit: { byteOffset: number; bytes: number }, le: string, at: { dv: unknown; o: unknown },
  fields: ReadonlyArray<{ rep: Extract<Rep, { k: 'bits' }>; val: string; r: string; f: string; set?: boolean }>): Node {
  let keep = 2 ** (unit.bytes * 8) - 1;
  const binds: Array<{ name: string; val: string }> = [];
  const parts = fields.map((fd, i) => {
    const b = fd.rep.bits;
    const mask = 2 ** b.width - 1;
    const u = b.unit!;
    keep = (keep & ~(mask * 2 ** u.shift)) >>> 0;
    let val = fd.val;
    if (!/^[A-Za-z_$][\w$]*$/.test(val)) {
      const name = fields.length === 1 ? 'x' : `x${i}`;
      binds.push({ name, val });
      val = name;
    }
    return { value: bitsCheck(fd.rep, { val, r: fd.r, f: fd.f, ...(fd.set ? { set: true } : {}) }), mask: b.signed ? hex(mask) : '', shift: u.shift };
  });
  return {
    partial: 'write/window', ...at, off: unit.byteOffset, m: INT_METHOD[unit.bytes]![0], le: unit.bytes > 1 ? le : '',
    keep: keep === 0 ? '' : hex(keep), binds, parts,
  };
}

function zeroNode(at: number, n: number): Node {
  if (n > 32) return { partial: 'write/zeroFill', off: at, n };
  const stores: Array<{ m: string; off: number }> = [];
  let i = at;
  for (; i + 4 <= at + n; i += 4) stores.push({ m: 'Uint32', off: i });
  if (i + 2 <= at + n) { stores.push({ m: 'Uint16', off: i }); i += 2; }
  if (i < at + n) stores.push({ m: 'Uint8', off: i });
  return { partial: 'write/zeroStores', stores };
}

/** A member's JSDoc: its comment from the header, then a line saying where it is: C type, byte offset, size (bits for
 * bit-fields), byte order when it is not the target's, the padding before it, and what an override makes of it. */
const HOLES = new WeakMap<RecordPlan, Map<number, { readonly bitOffset: number; readonly bitSize: number }>>();

/** A record's holes by the bit offset they end at (one pass per record, not one per member). */
function holesEndingAt(r: RecordPlan): Map<number, { readonly bitOffset: number; readonly bitSize: number }> {
  let m = HOLES.get(r);
  if (!m) {
    m = new Map();
    for (const g of r.facts.gaps) if (g.kind === 'hole' && !m.has(g.bitOffset + g.bitSize)) m.set(g.bitOffset + g.bitSize, g);
    HOLES.set(r, m);
  }
  return m;
}

function memberDoc(r: RecordPlan, m: MemberPlan): string {
  const f = m.facts;
  const lines: string[] = [];
  if (f.doc && f.doc.trim()) lines.push(f.doc.trim());
  const byte = Math.floor(f.bitOffset / 8);
  let where: string;
  if (f.bitfield) {
    const bit = f.bitOffset % 8;
    const w = f.bitfield.width;
    where = `${f.cType} : ${w} at byte ${byte}, bit${w > 1 ? 's' : ''} ${bit}${w > 1 ? `-${bit + w - 1}` : ''}`;
  } else {
    const size = f.bitSize / 8;
    where = `${f.cType} at byte ${byte}, ${size === 0 ? 'flexible' : `${size} byte${size === 1 ? '' : 's'}`}`;
  }
  const rep = m.rep;
  const order = (rep.k === 'int' || rep.k === 'bigint' || rep.k === 'float' || rep.k === 'safe' || rep.k === 'bool') && !rep.le && (rep.k === 'safe' || rep.bytes > 1) ? ', big-endian' : '';
  const hole = holesEndingAt(r).get(f.bitOffset);
  const pad = hole ? `, after ${hole.bitSize % 8 === 0 ? `${hole.bitSize / 8} byte${hole.bitSize === 8 ? '' : 's'}` : `${hole.bitSize} bit${hole.bitSize === 1 ? '' : 's'}`} of padding` : '';
  const notes: string[] = [];
  if (rep.k === 'flex' && rep.count) notes.push(`'${rep.count.name}' elements`);
  if (rep.k === 'tagged') notes.push(`the member '${rep.tag.name}' selects: ${caseList(rep)}`);
  if (m.counts !== null) notes.push(`counts '${r.members.find((x) => x.prop === m.counts)!.facts.name}'`);
  if (rep.k === 'safe') notes.push('read as a number (decode throws beyond 2^53)');
  if (rep.k === 'string' && rep.encoding === 'latin1') notes.push('Latin-1 text');
  lines.push(`${where}${order}${pad}${notes.length ? `; ${notes.join('; ')}` : ''}.`);
  return lines.join('\n');
}

/** Bit-fields that share a window are read once for all of them (a prelude constant) and, when they follow each
 * other in a struct, written with one store (one read-modify-write, or none when they fill the window). */
function shareWindows(r: RecordPlan, members: readonly MemberVM[], R: string): { prelude: Array<{ name: string; read: Node }>; members: MemberVM[] } {
  const keyOf = (m: MemberPlan): string | null => {
    if (m.optional || m.counts !== null || m.rep.k !== 'bits') return null;
    const b = m.rep.bits;
    return b.unit && b.width <= 32 && b.unit.bytes <= 4 ? `${b.unit.byteOffset}:${b.unit.bytes}` : null;
  };
  const keys = r.members.map(keyOf);
  const uses = new Map<string, number>();
  for (const k of keys) if (k) uses.set(k, (uses.get(k) ?? 0) + 1);
  const prelude: Array<{ name: string; read: Node }> = [];
  const local = new Map<string, string>();
  for (const [k, n] of uses) {
    if (n < 2) continue;
    const name = `u${local.size}`;
    local.set(k, name);
    const [off, bytes] = k.split(':').map(Number) as [number, number];
    const m = r.members[keys.indexOf(k)]!;
    const le = m.rep.k === 'bits' ? String(m.rep.le) : 'true';
    prelude.push({ name, read: { partial: 'read/get', ...DV, off, m: INT_METHOD[bytes]![0], le: bytes > 1 ? le : '' } });
  }
  const out: MemberVM[] = [];
  for (let i = 0; i < members.length; i++) {
    const k = keys[i];
    const vm = members[i]!;
    if (!k || !local.has(k)) { out.push(vm); continue; }
    let j = i;
    while (j + 1 < members.length && keys[j + 1] === k) j++;
    const run = r.members.slice(i, j + 1);
    const rep0 = run[0]!.rep as Extract<Rep, { k: 'bits' }>;
    const write = windowWrite(rep0.bits.unit!, String(rep0.le), DV,
      run.map((m) => ({ rep: m.rep as Extract<Rep, { k: 'bits' }>, val: `v.${m.prop}`, r: R, f: stringLiteral(m.facts.name) })));
    out.push({ ...vm, read: withWindowLocal(vm.read, local.get(k)!), write });
    for (let t = i + 1; t <= j; t++) out.push({ ...members[t]!, read: withWindowLocal(members[t]!.read, local.get(k)!), write: null });
    i = j;
  }
  return { prelude, members: out };
}

/** A bit-field read with its window replaced by the prelude's local. */
function withWindowLocal(n: Node, name: string): Node {
  if (n.partial === 'read/get') return { partial: 'read/local', name };
  const out: { [k: string]: unknown } = { ...n };
  for (const [k, v] of Object.entries(n)) if (v && typeof v === 'object' && 'partial' in v) out[k] = withWindowLocal(v as Node, name);
  return out as Node;
}
