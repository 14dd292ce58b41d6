// What a picture of a record shows, as plain data computed from the layout facts through the one walk
// (layout/walk.ts): every member at every depth as a box over the bits it holds (bit-fields as sub-byte boxes),
// nested records and anonymous members as frames around their members, arrays as one box with element dividers,
// and the unused bits (holes, tail padding) as padding boxes. A union's alternatives (its members, or the anonymous
// structs it holds) go side by side in lanes of the row band when the union lies within one row and has at most
// four (each lane then a full row high); any other union is drawn as one box, and each alternative as its own
// panel (an `Area`) under the record's grid. No arithmetic on layouts: offsets, sizes and padding are the facts';
// this only places them. Linear in the number of members. Pure: no Node built-ins (it also runs in a browser).

import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import { arrayElement, slotContents, walk, type ContainerEntry, type WalkEntry } from '../layout/walk.js';

/** A record to draw, with the translation unit that describes it (its nested records and enums). */
export interface RecordItem {
  readonly program: ProgramFacts;
  readonly record: RecordFacts;
}

export type BoxKind = 'member' | 'bitfield' | 'array' | 'flex' | 'record' | 'union' | 'padding';

export interface Box {
  readonly kind: BoxKind;
  /** C access path from the outermost record (`time.tv_sec`); '' for padding and anonymous members. */
  readonly path: string;
  /** The member's own name; `hole` or `padding` for padding; `(anonymous struct)` for an anonymous member. */
  readonly name: string;
  /** The declared type as written (`uint16_t`, `char[16]`, `struct timeval`); for padding its size. */
  readonly cType: string;
  /** From the start of the outermost record. */
  readonly bitOffset: number;
  readonly bitSize: number;
  /** Named records entered above it (0 for the outermost record's own members). */
  readonly depth: number;
  /** The band of the row this box takes, as fractions of the row height: [top, height]. 1 lane: [0, 1]. */
  readonly lane: readonly [number, number];
  /** Index of the top-level member it belongs to (colour), -1 for padding and frames of the top level. */
  readonly group: number;
  /** Arrays: element count and stride in bits (dividers); null otherwise. */
  readonly elements: { readonly count: number; readonly strideBits: number } | null;
  readonly doc: string | null;
  /** A frame of an anonymous struct/union member (its members are accessed as the holder's). */
  readonly anonymous: boolean;
  /** A union drawn as one box whose alternatives are panels (`RecordPicture.areas`): how many; 0 otherwise. */
  readonly alternatives: number;
}

/** A byte grid: the record's own (`title` null), or a panel showing one alternative of a union. */
export interface Area {
  /** null for the record's grid; for a panel, what it shows: `alternative 2 of 19 of union bpf_attr: ...`. */
  readonly title: string | null;
  /** The bits of the outermost record this grid covers, [from, to): the whole record, or the union's storage. */
  readonly from: number;
  readonly to: number;
  /** Where the alternative ends (bits after it, up to `to`, are not its); `to` for the record's grid. */
  readonly used: number;
  /** The union whose alternative a panel shows: its access path ('' for the outermost record or an anonymous
   * union), and the alternative's number (1-based) and count. */
  readonly union: { readonly path: string; readonly index: number; readonly of: number } | null;
  /** Padding, then members, then frames over them (outer before inner): the order to draw them in. */
  readonly boxes: readonly Box[];
}

export interface RecordPicture {
  readonly record: RecordFacts;
  /** Bytes a row shows: 8 for records aligned to 8 or more, else 4. */
  readonly rowBytes: 4 | 8;
  /** The record's grid first (absent when the record is a union drawn as panels), then the panels. */
  readonly areas: readonly Area[];
  readonly summary: RecordSummary;
}

export interface RecordSummary {
  readonly members: number;
  readonly holes: number;
  readonly holeBits: number;
  readonly tailBits: number;
  /** Bits held by some member (size minus the padding of the record and of its nested records outside unions,
   * and of unions past all their alternatives). */
  readonly usedBits: number;
}

/** The kind and name a record is titled with: `struct ipv4_header`, or the typedef naming an untagged one. */
export function recordTitle(r: RecordFacts): string {
  return r.tag ? `${r.kind} ${r.tag}` : r.name ? `${r.kind} ${r.name}` : r.cName;
}

