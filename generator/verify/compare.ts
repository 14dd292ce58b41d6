// Compares structgen's layouts for a header with the compiler's: size, alignment and every field's bit offset
// (unnamed bit-fields and anonymous members included), record by record.

import * as path from 'node:path';
import type { HeaderAnalysis } from '../pipeline.js';
import type { Record } from '../resolve/types.js';
import type { ClangRun } from './clang.js';

export interface Mismatch {
  readonly record: string;
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

export interface Comparison {
  readonly compared: number;
  readonly missing: readonly string[];
  readonly mismatches: readonly Mismatch[];
}

/** The name clang's layout dump gives a record: `struct tag`, `typedef_name`, or for an untagged one
 * `struct Outer::(anonymous at f.h:3:5)` (an anonymous member) / `(unnamed at ...)` (a named member's type),
 * qualified by the nearest named ancestor. */
export function clangKey(r: Record, records?: ReadonlyArray<Record | null>): string {
  if (r.tag) return `${r.kind} ${r.tag}`;
  if (r.name) return r.name;
  let anc = r.parent;
  let qual = '';
  while (anc !== null && records) {
    const p = records[anc];
    if (!p) break;
    if (p.name) { qual = `${p.name}::`; break; }
    anc = p.parent;
  }
  return `${r.kind} ${qual}(${r.anonymousMember ? 'anonymous' : 'unnamed'} at ${path.resolve(r.pos.file)}:${r.pos.line}:${r.pos.col})`;
}

/** Type names to force with sizeof probes: every named record of the analysis (anonymous ones follow their parents). */
export function probeNames(a: HeaderAnalysis, only?: (r: Record) => boolean): string[] {
  const out: string[] = [];
  for (const r of a.resolved?.records ?? []) {
    if (!r || (only && !only(r))) continue;
    if (r.tag) out.push(`${r.kind} ${r.tag}`);
    else if (r.name) out.push(r.name);
  }
  return out;
}

export function compareWithClang(a: HeaderAnalysis, run: ClangRun, only?: (r: Record) => boolean): Comparison {
  const mismatches: Mismatch[] = [];
  const missing: string[] = [];
  let compared = 0;
  if (!a.resolved || !a.layout) return { compared, missing, mismatches };
  for (const r of a.resolved.records) {
    if (!r || (only && !only(r))) continue;
    const key = clangKey(r, a.resolved.records);
    const c = run.layouts.get(key);
    if (!c) { missing.push(key); continue; }
    compared++;
    const l = a.layout.recordLayout(r.id);
    const bad: string[] = [];
    if (l.size * 8 !== c.size) bad.push(`size ${l.size} (clang ${c.size / 8})`);
    if (l.align * 8 !== c.align) bad.push(`align ${l.align} (clang ${c.align / 8})`);
    const ours = l.fields.map((f) => f.bitOffset);
    if (ours.length !== c.fieldOffsets.length) bad.push(`${ours.length} fields (clang ${c.fieldOffsets.length})`);
    else {
      ours.forEach((o, i) => {
        if (o !== c.fieldOffsets[i]) bad.push(`field ${r.fields[i]!.name ?? `#${i} (unnamed)`} at bit ${o} (clang ${c.fieldOffsets[i]})`);
      });
    }
    if (bad.length) mismatches.push({ record: key, file: r.pos.file, line: r.pos.line, what: bad.join('; ') });
  }
  return { compared, missing, mismatches };
}
