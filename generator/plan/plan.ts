// The plan step: from the layout facts of one or more translation units (one target) to what the modules will
// hold. It decides which module owns each record and enum, the names they are exported under, and what each member
// becomes in TypeScript (its representation); emit only renders the result. Plain data, no code.

import { diag, type Diagnostic } from '../diagnostics.js';
import type {
  BitfieldFacts, ConstantFacts, EnumFacts, MemberFacts, ProgramFacts, RecordFacts, TypeFacts,
} from '../layout/facts.js';
import type { FloatFormat } from '../target/types.js';
import * as paths from '../core/paths.js';
import { exportName, memberNames } from './names.js';

export const RUNTIME_MODULE = 'structgen-runtime';
export const INCLUDED_MODULE = 'included';

export interface PlanOptions {
  /** `RECORD.FIELD` -> byte order, for members whose declared type does not say it. */
  readonly endian?: Readonly<{ [recordDotField: string]: 'big' | 'little' }>;
  /** How modules name their headers (default: the path as given). */
  readonly displayPath?: (header: string) => string;
  /** The records to emit (`"records"`, `--records`): names or `/regex/`s, matched wherever the record is defined
   * (an included header included); a match is emitted in the module of the header it was found through. Without
   * it: every record the headers themselves define. */
  readonly records?: readonly string[];
  /** The `#define`s and enums to emit (`"constants"`, `--constants`), selected the same way (an enum is selected by
   * its name or any of its enumerators). Without it: those the headers themselves define. */
  readonly constants?: readonly string[];
}

/** A name selector: `/regex/flags` or an exact name. */
export function selector(patterns: readonly string[] | undefined): ((name: string) => boolean) | null {
  if (!patterns) return null;
  const tests = patterns.map((p) => {
    const m = /^\/(.*)\/([a-z]*)$/s.exec(p);
    if (!m) return (n: string) => n === p;
    const re = new RegExp(m[1]!, m[2]!);
    return (n: string) => re.test(n);
  });
  return (n) => tests.some((t) => t(n));
}

/** Where a record's generated code lives, for references across records and modules. */
export interface RecordRef {
  readonly name: string;
  readonly viewName: string;
  readonly inputName: string;
  /** The module that defines it. */
  readonly module: string;
}

export interface EnumRef {
  readonly name: string;
  readonly valuesName: string;
  readonly module: string;
}

/** What a member becomes in TypeScript, and how it is stored. `le`: little-endian. */
export type Rep =
  | { readonly k: 'int'; readonly bytes: 1 | 2 | 4; readonly signed: boolean; readonly le: boolean; readonly enum: EnumRef | null }
  | { readonly k: 'bigint'; readonly bytes: 8 | 16; readonly signed: boolean; readonly le: boolean; readonly enum: EnumRef | null }
  | { readonly k: 'bool'; readonly bytes: number }
  | { readonly k: 'float'; readonly format: FloatFormat; readonly bytes: number; readonly le: boolean }
  | { readonly k: 'complex'; readonly part: Extract<Rep, { k: 'float' }> }
  | { readonly k: 'string'; readonly bytes: number; readonly encoding: 'utf-8' | 'latin1' }
  | { readonly k: 'bytes'; readonly bytes: number; readonly signed: boolean }
  | { readonly k: 'array'; readonly of: Rep; readonly length: number; readonly stride: number }
  | { readonly k: 'record'; readonly ref: RecordRef }
  | { readonly k: 'bits'; readonly bits: BitfieldFacts; readonly le: boolean; readonly as: 'number' | 'bigint' | 'bool'; readonly enum: EnumRef | null }
  /** A flexible array member: the elements that fit in the source. */
  | { readonly k: 'flex'; readonly of: Rep; readonly stride: number };

export interface MemberPlan {
  readonly facts: MemberFacts;
  /** The property name in decoded objects, inputs and views. */
  readonly prop: string;
  /** Absent from what encode takes (union members, members of anonymous unions). */
  readonly optional: boolean;
  readonly rep: Rep;
}

