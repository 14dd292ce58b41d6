// `structgen layout --format rfc`: the ASCII bit diagram of RFC 791 (and the RFCs after it) for any record. 32 bits a
// row, two columns per bit, bit numbers on top (tens above units), `+-+-+` rules between rows, each field's name
// centred in its cell, `|` between fields. A field that continues on the next row has no rule under it (RFC 8200's
// addresses), only `+` at its edges. Column k of a row is bit k of that row as the target numbers bit offsets: on
// big-endian targets bit 0 is the most significant bit of the row's first byte (the RFCs' convention); on
// little-endian targets it is the least significant bit of the first byte, so every bit-field stays one contiguous
// cell in the order C declares it (bytes still go left to right in address order). Names too long for their cell
// are shortened and listed under the diagram. Members that share storage (a union's) are one cell named after all of
// them. Pure: no Node built-ins.

import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import { fmtBits, recordTitle, type RecordItem } from './model.js';

const ROW = 32;

interface Field { readonly label: string; readonly start: number; readonly end: number; readonly full: string }

/** The fields of the diagram: leaves of the record (nested records expanded, arrays whole), padding, and clusters of
 * members sharing storage merged into one. Bit ranges absolute, in order, non-overlapping. */
function fieldsOf(p: ProgramFacts, rec: RecordFacts, flex: string[]): Field[] {
  const raw: Array<{ start: number; end: number; path: string; overlaid: boolean; desc: string }> = [];
  const walk = (r: RecordFacts, base: number, prefix: string, inUnion: boolean, depth: number) => {
    for (const m of r.members) {
      const at = base + m.bitOffset;
      const path = prefix + m.name;
      const shared = inUnion || m.overlaid;
      const inner = m.type.k === 'record' && !m.bitfield ? p.records[m.type.id] : null;
      // a nested struct is drawn member by member; a union is one cell (its members overlap)
      if (inner && inner.kind === 'struct' && depth < 64) { walk(inner, at, `${path}.`, shared, depth + 1); continue; }
      if (m.bitSize === 0) { flex.push(`   ${path} (${m.cType}) starts at byte ${at / 8}`); continue; }
      const desc = inner ? `${m.cType}: ${inner.members.map((x) => x.name).join(', ')}` : m.bitfield ? `${m.cType} : ${m.bitSize}` : m.cType;
      raw.push({ start: at, end: at + m.bitSize, path, overlaid: shared, desc });
    }
  };
  walk(rec, 0, '', rec.kind === 'union', 0);
  // padding at every depth, from the gaps of each record met
  const pads: Array<{ start: number; end: number }> = [];
  const gaps = (r: RecordFacts, base: number, depth: number) => {
    for (const g of r.gaps) pads.push({ start: base + g.bitOffset, end: base + g.bitOffset + g.bitSize });
    for (const m of r.members) {
      const inner = m.type.k === 'record' && !m.bitfield ? p.records[m.type.id] : null;
      if (inner && inner.kind === 'struct' && depth < 64) gaps(inner, base + m.bitOffset, depth + 1);
    }
  };
  gaps(rec, 0, 0);
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
  return ' '.repeat(left) + text + ' '.repeat(width - text.length - left);
}

