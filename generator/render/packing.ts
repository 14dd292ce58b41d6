// Packing advice (`structgen layout --packable`), the part that needs no compiler and no file: which records can be
// reordered, the movable items of one (members, and runs of bit-fields kept together), candidate orders, and the C
// declaration of an order. The candidates are only proposals: the CLI lays each out again through the pipeline and
// keeps the smallest that is really smaller (generator/cli/packable.ts).
//
// Orders tried: the baseline (alignment, then size, descending; declaration order among equals) and an exact search:
// a dynamic programme over (how many items of each (size, alignment) class are left, offset modulo the record's
// alignment) that finds the least padding any order can have under the model "each item is placed at the next
// multiple of its alignment", ties broken toward declaration order. The baseline is optimal when every size is a
// multiple of its alignment (any plain C type); the search wins where it is not: members with `aligned(N)` larger
// than their size, `#pragma pack`, and runs of bit-fields. Pure: no Node built-ins.

import type { MemberFacts, ProgramFacts, RecordFacts } from '../layout/facts.js';
import { slotContents } from '../layout/walk.js';

export interface PackItem {
  /** The members it holds, in declaration order (several for a run of bit-fields). */
  readonly members: readonly MemberFacts[];
  readonly size: number;
  readonly align: number;
  /** A run of bit-fields can also share a storage unit with what is before it: the bytes its bits need, at a
   * multiple of the power of two that holds them (the model of the second search; the real layout decides). Equal
   * to size/align for other members. */
  readonly tight: { readonly size: number; readonly align: number };
  /** Position among the items in declaration order. */
  readonly index: number;
  /** An anonymous struct/union member: the record it is (its members are `members`, promoted). */
  readonly anonymous?: RecordFacts | null;
}

export type Packable =
  | { readonly ok: true; readonly items: readonly PackItem[]; readonly align: number }
  | { readonly ok: false; readonly reason: string };

const typeBytes = (m: MemberFacts): number => (m.type.k === 'int' || m.type.k === 'enum' || m.type.k === 'bool' ? m.type.bytes : 0);

/** The movable items of a record, or why reordering cannot help it. */
export function packableItems(p: ProgramFacts, r: RecordFacts): Packable {
  if (r.kind === 'union') return { ok: false, reason: 'a union: its members share storage, so their order does not change its size' };
  if (r.packed) return { ok: false, reason: 'packed: every member is at the next byte already' };
  if (r.flexible) return { ok: false, reason: `ends in a flexible array member ('${r.flexible.member}'), which must stay last where the data that follows is read` };
  if (r.slots.some((s) => s.name === null && s.bitfield)) return { ok: false, reason: 'has an unnamed bit-field, which places the bit-fields around it' };
  const bitUnits = new Set(r.members.filter((m) => m.bitfield).map(typeBytes));
  if (bitUnits.size > 1) return { ok: false, reason: `bit-fields of mixed storage units (${[...bitUnits].sort((a, b) => a - b).join(', ')} bytes): moving a run changes how the others pack` };
  // what each declared slot holds: a member, or an anonymous struct/union member and the members it promotes
  const contents = slotContents(p, r);
  if (!contents) return { ok: false, reason: 'its anonymous members cannot be matched with the members they promote' };
  const items: PackItem[] = [];
  const cap = (a: number) => (r.pack ? Math.min(a, r.pack) : a);
  for (let i = 0; i < contents.length; i++) {
    const c = contents[i]!;
    const slot = c.slot;
    if (c.k === 'anonymous') {
      // an anonymous member moves as a whole, with the members C promotes from it
      const inner = c.record;
      if (anonymousBody(p, inner, 1) === null) {
        return { ok: false, reason: 'has an anonymous struct/union member that cannot be spelled again (it holds unnamed bit-fields, a flexible array or its own #pragma pack)' };
      }
      const a = Math.max(1, slot.align);
      items.push({ members: r.members.slice(c.from, c.to), anonymous: inner, size: slot.bitSize / 8, align: a, tight: { size: slot.bitSize / 8, align: a }, index: items.length });
      continue;
    }
    if (c.k !== 'member') return { ok: false, reason: 'has an unnamed bit-field, which places the bit-fields around it' };
    const m = r.members[c.index]!;
    if (memberDeclaration(p, m, 1) === null) {
      return { ok: false, reason: 'has a member of an untagged struct/union type that cannot be spelled again (it holds unnamed bit-fields, a flexible array or its own #pragma pack)' };
    }
    if (!m.bitfield) {
      const a = Math.max(1, slot.align);
      items.push({ members: [m], anonymous: null, size: m.bitSize / 8, align: a, tight: { size: m.bitSize / 8, align: a }, index: items.length });
      continue;
    }
    // a run of bit-fields moves as one: the storage units it took where it was
    let j = i;
    while (j + 1 < contents.length && contents[j + 1]!.k === 'member' && contents[j + 1]!.slot.bitfield) j++;
    const run = contents.slice(i, j + 1).map((x) => r.members[(x as { index: number }).index]!);
    const unit = Math.max(1, typeBytes(m)) * 8;
    const start = Math.floor(run[0]!.bitOffset / unit) * unit;
    const end = Math.max(...run.map((f) => f.bitOffset + f.bitSize));
    const units = Math.max(1, Math.ceil((end - start) / unit));
    const bits = run.reduce((t, f) => t + f.bitSize, 0);
    items.push({ members: run, anonymous: null, size: (units * unit) / 8, align: cap(unit / 8), tight: { size: Math.max(1, Math.ceil(bits / 8)), align: tightAlign(Math.ceil(bits / 8), cap(unit / 8)) }, index: items.length });
    i = j;
  }
  return { ok: true, items, align: r.align };
}

