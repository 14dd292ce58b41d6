// Turns record layouts into the report users see (`structgen layout`, `--json`): members flattened to C access
// paths with absolute bit offsets, plus holes and tail padding. All offset arithmetic stays in layout/.

import type { SourcePos } from '../diagnostics.js';
import type { CType, Record, ResolvedProgram } from '../resolve/types.js';
import type { RecordLayout } from './types.js';
import type { LayoutContext } from './layout.js';

export interface FieldReport {
  readonly path: string;
  readonly type: string;
  readonly bitOffset: number;
  readonly bitSize: number;
  readonly bitfield?: true;
}

export interface PaddingReport {
  readonly bitOffset: number;
  readonly bitSize: number;
  /** `hole` between members, `tail` at the end. */
  readonly kind: 'hole' | 'tail';
}

export interface RecordReport {
  readonly name: string;
  readonly kind: 'struct' | 'union';
  readonly size: number;
  readonly align: number;
  readonly file: string;
  readonly line: number;
  readonly fields: readonly FieldReport[];
  /** Extra keys (CONTRACTS.md allows additions): packing state and the unused bits of the top level. */
  readonly packed: boolean;
  readonly pack: number;
  readonly padding: readonly PaddingReport[];
}

export function reportRecord(rec: Record, p: ResolvedProgram, ctx: LayoutContext): RecordReport {
  const l = ctx.recordLayout(rec.id);
  const fields: FieldReport[] = [];
  flatten(rec, l, 0, '', p, ctx, fields);
  return {
    name: rec.name!, kind: rec.kind, size: l.size, align: l.align, file: rec.pos.file, line: rec.pos.line, fields,
    packed: rec.packed, pack: rec.pack, padding: padding(rec, l),
  };
}

function flatten(rec: Record, l: RecordLayout, base: number, prefix: string, p: ResolvedProgram, ctx: LayoutContext,
  out: FieldReport[]) {
  rec.fields.forEach((f, i) => {
    const fl = l.fields[i]!;
    const off = base + fl.bitOffset;
    const inner = recordOf(f.type, ctx);
    if (f.name === null) {
      // anonymous struct/union members are promoted; unnamed bit-fields are not members
      if (f.bitWidth === null && inner !== null) {
        const r = p.records[inner]!;
        flatten(r, ctx.recordLayout(inner), off, prefix, p, ctx, out);
      }
      return;
    }
    const path = prefix + f.name;
    if (f.bitWidth !== null) {
      out.push({ path, type: f.spelling, bitOffset: off, bitSize: f.bitWidth, bitfield: true });
      return;
    }
    out.push({ path, type: f.spelling, bitOffset: off, bitSize: fl.bitSize });
    if (inner !== null) {
      const r = p.records[inner]!;
      flatten(r, ctx.recordLayout(inner), off, `${path}.`, p, ctx, out);
    }
  });
}

/** The record id when the type (typedefs removed, not arrays) is a struct or union. */
function recordOf(t: CType, ctx: LayoutContext): number | null {
  const d = ctx.desugar(t);
  return d.k === 'record' ? d.id : null;
}

/** Unused bits at the top level of a record: holes between members and tail padding. */
export function padding(rec: Record, l: RecordLayout): PaddingReport[] {
  const end = l.size * 8;
  const out: PaddingReport[] = [];
  if (rec.kind === 'union') {
    const used = Math.max(0, ...l.fields.map((f) => f.bitOffset + f.bitSize));
    if (used < end) out.push({ bitOffset: used, bitSize: end - used, kind: 'tail' });
    return out;
  }
  let cursor = 0;
  l.fields.forEach((f, i) => {
    if (rec.fields[i]!.name === null && rec.fields[i]!.bitWidth !== null) return; // unnamed bit-fields are padding
    if (f.bitOffset > cursor) out.push({ bitOffset: cursor, bitSize: f.bitOffset - cursor, kind: 'hole' });
    cursor = Math.max(cursor, f.bitOffset + f.bitSize);
  });
  if (cursor < end) out.push({ bitOffset: cursor, bitSize: end - cursor, kind: 'tail' });
  return out;
}

/** Paths of a record's members (promoted through anonymous members) to their declarations. */
export function memberPositions(a: { readonly resolved: ResolvedProgram | null; readonly layout: LayoutContext | null }, r: Record, prefix = '', out = new Map<string, SourcePos>()): Map<string, SourcePos> {
  for (const f of r.fields) {
    const d = a.layout!.desugar(f.type);
    if (f.name === null) {
      if (f.bitWidth === null && d.k === 'record') memberPositions(a, a.resolved!.records[d.id]!, prefix, out);
      continue;
    }
    out.set(prefix + f.name, f.pos);
    if (d.k === 'record' && f.bitWidth === null) memberPositions(a, a.resolved!.records[d.id]!, `${prefix}${f.name}.`, out);
  }
  return out;
}

