// The lock file (`structgen.lock.json`): the layouts a project has agreed to, per target and record, and the
// field-level comparison of a new layout with it. Changes are classified for a pre-commit gate: breaking
// (offset, size, alignment or type changed, member or record removed), review (member appended, hole filled,
// record added) or compatible (enum value appended).

import type { SourcePos } from '../diagnostics.js';
import type { ProgramFacts } from '../layout/facts.js';
import { headerRecordFacts, reportRecord } from '../layout/report.js';
import { deepFields } from '../layout/walk.js';

export interface LockField {
  readonly path: string;
  readonly type: string;
  readonly bitOffset: number;
  readonly bitSize: number;
  readonly bitfield?: true;
}

export interface LockRecord {
  readonly kind: 'struct' | 'union';
  readonly file: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly LockField[];
}

export interface LockTarget {
  readonly records: { readonly [name: string]: LockRecord };
  readonly enums: { readonly [name: string]: { readonly [enumerator: string]: string } };
}

export interface LockFile {
  readonly tool: 'structgen';
  readonly lockVersion: 1;
  readonly targets: { readonly [triple: string]: LockTarget };
}

export type Severity = 'breaking' | 'review' | 'compatible';

export interface LayoutChange {
  readonly target: string;
  readonly record: string;
  /** Member path, or null for the record (or enum) as a whole. */
  readonly member: string | null;
  readonly severity: Severity;
  readonly message: string;
  /** Where in the header (the member's declaration, or the record's), when it still exists. */
  readonly pos: SourcePos | null;
}

export interface TargetLayouts {
  readonly lock: LockTarget;
  /** Declarations, for diagnostics: record name -> position, `record.member` -> position. */
  readonly positions: ReadonlyMap<string, SourcePos>;
}

/** The lock entry of one target from the facts of the configured headers (`display` names files). */
export function lockTarget(programs: readonly (ProgramFacts | null)[], display: (file: string) => string): TargetLayouts {
  const records: { [name: string]: LockRecord } = {};
  const enums: { [name: string]: { [k: string]: string } } = {};
  const positions = new Map<string, SourcePos>();
  for (const p of programs) {
    if (!p) continue;
    for (const r of headerRecordFacts(p)) {
      const name = r.name!;
      if (records[name]) continue;
      const rep = reportRecord(p, r);
      records[name] = {
        kind: rep.kind, file: display(rep.file), size: rep.size, align: rep.align,
        fields: rep.fields.map((f) => ({ path: f.path, type: f.type, bitOffset: f.bitOffset, bitSize: f.bitSize, ...(f.bitfield ? { bitfield: true as const } : {}) })),
      };
      positions.set(name, r.pos);
      for (const f of deepFields(p, r)) positions.set(`${name}.${f.path}`, f.member.pos);
    }
    for (const e of p.enums) {
      if (!e || !e.name || e.file !== p.header || enums[`enum ${e.name}`]) continue;
      enums[`enum ${e.name}`] = Object.fromEntries(e.values.map((v) => [v.name, v.value]));
      positions.set(`enum ${e.name}`, e.pos);
    }
  }
  return { lock: { records: sortKeys(records), enums: sortKeys(enums) }, positions };
}

function sortKeys<T>(o: { [k: string]: T }): { [k: string]: T } {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}

const bits = (n: number) => (n % 8 === 0 ? `byte ${n / 8}` : `bit ${n} (byte ${Math.floor(n / 8)}:${n % 8})`);

