// The plan step: from the layout facts of one or more translation units (one target) to what the modules will
// hold. It decides which module owns each record and enum, the names they are exported under, and what each member
// becomes in TypeScript (its representation); emit only renders the result. Plain data, no code.

import { diag, type Diagnostic } from '../diagnostics.js';
import type {
  BitfieldFacts, ConstantFacts, EnumFacts, MemberFacts, PointeeFacts, PointerFacts, ProgramFacts, RecordFacts, TypeFacts,
} from '../layout/facts.js';
import type { FloatFormat } from '../target/types.js';
import type { Hash64 } from '../core/hash.js';
import * as paths from '../core/paths.js';
import { flatString as flat } from '../core/strings.js';
import { exportName, memberNames } from './names.js';
import { nearest, resolveOverrides, type FieldRule, type OverrideOptions, type ResolvedOverrides, type UnionRule } from './overrides.js';
export type { FieldOverride, UnionOverride } from './overrides.js';

export const RUNTIME_MODULE = 'structgen-runtime';
export const INCLUDED_MODULE = 'included';

export interface PlanOptions extends OverrideOptions {
  /** How modules name their headers (default: the path as given). */
  readonly displayPath?: (header: string) => string;
  /** The records to emit (`"records"`, `--records`): names or `/regex/`s, matched wherever the record is defined
   * (an included header included); a match is emitted in the module of the header it was found through. Without
   * it: every record the headers themselves define. */
  readonly records?: readonly string[];
  /** The `#define`s and enums to emit (`"constants"`, `--constants`), selected the same way (an enum is selected by
   * its name or any of its enumerators). Without it: those the headers themselves define. */
  readonly constants?: readonly string[];
  /** Records and enums of included headers that the headers use go into the module of the header that uses them
   * (first), not into `included.ts`: with one header, one module that imports only the runtime (what the bundler
   * plugin emits for `import ... from './x.h'`). */
  readonly selfContained?: boolean;
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
  /** A 64-bit integer as a number (`"as": "number"`, or typed with an enum whose values are numbers): decode throws
   * DecodeError beyond 2^53. */
  | { readonly k: 'safe'; readonly signed: boolean; readonly le: boolean; readonly enum: EnumRef | null }
  /** `_Bool`, or an integer read as a boolean (`"as": "bool"`): nonzero is true; encode writes 1 or 0. */
  | { readonly k: 'bool'; readonly bytes: number; readonly le: boolean }
  | { readonly k: 'float'; readonly format: FloatFormat; readonly bytes: number; readonly le: boolean }
  | { readonly k: 'complex'; readonly part: Extract<Rep, { k: 'float' }> }
  | { readonly k: 'string'; readonly bytes: number; readonly encoding: 'utf-8' | 'latin1' }
  | { readonly k: 'bytes'; readonly bytes: number; readonly signed: boolean }
  | { readonly k: 'array'; readonly of: Rep; readonly length: number; readonly stride: number }
  | { readonly k: 'record'; readonly ref: RecordRef }
  | { readonly k: 'bits'; readonly bits: BitfieldFacts; readonly le: boolean; readonly as: 'number' | 'bigint' | 'bool'; readonly enum: EnumRef | null }
  /** A flexible array member: the elements that fit in the source, or `count` of them (`countedBy`). */
  | { readonly k: 'flex'; readonly of: Rep; readonly stride: number; readonly count: CountRef | null }
  /** A union member decoded as the one member its tag selects (config `"unions"`). */
  | { readonly k: 'tagged'; readonly ref: RecordRef; readonly tag: TagRef; readonly cases: readonly TaggedCase[] };

/** The member that counts a flexible array's elements. */
export interface CountRef {
  /** C name of the count member, and its property. */
  readonly name: string;
  readonly prop: string;
  readonly facts: MemberFacts;
  readonly rep: Rep;
}

/** The tag member of a tagged union: a member of the same record. */
export interface TagRef {
  readonly name: string;
  readonly prop: string;
  readonly facts: MemberFacts;
  readonly rep: Rep;
}

export interface TaggedCase {
  readonly value: bigint;
  /** The case key as configured (`MSG_PING`). */
  readonly label: string;
  /** The union member's C name and property name. */
  readonly name: string;
  readonly prop: string;
  /** The member, at its offset in the record holding the union. */
  readonly facts: MemberFacts;
  readonly rep: Rep;
}

export interface MemberPlan {
  readonly facts: MemberFacts;
  /** The property name in decoded objects, inputs and views. */
  readonly prop: string;
  /** Absent from what encode takes (union members, members of anonymous unions). */
  readonly optional: boolean;
  readonly rep: Rep;
  /** It counts the flexible array member (`countedBy`): encode sets it from the array's length when it is absent,
   * and checks it when it is given. */
  readonly counts: string | null;
  /** It is the tag of a tagged union member (by that member's property). */
  readonly tags: string | null;
  /** A pointer a view over a WebAssembly memory follows (null: it stays an address). */
  readonly pointer: PointerPlan | null;
}

/** What a pointer member points to, for views over a memory: a record, text (`char *`), a scalar, or another
 * pointer (`to` null: that one stays an address). */
export type PointeePlan =
  | { readonly k: 'record'; readonly ref: RecordRef }
  | { readonly k: 'text' }
  | { readonly k: 'scalar'; readonly rep: Rep }
  | { readonly k: 'pointer'; readonly to: PointeePlan | null };

/** A followed pointer: its pointee, the pointee's size (an element's stride), and the member counting the elements
 * it points to (`__counted_by`, or the config's `countedBy`), or null for one. */
export interface PointerPlan {
  readonly to: PointeePlan;
  readonly stride: number;
  readonly count: CountRef | null;
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
  /** Adds to `h` the JSON string literal's body (`updateJsonBody`) of the module's fingerprint: everything the module
   * is made from, with file names as the module shows them (so that the same project gives the same text wherever it
   * is run from), what its input hash covers. The text is `fingerprintText`'s, made a record at a time and never
   * whole (a module of 100,000 records: 150 MB). */
  readonly hashFingerprint: (h: Hash64) => void;
}

export interface ProjectPlan {
  readonly target: string;
  /** The target's byte order is little-endian. */
  readonly littleEndian: boolean;
  readonly modules: readonly ModulePlan[];
  readonly diagnostics: readonly Diagnostic[];
}

// ---------------------------------------------------------------------------------------------------------------

/** What a record, an enum and a constant export beside their own name: each must be free in the module. */
const COMPANIONS: { readonly [kind in 'record' | 'enum' | 'constant']: readonly string[] } = {
  record: ['', 'Input', 'View', 'MemoryView', '$layout'],
  enum: ['', '$values', '$name'],
  constant: [''],
};

/** Names every module binds whatever it holds. */
const MODULE_NAMES = ['$rt', 'DecodeError', 'EncodeError', 'DecodeOptions', 'Source', 'Offset'];

/** Exported names per module: a C name becomes a valid, unreserved identifier such that neither it nor any of its
 * companions (`XView`, `XInput`, `X$layout`, `X$values`, ...) is a name another record, enum or constant of the module
 * wants or has: `struct s` beside `struct sView` becomes `s_` (`s_View`, ...), whichever comes first, since every
 * wanted name is known before any is given. */
class Names {
  private readonly taken = new Map<string, Set<string>>();
  private readonly wanted = new Map<string, Set<string>>();
  want(module: string, name: string): void {
    let w = this.wanted.get(module);
    if (!w) { w = new Set(); this.wanted.set(module, w); }
    w.add(exportName(name));
  }
  claim(module: string, want: string, kind: keyof typeof COMPANIONS): string {
    const set = this.taken.get(module) ?? new Set(MODULE_NAMES);
    this.taken.set(module, set);
    const wanted = this.wanted.get(module) ?? new Set<string>();
    const own = exportName(want);
    const companions = COMPANIONS[kind];
    // each candidate's names made once, checked, and kept when free (a big header claims 100,000 names)
    const taken = (n: string, all: string[]) => {
      for (let i = 0; i < companions.length; i++) {
        const x = i === 0 && companions[0] === '' ? n : n + companions[i]!;
        all.push(x);
        if (set.has(x) || (wanted.has(x) && !(companions[i] === '' && n === own))) return true;
      }
      return false;
    };
    let n = own;
    let all: string[] = [];
    while (taken(n, all)) { n = `${n}_`; all = []; }
    for (const x of all) set.add(x);
    return n;
  }
}

function moduleName(header: string, used: Set<string>): string {
  let base = paths.stem(header).replace(/[^A-Za-z0-9_.-]/g, '_') || 'header';
  // `x.asserts` would be the file of module x's layout asserts (emit/emit.ts `assertsFileOf`)
  if (base === RUNTIME_MODULE || base === INCLUDED_MODULE || base.endsWith('.asserts')) base = `${base}_h`;
  let n = base;
  for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
  used.add(n);
  return n;
}

interface Owned { readonly module: string; name: string }

const sameText = (h: string): string => h;

/** Plans the modules for translation units of one target: one module per header, records of included headers
 * that the headers use in `included.ts` once. */
export function planModules(programs: readonly ProgramFacts[], opts: PlanOptions = {}): ProjectPlan {
  // (a function made here would keep this scope, every name and owner of the project, as long as the plan)
  const display = opts.displayPath ?? sameText;
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
  /** Names are given once every module's wanted names are known (`Names`): in discovery order, so that an untagged
   * record's `parent_member` follows its parent's name. */
  const naming: Array<() => void> = [];
  const work: Array<{ p: ProgramFacts; r: RecordFacts }> = [];
  const ownEnum = (p: ProgramFacts, e: EnumFacts, module: string) => {
    if (enumOwner.has(e.key) || !e.name) return;
    const o: Owned = { module, name: '' };
    enumOwner.set(e.key, o);
    names.want(module, e.name);
    naming.push(() => { o.name = names.claim(module, e.name!, 'enum'); });
    hold(module).enums.push({ p, e });
  };
  const ownRecord = (p: ProgramFacts, r: RecordFacts, module: string, want: () => string, wanted: string) => {
    const o: Owned = { module, name: '' };
    owner.set(r.key, o);
    names.want(module, wanted);
    naming.push(() => { o.name = names.claim(module, want(), 'record'); });
    hold(module).recs.push({ p, r });
    work.push({ p, r });
  };
  // where a record or enum of a header that is not one of the units goes
  const elsewhere = (p: ProgramFacts) => (opts.selfContained ? headerModule.get(p.header)! : INCLUDED_MODULE);
  const overrides = resolveOverrides(programs, opts);
  diags.push(...overrides.diagnostics);

  // 1. the records and enums each header defines (or the selected ones, wherever defined), in definition order
  const pickRecord = selector(opts.records);
  const pickConstant = selector(opts.constants);
  for (const { p, module } of units) {
    for (const r of p.records) {
      if (!r || !r.name || owner.has(r.key)) continue;
      if (pickRecord ? !pickRecord(r.name) : r.file !== p.header) continue;
      const name = r.name;
      ownRecord(p, r, module, () => name, name);
    }
    for (const e of p.enums) {
      if (!e || !e.name) continue;
      if (pickConstant ? pickConstant(e.name) || e.values.some((v) => pickConstant(v.name)) : e.file === p.header) ownEnum(p, e, module);
    }
  }
  for (const { p, e } of overrides.enums) ownEnum(p, e, headerModule.get(e.file) ?? elsewhere(p));
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
        if (e && e.name) ownEnum(p, e, headerModule.get(e.file) ?? elsewhere(p));
        continue;
      }
      if (t.k !== 'record') continue;
      const inner = p.records[t.id];
      if (!inner || owner.has(inner.key)) continue;
      const module = inner.name ? headerModule.get(inner.file) ?? elsewhere(p) : parent.module;
      const parentWant = r.name ?? '';
      ownRecord(p, inner, module, () => inner.name ?? `${parent.name}_${m.name}`, inner.name ?? `${parentWant}_${m.name}`);
    }
  }
  // the constants each header defines (or the selected ones): a name a record or enum of the module wants is theirs
  const unitConstants = new Map(units.map(({ p, module }) => {
    const recordOrEnum = new Set([...(held.get(module)?.recs ?? []).map((x) => x.r.name), ...(held.get(module)?.enums ?? []).map((x) => x.e.name)]
      .filter((n): n is string => !!n).map(exportName));
    const picked = p.constants.filter((c) => (pickConstant ? pickConstant(c.name) : c.file === p.header) && !recordOrEnum.has(exportName(c.name)));
    for (const c of picked) names.want(module, c.name);
    return [module, picked.map((c) => ({ c, o: { module, name: '' } as Owned }))] as const;
  }));
  for (const [module, cs] of unitConstants) for (const x of cs) naming.push(() => { x.o.name = names.claim(module, x.c.name, 'constant'); });
  for (const give of naming) give();

  // 3. each module's contents, with references resolved to names and modules
  // one reference per record, however many members name it (plans are immutable)
  const refs = new Map<string, RecordRef>();
  const recordRef = (key: string): RecordRef => {
    let ref = refs.get(key);
    if (ref) return ref;
    const o = owner.get(key)!;
    ref = { name: o.name, viewName: flat(`${o.name}View`), inputName: flat(`${o.name}Input`), module: o.module };
    refs.set(key, ref);
    return ref;
  };
  const enumRef = (e: EnumFacts | null | undefined): EnumRef | null => {
    const o = e ? enumOwner.get(e.key) : undefined;
    return o ? { name: o.name, valuesName: `${o.name}$values`, module: o.module } : null;
  };
  // a pointer to a record no module holds stays an address
  const pointeeRef = (key: string): RecordRef | null => (owner.has(key) ? recordRef(key) : null);
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
        records.push(planRecord(p, r, owner.get(r.key)!.name, display, overrides, recordRef, enumRef, pointeeRef));
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        diags.push(e.override
          ? diag('error', e.pos ?? r.pos, 'override', e.message)
          : diag('error', e.pos ?? r.pos, 'plan-unsupported', `cannot emit ${r.cName}: ${e.message}`));
      }
    }
    const enums = (h?.enums ?? []).map(({ e }) => {
      const o = enumOwner.get(e.key)!;
      const big = e.bytes > 4;
      return { facts: e, name: o.name, valuesName: `${o.name}$values`, where: `${display(e.pos.file)}:${e.pos.line}`, big };
    });
    const constants: ConstantPlan[] = (unitConstants.get(module) ?? []).map((x) => ({ facts: x.c, name: x.o.name }));
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
      hashFingerprint: fingerprintHasher({ records, enums, constants, display }),
    });
  }
  return { target: programs[0]?.target.triple ?? '', littleEndian: (programs[0]?.target.endian ?? 'little') === 'little', modules, diagnostics: diags };
}