/** The diagram of one record. */
export function rfcDiagram(p: ProgramFacts, rec: RecordFacts): string {
  const total = rec.size * 8;
  const rows = Math.max(1, Math.ceil(total / ROW));
  const flex: string[] = [];
  const fields = fieldsOf(p, rec, flex);
  // owner of each bit: index into fields, -1 for none (past the end)
  const owner = new Int32Array(rows * ROW).fill(-1);
  fields.forEach((f, i) => { for (let b = f.start; b < f.end && b < owner.length; b++) owner[b] = i; });
  const width = (row: number) => Math.min(ROW, total - row * ROW);
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
  const rule = (n: number) => indent + '+-'.repeat(n) + '+';
  lines.push(rule(width(0)));
  const shortened = new Map<Field, string>();
  const shorten = (f: Field, cell: number): string => {
    if (f.label.length <= cell) return f.label;
    const t = cell >= 2 ? `${f.label.slice(0, cell - 1)}~` : f.label.slice(0, cell);
    if (!shortened.has(f)) shortened.set(f, t);
    return t;
  };
  // where each field's label goes: its widest row piece (the middle one among equals); with an even number of equal
  // pieces, on the open rule between the middle two (as RFC 8200 draws addresses)
  const labelAt = new Map<number, { row: number; rule: boolean }>();
  fields.forEach((f, i) => {
    const pieces: Array<{ row: number; w: number }> = [];
    for (let row = Math.floor(f.start / ROW); row * ROW < f.end && row < rows; row++) {
      pieces.push({ row, w: Math.min(f.end, (row + 1) * ROW) - Math.max(f.start, row * ROW) });
    }
    if (!pieces.length) return;
    const bestW = Math.max(...pieces.map((x) => x.w));
    const full = pieces.filter((x) => x.w === bestW);
    const contiguous = full.every((x, k) => k === 0 || x.row === full[k - 1]!.row + 1);
    if (full.length % 2 === 0 && contiguous && bestW === ROW) labelAt.set(i, { row: full[full.length / 2 - 1]!.row, rule: true });
    else labelAt.set(i, { row: full[Math.floor((full.length - 1) / 2)]!.row, rule: false });
  });
  for (let row = 0; row < rows; row++) {
    const w = width(row);
    let line = indent + '|';
    let b = 0;
    while (b < w) {
      const i = owner[row * ROW + b]!;
      let e = b + 1;
      while (e < w && owner[row * ROW + e] === i) e++;
      const cell = 2 * (e - b) - 1;
      let text = '';
      const at = i >= 0 ? labelAt.get(i) : undefined;
      if (at && at.row === row && !at.rule) text = shorten(fields[i]!, cell);
      line += centre(text, cell) + '|';
      b = e;
    }
    lines.push(line);
    // the rule under this row: open where a field goes on into the next row
    const next = row + 1 < rows ? width(row + 1) : 0;
    const n = Math.max(w, next);
    let r = indent;
    for (let k = 0; k <= n; k++) {
      const cont = (c: number) => c >= 0 && c < Math.min(w, next) && owner[row * ROW + c] === owner[(row + 1) * ROW + c] && owner[row * ROW + c]! >= 0;
      r += cont(k - 1) && cont(k) && owner[row * ROW + k - 1] === owner[row * ROW + k] ? ' ' : '+';
      if (k < n) r += cont(k) ? ' ' : '-';
    }
    // a label on this rule: the field goes on into the next row here, so the rule is open over it
    fields.forEach((f, i) => {
      const at = labelAt.get(i);
      if (!at || !at.rule || at.row !== row) return;
      const cell = 2 * ROW - 1;
      const t = shorten(f, cell - 2);
      const from = indent.length + 1;
      r = r.slice(0, from) + centre(t, cell) + r.slice(from + cell);
    });
    lines.push(r);
  }
  const head = `${recordTitle(rec)}: ${rec.size} byte${rec.size === 1 ? '' : 's'}, align ${rec.align} (${rec.pos.file}:${rec.pos.line}, ${p.target.triple}, ` +
    `bit 0 = ${p.target.endian === 'big' ? 'most' : 'least'} significant bit of each row's first byte)`;
  const out = [head, '', ...lines];
  if (flex.length) out.push('', ...flex);
  if (shortened.size) {
    out.push('');
    for (const [f, t] of shortened) out.push(`   ${t}: ${f.full}`);
  }
  return out.join('\n');
}

export function renderRfc(records: readonly RecordItem[]): string {
  return records.map(({ program, record }) => rfcDiagram(program, record)).join('\n\n') + '\n';
}
