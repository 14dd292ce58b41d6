// What a picture of a record shows, as plain data computed from the layout facts: every member at every depth as a
// box over the bits it holds (bit-fields as sub-byte boxes), nested records and unions as frames around their
// members, arrays as one box with element dividers, a union's members side by side in lanes of the row band, and
// the unused bits (holes, tail padding) as padding boxes. No arithmetic on layouts: offsets, sizes and padding are
// the facts'; this only places them. Pure: no Node built-ins (it also runs in a browser).

import type { MemberFacts, ProgramFacts, RecordFacts } from '../layout/facts.js';
import { arrayElement } from '../layout/walk.js';

/** A record to draw, with the translation unit that describes it (its nested records and enums). */
export interface RecordItem {
  readonly program: ProgramFacts;
  readonly record: RecordFacts;
}

export type BoxKind = 'member' | 'bitfield' | 'array' | 'flex' | 'record' | 'union' | 'padding';

export interface Box {
  readonly kind: BoxKind;
  /** C access path from the outermost record (`time.tv_sec`); '' for padding. */
  readonly path: string;
  /** The member's own name (the last part of the path); for padding `hole` or `padding`. */
  readonly name: string;
  /** The declared type as written (`uint16_t`, `char[16]`, `struct timeval`); for padding its size. */
  readonly cType: string;
  /** From the start of the outermost record. */
  readonly bitOffset: number;
  readonly bitSize: number;
  readonly depth: number;
  /** The band of the row this box takes, as fractions of the row height: [top, height]. 1 lane: [0, 1]. */
  readonly lane: readonly [number, number];
  /** Index of the top-level member it belongs to (colour), -1 for padding. */
  readonly group: number;
  /** Arrays: element count and stride in bits (dividers); null otherwise. */
  readonly elements: { readonly count: number; readonly strideBits: number } | null;
  readonly doc: string | null;
}

export interface RecordPicture {
  readonly record: RecordFacts;
  /** Bytes a row shows: 8 for records aligned to 8 or more, else 4. */
  readonly rowBytes: 4 | 8;
  readonly rows: number;
  /** Padding, then members, then frames over them (outer before inner): the order to draw them in. */
  readonly boxes: readonly Box[];
  readonly summary: RecordSummary;
}

export interface RecordSummary {
  readonly members: number;
  readonly holes: number;
  readonly holeBits: number;
  readonly tailBits: number;
  /** Bits held by some member (size minus holes and tail at every depth). */
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

export function pictureOf(p: ProgramFacts, rec: RecordFacts): RecordPicture {
  const rowBytes: 4 | 8 = rec.align >= 8 ? 8 : 4;
  const frames: Box[] = [];
  const leaves: Box[] = [];
  const pads: Box[] = [];
  let usedPad = 0;
  const addGaps = (r: RecordFacts, base: number, lane: readonly [number, number], depth: number) => {
    for (const g of r.gaps) {
      usedPad += g.bitSize;
      pads.push({
        kind: 'padding', path: '', name: g.kind === 'tail' ? 'padding' : 'hole', cType: fmtBits(g.bitSize),
        bitOffset: base + g.bitOffset, bitSize: g.bitSize, depth, lane, group: -1, elements: null, doc: null,
      });
    }
  };
  // iterative: nesting can be deep
  const stack: Array<{ r: RecordFacts; base: number; prefix: string; lane: readonly [number, number]; depth: number; group: number }> = [
    { r: rec, base: 0, prefix: '', lane: [0, 1], depth: 0, group: -1 },
  ];
  while (stack.length) {
    const top = stack.shift()!;
    const { r, base, prefix, depth } = top;
    addGaps(r, base, top.lane, depth);
    const lanes = laneOf(r.members);
    r.members.forEach((m, i) => {
      const [lt, lh] = lanes[i]!;
      const lane: [number, number] = [top.lane[0] + lt * top.lane[1], lh * top.lane[1]];
      const path = prefix + m.name;
      const group = depth === 0 ? i : top.group;
      const at = base + m.bitOffset;
      const common = { path, name: m.name, cType: m.cType, bitOffset: at, bitSize: m.bitSize, depth, lane, group, doc: m.doc };
      if (m.bitfield) { leaves.push({ ...common, kind: 'bitfield', elements: null }); return; }
      if (m.type.k === 'array') {
        const { dims } = arrayElement(m.type);
        if (m.bitSize === 0 || dims.includes(null)) { leaves.push({ ...common, kind: 'flex', elements: null }); return; }
        leaves.push({ ...common, kind: 'array', elements: { count: m.type.length ?? 0, strideBits: m.type.stride * 8 } });
        return;
      }
      if (m.type.k === 'record') {
        const inner = p.records[m.type.id];
        if (inner) {
          frames.push({ ...common, kind: inner.kind === 'union' ? 'union' : 'record', elements: null });
          stack.push({ r: inner, base: at, prefix: `${path}.`, lane, depth: depth + 1, group });
          return;
        }
      }
      leaves.push({ ...common, kind: 'member', elements: null });
    });
  }
  const holes = rec.padding.filter((g) => g.kind === 'hole');
  const tail = rec.padding.filter((g) => g.kind === 'tail').reduce((s, g) => s + g.bitSize, 0);
  return {
    record: rec, rowBytes, rows: Math.max(1, Math.ceil(rec.size / rowBytes)),
    boxes: [...pads, ...leaves, ...frames],
    summary: {
      members: rec.members.length, holes: holes.length, holeBits: holes.reduce((s, g) => s + g.bitSize, 0), tailBits: tail,
      usedBits: rec.size * 8 - usedPad,
    },
  };
}

/**
 * Lanes of members that share storage (a union's members, members promoted from an anonymous union): members whose
 * bits overlap go side by side, each in its own lane of the band; members that do not overlap any other take the
 * whole band. Greedy colouring of the overlap intervals, one cluster of overlapping members at a time.
 */
function laneOf(ms: readonly MemberFacts[]): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = ms.map(() => [0, 1] as const);
  const ends = ms.map((m) => m.bitOffset + Math.max(m.bitSize, 1));
  const idx = ms.map((_, i) => i).filter((i) => ms[i]!.overlaid).sort((a, b) => ms[a]!.bitOffset - ms[b]!.bitOffset || a - b);
  let k = 0;
  while (k < idx.length) {
    // one cluster: members overlapping, transitively
    let end = ends[idx[k]!]!;
    let j = k + 1;
    while (j < idx.length && ms[idx[j]!]!.bitOffset < end) { end = Math.max(end, ends[idx[j]!]!); j++; }
    const cluster = idx.slice(k, j).sort((a, b) => a - b); // declaration order picks lanes
    const laneEnds: Array<Array<[number, number]>> = [];
    const assigned = new Map<number, number>();
    for (const i of cluster) {
      const a = ms[i]!.bitOffset;
      const b = ends[i]!;
      let lane = laneEnds.findIndex((spans) => spans.every(([x, y]) => b <= x || a >= y));
      if (lane < 0) { lane = laneEnds.length; laneEnds.push([]); }
      laneEnds[lane]!.push([a, b]);
      assigned.set(i, lane);
    }
    const n = laneEnds.length;
    for (const [i, lane] of assigned) out[i] = n === 1 ? [0, 1] : [lane / n, 1 / n];
    k = j;
  }
  return out;
}