export interface RecordPlan {
  readonly facts: RecordFacts;
  readonly name: string;
  readonly viewName: string;
  readonly inputName: string;
  /** `file:line` as the module names it. */
  readonly where: string;
  readonly members: readonly MemberPlan[];
  /** Byte runs `[offset, length]` that `$write` zeroes when it writes into given bytes: padding at this level and
   * the storage of optional members. Nested records zero their own. */
  readonly zero: ReadonlyArray<readonly [number, number]>;
}

export interface EnumPlan {
  readonly facts: EnumFacts;
  readonly name: string;
  readonly valuesName: string;
  readonly where: string;
  /** The enum's values do not all fit a number exactly (64-bit enums): they are bigints. */
  readonly big: boolean;
}

export interface ConstantPlan {
  readonly facts: ConstantFacts;
  readonly name: string;
}

export interface ModulePlan {
  /** File base name: `netproto` for `netproto.ts`. */
  readonly name: string;
  /** The header (as displayed), or what the module gathers. */
  readonly source: string;
  readonly records: readonly RecordPlan[];
  readonly enums: readonly EnumPlan[];
  readonly constants: readonly ConstantPlan[];
  /** Modules this one imports from, and what. */
  readonly imports: ReadonlyArray<{ readonly module: string; readonly names: readonly string[] }>;
}

