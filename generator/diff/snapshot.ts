// One side of `structgen diff` on one target, as the comparison reads it: the records, enums and `#define`
// constants of the analysed headers by name, each record's members as C accesses them (into untagged nested
// records, not into named ones: those are compared on their own), and which records other records hold by value.
// A view of the layout facts; no layout arithmetic here. Pure: no Node built-ins.

import type { SourcePos } from '../diagnostics.js';
import type { ConstantFacts, EnumFacts, MemberFacts, ProgramFacts, RecordFacts, TypeFacts } from '../layout/facts.js';
import { walk } from '../layout/walk.js';

/** A member of a record at any depth, offsets from the start of the record. */
export interface Field {
  readonly path: string;
  readonly member: MemberFacts;
  readonly bitOffset: number;
  /** Not itself divided into fields here: bits a value is stored in (what padding is computed against). */
  readonly leaf: boolean;
}

export interface RecordEntry {
  readonly program: ProgramFacts;
  readonly record: RecordFacts;
  readonly fields: readonly Field[];
}

export interface EnumEntry {
  readonly program: ProgramFacts;
  readonly facts: EnumFacts;
}

/** An integer or string `#define`, or an enumerator of an untagged enum (both are plain names in C). */
export interface ConstantEntry {
  readonly name: string;
  /** Decimal for integers; a C string literal for strings. */
  readonly value: string;
  /** The replacement text as written (the enumerator's value for an enumerator). */
  readonly body: string;
  readonly pos: SourcePos;
}

export interface Snapshot {
  readonly triple: string;
  /** In the order the headers define them. */
  readonly records: ReadonlyMap<string, RecordEntry>;
  readonly enums: ReadonlyMap<string, EnumEntry>;
  readonly constants: ReadonlyMap<string, ConstantEntry>;
  /** Names of records some record of this side holds by value (a member, or an array's element). */
  readonly embedded: ReadonlySet<string>;
}

/**
 * The side's records, enums and constants: those the analysed headers and the files they include define, except
 * system headers' (the machine's, the same on both sides); the first definition of a name wins.
 */
export function snapshot(triple: string, programs: readonly ProgramFacts[]): Snapshot {
  const records = new Map<string, RecordEntry>();
  const enums = new Map<string, EnumEntry>();
  const constants = new Map<string, ConstantEntry>();
  const embedded = new Set<string>();
  for (const p of programs) {
    for (const r of p.records) {
      if (!r) continue;
      for (const m of r.members) {
        const inner = recordOf(p, m.type);
        if (inner?.name) embedded.add(inner.name);
      }
      if (!r.name || (r.system && r.file !== p.header) || records.has(r.name)) continue;
      records.set(r.name, { program: p, record: r, fields: fieldsOf(p, r) });
    }
    for (const e of p.enums) {
      if (!e || (e.system && e.file !== p.header)) continue;
      if (e.name) {
        if (!enums.has(e.name)) enums.set(e.name, { program: p, facts: e });
        continue;
      }
      for (const v of e.values) if (!constants.has(v.name)) constants.set(v.name, { name: v.name, value: v.value, body: v.value, pos: v.pos });
    }
    for (const c of p.constants) if (!constants.has(c.name)) constants.set(c.name, constantEntry(c));
  }
  return { triple, records, enums, constants, embedded };
}

function constantEntry(c: ConstantFacts): ConstantEntry {
  const value = c.value.k === 'int' ? c.value.value : JSON.stringify(c.value.value);
  return { name: c.name, value, body: c.body, pos: c.pos };
}

/** The record a member holds by value, itself or as an array's elements. */
export function recordOf(p: ProgramFacts, t: TypeFacts): RecordFacts | null {
  let cur = t;
  while (cur.k === 'array') cur = cur.of;
  return cur.k === 'record' ? p.records[cur.id] ?? null : null;
}

/** Every member at every depth, but not inside a member whose type is a named record (that record has its own
 * entry, and its changes are reported there, the cause before the records that hold it). */
function fieldsOf(p: ProgramFacts, r: RecordFacts): Field[] {
  const out: Field[] = [];
  for (const e of walk(p, r, { enter: (x) => !x.record?.name })) {
    if (e.k === 'member') out.push({ path: e.path, member: e.member, bitOffset: e.bitOffset, leaf: !e.record || !!e.record.name });
  }
  return out;
}
