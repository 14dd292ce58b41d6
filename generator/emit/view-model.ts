// The view model of an emitted module: the plan turned into the data the templates print. Code is a tree of typed
// nodes (`Code`, a discriminated union on `k`, each kind printed by the partial of the same name under
// `templates/partials/`), with its operands as data; TypeScript types and the member tables (plain data literals)
// are written here. One view model prints three ways: TypeScript, JavaScript (the same, without types) and
// declarations; what it references in other modules is collected as it is built, so imports are exact.

import type { FloatFormat } from '../target/types.js';
import type { CountRef, EnumPlan, EnumRef, MemberPlan, ModulePlan, PointeePlan, PointerPlan, ProjectPlan, RecordPlan, RecordRef, Rep } from '../plan/plan.js';
import { basename } from '../core/paths.js';
import { commentText, docText, stringLiteral } from './text.js';

/** Where a node writes or reads: a DataView and a base offset (names), plus a constant; `offset` the whole offset as
 * printed (`o + 4`), which templates print as it is (it was a partial of its own, called at almost every read and
 * write). */
interface At { readonly dv: string; readonly o: string; readonly off: number; readonly offset: string }
/** An operand: code, or text already printed (a name, a literal). */
export type Arg = string | Code;

/** Expressions. */
export type Code =
  | { readonly k: 'get'; readonly at: At; readonly m: string; readonly le: string }
  | { readonly k: 'rt'; readonly fn: string; readonly args: readonly Arg[] }
  | { readonly k: 'call'; readonly fn: string; readonly args: readonly Arg[] }
  | { readonly k: 'local'; readonly name: string }
  | { readonly k: 'enum'; readonly x: Code; readonly strict: boolean; readonly type: string; readonly values: string; readonly r: string; readonly f: string; readonly at: At }
  | { readonly k: 'bool'; readonly x: Code; readonly strict: boolean; readonly big: boolean; readonly r: string; readonly f: string; readonly at: At }
  | { readonly k: 'bits'; readonly x: Code; readonly shift: number; readonly mask: string }
  | { readonly k: 'sbits'; readonly x: Code; readonly left: number; readonly right: number }
  | { readonly k: 'bigBits'; readonly x: Code; readonly shift: number; readonly width: number; readonly fn: string }
  | { readonly k: 'num'; readonly x: Code }
  | { readonly k: 'list'; readonly elems: readonly Code[] }
  | { readonly k: 'complex'; readonly re: Code; readonly im: Code }
  | { readonly k: 'tagged'; readonly t: string; readonly all: Code; readonly tag: string; readonly labels: string; readonly r: string; readonly f: string; readonly at: At;
      readonly cases: ReadonlyArray<{ readonly lit: string; readonly prop: string; readonly read: Code }> }
  // checks of a value encode writes: the value when it passes, else the failing call
  // `loose`: the value's type is not known (an element, `unknown`): its type is tested first
  | { readonly k: 'chk'; readonly kind: 'uint' | 'int' | 'uint32' | 'int32' | 'big' | 'bool' | 'num' | 'obj'; readonly val: string; readonly bits: number;
      readonly mask: string; readonly shift: number; readonly signed: boolean; readonly fn: string; readonly r: string; readonly f: string; readonly cast: string;
      readonly loose: boolean }
  | { readonly k: 'safeChk'; readonly val: string; readonly signed: boolean; readonly r: string; readonly f: string }
  | { readonly k: 'raw'; readonly val: string }
  | { readonly k: 'toBig'; readonly x: Code }
  | { readonly k: 'boolRaw'; readonly val: string }
  // a test of a prechecked local (true when it passes)
  | { readonly k: 'test'; readonly kind: 'uint' | 'int' | 'uint32' | 'int32' | 'big' | 'bool' | 'num'; readonly val: string; readonly bits: number; readonly mask: string; readonly shift: number; readonly fn: string };

/** Statements. */
export type Stmt =
  | { readonly k: 'set'; readonly at: At; readonly m: string; readonly value: Code; readonly le: string }
  | { readonly k: 'do'; readonly x: Code }
  | { readonly k: 'bind'; readonly name: string; readonly val: string; readonly inner: Stmt }
  | { readonly k: 'window'; readonly at: At; readonly m: string; readonly le: string; readonly keep: string;
      readonly binds: ReadonlyArray<{ readonly name: string; readonly val: string }>; readonly parts: ReadonlyArray<{ readonly value: Code; readonly mask: string; readonly shift: number }> }
  | { readonly k: 'bigWindow'; readonly at: At; readonly le: string; readonly keep: string; readonly width: number; readonly shift: number; readonly value: Code }
  | { readonly k: 'unrolled'; readonly val: string; readonly n: number; readonly r: string; readonly f: string; readonly elems: readonly Stmt[] }
  | { readonly k: 'count'; readonly prop: string; readonly big: boolean; readonly r: string; readonly f: string; readonly flex: string; readonly inner: Stmt }
  | { readonly k: 'optional'; readonly prop: string; readonly inner: Stmt }
  | { readonly k: 'taggedW'; readonly tagProp: string; readonly prop: string; readonly tag: string; readonly labels: string; readonly r: string; readonly f: string;
      readonly cases: ReadonlyArray<{ readonly lit: string; readonly member: string; readonly prop: string; readonly write: Stmt }> }
  | { readonly k: 'complexW'; readonly val: string; readonly r: string; readonly f: string; readonly re: Stmt; readonly im: Stmt }
  | { readonly k: 'zeroStores'; readonly stores: ReadonlyArray<{ readonly m: string; readonly off: number }> }
  | { readonly k: 'zeroFill'; readonly off: number; readonly n: number };

export interface MemberVM {
  readonly prop: string;
  readonly doc: string;
  readonly ts: string;
  readonly inputTs: string;
  /** Absent from what encode takes (union members), or a count encode sets. */
  readonly inputOptional: boolean;
}

export interface RecordVM {
  readonly name: string;
  readonly nameLiteral: string;
  /** The target's byte order (`keep` reads the member table with it). */
  readonly le: boolean;
  readonly viewName: string;
  readonly inputName: string;
  readonly cName: string;
  readonly where: string;
  readonly size: number;
  readonly align: number;
  readonly doc: string;
  readonly members: readonly MemberVM[];
  readonly isUnion: boolean;
  readonly inputSame: boolean;
  /** `$rt.View<...>`'s arguments. */
  readonly viewTs: string;
  /** The view over a WebAssembly memory, for a record whose memory view follows a pointer (else ''). */
  readonly memoryName: string;
  readonly memoryTs: string;
  readonly layoutValue: string;
  readonly layoutType: string;
  readonly codecType: 'Codec' | 'TailCodec';
  /** The codec type's arguments after the decoded type and the layout: what encode takes and the view, where they
   * are not the defaults. */
  readonly codecArgs: string;
  /** The member table, a data literal. */
  readonly table: string;
  /** What the member table leaves out (runtime `MemberNotes`): an object literal, or ''. */
  readonly notes: string;
  readonly read: {
    /** The reader's parameter list, as printed (`dv, o, s`; unused ones `_`-prefixed, trailing ones left out). */
    readonly params: string;
    readonly strict: boolean;
    /** A block body (else the object literal alone); the object is held in a local (to keep bytes its values cannot
     * carry) before it is returned. */
    readonly block: boolean;
    readonly local: boolean;
    readonly prelude: ReadonlyArray<{ readonly name: string; readonly read: Code }>;
    readonly props: ReadonlyArray<{ readonly prop: string; readonly read: Code }>;
    /** Members can meet bytes their values cannot carry: the reader compares `$rt.odd` and keeps them. */
    readonly odd: boolean;
    /** Tagged unions whose bytes the reader keeps (`record`: the record's name, which each one's line names). */
    readonly tagged: ReadonlyArray<{ readonly record: string; readonly prop: string; readonly off: number; readonly size: number; readonly cases: string }>;
    readonly cast: string;
  };
  readonly write: {
    readonly params: string;
    readonly flex: boolean;
    readonly checked: { readonly binds: ReadonlyArray<{ readonly name: string; readonly val: string }>; readonly tests: readonly Code[] } | null;
    readonly zero: readonly Stmt[];
    readonly stmts: readonly Stmt[];
  };
  /** Tagged unions: the decoded type and encode's input are the common members and one variant per case. */
  readonly tagged: {
    readonly common: readonly MemberVM[];
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

export interface ConstantVM {
  readonly name: string;
  readonly value: string;
  /** Its JSDoc and a space, or ''. Tight (`/**Text` then the comment's end), without the usual inner spaces: a
   * header's #defines are most of a module (2,830 of them, over half of `<elf.h>`'s module's bytes, most with their
   * comment). A text starting with `*` or `/` keeps its space, so that the comment stays JSDoc and never reads as
   * `/**` then `/`. */
  readonly doc: string;
}

export interface HelperVM {
  readonly k: 'reader' | 'writer';
  readonly name: string;
  readonly ts: string;
  readonly strict: boolean;
  readonly z: boolean;
  readonly read: Code | null;
  /** The reader's body is an object literal (a complex number): an arrow function must parenthesise it, or it reads
   * as a block of labels. */
  readonly paren: boolean;
  readonly write: Stmt | null;
}

export interface ImportVM {
  readonly from: string;
  /** Bindings the code uses (values), and names only types use. */
  readonly values: readonly string[];
  readonly types: readonly string[];
}

export interface ModuleVM {
  readonly records: readonly RecordVM[];
  /** The records' names, in groups of at most 500 (one type-level check each, within tsc's recursion limit). */
  readonly layoutChecks: ReadonlyArray<readonly string[]>;
  readonly enums: readonly EnumVM[];
  readonly constants: readonly ConstantVM[];
  readonly helpers: readonly HelperVM[];
  readonly imports: readonly ImportVM[];
  /** The target's byte order, the member tables' default. */
  readonly le: boolean;
}

/** 1-dimensional arrays up to this many elements are read and written element by element, without a loop. */
const UNROLL = 8;

const DV: At = { dv: 'dv', o: 'o', off: 0, offset: 'o' };

/** `at` moved to the constant offset `off`. */
function atOf(at: At, off: number): At {
  return { dv: at.dv, o: at.o, off, offset: off ? `${at.o} + ${off}` : at.o };
}
const INT_METHOD: { readonly [bytes: number]: readonly [string, string] } = { 1: ['Uint8', 'Int8'], 2: ['Uint16', 'Int16'], 4: ['Uint32', 'Int32'], 8: ['BigUint64', 'BigInt64'] };

export interface ModuleContext {
  /** The module file (without extension) of each module, for import specifiers. */
  readonly fileOf: (module: string) => string;
  /** The target's byte order. */
  readonly le: boolean;
  /** The records (`memoryKey`) whose views over a WebAssembly memory follow a pointer, in any module; null for a
   * target that is not WebAssembly: no memory views (no memory view types, no pointer notes). */
  readonly memory?: ReadonlySet<string> | null;
  /** Given each record's view model as it is made (in the module's order), what to keep in its place (the emitter
   * renders a record at once and keeps its text: all of a big module's view models at once are several times it). */
  readonly record?: (vm: RecordVM, index: number) => RecordVM;
}

const memoryKey = (module: string, name: string) => `${module}\0${name}`;

/** The records whose views over a WebAssembly memory differ from their plain views: those with a pointer member a
 * memory view follows, and those nesting such a record (in any module of the plan). */
export function memoryViewRecords(plan: ProjectPlan): Set<string> {
  const out = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const m of plan.modules) {
      for (const r of m.records) {
        const key = memoryKey(m.name, r.name);
        if (out.has(key) || !r.members.some((x) => x.pointer !== null || ((x.rep.k === 'record' || x.rep.k === 'tagged') && out.has(memoryKey(x.rep.ref.module, x.rep.ref.name))))) continue;
        out.add(key);
        grew = true;
      }
    }
  }
  return out;
}