export interface ProjectPlan {
  readonly target: string;
  readonly modules: readonly ModulePlan[];
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------------------------------------------------------

/** Exported names per module: a C name becomes a valid, unreserved identifier that does not collide with another
 * export (or with the companions `XView`, `XInput`, `X$values`, ... of one). */
class Names {
  private readonly used = new Map<string, Set<string>>();
  claim(module: string, want: string): string {
    let set = this.used.get(module);
    if (!set) { set = new Set(['$rt', 'DecodeError', 'EncodeError', 'DecodeOptions', 'Source', 'Offset']); this.used.set(module, set); }
    let n = exportName(want);
    const clash = (x: string) => [x, `${x}View`, `${x}Input`, `${x}$values`, `${x}$layout`, `${x}$read`, `${x}$write`, `${x}$name`].some((y) => set.has(y));
    while (clash(n)) n = `${n}_`;
    set.add(n);
    return n;
  }
  has(module: string, name: string): boolean {
    return this.used.get(module)?.has(name) ?? false;
  }
}

function moduleName(header: string, used: Set<string>): string {
  let base = paths.stem(header).replace(/[^A-Za-z0-9_.-]/g, '_') || 'header';
  if (base === RUNTIME_MODULE || base === INCLUDED_MODULE) base = `${base}_h`;
  let n = base;
  for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
  used.add(n);
  return n;
}

interface Owned { readonly module: string; readonly name: string }

/** Plans the modules for translation units of one target: one module per header, records of included headers
 * that the headers use in `included.ts` once. */
export function planModules(programs: readonly ProgramFacts[], opts: PlanOptions = {}): ProjectPlan {
  const display = opts.displayPath ?? ((h: string) => h);
  const diags: Diagnostic[] = [];
  const used = new Set<string>();
  const units = programs.map((p) => ({ p, module: moduleName(p.header, used) }));
  const headerModule = new Map(units.map((u) => [u.p.header, u.module]));
  const names = new Names();
  const owner = new Map<string, Owned>();
  const enumOwner = new Map<string, Owned>();
  /** Per module, the records and enums it holds, each with the translation unit that describes it. */
  const held = new Map<string, { recs: Array<{ p: ProgramFacts; r: RecordFacts }>; enums: Array<{ p: ProgramFacts; e: EnumFacts }> }>();
  const hold = (module: string) => {
    let h = held.get(module);
    if (!h) { h = { recs: [], enums: [] }; held.set(module, h); }
    return h;
  };
  const ownEnum = (p: ProgramFacts, e: EnumFacts, module: string) => {
    if (enumOwner.has(e.key) || !e.name) return;
    enumOwner.set(e.key, { module, name: names.claim(module, e.name) });
    hold(module).enums.push({ p, e });
  };

  // 1. the records and enums each header defines (or the selected ones, wherever defined), in definition order
  const pickRecord = selector(opts.records);
  const pickConstant = selector(opts.constants);
  const work: Array<{ p: ProgramFacts; r: RecordFacts }> = [];
  for (const { p, module } of units) {
    for (const r of p.records) {
      if (!r || !r.name || owner.has(r.key)) continue;
      if (pickRecord ? !pickRecord(r.name) : r.file !== p.header) continue;
      owner.set(r.key, { module, name: names.claim(module, r.name) });
      hold(module).recs.push({ p, r });
      work.push({ p, r });
    }
    for (const e of p.enums) {
      if (!e || !e.name) continue;
      if (pickConstant ? pickConstant(e.name) || e.values.some((v) => pickConstant(v.name)) : e.file === p.header) ownEnum(p, e, module);
    }
  }
  // 2. what they use: named records of included headers go to included.ts once; an untagged member type takes
  //    `parent_member` in its parent's module
  for (let i = 0; i < work.length; i++) {
    const { p, r } = work[i]!;
    const parent = owner.get(r.key)!;
    for (const m of r.members) {
      let t: TypeFacts = m.type;
      while (t.k === 'array') t = t.of;
      if (t.k === 'enum') {
        const e = p.enums[t.id];
        if (e && e.name) ownEnum(p, e, headerModule.get(e.file) ?? INCLUDED_MODULE);
        continue;
      }
      if (t.k !== 'record') continue;
      const inner = p.records[t.id];
      if (!inner || owner.has(inner.key)) continue;
      const module = inner.name ? headerModule.get(inner.file) ?? INCLUDED_MODULE : parent.module;
      owner.set(inner.key, { module, name: names.claim(module, inner.name ?? `${parent.name}_${m.name}`) });
      hold(module).recs.push({ p, r: inner });
      work.push({ p, r: inner });
    }
  }

  // 3. each module's contents, with references resolved to names and modules
  const recordRef = (key: string): RecordRef => {
    const o = owner.get(key)!;
    return { name: o.name, viewName: `${o.name}View`, inputName: `${o.name}Input`, module: o.module };
  };
  const enumRef = (e: EnumFacts | null | undefined): EnumRef | null => {
    const o = e ? enumOwner.get(e.key) : undefined;
    return o ? { name: o.name, valuesName: `${o.name}$values`, module: o.module } : null;
  };
  const modules: ModulePlan[] = [];
  const order = [...units.map((u) => u.module), INCLUDED_MODULE];
  for (const module of order) {
    const h = held.get(module);
    const unit = units.find((u) => u.module === module);
    if (!h && !unit) continue;
    const records: RecordPlan[] = [];
    // definition order within each translation unit (a record's nested types come before it in C)
    const recs = [...(h?.recs ?? [])];
    const tuOrder = new Map(programs.map((p, i) => [p, i]));
    recs.sort((a, b) => (tuOrder.get(a.p)! - tuOrder.get(b.p)!) || a.r.id - b.r.id);
    for (const { p, r } of recs) {
      try {
        records.push(planRecord(p, r, owner.get(r.key)!.name, display, opts, recordRef, enumRef));
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        diags.push(diag('error', e.pos ?? r.pos, 'plan-unsupported', `cannot emit ${r.cName}: ${e.message}`));
      }
    }
    const enums = (h?.enums ?? []).map(({ e }) => {
      const o = enumOwner.get(e.key)!;
      const big = e.bytes > 4;
      return { facts: e, name: o.name, valuesName: `${o.name}$values`, where: `${display(e.pos.file)}:${e.pos.line}`, big };
    });
    const constants: ConstantPlan[] = [];
    if (unit) {
      for (const c of unit.p.constants) {
        if (pickConstant ? !pickConstant(c.name) : c.file !== unit.p.header) continue;
        if (names.has(module, exportName(c.name))) continue;
        constants.push({ facts: c, name: names.claim(module, c.name) });
      }
    }
    if (!unit && records.length === 0 && enums.length === 0) continue;
    if (unit && records.length === 0) {
      // a header whose own name leads the user to records its includes define (`utmp.h` -> `bits/utmp.h`)
      // the likeliest first: records of a file named like the header (`bits/utmp.h` for `utmp.h`), then names that
      // contain its stem; names reserved to the implementation (`__pthread_...`) only when there is nothing else
      const stem = paths.stem(unit.p.header);
      const named = unit.p.records.filter((r): r is RecordFacts => !!r && !!r.name && !r.file.startsWith('<structgen>') && (!!opts.records || r.file !== unit.p.header));
      const rank = (r: RecordFacts) => (paths.basename(r.file) === paths.basename(unit.p.header) ? 0 : r.name!.includes(stem) ? 1 : r.name!.startsWith('__') ? 3 : 2);
      const ranked = named.map((r, i) => ({ r, i, k: rank(r) })).filter((x) => x.k < 3 || named.every((r) => rank(r) === 3))
        .sort((a, b) => a.k - b.k || a.i - b.i);
      const names = [...new Set(ranked.map((x) => x.r.name!))];
      const list = `${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`;
      if (opts.records) {
        diags.push(diag('warning', { file: unit.p.header, line: 1, col: 1 }, 'plan-empty-module',
          `${display(unit.p.header)}: no record matches the selection${names.length ? `; records here include: ${list}` : ''}`));
      } else if (names.length || (enums.length === 0 && constants.length === 0)) {
        diags.push(diag('warning', { file: unit.p.header, line: 1, col: 1 }, 'plan-empty-module',
          `${display(unit.p.header)} defines no record itself${names.length ? `; the headers it includes define ${list} (choose them with --records or "records")` : ''}`));
      }
    }
    modules.push({
      name: module, source: unit ? display(unit.p.header) : 'records used from included headers',
      records, enums, constants, imports: importsOf(module, records),
    });
  }
  return { target: programs[0]?.target.triple ?? '', modules, diagnostics: diags };
}

class PlanError extends Error {
  constructor(message: string, readonly pos?: MemberFacts['pos']) { super(message); }
}

/** What a record's members become, and what its `$write` must zero. */
function planRecord(p: ProgramFacts, r: RecordFacts, name: string, display: (h: string) => string, opts: PlanOptions,
  recordRef: (key: string) => RecordRef, enumRef: (e: EnumFacts | null | undefined) => EnumRef | null): RecordPlan {
  const props = memberNames(r.members.map((m) => m.name));
  const members = r.members.map((m, i): MemberPlan => {
    const endian = r.name ? opts.endian?.[`${r.name}.${m.name}`] : undefined;
    const rep = m.bitfield
      ? bitsRep(p, m, m.bitfield, enumRef)
      : repOf(p, m.type, endian, recordRef, enumRef, m, r.flexible?.member === m.name);
    return { facts: m, prop: props[i]!, optional: m.overlaid, rep };
  });
  // bytes `$write` zeroes in given bytes: every byte holding padding bits at this level, and the storage of optional
  // members (they may be absent); the flexible array's tail is sized by encode itself
  const bits: Array<[number, number]> = r.gaps.map((g) => [g.bitOffset, g.bitOffset + g.bitSize]);
  for (const m of r.members) if (m.overlaid) bits.push([m.bitOffset, m.bitOffset + m.bitSize]);
  return {
    facts: r, name, viewName: `${name}View`, inputName: `${name}Input`, where: `${display(r.pos.file)}:${r.pos.line}`,
    members, zero: byteRuns(bits, r.size),
  };
}

/** Bit ranges as merged runs of whole bytes, clipped to the record. */
export function byteRuns(bits: ReadonlyArray<readonly [number, number]>, size: number): Array<readonly [number, number]> {
  const spans = bits.map(([a, b]) => [Math.floor(a / 8), Math.min(size, Math.ceil(b / 8))] as [number, number])
    .filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of spans) {
    const last = out[out.length - 1];
    if (last && last[0] + last[1] >= a) last[1] = Math.max(last[1], b - last[0]);
    else out.push([a, b - a]);
  }
  return out;
}

