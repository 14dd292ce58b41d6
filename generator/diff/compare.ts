// The comparison of two sides on one target: every record, enum and constant by name, each change with its kind
// and class. A member is matched by its access path; one that vanished and one that appeared at the same place with
// the same type is a rename. The class follows README "Comparing versions": bytes of an existing member that moved
// or changed meaning, or a record that changed size or alignment, break; a member that takes former padding (or a
// reserved member's bytes), a member appended to a record reached through its size member, a new enumerator, record
// or constant are compatible; a rename, or a type spelled differently with the same representation, is source-only.
// Pure: no Node built-ins.

import type { SourcePos } from '../diagnostics.js';
import type { MemberFacts, ProgramFacts, RecordFacts, TypeFacts } from '../layout/facts.js';
import { recordOf, type Field, type RecordEntry, type Snapshot } from './snapshot.js';
import type { ChangeClass, ChangeKind, TargetChange, Value, Where } from './types.js';

/** Names kernel, Windows and protocol headers give the member that tells a record's size (README). */
const SIZE_MEMBER = /^(size|sz|struct_?size|argsz|cb_?size|dw_?size|cb|cb_?struct|hdr_?size|header_?size)$/i;
/** Names of members kept for later use (`__reserved`, `pad1`, `rsvd`): nobody reads their bytes. */
const RESERVED = /^_*(reserved|rsvd|resv|pad|padding|unused|spare)_?\d*$/i;

type Interval = readonly [number, number];

const byteOf = (bit: number) => (bit % 8 === 0 ? `byte ${bit / 8}` : `bit ${bit} (byte ${Math.floor(bit / 8)}:${bit % 8})`);
const bytesText = (bits: number) => (bits % 8 ? `${bits} bit${bits === 1 ? '' : 's'}` : `${bits / 8} byte${bits === 8 ? '' : 's'}`);
const lastName = (p: string) => p.slice(p.lastIndexOf('.') + 1);
const parentOf = (p: string) => (p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '');
const title = (r: RecordFacts, name: string) => `${r.kind} ${name}`;

/** A member as `old`/`new` carry it: the `layout --json` field shape. */
function fieldValue(f: Field): Value {
  return { path: f.path, type: f.member.cType, bitOffset: f.bitOffset, bitSize: f.member.bitSize, ...(f.member.bitfield ? { bitfield: true } : {}) };
}

/** How a value of the type is stored, as far as the bytes say (typedef names and enum-ness left out). */
function representation(p: ProgramFacts, t: TypeFacts): string {
  switch (t.k) {
    case 'int': return `i${t.bytes}${t.signed ? 's' : 'u'}${t.order[0]}`;
    case 'enum': return `i${t.bytes}${t.signed ? 's' : 'u'}${t.order[0]}`;
    case 'bool': return `b${t.bytes}`;
    case 'pointer': return `p${t.bytes}${t.order[0]}${t.function ? 'f' : ''}`;
    case 'float': return `f${t.bytes}${t.format}${t.order[0]}`;
    case 'complex': return `c${t.bytes}${representation(p, t.part)}`;
    case 'array': return `a${t.length ?? ''}x${t.stride}[${representation(p, t.of)}]`;
    // a named record by its name; an untagged one by its shape (its members are compared one by one anyway)
    case 'record': { const r = p.records[t.id]; return r?.name ? `r${r.name}` : `r(${r?.kind} ${r?.size} ${r?.align})`; }
    case 'opaque': return `o${t.bytes}`;
  }
}

/** A pointer type's spelling without qualifiers (`const char *` and `char *` point to the same bytes). */
const unqualified = (s: string) => s.replace(/\b(const|volatile|restrict|__restrict|__restrict__)\b/g, '').replace(/\s+/g, '');
/** The element type of an array's spelling (`char[16]` -> `char`). */
const elementType = (s: string) => s.replace(/(\[\d*\])+$/, '');

