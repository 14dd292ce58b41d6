// The layout report users see (`structgen layout`, `--json`, CONTRACTS.md): each record's facts with every member
// at every depth as a C access path. A view of the facts; no arithmetic on layouts here.

import type { ProgramFacts, RecordFacts } from './facts.js';
import { deepFields } from './walk.js';

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

/** `structgen layout --json`: the records of the named headers on one target. */
export interface LayoutReport {
  readonly tool: 'structgen';
  readonly version: string;
  readonly target: string;
  readonly records: readonly RecordReport[];
}

export function reportRecord(p: ProgramFacts, r: RecordFacts): RecordReport {
  const fields: FieldReport[] = [];
  for (const f of deepFields(p, r)) {
    fields.push(f.member.bitfield
      ? { path: f.path, type: f.member.cType, bitOffset: f.bitOffset, bitSize: f.member.bitSize, bitfield: true }
      : { path: f.path, type: f.member.cType, bitOffset: f.bitOffset, bitSize: f.member.bitSize });
  }
  return {
    name: r.name!, kind: r.kind, size: r.size, align: r.align, file: r.pos.file, line: r.pos.line, fields,
    packed: r.packed, pack: r.pack, padding: r.padding,
  };
}

/** The records a header defines, as CONTRACTS.md lists them: named, complete, defined in that header's own file. */
export function headerRecordFacts(p: ProgramFacts): RecordFacts[] {
  return p.records.filter((r): r is RecordFacts => !!r && !!r.name && r.file === p.header);
}