interface FingerprintPieces {
  readonly records: readonly { readonly facts: RecordFacts }[];
  readonly enums: readonly { readonly facts: EnumFacts }[];
  readonly constants: readonly { readonly facts: ConstantFacts }[];
  readonly display: (file: string) => string;
}

/** A module's `hashFingerprint`, made here and not inside planModules, whose scope (every name and owner of the
 * project) a closure made there would keep alive as long as the plan. */
function fingerprintHasher(f: FingerprintPieces): (h: Hash64) => void {
  return (h) => { hashFingerprintOf(f, h); };
}

/** A module's fingerprint made whole (tests compare it with the hash made a record at a time). */
export function fingerprintText(m: ModulePlan): string {
  let out = '';
  const collect = {
    update(t: string) { out += t; return this; },
    updateJsonBody(t: string) { out += t; return this; },
    updateJsonStringBody(t: string) { out += JSON.stringify(t); return this; },
  };
  m.hashFingerprint(collect as unknown as Hash64);
  return out;
}

function hashFingerprintOf(f: FingerprintPieces, h: Hash64): void {
  // `[[records],[enums],[constants]]` as JSON.stringify writes it whole (the facts without their keys, file names as
  // displayed), each item hashed as it is walked: the text is never made (150 MB at 100,000 records)
  const list = (items: readonly unknown[]) => {
    h.update('[');
    items.forEach((x, i) => {
      if (i) h.update(',');
      hashJsonOf(h, x, f.display);
    });
    h.update(']');
  };
  h.update('[');
  list(f.records.map((r) => r.facts));
  h.update(',');
  list(f.enums.map((e) => e.facts));
  h.update(',');
  list(f.constants.map((c) => c.facts));
  h.update(']');
}