/** Sizes as people read them: `3 bytes`, `5 bits`, `1 byte 3 bits`. */
export function fmtBits(bits: number): string {
  if (bits % 8 === 0) return `${bits / 8} byte${bits === 8 ? '' : 's'}`;
  if (bits < 8) return `${bits} bit${bits === 1 ? '' : 's'}`;
  return `${Math.floor(bits / 8)} byte${bits < 16 ? '' : 's'} ${bits % 8} bit${bits % 8 === 1 ? '' : 's'}`;
}

/** Most lanes a row band is split into; a union with more alternatives (or nested deeper) gets panels. */
export const MAX_LANES = 4;

/**
 * Whether a view goes into a nested record: always while the view is small (`free` entries of the walk), then
 * each record type at most `repeat` more times; past that a nested record is one box (or cell). Nesting that
 * multiplies (a struct of two structs of two structs ...) cannot make a view grow beyond about `free` + `repeat`
 * times the members of the record types it holds.
 */
export function nestingBudget(free = 10_000, repeat = 16): { tick(): void; enter(r: RecordFacts | null): boolean } {
  let seen = 0;
  const times = new Map<number, number>();
  return {
    tick: () => { seen++; },
    enter: (r) => {
      if (!r) return false;
      const n = times.get(r.id) ?? 0;
      if (seen >= free && n >= repeat) return false;
      times.set(r.id, n + 1);
      return true;
    },
  };
}

type Lane = readonly [number, number];

/** Where the entries inside a container go. */
interface Ctx {
  readonly area: number;
  readonly lane: Lane;
  readonly group: number;
  /** Padding of this container counts in the summary (no union above it). */
  readonly countable: boolean;
  /** The named record (or the outermost) whose gaps cover the bits of this container's members. */
  readonly holder: HolderState;
  /** Set when the container is a union: how its alternatives are drawn. */
  readonly union: UnionState | null;
  /** An anonymous struct that is a union's alternative in a lane or panel: its own holes are drawn there. */
  readonly ownGaps: boolean;
  /** Made for a union's alternative (its lane or panel). */
  readonly alt: boolean;
}

interface UnionState {
  readonly mode: 'plain' | 'lanes' | 'panels';
  readonly n: number;
  next: number;
  /** Absolute start, size and the end of its longest alternative (bits). */
  readonly base: number;
  readonly size: number;
  readonly altEnd: number;
  /** How panels name it. */
  readonly label: string;
  readonly path: string;
}

interface HolderState {
  /** Gaps of a named record, drawn once the anonymous unions inside it are known (their bits are drawn per
   * alternative instead). */
  readonly gaps: Array<{ box: Box; area: number }>;
  readonly anonUnions: Array<readonly [number, number]>;
}

const alternativesOf = (p: ProgramFacts, u: RecordFacts): number => {
  const s = slotContents(p, u);
  return s ? s.filter((x) => x.k !== 'unnamed').length : u.members.length;
};

/** End of a union's longest alternative, relative to the union (its slots' extents: all start at 0). */
const altExtent = (u: RecordFacts): number => u.slots.reduce((a, s) => Math.max(a, s.bitOffset + s.bitSize), 0);

const listNames = (r: RecordFacts): string => {
  const names = r.members.slice(0, 3).map((m) => m.name);
  return `${r.kind} { ${names.join(', ')}${r.members.length > 3 ? ', …' : ''} }`;
};

/** How many entries each of `n` records drawn in one view may have before nested records are no longer all
 * entered: 50,000 shared, at least 2,000 each. */
export const freeEntries = (n: number): number => Math.max(2_000, Math.floor(50_000 / Math.max(1, n)));