function repOf(p: ProgramFacts, t: TypeFacts, endian: 'big' | 'little' | undefined, recordRef: (key: string) => RecordRef,
  enumRef: (e: EnumFacts | null | undefined) => EnumRef | null, m: MemberFacts, flexible = false): Rep {
  const le = (order: 'little' | 'big') => (endian ?? order) === 'little';
  switch (t.k) {
    case 'int': case 'pointer': {
      const signed = t.k === 'int' ? t.signed : false;
      if (t.bytes === 1 || t.bytes === 2 || t.bytes === 4) return { k: 'int', bytes: t.bytes, signed, le: le(t.order), enum: null };
      if (t.bytes === 8 || t.bytes === 16) return { k: 'bigint', bytes: t.bytes, signed, le: le(t.order), enum: null };
      return { k: 'bytes', bytes: t.bytes, signed: false };
    }
    case 'enum': {
      const en = enumRef(p.enums[t.id]);
      if (t.bytes === 1 || t.bytes === 2 || t.bytes === 4) return { k: 'int', bytes: t.bytes, signed: t.signed, le: le(t.order), enum: en };
      return { k: 'bigint', bytes: t.bytes === 16 ? 16 : 8, signed: t.signed, le: le(t.order), enum: en };
    }
    case 'bool': return { k: 'bool', bytes: t.bytes };
    case 'float': return { k: 'float', format: t.format, bytes: t.bytes, le: le(t.order) };
    case 'complex': return { k: 'complex', part: { k: 'float', format: t.part.format, bytes: t.part.bytes, le: le(t.part.order) } };
    case 'opaque': return { k: 'bytes', bytes: t.bytes, signed: false };
    case 'record': {
      const inner = p.records[t.id];
      if (!inner) throw new PlanError(`member '${m.name}' has a record type that could not be laid out`, m.pos);
      return { k: 'record', ref: recordRef(inner.key) };
    }
    case 'array': {
      const e = t.of;
      if (t.length === null || flexible) {
        const of = repOf(p, e, endian, recordRef, enumRef, m);
        return { k: 'flex', of, stride: t.stride };
      }
      // char[N] holds text; other 8-bit arrays are bytes (typed arrays over the same memory in views)
      if (e.k === 'int' && e.bytes === 1) {
        return e.char ? { k: 'string', bytes: t.length, encoding: 'utf-8' } : { k: 'bytes', bytes: t.length, signed: e.signed };
      }
      return { k: 'array', of: repOf(p, e, endian, recordRef, enumRef, m), length: t.length, stride: t.stride };
    }
  }
}