/** What `h.updateJsonBody(JSON.stringify(root, replacer))` adds, with the fingerprint's replacer (`key` left out,
 * `file` as displayed), walked with a stack of its own: facts nest as deep as a header's typedef chains go (10,000
 * levels of arrays), past what recursion allows. Plain data only (what facts are). */
function hashJsonOf(h: Hash64, root: unknown, display: (file: string) => string): void {
  interface Frame { readonly o: { readonly [k: string]: unknown }; readonly keys: string[] | null; i: number; any: boolean }
  const frames: Frame[] = [];
  const open = (v: unknown): void => {
    if (v === null) { h.update('null'); return; }
    switch (typeof v) {
      case 'string': h.updateJsonStringBody(v); return;
      case 'number': h.update(Number.isFinite(v) ? String(v) : 'null'); return;
      case 'boolean': h.update(v ? 'true' : 'false'); return;
      case 'object':
        h.update(Array.isArray(v) ? '[' : '{');
        frames.push({ o: v as Frame['o'], keys: Array.isArray(v) ? null : Object.keys(v), i: 0, any: false });
        return;
      default: throw new Error(`a fingerprint holds a ${typeof v}`);
    }
  };
  const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  open(root);
  while (frames.length) {
    const f = frames[frames.length - 1]!;
    if (f.keys === null) {
      const a = f.o as unknown as readonly unknown[];
      if (f.i >= a.length) { h.update(']'); frames.pop(); continue; }
      if (f.i > 0) h.update(',');
      const x = a[f.i++];
      open(skipped(x) ? null : x);
      continue;
    }
    let key: string | null = null;
    let x: unknown;
    while (f.i < f.keys.length) {
      const k = f.keys[f.i++]!;
      if (k === 'key') continue;
      x = f.o[k];
      if (k === 'file' && typeof x === 'string') x = display(x);
      if (skipped(x)) continue;
      key = k;
      break;
    }
    if (key === null) { h.update('}'); frames.pop(); continue; }
    if (f.any) h.update(',');
    f.any = true;
    h.updateJsonStringBody(key);
    h.update(':');
    open(x);
  }
}

