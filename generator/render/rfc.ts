// `structgen layout --format rfc`: the ASCII bit diagram of RFC 791 (and the RFCs after it) for any record. 32 bits a
// row, two columns per bit, bit numbers on top (tens above units), `+-+-+` rules between rows, each field's name
// centred in its cell, `|` between fields. A field that continues on the next row has no rule under it (RFC 8200's
// addresses), only `+` at its edges; a field of nine or more full rows shows its first and last full rows and one
// `~` line between them (RFC 791's way of drawing what has no fixed size) naming the field and the bytes not drawn,
// so a diagram is linear in the number of members whatever the record's size. Column k of a row is bit k of that
// row as the target numbers bit offsets: on big-endian targets bit 0 is the most significant bit of the row's first
// byte (the RFCs' convention); on little-endian targets it is the least significant bit of the first byte, so every
// bit-field stays one contiguous cell in the order C declares it (bytes still go left to right in address order).
// Names too long for their cell are shortened and listed under the diagram. Members that share storage (a union's)
// are one cell named after all of them. Pure: no Node built-ins.

import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import { walk } from '../layout/walk.js';
import { fmtBits, freeEntries, nestingBudget, recordTitle, type RecordItem } from './model.js';

const ROW = 32;
/** A field with at least this many full rows is drawn with one `~` line for all but its first and last. */
const ELIDE = 9;

interface Field { readonly label: string; readonly start: number; readonly end: number; readonly full: string }

/** The fields of the diagram: leaves of the record (nested structs expanded, unions and arrays whole), padding at
 * every depth, and clusters of members sharing storage merged into one. Bit ranges absolute, sorted, disjoint. */
function fieldsOf(p: ProgramFacts, rec: RecordFacts, flex: string[], free: number): Field[] {
  const raw: Array<{ start: number; end: number; path: string; desc: string }> = [];
  const pads: Array<{ start: number; end: number }> = [];
  // a nested struct is drawn member by member (while within the budget: nesting can multiply); a union is one
  // cell (its members overlap)
  const budget = nestingBudget(free);
  let open: unknown = null;
  for (const e of walk(p, rec, { padding: true, enter: (x) => x === open })) {
    budget.tick();
    if (e.k === 'padding') { pads.push({ start: e.bitOffset, end: e.bitOffset + e.bitSize }); continue; }
    if (e.k !== 'member') continue;
    const m = e.member;
    if (e.record?.kind === 'struct' && budget.enter(e.record)) { open = e; continue; }
    if (m.bitSize === 0) { flex.push(`   ${e.path} (${m.cType}) starts at byte ${e.bitOffset / 8}`); continue; }
    const desc = e.record ? `${m.cType}: ${e.record.members.map((x) => x.name).join(', ')}` : m.bitfield ? `${m.cType} : ${m.bitSize}` : m.cType;
    raw.push({ start: e.bitOffset, end: e.bitOffset + m.bitSize, path: e.path, desc });
  }
  const items = raw.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Field[] = [];
  let k = 0;
  while (k < items.length) {
    const first = items[k]!;
    let end = first.end;
    const names = [first.path];
    const descs = [`${first.path} (${first.desc})`];
    let j = k + 1;
    while (j < items.length && items[j]!.start < end) {
      end = Math.max(end, items[j]!.end);
      names.push(items[j]!.path);
      descs.push(`${items[j]!.path} (${items[j]!.desc})`);
      j++;
    }
    out.push({ label: names.length === 1 ? names[0]! : names.join('/'), start: first.start, end, full: descs.join(', ') });
    k = j;
  }
  for (const pd of pads) out.push({ label: 'pad', start: pd.start, end: pd.end, full: `padding, ${fmtBits(pd.end - pd.start)}` });
  return out.sort((a, b) => a.start - b.start);
}

function centre(text: string, width: number): string {
  const left = Math.floor((width - text.length) / 2);
  return ' '.repeat(Math.max(0, left)) + text + ' '.repeat(Math.max(0, width - text.length - left));
}

/** Where a field's label goes: a row, the open rule under a row (between its middle two full rows), or the `~`
 * line standing for its elided rows. */
type LabelAt = { readonly row: number; readonly at: 'row' | 'rule' | 'tilde' } | null;

