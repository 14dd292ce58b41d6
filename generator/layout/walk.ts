// The one walk over the layout facts: every member at every depth with its C access path and absolute bit offset,
// the anonymous struct/union members it was promoted through, array elements when the caller asks, and the unused
// bits of every record entered. Every view that descends into records (the report, the lock, verify, pictures, the
// RFC diagram, packing advice, overrides, decode and dump) goes through here instead of a descent of its own.
// Iterative (nesting can be deep) and linear: each entry costs O(1); an array of N records yields its elements only
// when the caller asks for them, and the map from anonymous members to the members they promote is computed once
// per record.

import { diag, type Diagnostic } from '../diagnostics.js';
import type { MemberFacts, PaddingFacts, ProgramFacts, RecordFacts, SlotFacts, TypeFacts } from './facts.js';

interface EntryBase {
  /** The member, element or anonymous member this entry is inside; null for the outermost record's own. */
  readonly parent: ContainerEntry | null;
  /** From the start of the outermost record. */
  readonly bitOffset: number;
  /** Named records and array layers entered above it: 0 for the outermost record's own members and padding
   * (anonymous members add none: C accesses their members as the holder's). */
  readonly depth: number;
  /** Index in the outermost record's `members` of the top-level member it belongs to; -1 for the outermost
   * record's own padding (and its anonymous members, which hold several top-level members). */
  readonly top: number;
}

/** A member as C accesses it, in the record (`holder`) whose `members` list holds it. */
export interface MemberEntry extends EntryBase {
  readonly k: 'member';
  readonly member: MemberFacts;
  readonly holder: RecordFacts;
  /** Its index in `holder.members`. */
  readonly index: number;
  /** C access path from the outermost record: `time.tv_sec`; with element indices where elements are listed
   * (`pts[2].x`). */
  readonly path: string;
  /** The member's bits: its width for a bit-field, 0 for a flexible array member. */
  readonly bitSize: number;
  readonly type: TypeFacts;
  /** The record it holds (a struct or union member that is not a bit-field), when the facts have it. */
  readonly record: RecordFacts | null;
}

/** One element of an array member (or of an array element, for arrays of arrays): listed only when
 * `WalkOptions.elements` asks for it. */
export interface ElementEntry extends EntryBase {
  readonly k: 'element';
  /** The array member it belongs to. */
  readonly member: MemberFacts;
  /** Its index in its array layer. */
  readonly index: number;
  /** `pts[2]`, `m[1][0]`, `a.b[3]`. */
  readonly path: string;
  /** The element's bits (the stride). */
  readonly bitSize: number;
  /** The element's type: the array's `of`. */
  readonly type: TypeFacts;
  readonly record: RecordFacts | null;
}

/** An anonymous struct/union member (C11 `struct { ... };` in a record): listed only with `WalkOptions.anonymous`.
 * The members it promotes follow it, with it as their parent. */
export interface AnonymousEntry extends EntryBase {
  readonly k: 'anonymous';
  /** The anonymous record. Its own `members` are the promoted ones with offsets relative to it. */
  readonly record: RecordFacts;
  /** The named record whose members C accesses through it. */
  readonly holder: RecordFacts;
  /** The declared slot it fills, in its parent's (`holder`'s or an enclosing anonymous record's) `slots`. */
  readonly slot: SlotFacts;
  /** The access path prefix of its members: the holder's path ('' for the outermost record). */
  readonly prefix: string;
  readonly bitSize: number;
  /** Its members: indices `[from, to)` of `holder.members`. */
  readonly from: number;
  readonly to: number;
}

/** Unused bits of a record entered (`RecordFacts.gaps`: between and after its members, at the level C accesses
 * them), listed only with `WalkOptions.padding`. */
export interface PaddingEntry extends EntryBase {
  readonly k: 'padding';
  /** The record whose gap it is: a named record entered, or (with `anonymous`) an anonymous member's record. */
  readonly holder: RecordFacts;
  readonly gap: PaddingFacts;
  readonly bitSize: number;
  /** The path of the record it is in: '' for the outermost. */
  readonly prefix: string;
}

export type ContainerEntry = MemberEntry | ElementEntry | AnonymousEntry;
export type WalkEntry = MemberEntry | ElementEntry | AnonymousEntry | PaddingEntry;