class PlanError extends Error {
  constructor(message: string, readonly pos?: MemberFacts['pos'], readonly override = false) { super(message); }
}

/** What a record's members become, and what its `$write` must zero. */
function planRecord(p: ProgramFacts, r: RecordFacts, name: string, display: (h: string) => string, ov: ResolvedOverrides,
  recordRef: (key: string) => RecordRef, enumRef: (e: EnumFacts | null | undefined) => EnumRef | null,
  pointeeRef: (key: string) => RecordRef | null = () => null): RecordPlan {
  const props = memberNames(r.members.map((m) => m.name));
  const propOf = new Map(r.members.map((m, i) => [m.name, props[i]!]));
  const rules = ov.fields.get(r.key);
  const unions = ov.unions.get(r.key);
  const ctx: RepContext = { p, recordRef, enumRef, ov };
  const scalarRep = (m: MemberFacts, rule: FieldRule | undefined): Rep => {
    if (rule) checkFit(r, m, rule);
    return m.bitfield ? bitsRep(p, m, m.bitfield, enumRef, rule, ctx) : repOf(ctx, m.type, rule, m);
  };
  const counts = new Map<string, string>();
  const tags = new Map<string, string>();
  const pointers = new Map<string, PointerPlan>();
  const members = r.members.map((m, i): { facts: MemberFacts; prop: string; optional: boolean; rep: Rep } => {
    const rule = rules?.get(m.name);
    const union = unions?.get(m.name);
    let rep: Rep;
    if (union) {
      rep = taggedRep(ctx, r, m, union, propOf, scalarRep);
      if (tags.has(union.tag)) throw new PlanError(`union '${union.key}': its tag '${union.tag}' already tags member '${tags.get(union.tag)}'`, m.pos, true);
      tags.set(union.tag, props[i]!);
    } else if (r.flexible?.member === m.name && !m.bitfield) {
      if (rule) checkFit(r, m, rule);
      const by = rule?.countedBy ?? m.countedBy;
      const t = m.type.k === 'array' ? m.type : null;
      if (!t) throw new PlanError(`flexible array member '${m.name}' is not an array`, m.pos);
      const count = by === null || by === undefined ? null : countRef(r, m, by, rule?.key ?? null, propOf, scalarRep, rules);
      if (count) counts.set(count.name, props[i]!);
      rep = { k: 'flex', of: repOf(ctx, t.of, rule, m), stride: t.stride, count };
    } else {
      rep = scalarRep(m, rule);
      if (m.type.k === 'pointer' && !m.bitfield && (rep.k === 'int' || rep.k === 'bigint' || rep.k === 'safe') && !rep.enum) {
        const to = pointeePlan(ctx, m.type, m, pointeeRef);
        const by = rule?.countedBy ?? m.countedBy;
        const count = by === null || by === undefined ? null : countRef(r, m, by, rule?.key ?? null, propOf, scalarRep, rules);
        if (to) pointers.set(m.name, { to, stride: pointeeSize(p, m.type.to), count });
        else if (rule?.countedBy !== undefined) throw new PlanError(`field '${rule.key}': "countedBy" needs a pointer to a record or a scalar; '${m.name}' is ${m.cType}`, m.pos, true);
      }
    }
    return { facts: m, prop: props[i]!, optional: m.overlaid, rep };
  });
  // bytes `$write` zeroes in given bytes: every byte holding padding bits at this level, and the storage of optional
  // members (they may be absent) and of tagged unions (one member is written); the flexible array's tail is sized by
  // encode itself
  const bits: Array<[number, number]> = r.gaps.map((g) => [g.bitOffset, g.bitOffset + g.bitSize]);
  for (const m of members) {
    // and the storage of arrays that do not fill it: a vector of 3 floats takes 16 bytes, its writer stores 12
    if (m.facts.overlaid || m.rep.k === 'tagged' || (!m.facts.bitfield && unfilled(m.facts.type, m.facts.bitSize / 8))) {
      bits.push([m.facts.bitOffset, m.facts.bitOffset + m.facts.bitSize]);
    }
  }
  return {
    facts: r, name, viewName: flat(`${name}View`), inputName: flat(`${name}Input`), where: flat(`${display(r.pos.file)}:${r.pos.line}`),
    // written out, not spread: V8 gave each spread copy a hidden class of its own (85,000 of them, a fifth of a
    // plan's memory, at 20,000 records)
    members: members.map((m): MemberPlan => ({
      facts: m.facts, prop: m.prop, optional: m.optional, rep: m.rep,
      counts: counts.get(m.facts.name) ?? null, tags: tags.get(m.facts.name) ?? null, pointer: pointers.get(m.facts.name) ?? null,
    })),
    zero: byteRuns(bits, r.size),
  };
}