/** A JSDoc text for `/**TEXT` and the comment's end, tight (members and constants are most of a module's lines):
 * one starting with `*` or `/` keeps a space, so that the comment stays JSDoc and never reads as `/**` then `/`. */
const tightText = (text: string): string => (/^[*/]/.test(text) ? ` ${text}` : text);
const tightDoc = (text: string): string => `/**${tightText(text)}*/ `;

export function moduleVM(m: ModulePlan, ctx: ModuleContext): ModuleVM {
  const b = new Builder(m.name, ctx.le, ctx.memory ?? null);
  const records = orderByUse(m.records, m.name).map((r, i) => (ctx.record ? ctx.record(b.record(r), i) : b.record(r)));
  const enums = m.enums.map(enumVM);
  const layoutChecks: string[][] = [];
  for (let i = 0; i < records.length; i += 500) layoutChecks.push(records.slice(i, i + 500).map((r) => r.name));
  return {
    records,
    layoutChecks,
    enums,
    constants: m.constants.map((c) => ({
      name: c.name,
      value: c.facts.value.k === 'string' ? stringLiteral(c.facts.value.value) : intLiteral(BigInt(c.facts.value.value), c.facts.body),
      doc: c.facts.doc && c.facts.doc.trim() ? tightDoc(docText(c.facts.doc.trim())) : '',
    })),
    helpers: [...b.helpers.values()],
    imports: [...b.imports.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([mod, need]) => ({
      from: `./${ctx.fileOf(mod)}.js`,
      values: [...need.values].sort(),
      types: [...need.types].filter((t) => !need.values.has(t)).sort(),
    })),
    le: ctx.le,
  };
}

/** Records in an order where each comes after the records of this module its member table names (its views are made
 * from theirs when the module loads): definition order, nested records first. */
function orderByUse(records: readonly RecordPlan[], module: string): RecordPlan[] {
  const byName = new Map<string, number>();
  records.forEach((r, i) => byName.set(r.name, i));
  // each record's state by index (0 not yet, 1 on the stack, 2 placed): no sets of records (a module of 100,000
  // records made this a tenth of its view models' time)
  const state = new Uint8Array(records.length);
  const out: RecordPlan[] = [];
  const uses = (r: RecordPlan): number[] => {
    const refs: number[] = [];
    const visit = (rep: Rep) => {
      let e = rep;
      while (e.k === 'array' || e.k === 'flex') e = e.of;
      if ((e.k === 'record' || e.k === 'tagged') && e.ref.module === module) {
        const x = byName.get(e.ref.name);
        if (x !== undefined && state[x] !== 2) refs.push(x);
      }
      if (e.k === 'tagged') for (const c of e.cases) visit(c.rep);
    };
    for (const mem of r.members) visit(mem.rep);
    return refs;
  };
  for (let root = 0; root < records.length; root++) {
    if (state[root] === 2) continue;
    // depth-first with a stack of its own (records nest as deep as headers do); a record on the stack already (a
    // cycle through pointers) or placed is not pushed again
    const stack: Array<{ i: number; deps: number[] | null }> = [{ i: root, deps: null }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.deps === null) top.deps = uses(records[top.i]!);
      const next = top.deps.pop();
      if (next !== undefined) {
        if (state[next] === 0) { state[next] = 1; stack.push({ i: next, deps: null }); }
        continue;
      }
      state[top.i] = 2;
      out.push(records[top.i]!);
      stack.pop();
    }
  }
  return out;
}

/** An integer as the header spelled it when that was a plain literal (`0x7f` stays hex, `0755` octal), else in
 * decimal; beyond 2^53, a bigint. */
function intLiteral(v: bigint, body: string): string {
  if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) return `${v}n`;
  const lit = /^\(?\s*(0[xX][0-9a-fA-F]+|0[0-7]+|0[bB][01]+)[uUlL]*\s*\)?$/.exec(body.trim());
  if (lit && v >= 0n) {
    const t = lit[1]!;
    const js = /^0[0-7]/.test(t) ? `0o${t.slice(1)}` : t.toLowerCase().replace(/^0x/, '0x');
    if (BigInt(js) === v) return js;
  }
  return String(v);
}

function enumVM(e: EnumPlan): EnumVM {
  return {
    name: e.name, valuesName: e.valuesName, cName: commentText(`enum ${e.facts.name}`), where: commentText(e.where),
    doc: e.facts.doc ? docText(e.facts.doc) : '',
    values: e.facts.values.map((v) => ({
      key: /^[A-Za-z_$][\w$]*$/.test(v.name) ? v.name : stringLiteral(v.name),
      value: e.big ? `${v.value}n` : v.value,
      doc: v.doc ? docText(v.doc, '\t') : '',
    })),
  };
}

/** A reference to a record's codec, reader or writer: the local binding, or the imported codec's. */
interface RefNames { readonly codec: string; readonly read: string; readonly write: string }

class Builder {
  readonly helpers = new Map<string, HelperVM>();
  readonly imports = new Map<string, { values: Set<string>; types: Set<string> }>();
  /** Set while a record is built: its reader reads the strict flag. */
  private strictUsed = false;
  private writeZ = false;

  constructor(private readonly module: string, private readonly le: boolean, private readonly memory: ReadonlySet<string> | null) {}

  private need(module: string, name: string, value: boolean): void {
    if (module === this.module) return;
    let n = this.imports.get(module);
    if (!n) { n = { values: new Set(), types: new Set() }; this.imports.set(module, n); }
    (value ? n.values : n.types).add(name);
  }

  private ref(r: RecordRef): RefNames {
    // `X.$read` (not a function of its own): V8 folds the load from a module's const, inlining as it would a direct call
    if (r.module === this.module) return { codec: r.name, read: `${r.name}.$read`, write: `${r.name}.$write` };
    this.need(r.module, r.name, true);
    return { codec: r.name, read: `${r.name}.$read`, write: `${r.name}.$write` };
  }

  private typeRef(module: string, name: string): string {
    this.need(module, name, false);
    return name;
  }

  private enumValues(e: EnumRef): string {
    this.need(e.module, e.valuesName, true);
    return e.valuesName;
  }