export interface WalkOptions {
  /** Go into a member or element that holds a record (its members follow it)? Default: always. */
  readonly enter?: (e: MemberEntry | ElementEntry) => boolean;
  /** How many elements of an array member (or array element) to list one by one, from the first: `true` for all,
   * `false` or 0 for none (the array is one entry). Default: none. */
  readonly elements?: (e: MemberEntry | ElementEntry) => boolean | number;
  /** List anonymous struct/union members, each followed by the members it promotes. Default: false (the members
   * come flat, in the holder's declaration order, as `RecordFacts.members` lists them). */
  readonly anonymous?: boolean;
  /** List the gaps of every record entered (with `anonymous`, of anonymous records too) right after entering it,
   * before its members. Default: false. */
  readonly padding?: boolean;
  /** Records entered below this depth are not entered (default: no limit). */
  readonly maxDepth?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Anonymous members: which of a record's slots is which anonymous record, and which members each promotes.

/** What a declared slot holds: a member (`index` into the members of the record the map is of), an anonymous
 * member (`record`, promoting `members [from, to)`), or nothing (an unnamed bit-field). */
export type SlotContent =
  | { readonly k: 'member'; readonly slot: SlotFacts; readonly index: number }
  | { readonly k: 'anonymous'; readonly slot: SlotFacts; readonly record: RecordFacts; readonly from: number; readonly to: number }
  | { readonly k: 'unnamed'; readonly slot: SlotFacts };

const childrenCache = new WeakMap<ProgramFacts, Map<number, RecordFacts[]>>();
const slotCache = new WeakMap<RecordFacts, readonly SlotContent[] | null>();

/** Records held as anonymous members, by the id of the record whose body defines them, in definition order. */
function anonymousChildren(p: ProgramFacts): Map<number, RecordFacts[]> {
  let m = childrenCache.get(p);
  if (m) return m;
  m = new Map();
  for (const r of p.records) {
    if (!r || !r.anonymousMember || r.parent === null) continue;
    let list = m.get(r.parent);
    if (!list) { list = []; m.set(r.parent, list); }
    list.push(r);
  }
  for (const list of m.values()) list.sort((a, b) => a.id - b.id);
  childrenCache.set(p, m);
  return m;
}

/**
 * The slots of a record with what each holds, in declaration order; null when the facts do not tell which
 * anonymous record an anonymous slot is (then only the flat `members` are known). Computed once per record.
 */
export function slotContents(p: ProgramFacts, r: RecordFacts): readonly SlotContent[] | null {
  const hit = slotCache.get(r);
  if (hit !== undefined) return hit;
  const children = anonymousChildren(p).get(r.id) ?? [];
  const out: SlotContent[] = [];
  let next = 0;
  let i = 0;
  let ok = true;
  for (const slot of r.slots) {
    if (slot.name !== null) {
      if (r.members[i]?.name !== slot.name) { ok = false; break; }
      out.push({ k: 'member', slot, index: i++ });
      continue;
    }
    if (slot.bitfield) { out.push({ k: 'unnamed', slot }); continue; }
    const a = children[next++];
    if (!a || a.size * 8 !== slot.bitSize || i + a.members.length > r.members.length) { ok = false; break; }
    for (let j = 0; j < a.members.length; j++) {
      if (r.members[i + j]!.name !== a.members[j]!.name) { ok = false; break; }
    }
    if (!ok) break;
    out.push({ k: 'anonymous', slot, record: a, from: i, to: i + a.members.length });
    i += a.members.length;
  }
  const res = ok && i === r.members.length ? out : null;
  slotCache.set(r, res);
  return res;
}

// ---------------------------------------------------------------------------------------------------------------

/** The element type under any number of array layers, and how many elements they hold in all. */
export function arrayElement(t: TypeFacts): { readonly elem: TypeFacts; readonly count: number; readonly dims: readonly (number | null)[] } {
  const dims: Array<number | null> = [];
  let count = 1;
  let cur = t;
  while (cur.k === 'array') {
    dims.push(cur.length);
    count *= cur.length ?? 0;
    cur = cur.of;
  }
  return { elem: cur, count, dims };
}

/** A frame of the walk: a run of members to list (a record's, or an anonymous member's part of its holder's), or
 * a run of elements. */
type Frame =
  | {
    readonly k: 'members'; readonly holder: RecordFacts; readonly base: number; readonly prefix: string; readonly depth: number;
    readonly parent: ContainerEntry | null; readonly top: number;
    /** Slot contents to go through (anonymous mode), the members they index being `holder.members[shift + index]`. */
    readonly slots: readonly SlotContent[] | null; readonly shift: number;
    /** Flat mode: members `[i, end)`. */
    i: number; readonly end: number;
    /** Base of the anonymous record (for its slot offsets), in absolute bits. */
    readonly anonBase: number;
  }
  | {
    readonly k: 'elements'; readonly of: ContainerEntry & { readonly k: 'member' | 'element' }; readonly member: MemberFacts;
    readonly type: TypeFacts; readonly stride: number; readonly count: number; i: number;
  };

const recordOf = (p: ProgramFacts, t: TypeFacts): RecordFacts | null => (t.k === 'record' ? p.records[t.id] ?? null : null);

/**
 * Every member of `rec` at every depth, depth first in declaration order; a member (or element) holding a record
 * is followed by that record's entries; see `WalkOptions` for elements, anonymous members and padding.
 */
export function* walk(p: ProgramFacts, rec: RecordFacts, opts: WalkOptions = {}): Generator<WalkEntry> {
  const anonymous = opts.anonymous === true;
  const maxDepth = opts.maxDepth ?? Infinity;
  const stack: Frame[] = [];
  const open = (holder: RecordFacts, base: number, prefix: string, depth: number, parent: ContainerEntry | null, top: number): Frame => {
    const slots = anonymous ? slotContents(p, holder) : null;
    return { k: 'members', holder, base, prefix, depth, parent, top, slots, shift: 0, i: 0, end: slots ? slots.length : holder.members.length, anonBase: base };
  };
  function* gaps(r: RecordFacts, base: number, prefix: string, depth: number, parent: ContainerEntry | null, top: number): Generator<PaddingEntry> {
    for (const gap of r.gaps) yield { k: 'padding', parent, bitOffset: base + gap.bitOffset, depth, top, holder: r, gap, bitSize: gap.bitSize, prefix };
  }
  // what follows an entry holding a record or an array: its elements, or the record's members
  function* inside(e: MemberEntry | ElementEntry, depth: number): Generator<WalkEntry> {
    if (e.type.k === 'array' && !(e.k === 'member' && e.member.bitfield)) {
      const want = opts.elements?.(e) ?? false;
      const len = e.type.length ?? 0;
      const count = want === true ? len : want === false ? 0 : Math.max(0, Math.min(len, Math.floor(want)));
      if (count > 0 && depth < maxDepth) stack.push({ k: 'elements', of: e, member: e.member, type: e.type.of, stride: e.type.stride * 8, count, i: 0 });
      return;
    }
    if (!e.record || depth >= maxDepth || (opts.enter && !opts.enter(e))) return;
    if (opts.padding) yield* gaps(e.record, e.bitOffset, e.path, depth + 1, e, e.top);
    stack.push(open(e.record, e.bitOffset, `${e.path}.`, depth + 1, e, e.top));
  }
  if (opts.padding) yield* gaps(rec, 0, '', 0, null, -1);
  stack.push(open(rec, 0, '', 0, null, -1));
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    if (f.k === 'elements') {
      if (f.i >= f.count) { stack.pop(); continue; }
      const index = f.i++;
      const e: ElementEntry = {
        k: 'element', parent: f.of, bitOffset: f.of.bitOffset + index * f.stride, depth: f.of.depth + 1, top: f.of.top,
        member: f.member, index, path: `${f.of.path}[${index}]`, bitSize: f.stride, type: f.type, record: recordOf(p, f.type),
      };
      yield e;
      yield* inside(e, e.depth);
      continue;
    }
    if (f.i >= f.end) { stack.pop(); continue; }
    const k = f.i++;
    let index: number;
    if (f.slots) {
      const s = f.slots[k]!;
      if (s.k === 'unnamed') continue;
      if (s.k === 'anonymous') {
        const from = f.shift + s.from;
        const at = f.anonBase + s.slot.bitOffset;
        const a: AnonymousEntry = {
          k: 'anonymous', parent: f.parent, bitOffset: at, depth: f.depth, top: f.depth === 0 ? -1 : f.top, record: s.record,
          holder: f.holder, slot: s.slot, prefix: f.prefix, bitSize: s.slot.bitSize, from, to: f.shift + s.to,
        };
        yield a;
        if (opts.padding) yield* gaps(s.record, at, f.prefix, f.depth, a, a.top);
        const inner = slotContents(p, s.record);
        if (inner) {
          stack.push({ k: 'members', holder: f.holder, base: f.base, prefix: f.prefix, depth: f.depth, parent: a, top: f.top, slots: inner, shift: from, i: 0, end: inner.length, anonBase: at });
        } else {
          // the anonymous record's own slots are not known: its members, flat
          stack.push({ k: 'members', holder: f.holder, base: f.base, prefix: f.prefix, depth: f.depth, parent: a, top: f.top, slots: null, shift: 0, i: from, end: a.to, anonBase: at });
        }
        continue;
      }
      index = f.shift + s.index;
    } else {
      index = k;
    }
    const m = f.holder.members[index]!;
    const e: MemberEntry = {
      k: 'member', parent: f.parent, bitOffset: f.base + m.bitOffset, depth: f.depth, top: f.depth === 0 ? index : f.top,
      member: m, holder: f.holder, index, path: f.prefix + m.name, bitSize: m.bitSize, type: m.type,
      record: m.bitfield ? null : recordOf(p, m.type),
    };
    yield e;
    yield* inside(e, f.depth);
  }
}