/** Whether an array of `bytes` bytes leaves some of them to no element, at any depth (vectors whose length is not a
 * power of two are padded to one: `float __attribute__((vector_size(12)))` takes 16 bytes). Records zero their own. */
function unfilled(t: TypeFacts, bytes: number): boolean {
  if (t.k !== 'array' || t.length === null) return false;
  return t.length * t.stride < bytes || (t.length > 0 && unfilled(t.of, t.stride));
}

/** What a pointer points to, as views over a memory follow it; null: it stays an address (`void *`, a function, an
 * array, a record no module holds). Pointer chains are as deep as the layout describes them (a few levels). */
function pointeePlan(ctx: RepContext, t: PointerFacts, m: MemberFacts, pointeeRef: (key: string) => RecordRef | null): PointeePlan | null {
  const to = t.to;
  switch (to.k) {
    case 'record': {
      const inner = ctx.p.records[to.id];
      const ref = inner ? pointeeRef(inner.key) : null;
      return ref ? { k: 'record', ref } : null;
    }
    case 'int': return t.text ? { k: 'text' } : { k: 'scalar', rep: repOf(ctx, to, undefined, m) };
    case 'enum': case 'bool': case 'float': return { k: 'scalar', rep: repOf(ctx, to, undefined, m) };
    case 'pointer': return { k: 'pointer', to: pointeePlan(ctx, to, m, pointeeRef) };
    default: return null;
  }
}