  record(r: RecordPlan): RecordVM {
    this.strictUsed = false;
    this.writeZ = false;
    const R = stringLiteral(r.name);
    const f = r.facts;
    const members = r.members.map((m) => this.member(r, m, R));
    const shared = shareWindows(r, members, R);
    // a tag is read once, into a local both it and its union read
    const prelude = [...shared.prelude];
    let reads = shared.reads;
    for (const m of r.members) {
      if (m.rep.k !== 'tagged') continue;
      const rep = m.rep;
      const local = `t${prelude.length}`;
      const tagIdx = r.members.findIndex((x) => x.prop === rep.tag.prop);
      const unionIdx = r.members.indexOf(m);
      prelude.push({ name: local, read: reads[tagIdx]! });
      reads = reads.map((x, i) => (i === tagIdx ? { k: 'local', name: local } : i === unionIdx && x.k === 'tagged' ? { ...x, t: local } : x));
    }
    // what the record has, in one pass over its members
    let hasTagged = false;
    let odd = false;
    let flexMember: MemberPlan | undefined;
    const renamed: MemberPlan[] = [];
    const optional: MemberPlan[] = [];
    for (const m of r.members) {
      if (m.rep.k === 'tagged') hasTagged = true;
      if (!odd && mayBeOdd(m.rep)) odd = true;
      if (!flexMember && m.rep.k === 'flex') flexMember = m;
      if (m.prop !== m.facts.name) renamed.push(m);
      if (m.optional || m.counts !== null) optional.push(m);
    }
    const tagged = hasTagged ? this.variants(r, members) : null;
    const checked = checkedFirst(r, shared.writes, f.kind === 'union' ? R : null);
    const taggedKeeps = !hasTagged ? [] : r.members.filter((m) => m.rep.k === 'tagged').map((m) => {
      const rep = m.rep as Extract<Rep, { k: 'tagged' }>;
      const base = m.facts.bitOffset / 8;
      const cases = [...new Map(rep.cases.map((c) => [c.prop, `[${stringLiteral(c.prop)}, ${c.facts.bitOffset / 8 - base}, ${Math.ceil(c.facts.bitSize / 8)}]`])).values()];
      return { record: r.name, prop: stringLiteral(m.prop), off: base, size: m.facts.bitSize / 8, cases: `[${cases.join(', ')}]` };
    });
    const countedFlex = flexMember?.rep.k === 'flex' && flexMember.rep.count !== null;
    const notes = [
      ...(renamed.length ? [`n: { ${renamed.map((m) => `${m.prop}: ${stringLiteral(m.facts.name)}`).join(', ')} }`] : []),
      ...(optional.length ? [`o: [${optional.map((m) => stringLiteral(m.prop)).join(', ')}]`] : []),
      ...(this.memory !== null ? this.pointerNotes(r) : []),
    ];
    const zero = r.zero.map(([at, n]) => zeroNode(at, n));
    if (zero.length) this.writeZ = true;
    const restore = odd || taggedKeeps.length > 0;
    const inputSame = !tagged && members.every((m) => m.vm.ts === m.vm.inputTs && !m.vm.inputOptional);
    const memberViewTs = members.map((m) => m.viewTs);
    const viewTs = this.viewType(r, memberViewTs);
    const plainView = viewTs === `$rt.View<${r.name}>`;
    const memoryTs = this.memory === null ? '' : this.memoryType(r, memberViewTs);
    const layout = layoutOf(r);
    return {
      // the section line names the file by its base name (the module's first line has the header's path)
      name: r.name, nameLiteral: R, le: this.le, viewName: r.viewName, inputName: r.inputName, cName: commentText(f.cName), where: commentText(basename(r.where)),
      size: f.size, align: f.align, doc: f.doc ? docText(f.doc) : '',
      members: members.map((m) => m.vm), isUnion: f.kind === 'union',
      inputSame, viewTs, memoryName: memoryTs ? memoryName(r.name) : '', memoryTs,
      layoutValue: layout.layoutValue, layoutType: layout.layoutType,
      codecType: flexMember && !countedFlex ? 'TailCodec' : 'Codec',
      codecArgs: memoryTs ? `, ${r.inputName}, ${r.viewName}, ${memoryName(r.name)}` : plainView ? (inputSame ? '' : `, ${r.inputName}`) : `, ${r.inputName}, ${r.viewName}`,
      table: `[${r.members.map((m) => this.row(r, m)).join(', ')}]`,
      notes: notes.length ? `{ ${notes.join(', ')} }` : '',
      read: {
        params: params([['dv', '', r.members.length > 0], ['o', '', r.members.length > 0], ['s', '', this.strictUsed]]),
        strict: this.strictUsed, block: restore || prelude.length > 0 || odd, local: restore, prelude,
        props: r.members.map((m, i) => ({ prop: m.prop, read: reads[i]! })), odd, tagged: taggedKeeps,
        cast: tagged ? r.name : '',
      },
      write: {
        params: params([
          ['dv', '', checked.stmts.length > 0 || zero.length > 0 || checked.checked !== null],
          ['o', '', checked.stmts.length > 0 || zero.length > 0 || checked.checked !== null],
          ['v', '', checked.stmts.length > 0 || checked.checked !== null],
          ['z', '', this.writeZ],
          ...(flexMember ? [['fl', ' = $rt.noFlex', true] as const] : []),
        ]),
        flex: !!flexMember, checked: checked.checked, zero, stmts: checked.stmts,
      },
      tagged,
    };
  }

  /** `$rt.View<T>` or `$rt.View<T, { member: its view type, ... }>` for members that are not plain values. */
  private viewType(r: RecordPlan, viewTs: ReadonlyArray<string | null>): string {
    const own = r.members.map((m, i) => (viewTs[i] ? `${m.prop}: ${viewTs[i]}` : null)).filter((x): x is string => x !== null);
    if (r.members.some((m) => m.rep.k === 'tagged')) {
      // a tagged record's decoded type is a union of variants: its view has every member, each as C has it
      const all = r.members.map((m, i) => `${viewTs[i] ? 'readonly ' : ''}${m.prop}: ${viewTs[i] ?? this.types(m.rep).ts}`);
      return `{ ${all.join('; ')} } & $rt.ViewMethods<${r.name}>`;
    }
    return own.length ? `$rt.View<${r.name}, { ${own.join('; ')} }>` : `$rt.View<${r.name}>`;
  }

  // ---- views over a WebAssembly memory (runtime section "memory view types") ---------------------------------------
  /** `$rt.MemoryView<T, O, P>` (O: the view types of nested records and arrays, nested records that follow pointers
   * as memory views; P: followed pointers as accessor pairs), for a record whose memory view follows a pointer; ''
   * for the others (the codec's default type serves them). */
  private memoryType(r: RecordPlan, viewTs: ReadonlyArray<string | null>): string {
    if (this.memory === null || !this.memory.has(memoryKey(this.module, r.name))) return '';
    const own: string[] = [];
    const ptrs: string[] = [];
    /** Every member but the pointers as the memory view has it (for tagged records, whose view lists them all). */
    const all: string[] = [];
    r.members.forEach((m, i) => {
      if (m.pointer) {
        const get = this.pointerType(m.pointer, m.rep);
        ptrs.push(`get ${m.prop}(): ${get}; set ${m.prop}(v: $rt.PointerInput${get.startsWith('string') ? ' | string' : ''})`);
        return;
      }
      const t = m.rep.k === 'record' || m.rep.k === 'tagged' ? this.memoryRef(m.rep.ref) : viewTs[i];
      if (t) own.push(`${m.prop}: ${t}`);
      all.push(t ? `readonly ${m.prop}: ${t}` : `${m.prop}: ${this.types(m.rep).ts}`);
    });
    const O = own.length ? `{ ${own.join('; ')} }` : '{}';
    const P = ptrs.length ? `{ ${ptrs.join('; ')} }` : '{}';
    // the decoded type of a record with a tagged union is a union of variants: the view lists every member as C has
    // it, and its graph is typed no further
    if (r.members.some((m) => m.rep.k === 'tagged')) return `{ ${all.join('; ')} }${ptrs.length ? ` & ${P}` : ''} & $rt.ViewMethods<${r.name}> & $rt.MemoryViewMethods<unknown>`;
    // a union's graph is its decoded value: only one member is live, so `$decodeGraph` follows none of its pointers
    if (r.facts.kind === 'union') return `$rt.MemoryView<${r.name}, ${O}, ${P}, ${r.name}>`;
    return ptrs.length ? `$rt.MemoryView<${r.name}, ${O}, ${P}>` : `$rt.MemoryView<${r.name}, ${O}>`;
  }

  /** The memory view type of a nested or pointed-to record: its `RMemoryView`, or its plain view with the memory
   * members when it follows no pointer. */
  private memoryRef(ref: RecordRef): string {
    if (this.memory?.has(memoryKey(ref.module, ref.name))) return this.typeRef(ref.module, memoryName(ref.name));
    return `$rt.MemoryViewOf<${this.typeRef(ref.module, ref.viewName)}, ${this.typeRef(ref.module, ref.name)}>`;
  }

  /** What a followed pointer member reads as (runtime `memClass`): a view, a string, or a MemoryArray (counted, or
   * one element for a scalar or a pointer), or null. */
  private pointerType(ptr: PointerPlan, rep: Rep): string {
    const to = ptr.to;
    if (to.k === 'text') return 'string | null';
    if (to.k === 'record' && !ptr.count) return `${this.memoryRef(to.ref)} | null`;
    const wide = rep.k === 'bigint' ? 'bigint' : 'number';
    return `$rt.MemoryArray<${this.elementType(to, to.k === 'pointer' ? (ptr.stride === 8 ? 'bigint' : 'number') : wide)}> | null`;
  }