export interface DeepField {
  /** C access path from the outermost record: `time.tv_sec`. */
  readonly path: string;
  readonly member: MemberFacts;
  /** From the start of the outermost record. */
  readonly bitOffset: number;
  /** 0 for the outermost record's own members. */
  readonly depth: number;
}

/** Every named member at every depth, depth first in declaration order; a member of struct or union type is
 * followed by its own members; arrays are one entry (CONTRACTS.md "layout --json"). */
export function* deepFields(p: ProgramFacts, rec: RecordFacts): Generator<DeepField> {
  for (const e of walk(p, rec)) if (e.k === 'member') yield { path: e.path, member: e.member, bitOffset: e.bitOffset, depth: e.depth };
}

/** How many entries `deepFields` yields for a record (each named member at every depth, nested records expanded),
 * without walking them: a record of two records of two records ... doubles it at each level, so the count can be
 * exponential in the header's size. Linear in the records' members (each record counted once, iteratively); the
 * outputs that list deep fields check it against `MAX_DEEP_FIELDS` before they walk. */
export function deepFieldCount(p: ProgramFacts, rec: RecordFacts): number {
  let counts = deepCounts.get(p);
  if (!counts) deepCounts.set(p, (counts = new Map()));
  const known = counts.get(rec);
  if (known !== undefined) return known;
  // post-order over the records it holds, with an explicit stack (nesting can be deep)
  const stack: Array<{ r: RecordFacts; i: number; n: number }> = [{ r: rec, i: 0, n: 0 }];
  let done = 0;
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i === top.r.members.length) {
      stack.pop();
      counts.set(top.r, top.n);
      done = top.n;
      if (stack.length) stack[stack.length - 1]!.n += done;
      continue;
    }
    const m = top.r.members[top.i++]!;
    top.n += 1;
    const inner = m.bitfield ? null : recordOf(p, m.type);
    if (!inner) continue;
    const c = counts.get(inner);
    if (c !== undefined) top.n += c;
    else stack.push({ r: inner, i: 0, n: 0 });
  }
  return done;
}
const deepCounts = new WeakMap<ProgramFacts, Map<RecordFacts, number>>();

