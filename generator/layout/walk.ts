// Deep views of the layout facts, computed here and nowhere else: every named member at every depth with its C
// access path (the `layout --json` field list, the lock file, verify's checks), and the bytes of a record that no
// member always writes (what encode zeroes in a reused buffer). Walks are iterative: nesting can be deep.

import type { MemberFacts, ProgramFacts, RecordFacts, TypeFacts } from './facts.js';

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
  const stack: Array<{ r: RecordFacts; i: number; base: number; prefix: string; depth: number }> = [{ r: rec, i: 0, base: 0, prefix: '', depth: 0 }];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.r.members.length) { stack.pop(); continue; }
    const m = top.r.members[top.i++]!;
    const path = top.prefix + m.name;
    const bitOffset = top.base + m.bitOffset;
    yield { path, member: m, bitOffset, depth: top.depth };
    if (m.type.k === 'record' && !m.bitfield) {
      const inner = p.records[m.type.id];
      if (inner) stack.push({ r: inner, i: 0, base: bitOffset, prefix: `${path}.`, depth: top.depth + 1 });
    }
  }
}

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

/**
 * Byte runs `[offset, length]` of a record that encode must zero in a reused buffer: every byte holding a bit that
 * no member is always written to. Padding at every depth counts, and so does storage members share (a union's
 * members are optional in what encode takes). A flexible array's elements are not included (encode sizes them).
 * Returns null when there would be more than `limit` runs (zeroing the whole record is then simpler).
 */
export function zeroRuns(p: ProgramFacts, rec: RecordFacts, limit = 64): Array<readonly [number, number]> | null {
  const covered: Array<[number, number]> = [];
  const maxWork = limit * 64; // records visited and intervals kept, before giving up on a list
  let work = 0;
  const stack: Array<{ r: RecordFacts; base: number }> = [{ r: rec, base: 0 }];
  while (stack.length) {
    const { r, base } = stack.pop()!;
    for (const m of r.members) {
      if (m.overlaid) continue;
      const at = base + m.bitOffset;
      if (m.bitfield) { covered.push([at, at + m.bitfield.width]); continue; }
      const { elem, count, dims } = arrayElement(m.type);
      if (dims.includes(null)) continue;
      if (elem.k !== 'record') { if (m.bitSize > 0) covered.push([at, at + m.bitSize]); continue; }
      const inner = p.records[elem.id];
      if (!inner) continue;
      const stride = inner.size * 8;
      for (let i = 0; i < count; i++) {
        if (++work > maxWork) return null;
        stack.push({ r: inner, base: at + i * stride });
      }
    }
    if (covered.length > maxWork) return null;
  }
  covered.sort((a, b) => a[0] - b[0]);
  const runs: Array<[number, number]> = [];
  const zero = (from: number, to: number) => {
    const a = Math.floor(from / 8);
    const b = Math.ceil(to / 8);
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] >= a) last[1] = Math.max(last[1], b - last[0]);
    else runs.push([a, b - a]);
  };
  let cursor = 0;
  for (const [a, b] of covered) {
    if (a > cursor) zero(cursor, a);
    cursor = Math.max(cursor, b);
  }
  if (cursor < rec.size * 8) zero(cursor, rec.size * 8);
  return runs.length > limit ? null : runs;
}
