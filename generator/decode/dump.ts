// Text views of decoded records: `structgen dump` (an annotated hex dump: offset, the bytes, each member's name and
// value beside the bytes it occupies, padding marked, optionally coloured by member) and `structgen decode --format
// table` (one row per value: path, offset, type, value). Pure: no Node built-ins.

import type { RecordPlan } from '../plan/plan.js';
import type { Decoded, Interpreter } from './interpret.js';
import { leaves, leavesAndPadding, type Leaf, type Pad } from './present.js';

export interface DumpOptions {
  /** ANSI colours: each top-level member's bytes and name in its own colour, padding dim. */
  readonly color?: boolean;
  /** Where `bytes` starts in the whole input (a window of a file or stream): added to the offsets shown. */
  readonly origin?: number;
}

const COLOURS = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];
const PER_LINE = 8;

/** The largest `f(x)` and `least`: a loop, since a flexible array's million leaves overflow `Math.max(...xs)`. */
function maxOf<T>(xs: readonly T[], f: (x: T) => number, least: number): number {
  let m = least;
  for (const x of xs) m = Math.max(m, f(x));
  return m;
}

const hx = (n: number, w: number) => n.toString(16).padStart(w, '0');
const fmtAt = (bit: number) => `${Math.floor(bit / 8)}${bit % 8 ? `:${bit % 8}` : ''}`;

/** The annotated hex dump of one decoded record at `offset` of `bytes`. */
export function dumpRecord(ip: Interpreter, rp: RecordPlan, v: Decoded, bytes: Uint8Array, offset: number, opts: DumpOptions = {}): string {
  const on = opts.color === true;
  const shownAt = (opts.origin ?? 0) + offset;
  const paint = (s: string, code: number) => (on && s ? `\x1b[${code}m${s}\x1b[39m` : s);
  const dim = (s: string) => (on && s ? `\x1b[2m${s}\x1b[22m` : s);
  // the padding of the record, placed among the members by offset (declaration order otherwise)
  const { leaves: ls, pads } = leavesAndPadding(ip, rp, v);
  type Item = { leaf: Leaf } | { pad: Pad };
  const items: Item[] = [];
  let pi = 0;
  for (const leaf of ls) {
    while (pi < pads.length && pads[pi]!.bitOffset < leaf.bitOffset) items.push({ pad: pads[pi++]! });
    items.push({ leaf });
  }
  while (pi < pads.length) items.push({ pad: pads[pi++]! });
  const w = Math.max(8, (shownAt + maxOf(ls, (l) => Math.ceil((l.bitOffset + l.bitSize) / 8), rp.facts.size)).toString(16).length);
  const nameW = Math.min(32, maxOf(ls, (l) => l.path.length + (l.bitfield ? `:${l.bitSize}`.length : 0), 12));
  const lines: string[] = [];
  lines.push(`${rp.facts.kind} ${rp.facts.name ?? rp.name} at byte offset ${shownAt} (0x${shownAt.toString(16)}), ${rp.facts.size} bytes`);
  let shown = 0; // bytes of the record already printed (relative)
  const byteCol = (from: number, to: number, code: number | null) => {
    const cells: string[] = [];
    for (let b = from; b < to; b++) cells.push(offset + b < bytes.length ? hx(bytes[offset + b]!, 2) : '..');
    const s = cells.join(' ');
    return { text: code === null ? dim(s) : paint(s, code), width: s.length };
  };
  const row = (at: number, from: number, to: number, code: number | null, name: string, value: string) => {
    const col = to > from ? byteCol(from, to, code) : { text: '', width: 0 };
    const gap = ' '.repeat(PER_LINE * 3 - 1 - col.width + 2);
    const n = name ? (code === null ? dim(name.padEnd(nameW)) : paint(name.padEnd(nameW), code)) : ' '.repeat(nameW);
    lines.push(`${hx(shownAt + at, w)}  ${col.text}${gap}${n}  ${value}`.trimEnd());
  };
  for (const it of items) {
    if ('pad' in it) {
      const p = it.pad;
      const from = Math.ceil(p.bitOffset / 8);
      const to = Math.floor((p.bitOffset + p.bitSize) / 8);
      const what = `(${p.kind === 'tail' ? 'padding' : 'hole'}, ${p.bitSize % 8 === 0 ? `${p.bitSize / 8} byte${p.bitSize === 8 ? '' : 's'}` : `${p.bitSize} bits`} at ${fmtAt(p.bitOffset)})`;
      if (to <= from || to <= shown) { row(Math.floor(p.bitOffset / 8), 0, 0, null, '', dim(what)); continue; }
      let b = Math.max(from, shown);
      let first = true;
      while (b < to) {
        const e = Math.min(to, b + PER_LINE);
        row(b, b, e, null, first ? '' : '', first ? dim(what) : '');
        first = false;
        b = e;
      }
      shown = Math.max(shown, to);
      continue;
    }
    const l = it.leaf;
    const code = COLOURS[l.group % COLOURS.length]!;
    const from = Math.floor(l.bitOffset / 8);
    const to = Math.ceil((l.bitOffset + l.bitSize) / 8);
    const name = l.bitfield ? `${l.path}:${l.bitSize}` : l.path;
    const value = l.bitfield ? `${l.text}  [bit${l.bitSize === 1 ? '' : 's'} ${l.bitOffset % 8}${l.bitSize > 1 ? `-${(l.bitOffset % 8) + l.bitSize - 1}` : ''} of byte ${from}]` : l.text;
    let b = Math.max(from, shown);
    if (b >= to) { row(from, 0, 0, code, name, value); continue; } // bytes shown already (a union, a shared bit-field unit)
    let first = true;
    while (b < to) {
      const e = Math.min(to, b + PER_LINE);
      row(first ? (l.bitfield ? from : b) : b, b, e, code, first ? name : '', first ? value : '');
      first = false;
      b = e;
    }
    shown = Math.max(shown, to);
  }
  return lines.join('\n');
}

/** `decode --format table`: path, offset, type and value of every value of the record. */
export function tableRecord(ip: Interpreter, rp: RecordPlan, v: Decoded, offset: number): string {
  const ls = leaves(ip, rp, v);
  const rows = ls.map((l) => [l.bitfield ? `${l.path}:${l.bitSize}` : l.path, fmtAt(l.bitOffset), l.cType, l.text]);
  const head = ['member', 'offset', 'type', 'value'];
  const widths = head.map((h, i) => maxOf(rows, (r) => r[i]!.length, h.length));
  const fmt = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : i === 3 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [`${rp.facts.kind} ${rp.facts.name ?? rp.name} at byte offset ${offset}`, fmt(head), ...rows.map(fmt)].join('\n');
}