export function pictureOf(p: ProgramFacts, rec: RecordFacts, free = freeEntries(1)): RecordPicture {
  const rowBytes: 4 | 8 = rec.align >= 8 ? 8 : 4;
  const rowBits = rowBytes * 8;
  const areas: Array<{ area: Omit<Area, 'boxes'>; pads: Box[]; leaves: Box[]; frames: Box[] }> = [];
  const newArea = (a: Omit<Area, 'boxes'>) => { areas.push({ area: a, pads: [], leaves: [], frames: [] }); return areas.length - 1; };
  const holders: HolderState[] = [];
  const newHolder = (): HolderState => { const h: HolderState = { gaps: [], anonUnions: [] }; holders.push(h); return h; };
  let unusedBits = 0;

  const unionState = (u: RecordFacts, lane: Lane, base: number, label: string, path: string): UnionState => {
    const n = alternativesOf(p, u);
    // lanes only within one row: an alternative over several rows reads as one only in a panel of its own
    const oneRow = Math.floor(base / rowBits) === Math.floor((base + Math.max(1, u.size * 8) - 1) / rowBits);
    const mode = n <= 1 ? 'plain' : n <= MAX_LANES && oneRow && lane[1] / n >= 1 / MAX_LANES - 1e-9 ? 'lanes' : 'panels';
    return { mode, n, next: 0, base, size: u.size * 8, altEnd: base + altExtent(u), label, path };
  };

  const rootUnion = rec.kind === 'union' ? unionState(rec, [0, 1], 0, recordTitle(rec), '') : null;
  const root: Ctx = { area: -1, lane: [0, 1], group: -1, countable: true, holder: newHolder(), union: rootUnion, ownGaps: false, alt: false };
  if (rootUnion?.mode !== 'panels') {
    (root as { area: number }).area = newArea({ title: null, from: 0, to: rec.size * 8, used: rec.size * 8, union: null });
  }
  const ctxs = new Map<ContainerEntry, Ctx>();
  const ctxOf = (e: ContainerEntry | null): Ctx => (e ? ctxs.get(e) ?? root : root);

  /** The context an entry directly inside `pc` is drawn in: for a union's alternative, its lane or panel. */
  const placeIn = (pc: Ctx, e: WalkEntry): Ctx => {
    const u = pc.union;
    if (!u || u.mode === 'plain' || e.k === 'padding') return { ...pc, alt: false };
    const k = u.next++;
    if (u.mode === 'lanes') {
      return { ...pc, lane: [pc.lane[0] + (k / u.n) * pc.lane[1], pc.lane[1] / u.n], countable: false, union: null, alt: true };
    }
    let what: string;
    let end: number;
    if (e.k === 'anonymous') { what = `${listNames(e.record)} (${fmtBits(e.bitSize)})`; end = e.bitOffset + e.bitSize; }
    else if (e.k === 'member') {
      // an untagged struct or union by the members it starts with
      const type = e.record && !e.record.tag && !e.record.name ? listNames(e.record) : e.member.cType;
      what = `${e.path}: ${type} (${e.member.bitfield ? `${e.bitSize} bit${e.bitSize === 1 ? '' : 's'}` : fmtBits(e.bitSize)})`;
      end = e.bitOffset + e.bitSize;
    }
    else { what = e.path; end = e.bitOffset + e.bitSize; }
    const area = newArea({
      title: `alternative ${k + 1} of ${u.n} of ${u.label}: ${what}`, from: u.base, to: u.base + u.size, used: Math.max(u.base, Math.min(u.base + u.size, end)),
      union: { path: u.path, index: k + 1, of: u.n },
    });
    return { area, lane: [0, 1], group: pc.group, countable: false, holder: pc.holder, union: null, ownGaps: false, alt: true };
  };

  const push = (area: number, b: Box) => {
    const a = areas[area]!;
    if (b.kind === 'padding') a.pads.push(b);
    else if (b.kind === 'record' || b.kind === 'union') a.frames.push(b);
    else a.leaves.push(b);
  };

  // which records to go into is decided here (the walk asks right after the entry): within the budget
  const budget = nestingBudget(free);
  const entered = new Set<WalkEntry>();
  for (const e of walk(p, rec, { anonymous: true, padding: true, enter: (x) => entered.delete(x) })) {
    budget.tick();
    const pc = ctxOf(e.parent);
    if (e.k === 'padding') {
      const g = e.gap;
      const named = e.parent === null || e.parent.k !== 'anonymous';
      if (named && pc.countable) unusedBits += g.bitSize;
      const box: Box = {
        kind: 'padding', path: '', name: g.kind === 'tail' ? 'padding' : 'hole', cType: fmtBits(g.bitSize), bitOffset: e.bitOffset, bitSize: g.bitSize,
        depth: e.depth, lane: pc.lane, group: -1, elements: null, doc: null, anonymous: false, alternatives: 0,
      };
      if (pc.union) {
        // a union's unused bits: only those past all its alternatives (inside, each alternative shows its own)
        if (pc.union.mode !== 'panels' && e.bitOffset >= pc.union.altEnd) push(pc.area, box);
      } else if (named) {
        pc.holder.gaps.push({ box, area: pc.area });
      } else if (pc.ownGaps) {
        // an anonymous struct that is a union's alternative: its own holes, in its lane or panel
        push(pc.area, box);
      }
      continue;
    }
    const c = placeIn(pc, e);
    const group = e.depth === 0 && e.k === 'member' ? e.top : c.group;
    if (e.k === 'anonymous') {
      const u = e.record.kind === 'union';
      const label = `the anonymous union at byte ${e.bitOffset / 8}${e.prefix ? ` of ${e.prefix.slice(0, -1)}` : ''}`;
      const us = u ? unionState(e.record, c.lane, e.bitOffset, label, '') : null;
      if (u) c.holder.anonUnions.push([e.bitOffset, e.bitOffset + e.bitSize]);
      push(c.area, {
        kind: u ? 'union' : 'record', path: '', name: `(anonymous ${e.record.kind})`, cType: e.record.kind, bitOffset: e.bitOffset, bitSize: e.bitSize,
        depth: e.depth, lane: c.lane, group, elements: null, doc: e.record.doc, anonymous: true, alternatives: us?.mode === 'panels' ? us.n : 0,
      });
      ctxs.set(e, { area: c.area, lane: c.lane, group, countable: c.countable, holder: c.holder, union: us, ownGaps: c.alt && !u, alt: false });
      continue;
    }
    const m = e.member;
    const common = {
      path: e.path, name: e.k === 'member' ? m.name : e.path.slice(e.path.lastIndexOf('[')), cType: m.cType, bitOffset: e.bitOffset, bitSize: e.bitSize,
      depth: e.depth, lane: c.lane, group, doc: m.doc, anonymous: false,
    };
    if (e.k === 'member' && m.bitfield) { push(c.area, { ...common, kind: 'bitfield', elements: null, alternatives: 0 }); continue; }
    if (e.type.k === 'array') {
      const { dims } = arrayElement(e.type);
      if (e.bitSize === 0 || dims.includes(null)) { push(c.area, { ...common, kind: 'flex', elements: null, alternatives: 0 }); continue; }
      push(c.area, { ...common, kind: 'array', elements: { count: e.type.length ?? 0, strideBits: e.type.stride * 8 }, alternatives: 0 });
      continue;
    }
    if (e.record && budget.enter(e.record)) {
      entered.add(e);
      const u = e.record.kind === 'union';
      const us = u ? unionState(e.record, c.lane, e.bitOffset, e.path, e.path) : null;
      push(c.area, { ...common, kind: u ? 'union' : 'record', elements: null, alternatives: us?.mode === 'panels' ? us.n : 0 });
      ctxs.set(e, { area: c.area, lane: c.lane, group, countable: c.countable && !pc.union, holder: newHolder(), union: us, ownGaps: false, alt: false });
      continue;
    }
    push(c.area, { ...common, kind: 'member', elements: null, alternatives: 0 });
  }

  // the gaps of named records, less the bits of anonymous unions in them (drawn per alternative)
  for (const h of holders) {
    const cuts = h.anonUnions.sort((a, b) => a[0] - b[0]);
    for (const { box, area } of h.gaps) {
      let at = box.bitOffset;
      const end = box.bitOffset + box.bitSize;
      // the first cut that may reach into the gap
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (cuts[mid]![1] <= at) lo = mid + 1; else hi = mid; }
      for (let k = lo; k < cuts.length && at < end; k++) {
        const [a, b] = cuts[k]!;
        if (a >= end) break;
        if (a > at) push(area, { ...box, bitOffset: at, bitSize: a - at, cType: fmtBits(a - at) });
        at = Math.max(at, b);
      }
      if (at < end) push(area, at === box.bitOffset ? box : { ...box, bitOffset: at, bitSize: end - at, cType: fmtBits(end - at) });
    }
  }

  const holes = rec.padding.filter((g) => g.kind === 'hole');
  const tail = rec.padding.filter((g) => g.kind === 'tail').reduce((s, g) => s + g.bitSize, 0);
  return {
    record: rec, rowBytes,
    areas: areas.map((a) => ({ ...a.area, boxes: [...a.pads, ...a.leaves, ...a.frames] })),
    summary: {
      members: rec.members.length, holes: holes.length, holeBits: holes.reduce((s, g) => s + g.bitSize, 0), tailBits: tail,
      usedBits: rec.size * 8 - unusedBits,
    },
  };
}