/** The size of what a pointer points to (the stride of the elements it points to). */
function pointeeSize(p: ProgramFacts, t: PointeeFacts): number {
  switch (t.k) {
    case 'record': return p.records[t.id]?.size ?? 0;
    case 'int': case 'enum': case 'bool': case 'float': case 'pointer': case 'complex': case 'opaque': return t.bytes;
    case 'array': return t.length === null ? 0 : t.length * t.stride;
    default: return 0;
  }
}

interface RepContext {
  readonly p: ProgramFacts;
  readonly recordRef: (key: string) => RecordRef;
  readonly enumRef: (e: EnumFacts | null | undefined) => EnumRef | null;
  readonly ov: ResolvedOverrides;
}

/** Whether an override fits its member; a PlanError naming the override and the member when not. */
function checkFit(r: RecordFacts, m: MemberFacts, rule: FieldRule): void {
  const bad = (msg: string): never => { throw new PlanError(`field '${rule.key}': ${msg}`, m.pos, true); };
  let leaf: TypeFacts = m.type;
  while (leaf.k === 'array') leaf = leaf.of;
  const flexible = r.flexible?.member === m.name;
  const what = `'${m.name}' is ${m.bitfield ? `a bit-field (${m.cType} : ${m.bitfield.width})` : m.cType}`;
  const eightBitArray = m.type.k === 'array' && !m.bitfield && leaf.k === 'int' && leaf.bytes === 1 && !flexible;
  if ((rule.as === 'string' || rule.as === 'bytes') && !eightBitArray) bad(`"as": "${rule.as}" needs an array of 8-bit integers (char[N], uint8_t[N]); ${what}`);
  if (rule.encoding !== undefined && !(rule.as === 'string' || (rule.as === undefined && eightBitArray && leaf.k === 'int' && leaf.char))) {
    bad(`"encoding" applies to text (char[N], or an 8-bit array with "as": "string"); ${what}${rule.as ? ` as ${rule.as}` : ''}`);
  }
  if (rule.as === 'bool' && !(leaf.k === 'int' || leaf.k === 'enum' || leaf.k === 'bool')) bad(`"as": "bool" needs an integer; ${what}`);
  if (rule.as === 'number' && (m.bitfield || !((leaf.k === 'int' || leaf.k === 'enum' || leaf.k === 'pointer') && leaf.bytes === 8))) {
    bad(`"as": "number" needs a 64-bit integer (it reads it as a number, exact up to 2^53); ${what}`);
  }
  if (rule.enum !== undefined) {
    if (!(leaf.k === 'int' || leaf.k === 'enum')) bad(`"enum" needs an integer member; ${what}`);
    if (rule.as !== undefined && rule.as !== 'number') bad(`"enum" and "as": "${rule.as}" do not go together`);
  }
  if (rule.endian !== undefined) {
    if (m.bitfield) bad(`"endian" does not apply to bit-fields (their storage is read in the target's byte order); ${what}`);
    if (!(leaf.k === 'int' || leaf.k === 'enum' || leaf.k === 'pointer' || leaf.k === 'float' || leaf.k === 'complex')) bad(`"endian" needs a scalar member or an array of them; ${what}`);
    if ((leaf.k === 'int' || leaf.k === 'enum') && leaf.bytes === 1) bad(`"endian" has no effect on a one-byte member; ${what}`);
  }
  if (rule.countedBy !== undefined && !flexible && m.type.k !== 'pointer') bad(`"countedBy" applies to a flexible array member (the last member, declared T name[]) or a pointer; ${what}`);
}

/** The member counting a flexible array: an integer member of the same record, outside any union. */
function countRef(r: RecordFacts, m: MemberFacts, by: string, key: string | null, propOf: ReadonlyMap<string, string>,
  scalarRep: (m: MemberFacts, rule: FieldRule | undefined) => Rep, rules: ReadonlyMap<string, FieldRule> | undefined): CountRef {
  const who = key ? `field '${key}'` : `member '${m.name}' (counted_by)`;
  const c = r.members.find((x) => x.name === by);
  if (!c) {
    const near = nearest(by, r.members.filter((x) => x !== m).map((x) => x.name));
    throw new PlanError(`${who}: "countedBy" names '${by}', which is not a member of ${r.cName}${near ? `; did you mean '${near}'?` : ''}`, m.pos, true);
  }
  const t = c.type;
  if (c.overlaid || !(t.k === 'int' || t.k === 'enum') || c === m) {
    throw new PlanError(`${who}: its count '${by}' must be an integer member outside any union (it is ${c.cType})`, c.pos, true);
  }
  const rep = scalarRep(c, rules?.get(c.name));
  if (!(rep.k === 'int' || rep.k === 'bigint' || rep.k === 'safe' || (rep.k === 'bits' && rep.as !== 'bool'))) {
    throw new PlanError(`${who}: its count '${by}' must be read as an integer`, c.pos, true);
  }
  return { name: c.name, prop: propOf.get(c.name)!, facts: c, rep };
}