  /** An element of a MemoryArray a pointer reads as (runtime `elementOf`); `address`: the type of a pointer element
   * that stays an address. */
  private elementType(to: PointeePlan, address: string): string {
    switch (to.k) {
      case 'record': return this.memoryRef(to.ref);
      case 'text': return 'string';
      case 'scalar': { const t = this.types(to.rep).ts; return /[|&]/.test(t) ? `(${t})` : t; }
      case 'pointer': {
        const inner = to.to;
        if (inner === null) return address;
        if (inner.k === 'record') return `${this.memoryRef(inner.ref)} | null`;
        if (inner.k === 'text') return 'string | null';
        return `$rt.MemoryArray<${this.elementType(inner, '$rt.Address')}> | null`;
      }
    }
  }

  /** The decoded type and encode's input of a record with tagged unions: the members no tag concerns, then for each
   * tagged union one variant per case (the tag's value as a literal type, the union holding that case's member). */
  private variants(r: RecordPlan, members: ReadonlyArray<{ vm: MemberVM }>): NonNullable<RecordVM['tagged']> {
    const inVariants = new Set<string>();
    const groups: Array<{ variants: Array<{ ts: string; inputTs: string }> }> = [];
    for (const m of r.members) {
      if (m.rep.k !== 'tagged') continue;
      const rep = m.rep;
      inVariants.add(m.prop);
      inVariants.add(rep.tag.prop);
      const tagVm = members.find((x) => x.vm.prop === rep.tag.prop)!.vm;
      const unionVm = members.find((x) => x.vm.prop === m.prop)!.vm;
      const big = rep.tag.rep.k === 'bigint';
      groups.push({
        variants: rep.cases.map((c) => {
          const t = this.types(c.rep);
          const lit = big ? `${c.value}n` : String(c.value);
          return {
            ts: `{ /** ${tagVm.doc} */ ${rep.tag.prop}: ${lit}; /** ${unionVm.doc} */ ${m.prop}: { ${c.prop}: ${t.ts} } }`,
            inputTs: `{ ${rep.tag.prop}: ${lit}; ${m.prop}: { ${c.prop}: ${t.inputTs} } }`,
          };
        }),
      });
    }
    return { common: members.map((m) => m.vm).filter((x) => !inVariants.has(x.prop)), groups };
  }

  private member(r: RecordPlan, m: MemberPlan, R: string): { vm: MemberVM; viewTs: string | null; read: Code; write: Stmt | null; pre: Pre | null } {
    const F = stringLiteral(m.facts.name);
    const off = m.facts.bitfield ? 0 : m.facts.bitOffset / 8;
    const t = this.types(m.rep);
    const val = m.optional ? 'x' : `v.${m.prop}`;
    // an optional member's storage was zeroed up front (when zeroing at all): nested records must not zero again,
    // or members written before them (a union's) would lose bytes
    const at = atOf(DV, off);
    const pre = !m.optional && m.counts === null && !m.facts.bitfield ? precheck(m.rep, at, `v.${m.prop}`) : null;
    // a prechecked scalar is stored by its precheck's statement (checkedFirst): no statement of its own to make
    let write = pre ? null : this.write(m.rep, { at, val: m.counts !== null ? 'x' : val, r: R, f: F, z: m.optional ? 'false' : 'z' });
    if (m.optional && write) write = { k: 'optional', prop: m.prop, inner: write };
    if (m.counts !== null && write) {
      const flex = r.members.find((x) => x.prop === m.counts)!;
      write = { k: 'count', prop: m.prop, inner: write, r: R, f: F, flex: stringLiteral(flex.facts.name), big: m.rep.k === 'bigint' || (m.rep.k === 'bits' && m.rep.as === 'bigint') };
    }
    return {
      vm: { prop: m.prop, doc: tightText(docText(memberDoc(r, m), '\t')), ts: t.ts, inputTs: t.inputTs, inputOptional: m.optional || m.counts !== null },
      viewTs: t.viewTs,
      read: this.read(m.rep, { at, r: R, f: F }, true),
      write,
      pre,
    };
  }