/** Total size of items in this order, under the model (next multiple of each alignment, then the record's). */
export function modelSize(items: readonly PackItem[], order: readonly number[], align: number): number {
  let at = 0;
  for (const k of order) {
    const it = items[k]!;
    at = Math.ceil(at / it.align) * it.align + it.size;
  }
  return Math.ceil(at / align) * align;
}

/** Alignment, then size, descending; declaration order among equals. */
export function baselineOrder(items: readonly PackItem[]): number[] {
  return items.map((_, i) => i).sort((a, b) => items[b]!.align - items[a]!.align || items[b]!.size - items[a]!.size || a - b);
}

/** A run of n bytes placed at a multiple of the power of two that holds it (at most its unit) never straddles a
 * storage unit. */
function tightAlign(n: number, unit: number): number {
  let a = 1;
  while (a < n && a < unit) a *= 2;
  return a;
}

/** The items as the second model sees them (runs of bit-fields by the bytes their bits need). */
export function tightItems(items: readonly PackItem[]): PackItem[] {
  return items.map((i) => ({ ...i, size: i.tight.size, align: i.tight.align }));
}

/** The order with the least padding under the model (exact), or null when the search would be too large. */
export function searchOrder(items: readonly PackItem[], recordAlign: number, maxStates = 400_000): number[] | null {
  const M = Math.max(recordAlign, ...items.map((i) => i.align));
  if ((M & (M - 1)) !== 0) return null;
  // classes of interchangeable items, each a queue in declaration order
  const classes: Array<{ size: number; align: number; queue: number[] }> = [];
  for (const it of items) {
    let c = classes.find((x) => x.size === it.size && x.align === it.align);
    if (!c) { c = { size: it.size, align: it.align, queue: [] }; classes.push(c); }
    c.queue.push(it.index);
  }
  const radix = classes.map((c) => c.queue.length + 1);
  let states = M;
  for (const x of radix) { states *= x; if (states > maxStates) return null; }
  const memo = new Map<number, number>();
  const used = classes.map(() => 0);
  const key = (r: number) => {
    let k = 0;
    for (let c = 0; c < classes.length; c++) k = k * radix[c]! + used[c]!;
    return k * M + r;
  };
  /** least padding from here, with the offset ≡ r (mod M) */
  const best = (r: number, left: number): number => {
    if (left === 0) return (M - r) % M;
    const k = key(r);
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let min = Infinity;
    for (let c = 0; c < classes.length; c++) {
      const cl = classes[c]!;
      if (used[c] === cl.queue.length) continue;
      const padBefore = (cl.align - (r % cl.align)) % cl.align;
      used[c]!++;
      const v = padBefore + best((r + padBefore + cl.size) % M, left - 1);
      used[c]!--;
      if (v < min) min = v;
    }
    memo.set(k, min);
    return min;
  };
  best(0, items.length);
  // walk the optimum, taking at each step the class whose next item was declared first
  const order: number[] = [];
  let r = 0;
  for (let left = items.length; left > 0; left--) {
    const target = best(r, left);
    let pick = -1;
    for (let c = 0; c < classes.length; c++) {
      const cl = classes[c]!;
      if (used[c] === cl.queue.length) continue;
      const padBefore = (cl.align - (r % cl.align)) % cl.align;
      used[c]!++;
      const v = padBefore + best((r + padBefore + cl.size) % M, left - 1);
      used[c]!--;
      if (v === target && (pick < 0 || cl.queue[used[c]!]! < classes[pick]!.queue[used[pick]!]!)) pick = c;
    }
    const cl = classes[pick]!;
    order.push(cl.queue[used[pick]!]!);
    const padBefore = (cl.align - (r % cl.align)) % cl.align;
    r = (r + padBefore + cl.size) % M;
    used[pick]!++;
  }
  return order;
}