/** A union member decoded as the member its tag selects: the cases' members at their offsets in this record. */
function taggedRep(ctx: RepContext, r: RecordFacts, m: MemberFacts, u: UnionRule, propOf: ReadonlyMap<string, string>,
  scalarRep: (m: MemberFacts, rule: FieldRule | undefined) => Rep): Extract<Rep, { k: 'tagged' }> {
  const inner = m.type.k === 'record' ? ctx.p.records[m.type.id] : null;
  if (!inner) throw new PlanError(`union '${u.key}': its type could not be laid out`, m.pos, true);
  const tagFacts = r.members.find((x) => x.name === u.tag)!;
  const innerProps = memberNames(inner.members.map((x) => x.name));
  const innerRules = ctx.ov.fields.get(inner.key);
  const base = m.bitOffset;
  const cases = u.cases.map((c): TaggedCase => {
    const i = inner.members.findIndex((x) => x.name === c.member);
    const f = shiftMember(inner.members[i]!, base);
    const rule = innerRules?.get(f.name);
    return { value: c.value, label: c.label, name: f.name, prop: innerProps[i]!, facts: f, rep: scalarRep(f, rule) };
  });
  const tagRep = scalarRep(tagFacts, ctx.ov.fields.get(r.key)?.get(tagFacts.name));
  if (!(tagRep.k === 'int' || tagRep.k === 'bigint' || tagRep.k === 'safe' || (tagRep.k === 'bits' && tagRep.as !== 'bool'))) {
    throw new PlanError(`union '${u.key}': its tag '${u.tag}' must be read as an integer`, tagFacts.pos, true);
  }
  for (const c of cases) {
    if (c.rep.k === 'flex' || c.rep.k === 'tagged') throw new PlanError(`union '${u.key}': case member '${c.name}' cannot be a flexible array`, c.facts.pos, true);
  }
  return { k: 'tagged', ref: ctx.recordRef(inner.key), tag: { name: tagFacts.name, prop: propOf.get(tagFacts.name)!, facts: tagFacts, rep: tagRep }, cases };
}