/** The most deep fields a listing of one record gives (`layout --json`, the lock, C asserts, the text view): a million
 * entries is far beyond any real record (the largest in the Linux UAPI headers has a few hundred) and still
 * printable; past it the record is reported instead of listed. */
export const MAX_DEEP_FIELDS = 1_000_000;

/** An error for each named record of `records` whose deep fields are more than a listing can hold
 * (MAX_DEEP_FIELDS). */
export function oversizedListings(p: ProgramFacts, records: Iterable<RecordFacts | null>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of records) {
    if (r === null || r.name === null) continue;
    const n = deepFieldCount(p, r);
    if (n > MAX_DEEP_FIELDS) {
      out.push(diag('error', r.pos, 'too-many-fields', `${r.cName} has ${n > 1e15 ? 'more than 10^15' : n.toLocaleString('en-US')} members when its nested records are expanded, more than the ${MAX_DEEP_FIELDS.toLocaleString('en-US')} a field listing holds; its module, view and pictures are unaffected (select other records with --record)`));
    }
  }
  return out;
}

/** The member a C access path names (`a.b.c`, anonymous members promoted), with the record holding it; null when
 * no member has that path. Linear in the path's length and the members of the records on the way. */
export function memberAt(p: ProgramFacts, rec: RecordFacts, path: string): { readonly holder: RecordFacts; readonly member: MemberFacts; readonly bitOffset: number } | null {
  let holder = rec;
  let base = 0;
  const parts = path.split('.');
  for (let i = 0; i < parts.length; i++) {
    const m = holder.members.find((x) => x.name === parts[i]);
    if (!m) return null;
    if (i === parts.length - 1) return { holder, member: m, bitOffset: base + m.bitOffset };
    const inner = m.bitfield ? null : recordOf(p, m.type);
    if (!inner) return null;
    holder = inner;
    base += m.bitOffset;
  }
  return null;
}