function bitsRep(p: ProgramFacts, m: MemberFacts, bits: BitfieldFacts, enumRef: (e: EnumFacts | null | undefined) => EnumRef | null): Rep {
  const le = p.target.endian === 'little';
  if (m.type.k === 'bool') return { k: 'bits', bits, le, as: 'bool', enum: null };
  const en = m.type.k === 'enum' ? enumRef(p.enums[m.type.id]) : null;
  return { k: 'bits', bits, le, as: bits.width > 32 ? 'bigint' : 'number', enum: en };
}

/** What a module imports: for each record it references in another module, the reader, writer, view and types. */
function importsOf(module: string, records: readonly RecordPlan[]): Array<{ module: string; names: string[] }> {
  const need = new Map<string, Set<string>>();
  const add = (mod: string, ...ns: string[]) => {
    if (mod === module) return;
    let s = need.get(mod);
    if (!s) { s = new Set(); need.set(mod, s); }
    for (const n of ns) s.add(n);
  };
  const visit = (rep: Rep) => {
    switch (rep.k) {
      case 'record': add(rep.ref.module, `${rep.ref.name}$read`, `${rep.ref.name}$write`, rep.ref.viewName, `type ${rep.ref.name}`, `type ${rep.ref.inputName}`); return;
      case 'array': case 'flex': visit(rep.of); return;
      case 'int': case 'bigint': case 'bits':
        if (rep.enum) add(rep.enum.module, `type ${rep.enum.name}`, rep.enum.valuesName);
        return;
      default: return;
    }
  };
  for (const r of records) for (const m of r.members) visit(m.rep);
  return [...need.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([mod, ns]) => ({
    module: mod,
    names: [...ns].sort((x, y) => x.replace(/^type /, '').localeCompare(y.replace(/^type /, ''))),
  }));
}