  /** How a counted flexible array's count member is read (no validation: the count is checked as a count). */
  private countRead(c: CountRef, at: At, R: string): Code {
    return this.read(c.rep, { at: atOf(at, c.facts.bitfield ? 0 : c.facts.bitOffset / 8), r: R, f: stringLiteral(c.name) }, false);
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** TypeScript types of a representation: decoded, accepted by encode, and in views (null: the decoded type). */
  types(rep: Rep): { ts: string; inputTs: string; viewTs: string | null } {
    switch (rep.k) {
      case 'int': case 'bigint': case 'bits': case 'safe': {
        const base = rep.k === 'int' || rep.k === 'safe' ? 'number' : rep.k === 'bigint' ? 'bigint' : rep.as === 'bool' ? 'boolean' : rep.as;
        if (rep.enum) {
          const e = this.typeRef(rep.enum.module, rep.enum.name);
          return { ts: e, inputTs: `${e} | ${base}`, viewTs: null };
        }
        return { ts: base, inputTs: base, viewTs: null };
      }
      case 'tagged': {
        const cases = rep.cases.map((c) => ({ prop: c.prop, t: this.types(c.rep) }));
        this.ref(rep.ref);
        return {
          ts: cases.map((c) => `{ ${c.prop}: ${c.t.ts} }`).join(' | '), inputTs: cases.map((c) => `{ ${c.prop}: ${c.t.inputTs} }`).join(' | '),
          viewTs: this.typeRef(rep.ref.module, rep.ref.viewName),
        };
      }
      case 'bool': return { ts: 'boolean', inputTs: 'boolean', viewTs: null };
      case 'float': return { ts: 'number', inputTs: 'number', viewTs: null };
      case 'complex': return { ts: '$rt.Complex', inputTs: '$rt.Complex', viewTs: null };
      case 'string': return { ts: 'string', inputTs: 'string', viewTs: null };
      case 'bytes': {
        const a = rep.signed ? 'Int8Array' : 'Uint8Array';
        return { ts: a, inputTs: a, viewTs: a };
      }
      case 'record': return {
        ts: this.typeRef(rep.ref.module, rep.ref.name), inputTs: this.typeRef(rep.ref.module, rep.ref.inputName), viewTs: this.typeRef(rep.ref.module, rep.ref.viewName),
      };
      case 'array': case 'flex': {
        let depth = 0;
        let e: Rep = rep;
        while (e.k === 'array' || e.k === 'flex') { depth++; e = e.of; }
        if (rep.k === 'flex' && e === rep.of && e.k === 'int' && e.bytes === 1 && !e.enum) {
          const a = e.signed ? 'Int8Array' : 'Uint8Array';
          return { ts: a, inputTs: a, viewTs: a };
        }
        const t = this.types(e);
        const wrap = (s: string) => (/[|&]/.test(s) ? `(${s})` : s) + '[]'.repeat(depth);
        // only the innermost dimension's elements are set through a view (an outer one's are views): its input type
        // alone, so that the type grows linearly with the dimensions
        let view = `$rt.ArrayView<${t.viewTs ?? t.ts}, ${t.inputTs}>`;
        for (let i = 1; i < depth; i++) view = `$rt.ArrayView<${view}, never>`;
        return { ts: wrap(t.ts), inputTs: wrap(t.inputTs), viewTs: view };
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** A member table row: [property, kind, byte offset, ...] (runtime: "member tables"). */
  private row(r: RecordPlan, m: MemberPlan): string {
    const rep = m.rep;
    const prop = stringLiteral(m.prop);
    if (rep.k === 'bits') {
      const b = rep.bits;
      const w = b.unit && (b.unit.bytes <= 4 || b.width > 32 || rep.as === 'bigint') ? b.unit : b.span;
      const flags = (b.signed ? 1 : 0) | (rep.as === 'bool' ? 2 : 0) | (rep.as === 'bigint' ? 4 : 0);
      return `[${prop}, "bits", ${w.byteOffset}, ${w.bytes}, ${w.shift}, ${b.width}, ${flags}]`;
    }
    const off = m.facts.bitOffset / 8;
    if (rep.k === 'flex') {
      const by = rep.count ? stringLiteral(r.members.find((x) => x.facts.name === rep.count!.name)!.prop) : 'null';
      // a flexible array of a one-byte enum holds numbers, not bytes as its kind ("u8") would say: marked
      const numbers = rep.of.k === 'int' && rep.of.bytes === 1 && !!rep.of.enum;
      return `[${prop}, "flex", ${off}, ${rep.stride}, [${this.kind(rep.of).join(', ')}], ${by}${numbers ? ', 1' : ''}]`;
    }
    const [kind, ...args] = this.kind(rep);
    return `[${[prop, kind, String(off), ...args].join(', ')}]`;
  }

  // ---- pointers, for views over a WebAssembly memory (runtime section "memory") --------------------------------
  /** `p: { member: [pointee, stride, count member], ... }` for the pointers a memory view follows. */
  private pointerNotes(r: RecordPlan): string[] {
    const rows = r.members.filter((m) => m.pointer !== null).map((m) => {
      const ptr = m.pointer!;
      const by = ptr.count ? `, ${stringLiteral(r.members.find((x) => x.facts.name === ptr.count!.name)!.prop)}` : '';
      return `${m.prop}: [${this.pointee(ptr.to)}, ${ptr.stride}${by}]`;
    });
    return rows.length ? [`p: { ${rows.join(', ')} }`] : [];
  }

  /** A pointee: a thunk returning the record's codec (records may point to themselves or to later ones), `"text"`, a
   * scalar's kind, or `["p", pointee]` (`["p", null]`: an address). */
  private pointee(to: PointeePlan | null): string {
    if (to === null) return 'null';
    switch (to.k) {
      case 'record': return `() => ${this.ref(to.ref).codec}`;
      case 'text': return '"text"';
      case 'scalar': return this.kind(to.rep)[0]!;
      case 'pointer': return `["p", ${this.pointee(to.to)}]`;
    }
  }

  /** A kind and its arguments: `"u16be"`; `"s", 8`; `"a", [2, 3], 4, ["i32"]`. */
  private kind(rep: Rep): string[] {
    const order = (le: boolean) => (le === this.le ? '' : le ? 'le' : 'be');
    switch (rep.k) {
      case 'int': case 'bigint': return [`"${rep.signed ? 'i' : 'u'}${rep.bytes * 8}${rep.bytes > 1 ? order(rep.le) : ''}"`];
      case 'safe': return [`"n${rep.signed ? 'i' : 'u'}64${order(rep.le)}"`];
      case 'bool': return [`"b${[1, 2, 4, 8].includes(rep.bytes) ? rep.bytes * 8 : 8}${rep.bytes > 1 ? order(rep.le) : ''}"`];
      case 'float': return [`"${floatKind(rep.format)}${rep.bytes > 1 ? order(rep.le) : ''}"`];
      case 'complex': return [`"c${floatKind(rep.part.format)}${order(rep.part.le)}"`, String(rep.part.bytes)];
      case 'string': return [`"${rep.encoding === 'latin1' ? 'l1' : 's'}"`, String(rep.bytes)];
      case 'bytes': return [`"${rep.signed ? 'i8a' : 'u8a'}"`, String(rep.bytes)];
      case 'record': case 'tagged': return ['"r"', this.ref(rep.ref).codec];
      case 'bits': return ['"u8"'];
      case 'array': {
        const { dims, stride, leaf: e } = dimensions([rep.length], rep.stride, rep.of);
        return ['"a"', `[${dims.join(', ')}]`, String(stride), `[${this.kind(e).join(', ')}]`];
      }
      case 'flex': return this.kind(rep.of);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** How a value is read: `strict` for decode (enums and bools checked with `s`). */
  read(rep: Rep, a: { at: At; r: string; f: string }, strict: boolean): Code {
    const { at } = a;
    switch (rep.k) {
      case 'int': case 'bigint': {
        const x: Code = rep.bytes === 16
          ? { k: 'rt', fn: 'readI128', args: [at.dv, atText(at), String(rep.le), String(rep.signed)] }
          : { k: 'get', at, m: INT_METHOD[rep.bytes]![rep.signed ? 1 : 0], le: rep.bytes > 1 ? String(rep.le) : '' };
        return rep.enum ? this.enumRead(x, rep.enum, a, strict) : x;
      }
      case 'safe': {
        const x: Code = { k: 'rt', fn: 'safeNumber', args: [{ k: 'get', at, m: rep.signed ? 'BigInt64' : 'BigUint64', le: String(rep.le) }, a.r, a.f, atText(at)] };
        return rep.enum ? this.enumRead(x, rep.enum, a, strict) : x;
      }
      case 'bool': {
        const x: Code = { k: 'get', at, m: INT_METHOD[rep.bytes]?.[0] ?? 'Uint8', le: rep.bytes > 1 ? String(rep.le) : '' };
        if (strict) this.strictUsed = true;
        return { k: 'bool', x, strict, big: rep.bytes === 8, r: a.r, f: a.f, at };
      }
      case 'tagged': {
        const big = rep.tag.rep.k === 'bigint';
        const ref = this.ref(rep.ref);
        this.strictUsed = true;
        return {
          k: 'tagged', t: 't0', all: { k: 'call', fn: ref.read, args: [at.dv, atText(at), 's'] }, tag: stringLiteral(rep.tag.name), labels: stringLiteral(caseList(rep)),
          r: a.r, f: a.f, at,
          cases: rep.cases.map((c) => ({
            lit: big ? `${c.value}n` : String(c.value), prop: c.prop,
            read: this.read(c.rep, { ...a, at: atOf(at, c.facts.bitfield ? 0 : c.facts.bitOffset / 8), f: stringLiteral(`${JSON.parse(a.f) as string}.${c.name}`) }, true),
          })),
        };
      }
      case 'float': return floatRead(rep.format, rep.le, at);
      case 'complex': {
        const n = rep.part.bytes;
        return { k: 'complex', re: floatRead(rep.part.format, rep.part.le, at), im: floatRead(rep.part.format, rep.part.le, atOf(at, at.off + n)) };
      }
      case 'string': return { k: 'rt', fn: rep.encoding === 'latin1' ? 'latin1' : 'str', args: [at.dv, atText(at), String(rep.bytes)] };
      case 'bytes': return { k: 'rt', fn: rep.signed ? 'copySignedBytes' : 'copyBytes', args: [at.dv, atText(at), String(rep.bytes)] };
      case 'record': {
        this.strictUsed = true;
        return { k: 'call', fn: this.ref(rep.ref).read, args: [at.dv, atText(at), 's'] };
      }
      case 'bits': return this.bitsRead(rep, a, strict);
      case 'array': {
        const { dims, stride, leaf: e } = dimensions([rep.length], rep.stride, rep.of);
        if (dims.length === 1 && rep.length <= UNROLL) {
          return { k: 'list', elems: range(rep.length).map((i) => this.read(rep.of, { ...a, at: atOf(at, at.off + i * rep.stride), f: indexLabel(a.f, i) }, true)) };
        }
        this.strictUsed = true;
        const elem = this.elementReader(e);
        if (dims.length === 1) return { k: 'rt', fn: 'readArray', args: [at.dv, atText(at), String(rep.length), String(rep.stride), elem, 's'] };
        return { k: 'rt', fn: 'readNd', args: [at.dv, atText(at), `[${dims.join(', ')}]`, String(stride), elem, 's'] };
      }
      case 'flex': {
        const count: Code = rep.count
          ? { k: 'rt', fn: 'counted', args: [at.dv, atText(at), this.countRead(rep.count, atOf(at, 0), a.r), String(rep.stride), a.r, a.f, stringLiteral(rep.count.name)] }
          : { k: 'rt', fn: 'fitting', args: [at.dv, atText(at), String(rep.stride)] };
        if (rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum) return { k: 'rt', fn: rep.of.signed ? 'copySignedBytes' : 'copyBytes', args: [at.dv, atText(at), count] };
        this.strictUsed = true;
        const { dims, stride, leaf: e } = dimensions([], rep.stride, rep.of);
        const elem = this.elementReader(e);
        if (dims.length === 0) return { k: 'rt', fn: 'readArray', args: [at.dv, atText(at), count, String(rep.stride), elem, 's'] };
        // a flexible array of arrays: one more dimension, its count read first
        return { k: 'rt', fn: 'readNd', args: [at.dv, atText(at), { k: 'list', elems: [count, ...dims.map((d) => ({ k: 'local', name: String(d) }) as Code)] }, String(stride), elem, 's'] };
      }
    }
  }

  private enumRead(x: Code, e: EnumRef, a: { at: At; r: string; f: string }, strict: boolean): Code {
    if (strict) this.strictUsed = true;
    return { k: 'enum', x, strict, type: this.typeRef(e.module, e.name), values: strict ? this.enumValues(e) : '', r: a.r, f: a.f, at: a.at };
  }

  private bitsRead(rep: Extract<Rep, { k: 'bits' }>, a: { at: At; r: string; f: string }, strict: boolean): Code {
    const b = rep.bits;
    const L = String(rep.le);
    const { at } = a;
    let x: Code;
    if (b.unit && b.width <= 32 && b.unit.bytes <= 4) {
      const u = b.unit;
      const window: Code = { k: 'get', at: atOf(at, u.byteOffset), m: INT_METHOD[u.bytes]![0], le: u.bytes > 1 ? L : '' };
      x = bitsOf(window, u.shift, b.width, b.signed);
    } else if (b.unit && b.unit.bytes === 8) {
      const window: Code = { k: 'get', at: atOf(at, b.unit.byteOffset), m: 'BigUint64', le: L };
      const big: Code = { k: 'bigBits', x: window, shift: b.unit.shift, width: b.width, fn: b.signed ? 'asIntN' : 'asUintN' };
      x = b.width > 32 ? big : { k: 'num', x: big };
    } else {
      const s = b.span;
      const call: Code = { k: 'rt', fn: 'readBitsBig', args: [at.dv, atText(atOf(at, s.byteOffset)), String(s.bytes), String(s.shift), String(b.width), String(b.signed), L] };
      x = b.width <= 32 ? { k: 'num', x: call } : call;
    }
    if (rep.as === 'bool') return { k: 'rt', fn: b.width > 32 ? 'truthBig' : 'truth', args: [x] };
    if (rep.enum) return this.enumRead(x, rep.enum, { ...a, at: atOf(at, b.span.byteOffset) }, strict);
    return x;
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** The statement writing `val` (a property or an element): the value is read once, into a local when the checks
   * need it more than once, so that what is checked is what is written. */
  write(rep: Rep, a: { at: At; val: string; r: string; f: string; z: string }): Stmt | null {
    const rereads = rep.k !== 'string' && rep.k !== 'bytes' && rep.k !== 'array' && rep.k !== 'flex' && rep.k !== 'tagged' && rep.k !== 'record';
    if (rereads && !/^[A-Za-z_$][\w$]*$/.test(a.val)) {
      const inner = this.write(rep, { ...a, val: 'x' });
      return inner && { k: 'bind', name: 'x', val: a.val, inner };
    }
    const { at } = a;
    switch (rep.k) {
      case 'int': case 'bigint': {
        const check = intCheck(rep.bytes * 8, rep.signed, a);
        if (rep.bytes === 16) return { k: 'do', x: { k: 'rt', fn: 'writeI128', args: [at.dv, atText(at), check, String(rep.le)] } };
        return { k: 'set', at, m: INT_METHOD[rep.bytes]![rep.signed ? 1 : 0], value: check, le: rep.bytes > 1 ? String(rep.le) : '' };
      }
      case 'safe':
        return { k: 'set', at, m: rep.signed ? 'BigInt64' : 'BigUint64', le: String(rep.le), value: { k: 'safeChk', val: a.val, signed: rep.signed, r: a.r, f: a.f } };
      case 'bool': {
        const value = chk('bool', a);
        return { k: 'set', at, m: INT_METHOD[rep.bytes]?.[0] ?? 'Uint8', value: rep.bytes === 8 ? { k: 'toBig', x: value } : value, le: rep.bytes > 1 ? String(rep.le) : '' };
      }
      case 'tagged': {
        const big = rep.tag.rep.k === 'bigint';
        const f = JSON.parse(a.f) as string;
        return {
          k: 'taggedW', tagProp: rep.tag.prop, prop: a.val.replace(/^v\./, ''), tag: stringLiteral(rep.tag.name), labels: stringLiteral(caseList(rep)), r: a.r, f: a.f,
          cases: rep.cases.map((c) => ({
            lit: big ? `${c.value}n` : String(c.value), member: stringLiteral(c.name), prop: c.prop,
            write: this.write(c.rep, { ...a, at: atOf(at, c.facts.bitfield ? 0 : c.facts.bitOffset / 8), val: `b.${c.prop}`, f: stringLiteral(`${f}.${c.name}`) })!,
          })),
        };
      }
      case 'float': return floatWrite(rep.format, rep.le, at, chk('num', a));
      case 'complex': {
        const n = rep.part.bytes;
        const part = (key: string, off: number): Stmt => ({
          k: 'bind', name: 'x', val: `c.${key}`, inner: floatWrite(rep.part.format, rep.part.le, atOf(at, off), chk('num', { ...a, val: 'x' })),
        });
        return { k: 'complexW', val: a.val, r: a.r, f: a.f, re: part('re', at.off), im: part('im', at.off + n) };
      }
      case 'string':
        return { k: 'do', x: { k: 'rt', fn: rep.encoding === 'latin1' ? 'writeLatin1' : 'writeStr', args: [at.dv, atText(at), String(rep.bytes), a.val, a.r, a.f] } };
      case 'bytes':
        return { k: 'do', x: { k: 'rt', fn: 'writeBytes', args: [at.dv, atText(at), String(rep.bytes), a.val, a.r, a.f] } };
      case 'record': {
        if (a.z === 'z') this.writeZ = true;
        return { k: 'do', x: { k: 'call', fn: this.ref(rep.ref).write, args: [at.dv, atText(at), chk('obj', { ...a, cast: this.typeRef(rep.ref.module, rep.ref.inputName) }), a.z] } };
      }
      case 'bits': return this.bitsWrite(rep, a);
      case 'array': {
        const { dims, stride, leaf: e } = dimensions([rep.length], rep.stride, rep.of);
        const writer = this.elementWriter(e);
        if (dims.length === 1 && rep.length <= UNROLL && writer !== null) {
          // element by element, each through the module's writer of that element (one line each, inlined by V8)
          if (a.z === 'z') this.writeZ = true;
          return {
            k: 'unrolled', val: a.val, n: rep.length, r: a.r, f: a.f,
            elems: range(rep.length).map((i) => ({ k: 'do', x: { k: 'call', fn: writer, args: [at.dv, atText(atOf(at, at.off + i * rep.stride)), `a[${i}]`, a.r, indexLabel(a.f, i), a.z] } })),
          };
        }
        if (writer === null) return null;
        if (a.z === 'z') this.writeZ = true;
        if (dims.length === 1) return { k: 'do', x: { k: 'rt', fn: 'writeArray', args: [at.dv, atText(at), a.val, String(rep.length), String(rep.stride), writer, a.r, a.f, a.z] } };
        return { k: 'do', x: { k: 'rt', fn: 'writeNd', args: [at.dv, atText(at), a.val, `[${dims.join(', ')}]`, String(stride), writer, a.r, a.f, a.z] } };
      }
      case 'flex': {
        if (rep.of.k === 'int' && rep.of.bytes === 1 && !rep.of.enum) return { k: 'do', x: { k: 'rt', fn: 'writeFlexBytes', args: [at.dv, atText(at), 'fl'] } };
        const writer = this.flexWriter(rep);
        if (writer === null) return null;
        if (a.z === 'z') this.writeZ = true;
        return { k: 'do', x: { k: 'rt', fn: 'writeFlex', args: [at.dv, atText(at), 'fl', String(rep.stride), writer, a.r, a.f, a.z] } };
      }
    }
  }

  private bitsWrite(rep: Extract<Rep, { k: 'bits' }>, a: { at: At; val: string; r: string; f: string; z: string }): Stmt {
    const b = rep.bits;
    const L = String(rep.le);
    if (b.unit && b.width <= 32 && b.unit.bytes <= 4) return windowWrite(b.unit, L, a.at, [{ rep, val: a.val, r: a.r, f: a.f }]);
    const check = bitsCheck(rep, a);
    if (b.unit && b.unit.bytes === 8) {
      const fmask = ((1n << BigInt(b.width)) - 1n) << BigInt(b.unit.shift);
      const keep = ((1n << 64n) - 1n) ^ fmask;
      const value: Code = b.width > 32 ? check : { k: 'toBig', x: check };
      return { k: 'bigWindow', at: atOf(a.at, b.unit.byteOffset), le: L, keep: `0x${keep.toString(16)}n`, width: b.width, shift: b.unit.shift, value };
    }
    const s = b.span;
    const value: Code = b.width <= 32 ? { k: 'toBig', x: check } : check;
    return { k: 'do', x: { k: 'rt', fn: 'writeBitsBig', args: [a.at.dv, atText(atOf(a.at, s.byteOffset)), String(s.bytes), String(s.shift), String(b.width), value, L] } };
  }

  // ---------------------------------------------------------------------------------------------------------------
  /** Module-level element readers and writers for arrays, one per representation, shared by every array of it. */
  private elementReader(rep: Rep): string {
    const name = `$r_${repKey(rep)}`;
    if (!this.helpers.has(name)) {
      const saved = this.strictUsed;
      this.strictUsed = false;
      const read = this.read(rep, { at: atOf(DV, 0), r: "'element'", f: "'[]'" }, true);
      this.helpers.set(name, { k: 'reader', name, ts: this.types(rep).ts, strict: this.strictUsed, z: false, read, paren: read.k === 'complex', write: null });
      this.strictUsed = saved;
    }
    return name;
  }

  private elementWriter(rep: Rep): string | null {
    const name = `$w_${repKey(rep)}`;
    if (this.helpers.has(name)) return name;
    const saved = this.writeZ;
    this.writeZ = false;
    const write = this.write(rep, { at: atOf(DV, 0), val: 'v', r: 'r', f: 'f', z: 'z' });
    const z = this.writeZ;
    this.writeZ = saved;
    if (!write) return null;
    this.helpers.set(name, { k: 'writer', name, ts: 'unknown', strict: false, z, read: null, paren: false, write });
    return name;
  }

  private flexWriter(rep: Extract<Rep, { k: 'flex' }>): string | null {
    if (rep.of.k !== 'array') return this.elementWriter(rep.of);
    // a flexible array of arrays: each element an array, written by a writer of its own
    const name = `$w_${repKey(rep.of)}`;
    if (this.helpers.has(name)) return name;
    const write = this.write(rep.of, { at: atOf(DV, 0), val: 'v', r: 'r', f: 'f', z: 'z' });
    if (!write) return null;
    this.helpers.set(name, { k: 'writer', name, ts: 'unknown', strict: false, z: true, read: null, paren: false, write });
    return name;
  }
}

// -----------------------------------------------------------------------------------------------------------------

/** A reader's or writer's parameter list as printed: untyped (the codec's signature types them), unused ones
 * prefixed with `_`, trailing unused ones left out (the codec passes them; a function may ignore them). Made here,
 * not joined by the template: a list of three words, twice per record. */
function params(list: ReadonlyArray<readonly [string, string, boolean]>): string {
  let n = list.length;
  while (n > 0 && !list[n - 1]![2]) n--;
  return list.slice(0, n).map(([name, init, used]) => `${used ? '' : '_'}${name}${init}`).join(', ');
}

/** Members whose decoded values, or those of the records they hold, can keep bytes (runtime `restoreMember`). */
function mayKeep(rep: Rep): boolean {
  let e = rep;
  while (e.k === 'array' || e.k === 'flex') e = e.of;
  return mayBeOdd(e) || e.k === 'record' || e.k === 'tagged';
}

/** Kinds whose decoded values can fail to carry their bytes (runtime `keep`). */
function mayBeOdd(rep: Rep): boolean {
  let e = rep;
  while (e.k === 'array' || e.k === 'flex') e = e.of;
  switch (e.k) {
    case 'string': case 'bool': case 'float': case 'complex': return true;
    case 'bits': return e.as === 'bool';
    default: return false;
  }
}

function atText(at: At): string {
  return at.offset;
}

function floatKind(format: FloatFormat): string {
  switch (format) {
    case 'binary16': return 'f16';
    case 'binary32': return 'f32';
    case 'binary64': return 'f64';
    case 'x87-80': return 'f80';
    case 'm68k-96': return 'f96';
    case 'binary128': return 'f128';
    case 'ibm-double-double': return 'fdd';
  }
}

/** The cases of a tagged union as messages list them: `MSG_PING (1), MSG_DATA (2)`. */
function caseList(rep: Extract<Rep, { k: 'tagged' }>): string {
  return rep.cases.map((c) => (c.label === String(c.value) ? c.label : `${c.label} (${c.value})`)).join(', ');
}

/** A scalar stored with one DataView call, checked up front (`checkedFirst`): its test of a local and the store of
 * the checked local. */
interface Pre {
  readonly val: string;
  readonly test: (local: string) => Code;
  readonly store: (local: string) => Stmt;
}

function precheck(rep: Rep, at: At, val: string): Pre | null {
  switch (rep.k) {
    case 'int': case 'bigint': {
      if (rep.k === 'bigint' && rep.bytes !== 8) return null;
      const bits = rep.bytes * 8;
      const m = INT_METHOD[rep.bytes]![rep.signed ? 1 : 0];
      return {
        val,
        test: (local) => intTest(bits, rep.signed, local),
        store: (local) => ({ k: 'set', at, m, value: { k: 'raw', val: local }, le: rep.bytes > 1 ? String(rep.le) : '' }),
      };
    }
    case 'float': {
      if (rep.format !== 'binary32' && rep.format !== 'binary64') return null;
      return {
        val,
        test: (local) => testNode('num', local, 0, '', 0, ''),
        store: (local) => ({ k: 'set', at, m: rep.format === 'binary32' ? 'Float32' : 'Float64', value: { k: 'raw', val: local }, le: String(rep.le) }),
      };
    }
    case 'bool': {
      if (rep.bytes !== 1) return null;
      return {
        val,
        test: (local) => testNode('bool', local, 0, '', 0, ''),
        store: (local) => ({ k: 'set', at, m: 'Uint8', value: { k: 'boolRaw', val: local }, le: '' }),
      };
    }
    default: return null;
  }
}

// test nodes made by one constructor, as checks are (chkNode)
function testNode(kind: Extract<Code, { k: 'test' }>['kind'], val: string, bits: number, mask: string, shift: number, fn: string): Code {
  return { k: 'test', kind, val, bits, mask, shift, fn };
}

function intTest(bits: number, signed: boolean, val: string): Code {
  if (bits > 32) return testNode('big', val, bits, '', 0, signed ? 'asIntN' : 'asUintN');
  if (signed) return bits === 32 ? testNode('int32', val, bits, '', 0, '') : testNode('int', val, bits, '', 32 - bits, '');
  return bits === 32 ? testNode('uint32', val, bits, '', 0, '') : testNode('uint', val, bits, hex(2 ** bits - 1), 0, '');
}

/** The writer's scalars read into locals (`$0`, `$1`, ...) and tested at once before anything is written. */
function checkedFirst(r: RecordPlan, members: ReadonlyArray<{ write: Stmt | null; pre: Pre | null }>, union: string | null): { stmts: Stmt[]; checked: RecordVM['write']['checked'] } {
  const binds: Array<{ name: string; val: string }> = [];
  const tests: Code[] = [];
  const stmts: Stmt[] = [];
  members.forEach((m, i) => {
    if (!m.pre) {
      if (!m.write) return;
      stmts.push(m.write);
      // a union's member that can hold kept bytes: written back right after it, so that later members win
      if (union !== null && mayKeep(r.members[i]!.rep)) stmts.push({ k: 'do', x: { k: 'rt', fn: 'restoreMember', args: ['dv', 'o', 'v', r.name, String(i)] } });
      return;
    }
    const name = `$${binds.length}`;
    binds.push({ name, val: m.pre.val });
    tests.push(m.pre.test(name));
    stmts.push(m.pre.store(name));
  });
  return { stmts, checked: binds.length ? { binds, tests } : null };
}

/** A record's memory view type's name. */
function memoryName(name: string): string {
  return `${name}MemoryView`;
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

/** A helper's name for a representation (never an array: arrays are read by dimension lists). */
function repKey(rep: Rep): string {
  switch (rep.k) {
    case 'int': case 'bigint': return `${rep.signed ? 'i' : 'u'}${rep.bytes * 8}${rep.bytes > 1 ? (rep.le ? 'le' : 'be') : ''}${rep.enum ? `_${rep.enum.name}` : ''}`;
    case 'bool': return `bool${rep.bytes}${rep.bytes > 1 ? (rep.le ? 'le' : 'be') : ''}`;
    case 'safe': return `n${rep.signed ? 'i' : 'u'}64${rep.le ? 'le' : 'be'}${rep.enum ? `_${rep.enum.name}` : ''}`;
    case 'tagged': return `tagged_${rep.ref.name}`;
    case 'float': return `f_${rep.format.replace(/\W/g, '')}${rep.le ? 'le' : 'be'}`;
    case 'complex': return `c_f_${rep.part.format.replace(/\W/g, '')}${rep.part.le ? 'le' : 'be'}`;
    case 'string': return `str${rep.bytes}${rep.encoding === 'latin1' ? 'l1' : ''}`;
    case 'bytes': return `${rep.signed ? 's' : 'u'}bytes${rep.bytes}`;
    case 'record': return `rec_${rep.ref.name}`;
    case 'bits': return 'bits';
    case 'array': case 'flex': {
      // an element that is itself an array (a flexible array of arrays): its dimensions, then its leaf
      // an inner array apart from the outer one's elements (a padded vector) is a leaf of its own: `a2_a3_f...`
      const { dims, leaf } = rep.k === 'array' ? dimensions([rep.length], rep.stride, rep.of) : dimensions([], rep.stride, rep.of);
      return `a${dims.join('x')}_${repKey(leaf)}`;
    }
  }
}

/** The dimensions of nested arrays read as one (row-major, the innermost elements `stride` bytes apart), from `dims`
 * already taken with elements `stride` apart, down to `of`. An inner array that does not fill its outer array's
 * element (a vector of 3 floats padded to 16 bytes) is not flattened: it is the leaf, an array of its own. */
function dimensions(dims: readonly number[], stride: number, of: Rep): { dims: number[]; stride: number; leaf: Rep } {
  const out = [...dims];
  let e = of;
  let s = stride;
  while (e.k === 'array' && e.length * e.stride === s) { out.push(e.length); s = e.stride; e = e.of; }
  return { dims: out, stride: s, leaf: e };
}

function bitsOf(window: Code, shift: number, width: number, signed: boolean): Code {
  if (signed) return { k: 'sbits', x: window, left: 32 - shift - width, right: 32 - width };
  if (width === 32) return window;
  return { k: 'bits', x: window, shift, mask: hex(2 ** width - 1) };
}

const CHK_BASE = { bits: 0, mask: '', shift: 0, signed: false, fn: '', cast: '', loose: false };

/** A value whose type the code does not know: an element (`v` in element writers, `a[i]`), or a count encode
 * computed (`number | bigint`). */
function loose(val: string): boolean {
  return val === 'v' || val === 'x' || /^a\[\d+\]$/.test(val);
}

/** The inline check of an integer value written. */
// checks made by one constructor (one hidden class for all: spreads gave them several, and the templates' property
// reads over them went megamorphic)
function chkNode(kind: Extract<Code, { k: 'chk' }>['kind'], val: string, r: string, f: string, bits: number, mask: string, shift: number, signed: boolean, fn: string, cast: string, isLoose: boolean): Code {
  return { k: 'chk', kind, val, bits, mask, shift, signed, fn, r, f, cast, loose: isLoose };
}

function intCheck(bits: number, signed: boolean, a: { val: string; r: string; f: string }, asBigInt = false): Code {
  const l = loose(a.val);
  if (bits > 32 || asBigInt) return chkNode('big', a.val, a.r, a.f, bits, '', 0, signed, signed ? 'asIntN' : 'asUintN', '', l);
  if (signed) return bits === 32 ? chkNode('int32', a.val, a.r, a.f, bits, '', 0, signed, '', '', l) : chkNode('int', a.val, a.r, a.f, bits, '', 32 - bits, signed, '', '', l);
  return bits === 32 ? chkNode('uint32', a.val, a.r, a.f, bits, '', 0, signed, '', '', l) : chkNode('uint', a.val, a.r, a.f, bits, hex(2 ** bits - 1), 0, signed, '', '', l);
}

function chk(kind: 'bool' | 'num' | 'obj', a: { val: string; r: string; f: string; cast?: string }): Code {
  return chkNode(kind, a.val, a.r, a.f, CHK_BASE.bits, CHK_BASE.mask, CHK_BASE.shift, CHK_BASE.signed, CHK_BASE.fn, a.cast ?? '', CHK_BASE.loose);
}

function floatRead(format: FloatFormat, le: boolean, at: At): Code {
  const L = String(le);
  switch (format) {
    case 'binary32': return { k: 'rt', fn: 'fl', args: [{ k: 'get', at, m: 'Float32', le: L }] };
    case 'binary64': return { k: 'rt', fn: 'fl', args: [{ k: 'get', at, m: 'Float64', le: L }] };
    default: return { k: 'rt', fn: 'readWide', args: [`"${floatKind(format)}"`, at.dv, atText(at), L] };
  }
}

function floatWrite(format: FloatFormat, le: boolean, at: At, value: Code): Stmt {
  const L = String(le);
  switch (format) {
    case 'binary32': return { k: 'set', at, m: 'Float32', value, le: L };
    case 'binary64': return { k: 'set', at, m: 'Float64', value, le: L };
    default: return { k: 'do', x: { k: 'rt', fn: 'writeWide', args: [`"${floatKind(format)}"`, at.dv, atText(at), value, L] } };
  }
}

function bitsCheck(rep: Extract<Rep, { k: 'bits' }>, a: { val: string; r: string; f: string }): Code {
  if (rep.as === 'bool') return chk('bool', a);
  return intCheck(rep.bits.width, rep.bits.signed, a, rep.as === 'bigint');
}

/** One store to a bit-field window for one or more fields sharing it: each value read once (`x0`, `x1`, ...),
 * checked, masked (signed ones) and shifted into place; the window is read first when the fields leave bits of it
 * to keep. */
function windowWrite(unit: { byteOffset: number; bytes: number }, le: string, at: At,
  fields: ReadonlyArray<{ rep: Extract<Rep, { k: 'bits' }>; val: string; r: string; f: string }>): Stmt {
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
    return { value: bitsCheck(fd.rep, { val, r: fd.r, f: fd.f }), mask: b.signed ? hex(mask) : '', shift: u.shift };
  });
  return {
    k: 'window', at: atOf(at, unit.byteOffset), m: INT_METHOD[unit.bytes]![0], le: unit.bytes > 1 ? le : '',
    keep: keep === 0 ? '' : hex(keep), binds, parts,
  };
}

function zeroNode(at: number, n: number): Stmt {
  if (n > 8) return { k: 'zeroFill', off: at, n };
  const stores: Array<{ m: string; off: number }> = [];
  let i = at;
  for (; i + 4 <= at + n; i += 4) stores.push({ m: 'Uint32', off: i });
  if (i + 2 <= at + n) { stores.push({ m: 'Uint16', off: i }); i += 2; }
  if (i < at + n) stores.push({ m: 'Uint8', off: i });
  return { k: 'zeroStores', stores };
}

/** The layout constant: as a value (`{ name: ..., fields: [...] }`) and as its declared type. Each field is [member,
 * first bit, bit after it] and, when its alignment is 2 bytes or more, [..., alignment, offset / alignment]. */
function layoutOf(r: RecordPlan): { layoutValue: string; layoutType: string } {
  const f = r.facts;
  // the value and its type written side by side, a field at a time (a module of 100,000 records has a million)
  let fields = '';
  let fieldTypes = '';
  for (const s of f.slots) {
    let x = `${stringLiteral(s.name ?? '(anonymous)')}, ${s.bitOffset}, ${s.bitOffset + s.bitSize}`;
    if (s.align > 1) x += `, ${s.align}, ${s.bitOffset / (8 * s.align)}`;
    fields += fields ? `, [${x}]` : `[${x}]`;
    fieldTypes += fieldTypes ? `, readonly [${x}]` : `readonly [${x}]`;
  }
  const name = stringLiteral(r.name);
  const c = f.cName !== r.name ? stringLiteral(f.cName) : null;
  const union = f.kind === 'union';
  return {
    layoutValue: `{ name: ${name}, ${c !== null ? `c: ${c}, ` : ''}size: ${f.size}, align: ${f.align}, ${union ? 'union: true, ' : ''}fields: [${fields}] }`,
    layoutType: `{ readonly name: ${name}; ${c !== null ? `readonly c: ${c}; ` : ''}readonly size: ${f.size}; readonly align: ${f.align}; ${union ? 'readonly union: true; ' : ''}readonly fields: readonly [${fieldTypes}] }`,
  };
}

let holesOf: RecordPlan | null = null;
let holes = new Map<number, { readonly bitOffset: number; readonly bitSize: number }>();

/** A record's holes by the bit offset they end at, made once for its members (one record at a time: its members are
 * described one after another). */
function holesEndingAt(r: RecordPlan): Map<number, { readonly bitOffset: number; readonly bitSize: number }> {
  if (holesOf !== r) {
    holes = new Map();
    for (const g of r.facts.gaps) if (g.kind === 'hole' && !holes.has(g.bitOffset + g.bitSize)) holes.set(g.bitOffset + g.bitSize, g);
    holesOf = r;
  }
  return holes;
}

/** A member's JSDoc: its comment from the header, then a line saying where it is: C type, byte offset, size (bits for
 * bit-fields), byte order when it is not the target's, the padding before it, and what an override makes of it. */
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
    where = `${f.cType}, ${size === 0 ? `flexible, from byte ${byte}` : size === 1 ? `byte ${byte}` : `bytes ${byte}-${byte + size - 1}`}`;
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
function shareWindows(r: RecordPlan, members: ReadonlyArray<{ read: Code; write: Stmt | null; pre: Pre | null }>, R: string):
  { prelude: Array<{ name: string; read: Code }>; reads: Code[]; writes: Array<{ write: Stmt | null; pre: Pre | null }> } {
  const keyOf = (m: MemberPlan): string | null => {
    if (m.optional || m.counts !== null || m.rep.k !== 'bits') return null;
    const b = m.rep.bits;
    return b.unit && b.width <= 32 && b.unit.bytes <= 4 ? `${b.unit.byteOffset}:${b.unit.bytes}` : null;
  };
  const keys = r.members.map(keyOf);
  const uses = new Map<string, number>();
  for (const k of keys) if (k) uses.set(k, (uses.get(k) ?? 0) + 1);
  const prelude: Array<{ name: string; read: Code }> = [];
  const local = new Map<string, string>();
  for (const [k, n] of uses) {
    if (n < 2) continue;
    const name = `u${local.size}`;
    local.set(k, name);
    const [off, bytes] = k.split(':').map(Number) as [number, number];
    const m = r.members[keys.indexOf(k)]!;
    const le = m.rep.k === 'bits' ? String(m.rep.le) : 'true';
    prelude.push({ name, read: { k: 'get', at: atOf(DV, off), m: INT_METHOD[bytes]![0], le: bytes > 1 ? le : '' } });
  }
  const reads = members.map((vm, i) => (keys[i] && local.has(keys[i]!) ? withWindowLocal(vm.read, local.get(keys[i]!)!) : vm.read));
  const writes: Array<{ write: Stmt | null; pre: Pre | null }> = [];
  for (let i = 0; i < members.length; i++) {
    const k = keys[i];
    if (!k || !local.has(k)) { writes.push({ write: members[i]!.write, pre: members[i]!.pre }); continue; }
    let j = i;
    while (j + 1 < members.length && keys[j + 1] === k) j++;
    const run = r.members.slice(i, j + 1);
    const rep0 = run[0]!.rep as Extract<Rep, { k: 'bits' }>;
    const write = windowWrite(rep0.bits.unit!, String(rep0.le), atOf(DV, 0),
      run.map((m) => ({ rep: m.rep as Extract<Rep, { k: 'bits' }>, val: `v.${m.prop}`, r: R, f: stringLiteral(m.facts.name) })));
    writes.push({ write, pre: null });
    for (let t = i + 1; t <= j; t++) writes.push({ write: null, pre: null });
    i = j;
  }
  return { prelude, reads, writes };
}

/** A bit-field read with its window replaced by the prelude's local. */
function withWindowLocal(n: Code, name: string): Code {
  switch (n.k) {
    case 'get': return { k: 'local', name };
    case 'bits': case 'sbits': case 'num': case 'bigBits': return { ...n, x: withWindowLocal(n.x, name) };
    case 'enum': return { ...n, x: withWindowLocal(n.x, name) };
    case 'rt': return { ...n, args: n.args.map((x) => (typeof x === 'string' ? x : withWindowLocal(x, name))) };
    default: return n;
  }
}