/** `cType` and a name as a C declarator: `char name[16]`, `void (*name)(int)`, `uint32_t name`. */
export function declarator(cType: string, name: string): string {
  const fn = cType.indexOf('(*)');
  if (fn >= 0) return `${cType.slice(0, fn)}(*${name})${cType.slice(fn + 3)}`;
  const arr = cType.indexOf('[');
  if (arr >= 0) return `${cType.slice(0, arr).trimEnd()} ${name}${cType.slice(arr)}`;
  return `${cType} ${name}`;
}

/** An untagged, unnamed record type (`union { ... } u;`), under any number of array layers; null otherwise. */
function untagged(p: ProgramFacts, m: MemberFacts): RecordFacts | null {
  let t = m.type;
  while (t.k === 'array') t = t.of;
  if (t.k !== 'record' || m.bitfield) return null;
  const inner = p.records[t.id];
  return inner && !inner.tag && !inner.name ? inner : null;
}

/** A member's declaration as C spells it (without `;`): `char name[16]`, `void (*fn)(int)`, `unsigned f : 3`, and a
 * member of an untagged struct or union type with that type's definition spelled again from its facts; null when
 * it cannot be spelled (an untagged type holding unnamed bit-fields, a flexible array or its own #pragma pack). */
export function memberDeclaration(p: ProgramFacts, m: MemberFacts, depth: number): string | null {
  const inner = untagged(p, m);
  if (!inner) return `${declarator(m.cType, m.name)}${m.bitfield ? ` : ${m.bitfield.width}` : ''}`;
  const body = anonymousBody(p, inner, depth);
  if (body === null) return null;
  const at = m.cType.indexOf('[');
  return `${body} ${m.name}${at >= 0 ? m.cType.slice(at) : ''}`;
}

/** `struct { ... }` / `union { ... }` of an untagged record, its members (anonymous ones too) spelled again. */
export function anonymousBody(p: ProgramFacts, r: RecordFacts, depth: number): string | null {
  if (depth > 16 || r.pack || r.flexible || r.slots.some((x) => x.name === null && x.bitfield)) return null;
  const contents = slotContents(p, r);
  if (!contents) return null;
  const pad = '    '.repeat(depth + 1);
  const lines: string[] = [];
  for (const c of contents) {
    const d = c.k === 'anonymous' ? anonymousBody(p, c.record, depth + 1) : c.k === 'member' ? memberDeclaration(p, r.members[c.index]!, depth + 1) : null;
    if (d === null) return null;
    lines.push(`${pad}${d};`);
  }
  return `${r.kind} {\n${lines.join('\n')}\n${'    '.repeat(depth)}}${r.packed ? ' __attribute__((packed))' : ''}`;
}

export interface DeclOptions {
  /** The tag to declare (verification uses a fresh one); default: as the original. */
  readonly tag?: string;
  /** Members needing `aligned(N)` to keep the alignment they had (by name). */
  readonly memberAlign?: ReadonlyMap<string, number>;
  /** `aligned(N)` on the record. */
  readonly recordAlign?: number;
}

/** The record declared with its items in `order`. */
export function reorderedDeclaration(p: ProgramFacts, r: RecordFacts, items: readonly PackItem[], order: readonly number[], o: DeclOptions = {}): string {
  const lines: string[] = [];
  for (const k of order) {
    const it = items[k]!;
    if (it.anonymous) { lines.push(`    ${anonymousBody(p, it.anonymous, 1)};`); continue; }
    for (const m of it.members) {
      const al = o.memberAlign?.get(m.name);
      const attr = al ? ` __attribute__((aligned(${al})))` : '';
      lines.push(`    ${memberDeclaration(p, m, 1) ?? declarator(m.cType, m.name)}${attr};`);
    }
  }
  const recAttr = o.recordAlign ? ` __attribute__((aligned(${o.recordAlign})))` : '';
  const body = `{\n${lines.join('\n')}\n}`;
  let text: string;
  if (o.tag !== undefined) text = `${r.kind} ${o.tag} ${body}${recAttr};`;
  else if (r.tag) text = `${r.kind} ${r.tag} ${body}${recAttr};`;
  else text = `typedef ${r.kind} ${body}${recAttr} ${r.name};`;
  return r.pack ? `#pragma pack(push, ${r.pack})\n${text}\n#pragma pack(pop)` : text;
}