/** Sorted, merged intervals. */
function merge(xs: Interval[]): Interval[] {
  const s = xs.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b); else out.push([a, b]);
  }
  return out;
}

/** Whether [a, b) lies within the union of `xs` (merged, sorted): the last interval starting at or before `a`. */
function within(xs: readonly Interval[], a: number, b: number): boolean {
  if (b <= a) return true;
  let lo = 0;
  let hi = xs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]![0] <= a) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found >= 0 && b <= xs[found]![1];
}

const range = (f: Field): Interval => [f.bitOffset, f.bitOffset + f.member.bitSize];

/** The record is reached through a size member (README): an integer member named like one among its first four, and
 * no record of either side holds it by value. */
function sizeMember(r: RecordFacts, old: Snapshot, now: Snapshot, name: string): MemberFacts | null {
  if (old.embedded.has(name) || now.embedded.has(name)) return null;
  return r.members.slice(0, 4).find((m) => !m.bitfield && (m.type.k === 'int' || m.type.k === 'enum') && SIZE_MEMBER.test(m.name)) ?? null;
}

class Collector {
  readonly out: TargetChange[] = [];
  push(kind: ChangeKind, cls: ChangeClass, names: { record?: string; member?: string; enum?: string; constant?: string },
    old: Value, now: Value, message: string, where: Where | null, tier: number, index: number): void {
    this.out.push({ kind, class: cls, ...names, old, new: now, message, where, tier, index });
  }
}

/** Every change between the two sides of one target, records first, then enums, then constants. */
export function compareSnapshots(old: Snapshot, now: Snapshot): TargetChange[] {
  const c = new Collector();
  for (const [name, o] of old.records) {
    const n = now.records.get(name);
    if (!n) {
      const r = o.record;
      c.push('record-removed', 'breaking', { record: name }, { kind: r.kind, size: r.size, align: r.align }, null,
        `${title(r, name)} removed (it was ${r.size} byte${r.size === 1 ? '' : 's'}, in ${r.pos.file})`, { side: 'old', pos: r.pos }, 0, -1);
      continue;
    }
    compareRecord(c, name, o, n, old, now);
  }
  for (const [name, n] of now.records) {
    if (old.records.has(name)) continue;
    const r = n.record;
    c.push('record-added', 'compatible', { record: name }, null, { kind: r.kind, size: r.size, align: r.align },
      `${title(r, name)} added (${r.size} byte${r.size === 1 ? '' : 's'}, align ${r.align})`, { side: 'new', pos: r.pos }, 0, -1);
  }
  compareEnums(c, old, now);
  compareConstants(c, old, now);
  return c.out;
}

