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

/** What changed: a member's type or size (`type`), its place (`moved`), ..., the record's size or alignment. */
export type ChangeKind = 'type' | 'bitfield' | 'removed' | 'added' | 'moved' | 'record' | 'new' | 'enum' | 'target';

export interface LayoutChange {
  readonly target: string;
  readonly record: string;
  /** Member path, or null for the record (or enum) as a whole. */
  readonly member: string | null;
  readonly severity: Severity;
  readonly message: string;
  /** Where in the header (the member's declaration, or the record's), when it still exists. */
  readonly pos: SourcePos | null;
  /** Added to the contract: the kind of change, and for `moved` the old and new bit offsets. */
  readonly kind?: ChangeKind;
  readonly fromBit?: number;
  readonly toBit?: number;
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

/**
 * Field-level differences between the locked layouts of one target and the current ones. Within a record the
 * causes come first, in declaration order (a member whose type or size changed, removed or inserted), then the
 * members that only moved, then the record's own size and alignment; records in the order the lock lists them.
 * A member whose type and size both changed is one change.
 */
export function diffTarget(target: string, old: LockTarget, now: TargetLayouts): LayoutChange[] {
  const out: LayoutChange[] = [];
  const at = (key: string) => now.positions.get(key) ?? null;
  const push = (record: string, member: string | null, severity: Severity, kind: ChangeKind, message: string, pos: SourcePos | null, extra: { fromBit?: number; toBit?: number } = {}) =>
    out.push({ target, record, member, severity, message, pos, kind, ...extra });
  for (const [name, was] of Object.entries(old.records)) {
    const is = now.lock.records[name];
    if (!is) { push(name, null, 'breaking', 'removed', `${was.kind} ${name} was removed (it was in ${was.file})`, null); continue; }
    const rpos = at(name);
    const nowFields = new Map(is.fields.map((f) => [f.path, f]));
    const oldFields = new Map(was.fields.map((f) => [f.path, f]));
    const moves: Array<() => void> = [];
    // causes in declaration order: the current members, with removed ones where they used to be
    const order: Array<{ path: string; removed: boolean }> = [];
    let j = 0;
    const oldIndex = new Map(was.fields.map((f, i) => [f.path, i]));
    for (const g of is.fields) {
      const oi = oldIndex.get(g.path);
      if (oi !== undefined) for (; j < oi; j++) if (!nowFields.has(was.fields[j]!.path)) order.push({ path: was.fields[j]!.path, removed: true });
      if (oi !== undefined) j = Math.max(j, oi + 1);
      order.push({ path: g.path, removed: false });
    }
    for (; j < was.fields.length; j++) if (!nowFields.has(was.fields[j]!.path)) order.push({ path: was.fields[j]!.path, removed: true });
    for (const { path: p, removed } of order) {
      const f = oldFields.get(p);
      const g = nowFields.get(p);
      const what = `${is.kind} ${name}: member '${p}'`;
      if (removed || !g) { push(name, p, 'breaking', 'removed', `${what} was removed (it was at ${bits(f!.bitOffset)})`, rpos); continue; }
      const fpos = at(`${name}.${p}`);
      if (!f) {
        // a new member past the old end is appended; inside the old size, it fills what was padding or pushes others
        const appended = g.bitOffset >= was.size * 8;
        push(name, p, 'review', 'added', `${what} ${appended ? 'appended' : 'added where there was padding'} at ${bits(g.bitOffset)}`, fpos);
        continue;
      }
      // one change per member: its type, size, bit-field-ness and place, as far as they changed
      const parts: string[] = [];
      let kind: ChangeKind | null = null;
      const sizeChange = g.bitSize === f.bitSize ? null : !f.bitfield && !g.bitfield && f.bitSize % 8 === 0 && g.bitSize % 8 === 0
        ? `${f.bitSize / 8} to ${sizeText(g.bitSize, false)}` : `${sizeText(f.bitSize, !!f.bitfield)} to ${sizeText(g.bitSize, !!g.bitfield)}`;
      if (g.type !== f.type) { parts.push(`changed type from '${f.type}' to '${g.type}'${sizeChange ? ` (${sizeChange})` : ''}`); kind = 'type'; }
      else if (sizeChange) { parts.push(`(${g.type}) changed size from ${sizeChange}`); kind = 'type'; }
      if (!!g.bitfield !== !!f.bitfield) { parts.push(`${g.bitfield ? 'became' : 'is no longer'} a bit-field`); kind ??= 'bitfield'; }
      const moved = g.bitOffset !== f.bitOffset ? { fromBit: f.bitOffset, toBit: g.bitOffset } : {};
      if (g.bitOffset !== f.bitOffset) parts.push(`${kind ? 'and ' : ''}moved from ${bits(f.bitOffset)} to ${bits(g.bitOffset)}`);
      if (!parts.length) continue;
      const message = `${what} ${parts.join(', ').replace(/, and /, ' and ')}`;
      if (kind) push(name, p, 'breaking', kind, message, fpos, moved);
      else moves.push(() => push(name, p, 'breaking', 'moved', message, fpos, moved));
    }
    for (const m of moves) m();
    const whole: string[] = [];
    if (is.kind !== was.kind) whole.push(`changed from ${was.kind} to ${is.kind}`);
    if (is.size !== was.size) whole.push(`size changed from ${was.size} to ${is.size} bytes`);
    if (is.align !== was.align) whole.push(`alignment changed from ${was.align} to ${is.align}`);
    if (whole.length) push(name, null, 'breaking', 'record', `${is.kind} ${name}: ${whole.join(', ')}`, rpos);
  }
  for (const [name, is] of Object.entries(now.lock.records)) {
    if (!old.records[name]) push(name, null, 'review', 'new', `${is.kind} ${name} is new`, at(name));
  }
  for (const [name, was] of Object.entries(old.enums)) {
    const is = now.lock.enums[name];
    if (!is) { push(name, null, 'breaking', 'enum', `${name} was removed`, null); continue; }
    for (const [k, v] of Object.entries(was)) {
      if (!(k in is)) push(name, k, 'breaking', 'enum', `${name}: enumerator ${k} was removed`, at(name));
      else if (is[k] !== v) push(name, k, 'breaking', 'enum', `${name}: enumerator ${k} changed from ${v} to ${is[k]}`, at(name));
    }
    for (const [k, v] of Object.entries(is)) {
      if (!(k in was)) push(name, k, 'compatible', 'enum', `${name}: enumerator ${k} = ${v} added`, at(name));
    }
  }
  for (const name of Object.keys(now.lock.enums)) {
    if (!old.enums[name]) push(name, null, 'compatible', 'enum', `${name} is new`, at(name));
  }
  return out;
}

/**
 * Records (and enums) in the order of their place in the headers, each record's changes kept together and in
 * their order: a record is defined before the records that contain it, so a cause comes before its echoes.
 */
export function orderByPlace(changes: readonly LayoutChange[]): LayoutChange[] {
  const groups = new Map<string, LayoutChange[]>();
  for (const c of changes) {
    const k = `${c.target}\u0000${c.record}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(c);
  }
  const place = (g: LayoutChange[]) => g.map((c) => c.pos).find((p) => p !== null) ?? null;
  const list = [...groups.values()];
  const index = new Map(list.map((g, i) => [g, i]));
  return list.sort((a, b) => {
    const pa = place(a);
    const pb = place(b);
    if (a[0]!.target !== b[0]!.target) return index.get(a)! - index.get(b)!;
    if (!pa || !pb) return (pa ? 0 : 1) - (pb ? 0 : 1) || index.get(a)! - index.get(b)!;
    return pa.file.localeCompare(pb.file) || pa.line - pb.line || pa.col - pb.col;
  }).flat();
}

const sizeText = (nbits: number, bitfield: boolean) => (bitfield || nbits % 8 ? `${nbits} bit${nbits === 1 ? '' : 's'}` : `${nbits / 8} byte${nbits === 8 ? '' : 's'}`);

const delta = (nbits: number) => {
  const sign = nbits > 0 ? '+' : '-';
  const a = Math.abs(nbits);
  return a % 8 ? `${sign}${a} bit${a === 1 ? '' : 's'}` : `${sign}${a / 8} byte${a === 8 ? '' : 's'}`;
};

/**
 * The changes as a reader wants them: per record, members that moved by the same amount one after another
 * collapse into one line ("3 later members moved by +4 bytes ('b' to 'd')"), and a member nested in one that
 * moved is not repeated. Everything else is kept as it is, in the order diffTarget gives.
 */
export function summarizeChanges(all: readonly LayoutChange[]): LayoutChange[] {
  // a member nested in one whose type, size or presence changed only echoes that change
  const changed = new Set(all.filter((c) => c.member !== null && c.kind !== 'moved' && c.kind !== 'enum').map((c) => `${c.target}\u0000${c.record}\u0000${c.member}`));
  const echo = (c: LayoutChange) => c.member !== null && c.kind !== 'enum' &&
    c.member.split('.').slice(0, -1).some((_x, i, parts) => changed.has(`${c.target}\u0000${c.record}\u0000${parts.slice(0, i + 1).join('.')}`));
  const changes = all.filter((c) => !echo(c));
  const out: LayoutChange[] = [];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.kind !== 'moved' || c.fromBit === undefined || c.toBit === undefined) { out.push(c); continue; }
    const d = c.toBit - c.fromBit;
    const run: LayoutChange[] = [c];
    while (i + 1 < changes.length) {
      const n = changes[i + 1]!;
      if (n.kind !== 'moved' || n.record !== c.record || n.target !== c.target || n.toBit! - n.fromBit! !== d) break;
      run.push(n);
      i++;
    }
    // members inside a member that moved with them are implied
    const shown = run.filter((m) => !run.some((o) => o !== m && m.member!.startsWith(`${o.member}.`)));
    if (shown.length === 1) { out.push({ ...shown[0]!, message: run.length > 1 ? `${shown[0]!.message} (with its ${run.length - 1} member${run.length === 2 ? '' : 's'})` : shown[0]!.message }); continue; }
    const caused = out.some((o) => o.record === c.record && o.target === c.target && o.kind !== 'moved' && o.member !== null);
    const kind = c.message.slice(0, c.message.indexOf(':'));
    out.push({
      ...c,
      message: `${kind}: ${shown.length} ${caused ? 'later ' : ''}members moved by ${delta(d)} ('${shown[0]!.member}' to '${shown[shown.length - 1]!.member}')`,
    });
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