/** A member of a nested record placed at `bits` further into the outer record (bit-field windows moved too). */
function shiftMember(m: MemberFacts, bits: number): MemberFacts {
  const bytes = bits / 8;
  const b = m.bitfield;
  return {
    ...m, bitOffset: m.bitOffset + bits,
    bitfield: b ? {
      ...b,
      unit: b.unit ? { ...b.unit, byteOffset: b.unit.byteOffset + bytes } : null,
      span: { ...b.span, byteOffset: b.span.byteOffset + bytes },
    } : null,
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

/** The representation of a value of type `t` (a member, or an array's element), with the member's override applied
 * to the scalars at the bottom of arrays. */
function repOf(ctx: RepContext, t: TypeFacts, rule: FieldRule | undefined, m: MemberFacts): Rep {
  const { p, recordRef, enumRef } = ctx;
  const le = (order: 'little' | 'big') => (rule?.endian ?? order) === 'little';
  const named = rule?.enum !== undefined ? namedEnum(ctx, rule) : undefined;
  const integer = (bytes: number, signed: boolean, order: 'little' | 'big', en: EnumRef | null, big: boolean): Rep => {
    if (rule?.as === 'bool') return { k: 'bool', bytes, le: le(order) };
    if (bytes === 1 || bytes === 2 || bytes === 4) {
      if (en && big) throw new PlanError(`field '${rule!.key}': enum ${rule!.enum} has 64-bit values; '${m.name}' (${m.cType}) is ${bytes * 8}-bit`, m.pos, true);
      return en ? { k: 'int', bytes, signed, le: le(order), enum: en } : plainInt(bytes, signed, le(order));
    }
    if (bytes === 8 && (rule?.as === 'number' || (en && !big))) return { k: 'safe', signed, le: le(order), enum: en };
    if (bytes === 8 || bytes === 16) {
      if (en && bytes === 16) throw new PlanError(`field '${rule!.key}': a 128-bit member cannot be typed with an enum`, m.pos, true);
      return { k: 'bigint', bytes, signed, le: le(order), enum: en };
    }
    return { k: 'bytes', bytes, signed: false };
  };
  switch (t.k) {
    case 'int': case 'pointer': {
      const signed = t.k === 'int' ? t.signed : false;
      if (named) return integer(t.bytes, signed, t.order, named.ref, named.big);
      return integer(t.bytes, signed, t.order, null, false);
    }
    case 'enum': {
      const own = p.enums[t.id];
      if (named) return integer(t.bytes, t.signed, t.order, named.ref, named.big);
      return integer(t.bytes, t.signed, t.order, enumRef(own), (own?.bytes ?? 4) > 4);
    }
    case 'bool': return { k: 'bool', bytes: t.bytes, le: le(p.target.endian) };
    case 'float': return { k: 'float', format: t.format, bytes: t.bytes, le: le(t.order) };
    case 'complex': return { k: 'complex', part: { k: 'float', format: t.part.format, bytes: t.part.bytes, le: le(t.part.order) } };
    case 'opaque': return { k: 'bytes', bytes: t.bytes, signed: false };
    case 'record': {
      const inner = p.records[t.id];
      if (!inner) throw new PlanError(`member '${m.name}' has a record type that could not be laid out`, m.pos);
      return { k: 'record', ref: recordRef(inner.key) };
    }
    case 'array': {
      // an array of arrays of ... is a chain of any length (typedefs of typedefs): walked, never recursed
      const chain: Array<Extract<TypeFacts, { k: 'array' }>> = [];
      let x: TypeFacts = t;
      while (x.k === 'array') { chain.push(x); x = x.of; }
      const inner = chain[chain.length - 1]!;
      let rep: Rep;
      // char[N] holds text; other 8-bit arrays are bytes (typed arrays over the same memory in views); "as" says
      // otherwise
      if (inner.length !== null && x.k === 'int' && x.bytes === 1 && rule?.as !== 'bool' && rule?.enum === undefined) {
        const text = rule?.as === 'string' || (rule?.as !== 'bytes' && x.char);
        rep = text ? { k: 'string', bytes: inner.length, encoding: rule?.encoding ?? 'utf-8' } : { k: 'bytes', bytes: inner.length, signed: x.signed && rule?.as !== 'bytes' };
        chain.pop();
      } else {
        rep = repOf(ctx, x, rule, m);
      }
      for (let i = chain.length - 1; i >= 0; i--) {
        const a = chain[i]!;
        rep = a.length === null ? { k: 'flex', of: rep, stride: a.stride, count: null } : { k: 'array', of: rep, length: a.length, stride: a.stride };
      }
      return rep;
    }
  }
}

/** Plain integers (no enum), one object each: plans are immutable, and a big header's members repeat a few. */
const PLAIN_INTS = new Map<number, Rep>();
function plainInt(bytes: 1 | 2 | 4, signed: boolean, le: boolean): Rep {
  const key = (bytes << 2) | (signed ? 2 : 0) | (le ? 1 : 0);
  let r = PLAIN_INTS.get(key);
  if (!r) PLAIN_INTS.set(key, r = Object.freeze({ k: 'int', bytes, signed, le, enum: null }));
  return r;
}

/** The enum an override names, exported by some module. */
function namedEnum(ctx: RepContext, rule: FieldRule): { ref: EnumRef; big: boolean } {
  const hit = ctx.ov.enums.find(({ e }) => e.name === rule.enum || e.tag === rule.enum);
  const ref = hit ? ctx.enumRef(hit.e) : null;
  if (!hit || !ref) throw new PlanError(`field '${rule.key}': enum '${rule.enum}' is not exported`, undefined, true);
  return { ref, big: hit.e.bytes > 4 };
}

function bitsRep(p: ProgramFacts, m: MemberFacts, bits: BitfieldFacts, enumRef: (e: EnumFacts | null | undefined) => EnumRef | null,
  rule: FieldRule | undefined, ctx: RepContext): Rep {
  const le = p.target.endian === 'little';
  if (m.type.k === 'bool' || rule?.as === 'bool') return { k: 'bits', bits, le, as: 'bool', enum: null };
  const named = rule?.enum !== undefined ? namedEnum(ctx, rule) : undefined;
  if (named && (named.big || bits.width > 32)) throw new PlanError(`field '${rule!.key}': a ${bits.width}-bit bit-field cannot be typed with enum ${rule!.enum}`, m.pos, true);
  const en = named ? named.ref : m.type.k === 'enum' ? enumRef(p.enums[m.type.id]) : null;
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
      case 'array': case 'flex': {
        let e: Rep = rep;
        while (e.k === 'array' || e.k === 'flex') e = e.of;
        visit(e);
        return;
      }
      case 'int': case 'bigint': case 'bits': case 'safe':
        if (rep.enum) add(rep.enum.module, `type ${rep.enum.name}`, rep.enum.valuesName);
        return;
      case 'tagged':
        add(rep.ref.module, rep.ref.viewName);
        for (const c of rep.cases) visit(c.rep);
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