function compareRecord(c: Collector, name: string, o: RecordEntry, n: RecordEntry, old: Snapshot, now: Snapshot): void {
  const ro = o.record;
  const rn = n.record;
  const what = title(rn, name);
  const oldBy = new Map(o.fields.map((f) => [f.path, f]));
  const newBy = new Map(n.fields.map((f) => [f.path, f]));
  const newIndex = new Map(n.fields.map((f, i) => [f.path, i]));
  const wNew = (f: Field): Where => ({ side: 'new', pos: f.member.pos });
  const wOld = (f: Field): Where => ({ side: 'old', pos: f.member.pos });

  // pairs of old and new members: same path, or renamed (same place, type and parent), or a member of a renamed one
  const renamedPrefixes: Array<[string, string]> = [];
  const translate = (p: string) => {
    for (const [from, to] of renamedPrefixes) {
      if (p === from) return to;
      if (p.startsWith(`${from}.`)) return to + p.slice(from.length);
    }
    return p;
  };
  const used = new Set<string>();
  const pairs: Array<{ f: Field; g: Field; renamed: boolean }> = [];
  const removed: Array<{ f: Field; index: number }> = [];
  // candidates for a rename: new members whose path the old record does not have, by parent, place and type
  const slot = (parent: string, x: Field) => JSON.stringify([parent, x.bitOffset, x.member.bitSize, x.member.cType, !!x.member.bitfield]);
  const fresh = new Map<string, Field[]>();
  for (const x of n.fields) if (!oldBy.has(x.path)) (fresh.get(slot(parentOf(x.path), x)) ?? fresh.set(slot(parentOf(x.path), x), []).get(slot(parentOf(x.path), x))!).push(x);
  const pairedNewIndex: Array<number | null> = o.fields.map(() => null);
  o.fields.forEach((f, i) => {
    const t = translate(f.path);
    const same = newBy.get(t);
    if (same && !used.has(t)) { used.add(t); pairs.push({ f, g: same, renamed: false }); pairedNewIndex[i] = newIndex.get(t)!; return; }
    const g = (fresh.get(slot(translate(parentOf(f.path)), f)) ?? []).find((x) => !used.has(x.path));
    if (g) {
      used.add(g.path);
      renamedPrefixes.unshift([f.path, g.path]);
      pairs.push({ f, g, renamed: true });
      pairedNewIndex[i] = newIndex.get(g.path)!;
      return;
    }
    removed.push({ f, index: i });
  });
  // a removed member's place in the report: just before the next member that stayed
  const nextKept: number[] = new Array<number>(o.fields.length + 1);
  nextKept[o.fields.length] = n.fields.length + 0.5;
  for (let j = o.fields.length - 1; j >= 0; j--) nextKept[j] = pairedNewIndex[j] ?? nextKept[j + 1]!;
  const placeOfRemoved = (i: number) => nextKept[i + 1]! - 0.5 + i / (o.fields.length + 1) / 2;

  // the old record's bits no member holds, and the bits of its reserved members
  const oldSize = ro.size * 8;
  const leaves = o.fields.filter((f) => f.leaf);
  const held = merge(leaves.map(range));
  const free: Interval[] = [];
  let at = 0;
  for (const [a, b] of held) { if (a > at) free.push([at, Math.min(a, oldSize)]); at = Math.max(at, b); }
  if (at < oldSize) free.push([at, oldSize]);
  const reservedLeaves = leaves.filter((f) => RESERVED.test(lastName(f.path)));
  const spare = merge([...free, ...reservedLeaves.map(range)]);
  const overlaidBits = merge(leaves.filter((f) => f.member.overlaid).map(range));
  const sized = sizeMember(rn, old, now, name);

  let breakingMembers = false;
  const push = (kind: ChangeKind, cls: ChangeClass, member: string, oldV: Value, newV: Value, message: string, where: Where, tier: number, index: number) => {
    if (cls === 'breaking') breakingMembers = true;
    c.push(kind, cls, { record: name, member }, oldV, newV, `${what}: ${message}`, where, tier, index);
  };

  for (const { f, index } of removed) {
    const reserved = RESERVED.test(lastName(f.path));
    push('member-removed', reserved ? 'compatible' : 'breaking', f.path, fieldValue(f), null,
      `${reserved ? 'reserved ' : ''}member '${f.path}' (${f.member.cType}, at ${byteOf(f.bitOffset)}) removed`, wOld(f), 1, placeOfRemoved(index));
  }

  for (const { f, g, renamed } of pairs) {
    const idx = newIndex.get(g.path)!;
    const reserved = RESERVED.test(lastName(f.path));
    if (renamed) {
      push('member-renamed', 'source-only', g.path, f.path, g.path, `member '${f.path}' renamed to '${g.path}' (same place and type)`, wNew(g), 1, idx);
    }
    const fm = f.member;
    const gm = g.member;
    const typeChange = (): [ChangeKind, ChangeClass, string] | null => {
      if (!!fm.bitfield !== !!gm.bitfield) {
        return ['member-retyped', 'breaking', gm.bitfield ? `became a bit-field ('${fm.cType}' to '${gm.cType} : ${gm.bitSize}')` : `is no longer a bit-field ('${fm.cType} : ${fm.bitSize}' to '${gm.cType}')`];
      }
      if (fm.bitfield && gm.bitfield) {
        if (fm.bitfield.width !== gm.bitfield.width) return ['member-resized', 'breaking', `(bit-field) changed width from ${fm.bitfield.width} to ${gm.bitfield.width} bits`];
        if (fm.bitfield.signed !== gm.bitfield.signed) return ['member-retyped', 'breaking', `changed type from '${fm.cType}' to '${gm.cType}' (now ${gm.bitfield.signed ? 'signed' : 'unsigned'})`];
        if (fm.cType !== gm.cType) return ['member-retyped', 'source-only', `changed type from '${fm.cType}' to '${gm.cType}' (same width and signedness)`];
        return null;
      }
      const sizes = fm.bitSize === gm.bitSize ? '' : ` (${bytesText(fm.bitSize)} to ${bytesText(gm.bitSize)})`;
      if (fm.cType !== gm.cType) {
        if (fm.type.k === 'array' && gm.type.k === 'array' && elementType(fm.cType) === elementType(gm.cType)) {
          // the same elements: more or fewer of them, or (same size) the same bytes indexed another way
          return [sizes ? 'member-resized' : 'member-retyped', 'breaking', `changed from '${fm.cType}' to '${gm.cType}'${sizes || ' (the same bytes, indexed differently)'}`];
        }
        const same = fm.bitSize === gm.bitSize && representation(o.program, fm.type) === representation(n.program, gm.type) &&
          (fm.type.k !== 'pointer' || unqualified(fm.cType) === unqualified(gm.cType));
        return ['member-retyped', same ? 'source-only' : 'breaking', `changed type from '${fm.cType}' to '${gm.cType}'${same ? ' (same representation)' : sizes}`];
      }
      if (fm.bitSize !== gm.bitSize) return ['member-resized', 'breaking', `(${gm.cType}) changed size from ${bytesText(fm.bitSize)} to ${bytesText(gm.bitSize)}`];
      if (representation(o.program, fm.type) !== representation(n.program, gm.type)) {
        return ['member-retyped', 'breaking', `(${gm.cType}) is stored differently: ${describe(fm.type)} before, ${describe(gm.type)} now`];
      }
      return null;
    };
    const t = typeChange();
    if (t) {
      const [kind, cls, text] = t;
      push(kind, reserved && cls === 'breaking' ? 'compatible' : cls, g.path, { type: fm.cType, bitSize: fm.bitSize }, { type: gm.cType, bitSize: gm.bitSize },
        `${reserved ? 'reserved ' : ''}member '${g.path}' ${text}`, wNew(g), 1, idx);
    }
    if (f.bitOffset !== g.bitOffset) {
      const bit = !!fm.bitfield || !!gm.bitfield;
      // a reserved member that only moved within the bytes it had gives up space; nothing read moved
      const cls: ChangeClass = reserved && within([range(f)], g.bitOffset, g.bitOffset + gm.bitSize) ? 'compatible' : 'breaking';
      push(bit ? 'bit-position' : 'member-moved', cls, g.path, f.bitOffset, g.bitOffset,
        bit ? `bit-field '${g.path}' moved from ${byteOf(f.bitOffset)} to ${byteOf(g.bitOffset)}` : `member '${g.path}' moved from ${byteOf(f.bitOffset)} to ${byteOf(g.bitOffset)}`,
        wNew(g), 2, idx);
    }
  }

  const paired = new Set(pairs.map((p) => p.g.path));
  // a new member sharing storage (a union's) leaves the others' bytes alone only if none of them moved
  const othersMoved = pairs.some(({ f, g }) => f.bitOffset !== g.bitOffset && !RESERVED.test(lastName(f.path)));
  const addedPaths = new Set<string>();
  for (const g of n.fields) {
    if (paired.has(g.path)) continue;
    addedPaths.add(g.path);
    const idx = newIndex.get(g.path)!;
    const [a, b] = range(g);
    const desc = `member '${g.path}' (${g.member.cType}${g.member.bitfield ? ` : ${g.member.bitSize}` : ''})`;
    const parentAdded = addedPaths.has(parentOf(g.path));
    const inOld = [a, Math.min(b, oldSize)] as const;
    if (b === a && rn.size === ro.size && a >= held.reduce((m, [, y]) => Math.max(m, y), 0)) {
      push('member-added', 'compatible', g.path, null, fieldValue(g), `${desc} added at the end as a flexible array member (the size is unchanged)`, wNew(g), 1, idx);
    } else if (b <= oldSize && b > a && within(spare, a, b)) {
      const takes = reservedLeaves.filter((r) => r.bitOffset < b && r.bitOffset + r.member.bitSize > a).map((r) => `'${r.path}'`);
      push('padding-filled', 'compatible', g.path, null, fieldValue(g),
        `${desc} fills former ${takes.length ? `reserved ${takes.length === 1 ? 'member' : 'members'} ${takes.join(', ')}` : 'padding'} at ${byteOf(a)}`, wNew(g), 1, idx);
    } else if (b <= oldSize && g.member.overlaid && !othersMoved && within(merge([...spare, ...overlaidBits]), a, b)) {
      push('member-added', 'compatible', g.path, null, fieldValue(g), `${desc} added at ${byteOf(a)}, sharing storage within the old size`, wNew(g), 1, idx);
    } else if (a >= oldSize || (b > oldSize && within(spare, inOld[0], inOld[1]))) {
      if (sized && !parentAdded) {
        push('member-added', 'compatible', g.path, null, fieldValue(g),
          `${desc} appended at ${byteOf(a)}, past the old end (${ro.size} bytes) of a record its users size through '${sized.name}'`, wNew(g), 1, idx);
      } else {
        push('member-added', 'breaking', g.path, null, fieldValue(g),
          `${desc} appended at ${byteOf(a)}, past the old end (${ro.size} byte${ro.size === 1 ? '' : 's'})${parentAdded ? '' : ': the record grows, which breaks it where it is used by value or in arrays (no size member marks it extensible)'}`, wNew(g), 1, idx);
      }
    } else {
      push('member-added', 'breaking', g.path, null, fieldValue(g), `${desc} inserted at ${byteOf(a)}, where existing members were`, wNew(g), 1, idx);
    }
  }

  const rw: Where = { side: 'new', pos: rn.pos };
  if (ro.kind !== rn.kind) {
    c.push('record-kind', 'breaking', { record: name }, ro.kind, rn.kind, `${what}: changed from ${ro.kind} to ${rn.kind}`, rw, 3, n.fields.length);
    breakingMembers = true;
  }
  // growth of a record its users size themselves is compatible, as long as nothing they already read moved
  const extensible = sized !== null && !breakingMembers;
  if (ro.size !== rn.size) {
    const cls: ChangeClass = extensible && rn.size > ro.size ? 'compatible' : 'breaking';
    c.push('record-size', cls, { record: name }, ro.size, rn.size, `${what}: size changed from ${ro.size} to ${rn.size} bytes${cls === 'compatible' ? ` (its users pass the size in '${sized!.name}')` : ''}`, rw, 3, n.fields.length + 1);
  }
  if (ro.align !== rn.align) {
    const cls: ChangeClass = extensible && rn.align > ro.align ? 'compatible' : 'breaking';
    c.push('record-align', cls, { record: name }, ro.align, rn.align, `${what}: alignment changed from ${ro.align} to ${rn.align}`, rw, 3, n.fields.length + 2);
  }
}

