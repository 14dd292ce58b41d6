// Compares structgen's layouts for a header with the compiler's: size, alignment and every field's bit offset
// (unnamed bit-fields and anonymous members included), record by record.

import * as path from 'node:path';
import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import type { ClangRun } from './clang.js';

/** What the comparison reads: a translation unit's layout facts. */
export interface HasFacts { readonly facts: ProgramFacts | null }

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
 * qualified by the nearest tagged ancestor, or (`byName`) the nearest ancestor with a tag or typedef name: clang
 * prints the typedef name of an untagged parent when it lays the record out after the typedef was read, which
 * depends on what asked for the layout. The position makes either key unique. */
export function clangKey(r: RecordFacts, records?: ReadonlyArray<RecordFacts | null>, byName = false): string {
  if (r.tag) return `${r.kind} ${r.tag}`;
  if (r.name) return r.name;
  let anc = r.parent;
  let qual = '';
  while (anc !== null && records) {
    const p = records[anc];
    if (!p) break;
    const q = byName ? p.name : p.tag;
    if (q) { qual = `${q}::`; break; }
    anc = p.parent;
  }
  return `${r.kind} ${qual}(${r.anonymousMember ? 'anonymous' : 'unnamed'} at ${path.resolve(r.pos.file)}:${r.pos.line}:${r.pos.col})`;
}

/** Type names to force with sizeof probes: every named record of the analysis (anonymous ones follow their parents). */
export function probeNames(a: HasFacts, only?: (r: RecordFacts) => boolean): string[] {
  const out: string[] = [];
  for (const r of a.facts?.records ?? []) {
    if (!r || (only && !only(r))) continue;
    if (r.tag) out.push(`${r.kind} ${r.tag}`);
    else if (r.name) out.push(r.name);
  }
  return out;
}

export function compareWithClang(a: HasFacts, run: ClangRun, only?: (r: RecordFacts) => boolean): Comparison {
  const mismatches: Mismatch[] = [];
  const missing: string[] = [];
  let compared = 0;
  if (!a.facts) return { compared, missing, mismatches };
  const records = a.facts.records;
  for (const r of records) {
    if (!r || (only && !only(r))) continue;
    let key = clangKey(r, records);
    let c = run.layouts.get(key);
    if (!c && !r.tag && !r.name) c = run.layouts.get(key = clangKey(r, records, true));
    if (!c) { missing.push(key); continue; }
    compared++;
    const bad: string[] = [];
    if (r.size * 8 !== c.size) bad.push(`size ${r.size} (clang ${c.size / 8})`);
    if (r.align * 8 !== c.align) bad.push(`align ${r.align} (clang ${c.align / 8})`);
    const ours = r.slots.map((f) => f.bitOffset);
    if (ours.length !== c.fieldOffsets.length) bad.push(`${ours.length} fields (clang ${c.fieldOffsets.length})`);
    else {
      ours.forEach((o, i) => {
        if (o !== c.fieldOffsets[i]) bad.push(`field ${r.slots[i]!.name ?? `#${i} (unnamed)`} at bit ${o} (clang ${c.fieldOffsets[i]})`);
      });
    }
    if (bad.length) mismatches.push({ record: key, file: r.pos.file, line: r.pos.line, what: bad.join('; ') });
  }
  return { compared, missing, mismatches };
}