/** Field-level differences between the locked layouts of one target and the current ones. */
export function diffTarget(target: string, old: LockTarget, now: TargetLayouts): LayoutChange[] {
  const out: LayoutChange[] = [];
  const at = (key: string) => now.positions.get(key) ?? null;
  const push = (record: string, member: string | null, severity: Severity, message: string, pos: SourcePos | null) =>
    out.push({ target, record, member, severity, message, pos });
  for (const [name, was] of Object.entries(old.records)) {
    const is = now.lock.records[name];
    if (!is) { push(name, null, 'breaking', `${was.kind} ${name} was removed (it was in ${was.file})`, null); continue; }
    const rpos = at(name);
    if (is.size !== was.size) push(name, null, 'breaking', `${is.kind} ${name}: size changed from ${was.size} to ${is.size} bytes`, rpos);
    if (is.align !== was.align) push(name, null, 'breaking', `${is.kind} ${name}: alignment changed from ${was.align} to ${is.align}`, rpos);
    if (is.kind !== was.kind) push(name, null, 'breaking', `${name}: changed from ${was.kind} to ${is.kind}`, rpos);
    const nowFields = new Map(is.fields.map((f) => [f.path, f]));
    const oldFields = new Map(was.fields.map((f) => [f.path, f]));
    for (const f of was.fields) {
      const g = nowFields.get(f.path);
      if (!g) { push(name, f.path, 'breaking', `${is.kind} ${name}: member '${f.path}' was removed (it was at ${bits(f.bitOffset)})`, rpos); continue; }
      const fpos = at(`${name}.${f.path}`);
      if (g.bitOffset !== f.bitOffset) push(name, f.path, 'breaking', `${is.kind} ${name}: member '${f.path}' moved from ${bits(f.bitOffset)} to ${bits(g.bitOffset)}`, fpos);
      if (g.bitSize !== f.bitSize) push(name, f.path, 'breaking', `${is.kind} ${name}: member '${f.path}' changed size from ${f.bitSize} to ${g.bitSize} bits`, fpos);
      if (g.type !== f.type) push(name, f.path, 'breaking', `${is.kind} ${name}: member '${f.path}' changed type from '${f.type}' to '${g.type}'`, fpos);
      if (!!g.bitfield !== !!f.bitfield) push(name, f.path, 'breaking', `${is.kind} ${name}: member '${f.path}' ${g.bitfield ? 'became' : 'is no longer'} a bit-field`, fpos);
    }
    for (const g of is.fields) {
      if (oldFields.has(g.path)) continue;
      const fpos = at(`${name}.${g.path}`);
      // a new member past the old end is appended; inside the old size, it fills what was padding
      const appended = g.bitOffset >= was.size * 8;
      push(name, g.path, 'review', `${is.kind} ${name}: member '${g.path}' ${appended ? 'appended' : 'added where there was padding'} at ${bits(g.bitOffset)}`, fpos);
    }
  }
  for (const [name, is] of Object.entries(now.lock.records)) {
    if (!old.records[name]) push(name, null, 'review', `${is.kind} ${name} is new`, at(name));
  }
  for (const [name, was] of Object.entries(old.enums)) {
    const is = now.lock.enums[name];
    if (!is) { push(name, null, 'breaking', `${name} was removed`, null); continue; }
    for (const [k, v] of Object.entries(was)) {
      if (!(k in is)) push(name, k, 'breaking', `${name}: enumerator ${k} was removed`, at(name));
      else if (is[k] !== v) push(name, k, 'breaking', `${name}: enumerator ${k} changed from ${v} to ${is[k]}`, at(name));
    }
    for (const [k, v] of Object.entries(is)) {
      if (!(k in was)) push(name, k, 'compatible', `${name}: enumerator ${k} = ${v} added`, at(name));
    }
  }
  for (const name of Object.keys(now.lock.enums)) {
    if (!old.enums[name]) push(name, null, 'compatible', `${name} is new`, at(name));
  }
  return out;
}

export function parseLock(text: string): LockFile | string {
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) { return `invalid JSON: ${(e as Error).message}`; }
  const o = raw as Partial<LockFile>;
  if (typeof o !== 'object' || o === null || o.tool !== 'structgen' || o.lockVersion !== 1 || typeof o.targets !== 'object' || o.targets === null) {
    return 'not a structgen lock file (expected "tool": "structgen", "lockVersion": 1, "targets")';
  }
  return o as LockFile;
}

/** Two-space JSON with one line per field and per enum, so that a layout change is a one-line diff. */
export function formatLock(lock: LockFile): string {
  const text = JSON.stringify(lock, (_k, v: unknown) => {
    if (Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && 'path' in x)) return v.map((x) => `\u0000${JSON.stringify(x)}`);
    return v;
  }, 2);
  return `${text.replace(/"\\u0000((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => JSON.parse(`"${inner}"`) as string)}\n`;
}