function describe(t: TypeFacts): string {
  switch (t.k) {
    case 'int': case 'enum': return `a ${t.bytes * 8}-bit ${t.signed ? 'signed' : 'unsigned'}${t.k === 'enum' ? ' enum' : ''} integer${t.bytes > 1 ? `, ${t.order} endian` : ''}`;
    case 'bool': return 'a boolean';
    case 'pointer': return `a ${t.bytes * 8}-bit ${t.function ? 'function ' : ''}pointer`;
    case 'float': return `a ${t.format} float${t.bytes > 1 ? `, ${t.order} endian` : ''}`;
    case 'complex': return `a complex of ${describe(t.part)}`;
    case 'array': return `an array of ${t.length ?? 'flexible'} x ${describe(t.of)}`;
    case 'record': return 'a record';
    case 'opaque': return `${t.bytes} opaque bytes`;
  }
}

function compareEnums(c: Collector, old: Snapshot, now: Snapshot): void {
  for (const [name, o] of old.enums) {
    const n = now.enums.get(name);
    const e = o.facts;
    if (!n) {
      c.push('enum-removed', 'breaking', { enum: name }, { bytes: e.bytes, enumerators: e.values.length }, null,
        `enum ${name} removed (it had ${e.values.length} enumerator${e.values.length === 1 ? '' : 's'})`, { side: 'old', pos: e.pos }, 0, -1);
      continue;
    }
    const f = n.facts;
    const ew: Where = { side: 'new', pos: f.pos };
    if (e.bytes !== f.bytes) c.push('enum-size', 'breaking', { enum: name }, e.bytes, f.bytes, `enum ${name}: size changed from ${e.bytes} to ${f.bytes} bytes`, ew, 0, -1);
    const was = new Map(e.values.map((v) => [v.name, v]));
    const is = new Map(f.values.map((v) => [v.name, v]));
    const gone = e.values.filter((v) => !is.has(v.name));
    const fresh = f.values.filter((v) => !was.has(v.name));
    const count = (xs: readonly { value: string }[], v: string) => xs.filter((x) => x.value === v).length;
    const renamedTo = new Map<string, string>();
    for (const v of gone) {
      // a rename: the one enumerator of that value that went, the one that came, and no other with it
      if (count(gone, v.value) !== 1 || count(fresh, v.value) !== 1 || f.values.some((x) => x.value === v.value && was.has(x.name))) continue;
      renamedTo.set(v.name, fresh.find((x) => x.value === v.value)!.name);
    }
    const renamedFrom = new Set(renamedTo.values());
    const index = (k: string) => f.values.findIndex((v) => v.name === k);
    e.values.forEach((v, i) => {
      const to = renamedTo.get(v.name);
      if (to !== undefined) {
        c.push('enumerator-renamed', 'source-only', { enum: name, constant: to }, v.name, to, `enum ${name}: enumerator ${v.name} renamed to ${to} (same value ${v.value})`, { side: 'new', pos: is.get(to)!.pos }, 1, index(to));
      } else if (!is.has(v.name)) {
        c.push('enumerator-removed', 'breaking', { enum: name, constant: v.name }, v.value, null, `enum ${name}: enumerator ${v.name} = ${v.value} removed`, { side: 'old', pos: v.pos }, 1, i - 0.5);
      } else if (is.get(v.name)!.value !== v.value) {
        const w = is.get(v.name)!;
        c.push('enumerator-changed', 'breaking', { enum: name, constant: v.name }, v.value, w.value, `enum ${name}: enumerator ${v.name} changed from ${v.value} to ${w.value}`, { side: 'new', pos: w.pos }, 1, index(v.name));
      }
    });
    for (const v of fresh) {
      if (renamedFrom.has(v.name)) continue;
      c.push('enumerator-added', 'compatible', { enum: name, constant: v.name }, null, v.value, `enum ${name}: enumerator ${v.name} = ${v.value} added`, { side: 'new', pos: v.pos }, 1, index(v.name));
    }
  }
  for (const [name, n] of now.enums) {
    if (old.enums.has(name)) continue;
    const f = n.facts;
    c.push('enum-added', 'compatible', { enum: name }, null, { bytes: f.bytes, enumerators: f.values.length },
      `enum ${name} added (${f.values.length} enumerator${f.values.length === 1 ? '' : 's'})`, { side: 'new', pos: f.pos }, 0, -1);
  }
}