/** The diagram of one record. */
export function rfcDiagram(p: ProgramFacts, rec: RecordFacts, free = freeEntries(1)): string {
  const total = rec.size * 8;
  const rows = Math.max(1, Math.ceil(total / ROW));
  const flex: string[] = [];
  const fields = fieldsOf(p, rec, flex, free);
  const width = (row: number) => Math.max(0, Math.min(ROW, total - row * ROW));
  // full rows of each field: [fr, lr] (rows it covers entirely, 32 bits wide)
  const fullRows = (f: Field): [number, number] => [Math.ceil(f.start / ROW), Math.floor(f.end / ROW) - 1];
  const labelAt: LabelAt[] = fields.map((f) => {
    const [fr, lr] = fullRows(f);
    const n = lr - fr + 1;
    if (n >= ELIDE) return { row: fr, at: 'tilde' };
    if (n >= 2 && n % 2 === 0) return { row: fr + n / 2 - 1, at: 'rule' };
    if (n >= 1) return { row: fr + Math.floor((n - 1) / 2), at: 'row' };
    // no full row: the wider of its pieces (the first among equals)
    const r0 = Math.floor(f.start / ROW);
    const r1 = Math.floor((f.end - 1) / ROW);
    if (r0 >= rows) return null;
    const w0 = Math.min(f.end, (r0 + 1) * ROW) - f.start;
    const w1 = r1 > r0 ? f.end - r1 * ROW : -1;
    return { row: w1 > w0 ? r1 : r0, at: 'row' };
  });
  const lines: string[] = [];
  const indent = '   ';
  let tens = '';
  let units = '';
  for (let b = 0; b < ROW; b++) {
    tens += b % 10 === 0 ? `${b / 10} ` : '  ';
    units += `${b % 10} `;
  }
  lines.push(indent + ' ' + tens.trimEnd());
  lines.push(indent + ' ' + units.trimEnd());
  const rules = new Map<number, string>();
  const rule = (n: number) => {
    let r = rules.get(n);
    if (r === undefined) { r = indent + '+-'.repeat(n) + '+'; rules.set(n, r); }
    return r;
  };
  lines.push(rule(width(0)));
  const shortened = new Map<number, string>();
  const shorten = (i: number, cell: number): string => {
    const f = fields[i]!;
    if (f.label.length <= cell) return f.label;
    const t = cell >= 2 ? `${f.label.slice(0, cell - 1)}~` : f.label.slice(0, cell);
    if (!shortened.has(i)) shortened.set(i, t);
    return t;
  };
  // the owner of each column of a row (index into fields, -1 for none), from a pointer moving over the fields
  let ptr = 0;
  const owners = (row: number, into: Int32Array): void => {
    into.fill(-1);
    const a = row * ROW;
    const z = a + width(row);
    while (ptr < fields.length && fields[ptr]!.end <= a) ptr++;
    for (let i = ptr; i < fields.length && fields[i]!.start < z; i++) {
      const f = fields[i]!;
      for (let b = Math.max(f.start, a); b < Math.min(f.end, z); b++) into[b - a] = i;
    }
  };
  const cur = new Int32Array(ROW);
  const next = new Int32Array(ROW);
  const rowLine = (row: number, own: Int32Array): string => {
    const w = width(row);
    const parts = [indent, '|'];
    let b = 0;
    while (b < w) {
      const i = own[b]!;
      let e = b + 1;
      while (e < w && own[e] === i) e++;
      const cell = 2 * (e - b) - 1;
      const at = i >= 0 ? labelAt[i] : null;
      const text = at && at.at === 'row' && at.row === row ? shorten(i, cell) : '';
      parts.push(centre(text, cell), '|');
      b = e;
    }
    return parts.join('');
  };
  /** The rule under `row`: open where a field goes on into the next row. */
  const ruleLine = (row: number, own: Int32Array, below: Int32Array | null): string => {
    const w = width(row);
    const nw = below ? width(row + 1) : 0;
    const n = Math.max(w, nw);
    const cont = (c: number) => below !== null && c >= 0 && c < Math.min(w, nw) && own[c]! >= 0 && own[c] === below[c];
    let open = false;
    for (let c = 0; c < Math.min(w, nw) && !open; c++) open = cont(c);
    let r: string;
    if (!open) r = rule(n);
    else {
      const parts = [indent];
      for (let k = 0; k <= n; k++) {
        parts.push(cont(k - 1) && cont(k) && own[k - 1] === own[k] ? ' ' : '+');
        if (k < n) parts.push(cont(k) ? ' ' : '-');
      }
      r = parts.join('');
    }
    // a label on this rule: a field whose middle two full rows are this one and the next
    const i = own[0]!;
    if (below && i >= 0 && labelAt[i]?.at === 'rule' && labelAt[i]!.row === row) {
      const cell = 2 * ROW - 1;
      const t = shorten(i, cell - 2);
      const from = indent.length + 1;
      r = r.slice(0, from) + centre(t, cell) + r.slice(from + cell);
    }
    return r;
  };
  const elided: Array<{ field: number; from: number; to: number }> = [];
  let row = 0;
  owners(0, cur);
  while (row < rows) {
    // a field covering this row and at least ELIDE - 1 more: this row, one `~` line, its last full row
    const i = cur[0]!;
    const f = i >= 0 ? fields[i]! : null;
    if (f && labelAt[i]?.at === 'tilde' && f.start <= row * ROW && fullRows(f)[1] - row + 1 >= ELIDE) {
      const lr = fullRows(f)[1];
      lines.push(rowLine(row, cur));
      const from = (row + 1) * ROW / 8;
      const to = lr * ROW / 8 - 1;
      const note = ` (bytes ${from}-${to})`;
      const cell = 2 * ROW - 1;
      const name = shorten(i, cell - 2 - note.length);
      lines.push(`${indent}~${centre(name + note, cell)}~`);
      elided.push({ field: i, from, to });
      lines.push(rowLine(lr, cur));
      row = lr + 1;
      if (row < rows) owners(row, next); else next.fill(-1);
      lines.push(ruleLine(lr, cur, row < rows ? next : null));
      cur.set(next);
      continue;
    }
    lines.push(rowLine(row, cur));
    const more = row + 1 < rows;
    if (more) owners(row + 1, next);
    lines.push(ruleLine(row, cur, more ? next : null));
    cur.set(next);
    row++;
  }
  const head = `${recordTitle(rec)}: ${rec.size} byte${rec.size === 1 ? '' : 's'}, align ${rec.align} (${rec.pos.file}:${rec.pos.line}, ${p.target.triple}, ` +
    `bit 0 = ${p.target.endian === 'big' ? 'most' : 'least'} significant bit of each row's first byte)`;
  const out = [head, ''];
  for (const l of lines) out.push(l);
  if (flex.length) out.push('');
  for (const l of flex) out.push(l);
  if (shortened.size) {
    out.push('');
    for (const [i, t] of shortened) out.push(`   ${t}: ${fields[i]!.full}`);
  }
  return out.join('\n');
}

export function renderRfc(records: readonly RecordItem[]): string {
  const free = freeEntries(records.length);
  return records.map(({ program, record }) => rfcDiagram(program, record, free)).join('\n\n') + '\n';
}