function compareConstants(c: Collector, old: Snapshot, now: Snapshot): void {
  const shown = (k: { value: string; body: string }) => (k.body.trim() === k.value ? k.value : `${k.body.trim()} (= ${k.value})`);
  for (const [name, o] of old.constants) {
    const n = now.constants.get(name);
    if (!n) {
      c.push('constant-removed', 'breaking', { constant: name }, o.value, null, `constant ${name} = ${shown(o)} removed`, { side: 'old', pos: o.pos }, 1, -1);
    } else if (n.value !== o.value) {
      c.push('constant-changed', 'breaking', { constant: name }, o.value, n.value, `constant ${name} changed from ${shown(o)} to ${shown(n)}`, { side: 'new', pos: n.pos }, 1, -1);
    }
  }
  for (const [name, n] of now.constants) {
    if (!old.constants.has(name)) c.push('constant-added', 'compatible', { constant: name }, null, n.value, `constant ${name} = ${shown(n)} added`, { side: 'new', pos: n.pos }, 1, -1);
  }
}

/** Names in the order of their definitions on one side: files in the order the side met them, then line, column. */
function sideOrder<T>(entries: Iterable<readonly [string, T]>, pos: (x: T) => SourcePos): string[] {
  const list = [...entries];
  const fileRank = new Map<string, number>();
  for (const [, v] of list) { const f = pos(v).file; if (!fileRank.has(f)) fileRank.set(f, fileRank.size); }
  return list.sort(([, a], [, b]) => {
    const pa = pos(a);
    const pb = pos(b);
    return fileRank.get(pa.file)! - fileRank.get(pb.file)! || pa.line - pb.line || pa.col - pb.col;
  }).map(([k]) => k);
}

/** The new side's order, with what only the old side has placed after what preceded it there. */
function mergeOrder(now: readonly string[], old: readonly string[]): string[] {
  const inNew = new Set(now);
  const after = new Map<string | null, string[]>();
  let anchor: string | null = null;
  for (const k of old) {
    if (inNew.has(k)) { anchor = k; continue; }
    (after.get(anchor) ?? after.set(anchor, []).get(anchor)!).push(k);
  }
  return [...(after.get(null) ?? []), ...now.flatMap((k) => [k, ...(after.get(k) ?? [])])];
}

/**
 * The order of records, enums and constants in the report: records in the order the headers define them (what only
 * the old version has, where it was), but a record after the records it holds by value (so a cause comes before its
 * echoes in the records that hold it), then enums, then constants. Keys: `r:NAME`, `e:NAME`, `c:NAME`.
 */
export function entityOrder(pairs: ReadonlyArray<{ readonly old: Snapshot; readonly new: Snapshot }>): Map<string, number> {
  const names = (pick: (s: Snapshot) => string[]) => {
    const seen = new Set<string>();
    for (const p of pairs) for (const k of mergeOrder(pick(p.new), pick(p.old))) seen.add(k);
    return [...seen];
  };
  const recs = new Map<string, RecordEntry>();
  for (const p of pairs) for (const s of [p.new, p.old]) for (const [k, v] of s.records) if (!recs.has(k)) recs.set(k, v);
  const order = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (order.has(`r:${name}`) || visiting.has(name)) return;
    visiting.add(name);
    const e = recs.get(name)!;
    for (const f of e.fields) {
      const inner = recordOf(e.program, f.member.type);
      if (inner?.name && inner.name !== name && recs.has(inner.name)) visit(inner.name);
    }
    order.set(`r:${name}`, order.size);
  };
  for (const name of names((s) => sideOrder(s.records, (e) => e.record.pos))) visit(name);
  for (const name of names((s) => sideOrder(s.enums, (e) => e.facts.pos))) order.set(`e:${name}`, order.size);
  for (const name of names((s) => sideOrder(s.constants, (c) => c.pos))) order.set(`c:${name}`, order.size);
  return order;
}
