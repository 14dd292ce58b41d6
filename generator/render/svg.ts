// `structgen layout --format svg`: each record as a byte map. Rows of 4 or 8 bytes (8 for records aligned to 8 or
// more), the byte offset of each row on the left; each member a box over the bits it holds, labelled with its name
// and C type; bit-fields as sub-byte boxes; holes and tail padding hatched with their size; nested records and
// anonymous members framed; arrays one box with a divider between elements; a union's alternatives side by side in
// lanes, or (more than four) as labelled panels under the grid; a legend with size, alignment and totals.
//
// Pictures scale: rows that only continue what the row above holds (the inside of a long array or member) are drawn
// as one short band that says how many rows it stands for, so the picture is linear in the number of members, not
// in the size of the record (`char a[1ULL << 36]` is a few rows). Every label is placed where it fits whole (or
// shortened with `…`), never below 10 px and never over another label; what does not fit is in the box's tooltip.
//
// Self-contained (no fonts, scripts or links), deterministic, escaped. Each member box is a `<g class="box">` with
// `data-kind`, `data-path`, `data-bit-offset` and `data-bit-size`, over one to three `<rect class="seg">` pieces
// (a partial first row, the full rows, a partial last row); each grid is a `<g class="area">` with its
// `<rect class="grid">`, a `<rect class="row" data-row="N">` per row drawn and a `<rect class="elided"
// data-row="N" data-rows="K">` per band of rows not drawn (tests and tools read the geometry back from these).
// Pure: no Node built-ins.

import type { ProgramFacts, RecordFacts } from '../layout/facts.js';
import { esc, num } from './escape.js';
import { fmtBits, freeEntries, MAX_LANES, pictureOf, recordTitle, type Area, type Box, type RecordItem, type RecordPicture } from './model.js';

/** Members or bit ranges to mark in a record's picture (the diff's changed bytes, say). */
export interface Marks {
  /** Access paths (`a.b`) whose boxes get the class `marked` and a heavy outline; a Map gives each path the colour
   * of its outline (the diff's class of change), red otherwise. */
  readonly paths?: Iterable<string> | ReadonlyMap<string, string>;
  /** Bit ranges `[from, to)` of the outermost record, each drawn as a `<g class="mark">` over the bits, in the colour
   * given third (red otherwise). */
  readonly bits?: ReadonlyArray<readonly [from: number, to: number, color?: string]>;
}

/** The colour of a mark none is given for. */
const MARK_COLOR = '#d7261e';

export interface SvgOptions {
  /** Prefix for ids (patterns), unique per document when several SVGs are inlined in one page. */
  readonly idPrefix?: string;
  /** `columns`: records side by side in columns of about equal height (the default of `renderSvg`); `stack`: one
   * under the other (the default here, for a page that scrolls). */
  readonly arrange?: 'columns' | 'stack';
  /** What to mark in a record, if anything. */
  readonly mark?: (record: RecordFacts) => Marks | null | undefined;
  /** Entries of the walk each record may have before its nested records are no longer all entered (each record
   * type then at most 16 more times); default: 50,000 shared by the records, at least 2,000 each. */
  readonly freeEntries?: number;
  /** The palette entry of each top-level member (by its index in the record's `members`); default the index
   * itself. The diff gives a member the same colour before and after, wherever it moved. */
  readonly colours?: (record: RecordFacts) => ReadonlyArray<number> | null | undefined;
}

const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
/** Monospace advance in em, with room to spare: label widths are estimated from it (DejaVu Sans Mono: 0.602). */
const CHAR = 0.62;
/** No text is drawn smaller. */
export const MIN_FONT = 10;
const F_NAME = 11;
const F_TYPE = 10;
const F_FRAME = 10;
const ROW_H = 48;
const GAP_H = 26;
/** Fewest rows a band stands for: shorter runs are drawn row by row (a small record is drawn whole). */
const MIN_BAND = 6;
const TITLE_H = 46;
const HEAD_H = 18; // byte numbers above a grid
const PANEL_H = 42; // a panel's two title lines
const AREA_GAP = 18;
const GAP = 28; // between records
const COL_GAP = 40;

/** Pastel fills, one per top-level member (cycled). */
const PALETTE = ['#cfe2ff', '#d1f2d9', '#ffe8c2', '#f4d3f0', '#d6f0f5', '#fff3b0', '#e2d9f7', '#fdd9d5', '#dbeed0', '#f9e0c0', '#d3e4f0', '#efe0d0'];

const textW = (s: string, size: number) => s.length * size * CHAR;

/** `1234567` -> `1,234,567` (no locale: output is deterministic). */
export function grouped(n: number): string {
  const s = String(n);
  return s.length <= 4 ? s : s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function byteWidth(rowBytes: number): number {
  return rowBytes === 8 ? 76 : 116;
}

/** The text that fits `width` at `size`: whole, or (`shorten`) cut to at least three characters and `…`; ''
 * otherwise. */
function fit(text: string, width: number, size: number, shorten = true): string {
  const n = Math.floor((width - 6) / (size * CHAR));
  if (text.length <= n) return text;
  if (!shorten || n < 4) return '';
  const cut = text.slice(0, n - 1).trimEnd();
  return shorten && cut.length >= 3 ? `${cut}…` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The rows of a grid: rows drawn, and bands standing for runs of rows that only continue what is above them.

interface Item {
  /** A row drawn, or a band of rows not drawn. */
  readonly k: 'row' | 'gap';
  readonly row: number;
  readonly rows: number;
  readonly y: number;
  readonly h: number;
}

interface Rect { x: number; y: number; w: number; h: number }

/** A piece of a box: its rectangle and the items (rows) it spans. */
interface Piece extends Rect { readonly i0: number; readonly i1: number }

class Grid {
  readonly items: Item[] = [];
  readonly r0: number;
  readonly r1: number;
  readonly height: number;

  constructor(
    readonly rowBits: number, readonly bitW: number, readonly x0: number, readonly y0: number, readonly area: Area,
    boundaries: number[], lanes: Array<{ from: number; to: number; f: number }>,
  ) {
    this.r0 = Math.floor(area.from / rowBits);
    // a panel shows its alternative's rows only; the rest of its last row is shaded
    this.r1 = Math.max(this.r0 + 1, Math.ceil(area.used / rowBits));
    const rows = [this.r0, this.r1 - 1];
    for (const b of boundaries) rows.push(Math.min(this.r1 - 1, Math.max(this.r0, b)));
    rows.sort((a, b) => a - b);
    // lane components: rows whose band is split, merged where they touch, with the most lanes any of them needs
    lanes.sort((a, b) => a.from - b.from);
    const comps: Array<{ from: number; to: number; f: number }> = [];
    for (const l of lanes) {
      const last = comps[comps.length - 1];
      if (last && l.from <= last.to) { last.to = Math.max(last.to, l.to); last.f = Math.max(last.f, l.f); } else comps.push({ ...l });
    }
    let c = 0;
    const factor = (row: number) => {
      while (c < comps.length && comps[c]!.to < row) c++;
      const k = comps[c];
      return k && k.from <= row ? k.f : 1;
    };
    let y = 0;
    const add = (k: 'row' | 'gap', row: number, n: number) => {
      const f = factor(row);
      const h = k === 'row' || f > 1 ? ROW_H * f : GAP_H;
      this.items.push({ k, row, rows: n, y, h });
      y += h;
    };
    let prev = -1;
    for (const r of rows) {
      if (r === prev) continue;
      if (prev >= 0 && r - prev - 1 >= MIN_BAND) add('gap', prev + 1, r - prev - 1);
      else for (let q = prev + 1; prev >= 0 && q < r; q++) add('row', q, 1);
      add('row', r, 1);
      prev = r;
    }
    this.height = y;
  }

  /** Index of the item holding `row`. */
  itemOf(row: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.items[mid]!.row <= row) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The pieces of bits [a, b) in a lane: a partial first row, the full rows between, a partial last row. A
   * zero-size member is a 0-wide piece at its offset (at the end of the row before when it is the grid's end). */
  pieces(a: number, b: number, lane: readonly [number, number]): Piece[] {
    const RB = this.rowBits;
    const band = (i0: number, i1: number, c0: number, c1: number): Piece => {
      const top = this.items[i0]!;
      const bot = this.items[i1]!;
      const y = this.y0 + top.y + lane[0] * top.h;
      const y2 = this.y0 + bot.y + (lane[0] + lane[1]) * bot.h;
      return { x: this.x0 + c0 * this.bitW, y, w: (c1 - c0) * this.bitW, h: y2 - y, i0, i1 };
    };
    if (b <= a) {
      let row = Math.floor(a / RB);
      let col = a - row * RB;
      if (col === 0 && row > this.r0 && row >= this.r1) { row -= 1; col = RB; }
      const i = this.itemOf(row);
      return [band(i, i, col, col)];
    }
    const ra = Math.floor(a / RB);
    const rb = Math.floor((b - 1) / RB);
    if (ra === rb) { const i = this.itemOf(ra); return [band(i, i, a - ra * RB, b - ra * RB)]; }
    const out: Piece[] = [];
    let fs = ra;
    let fe = rb;
    if (a % RB !== 0) { const i = this.itemOf(ra); out.push(band(i, i, a - ra * RB, RB)); fs = ra + 1; }
    if (b % RB !== 0) fe = rb - 1;
    if (fs <= fe) out.push(band(this.itemOf(fs), this.itemOf(fe), 0, RB));
    if (b % RB !== 0) { const i = this.itemOf(rb); out.push(band(i, i, 0, b - rb * RB)); }
    return out;
  }

  /** The rows drawn that bits [a, b) cross (for element dividers). */
  *rowsOf(a: number, b: number): Generator<Item> {
    if (b <= a) return;
    const i0 = this.itemOf(Math.floor(a / this.rowBits));
    const i1 = this.itemOf(Math.floor((b - 1) / this.rowBits));
    for (let i = i0; i <= i1; i++) if (this.items[i]!.k === 'row') yield this.items[i]!;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Labels: placed one by one; one that would touch a label already placed tries its next place, or is left out.

class Placer {
  private readonly cells = new Map<number, Rect[]>();
  private static readonly CW = 96;
  private static readonly CH = 48;

  /** Cells of the rectangle (columns never exceed 4096 cells: pictures are narrower). */
  private keys(r: Rect): number[] {
    const out: number[] = [];
    for (let cx = Math.floor(r.x / Placer.CW); cx <= Math.floor((r.x + r.w) / Placer.CW); cx++) {
      for (let cy = Math.floor(r.y / Placer.CH); cy <= Math.floor((r.y + r.h) / Placer.CH); cy++) out.push(cy * 4096 + cx);
    }
    return out;
  }

  /** The placed label `r` would touch, if any. */
  hit(r: Rect): Rect | null {
    for (const k of this.keys(r)) {
      for (const o of this.cells.get(k) ?? []) {
        if (r.x < o.x + o.w + 1 && o.x < r.x + r.w + 1 && r.y < o.y + o.h + 1 && o.y < r.y + r.h + 1) return o;
      }
    }
    return null;
  }

  add(r: Rect): void {
    for (const k of this.keys(r)) {
      let l = this.cells.get(k);
      if (!l) { l = []; this.cells.set(k, l); }
      l.push(r);
    }
  }
}

/** The box a line of text takes: from its baseline, by the font's ascent and descent. */
const textBox = (x: number, baseline: number, text: string, size: number, anchor: 'start' | 'middle'): Rect => {
  const w = textW(text, size);
  return { x: anchor === 'middle' ? x - w / 2 : x, y: baseline - 0.95 * size, w, h: 1.25 * size };
};

interface Label { readonly cls: string; readonly x: number; readonly y: number; readonly size: number; readonly text: string; readonly anchor: 'start' | 'middle'; readonly fill?: string }

const labelMarkup = (l: Label) =>
  `<text class="${l.cls}" x="${num(l.x)}" y="${num(l.y)}" font-size="${l.size}"${l.anchor === 'middle' ? ' text-anchor="middle"' : ''}${l.fill ? ` fill="${l.fill}"` : ''}>${esc(l.text)}</text>`;

// ---------------------------------------------------------------------------------------------------------------

interface Drawn {
  readonly box: Box; readonly pieces: Piece[]; readonly labels: Label[]; readonly grid: Grid;
  /** The colour of the box's mark, if it is marked. */
  readonly marked: string | null;
}

const isFrame = (b: Box) => (b.kind === 'record' || b.kind === 'union') && b.alternatives === 0;

/** Where the label of a leaf box may go: each piece; for a piece over several rows, its middle, first and last
 * rows drawn (the band of rows not drawn keeps its own note). */
function candidates(d: Drawn): Rect[] {
  const out: Rect[] = [];
  const g = d.grid;
  const byWidth = [...d.pieces].sort((a, b) => b.w - a.w);
  for (const p of byWidth) {
    if (p.i0 === p.i1) { out.push(p); continue; }
    const rows: number[] = [];
    for (const i of [Math.floor((p.i0 + p.i1) / 2), p.i0, p.i1]) if (g.items[i]!.k === 'row' && !rows.includes(i)) rows.push(i);
    for (const i of rows) {
      const it = g.items[i]!;
      const lane = d.box.lane;
      out.push({ x: p.x, y: g.y0 + it.y + lane[0] * it.h, w: p.w, h: lane[1] * it.h });
    }
  }
  return out;
}

function placeLeaf(d: Drawn, placer: Placer): void {
  const b = d.box;
  if (b.kind === 'flex') {
    // beside the marker, on the side where the grid has room
    const p = d.pieces[0]!;
    const text = `${b.name}[] →`;
    const size = F_NAME;
    const baseline = p.y + p.h / 2 + 0.35 * size;
    const w = textW(text, size);
    const right = d.grid.x0 + d.grid.rowBits * d.grid.bitW;
    const x = p.x + 5 + w <= right ? p.x + 5 : p.x - 5 - w >= d.grid.x0 ? p.x - 5 - w : null;
    if (x === null) return;
    const r = textBox(x, baseline, text, size, 'start');
    if (!placer.hit(r)) { placer.add(r); d.labels.push({ cls: 'label flex', x, y: baseline, size, text, anchor: 'start' }); }
    return;
  }
  const collapsed = b.alternatives > 0;
  const name = b.kind === 'padding' ? b.cType : collapsed ? (b.anonymous ? b.name : b.name) : b.kind === 'bitfield' ? `${b.name}:${b.bitSize}` : b.name;
  const long = b.depth > 0 && b.kind !== 'padding' && !b.anonymous ? (b.kind === 'bitfield' ? `${b.path}:${b.bitSize}` : b.path) : name;
  const type = b.kind === 'padding' ? '' : collapsed ? `${b.alternatives} alternatives, below` : b.cType;
  const nameSize = b.kind === 'padding' ? F_TYPE : F_NAME;
  for (const c of candidates(d)) {
    const cx = c.x + c.w / 2;
    const nameT = fit(long, c.w, nameSize) === long ? long : fit(name, c.w, nameSize, b.kind !== 'padding');
    if (!nameT) continue;
    const typeT = type && c.h >= 40 ? fit(type, c.w, F_TYPE) : '';
    if (typeT) {
      const nb = c.y + c.h / 2 + 3;
      const tb = nb + 14;
      const r1 = textBox(cx, nb, nameT, nameSize, 'middle');
      const r2 = textBox(cx, tb, typeT, F_TYPE, 'middle');
      if (!placer.hit(r1) && !placer.hit(r2)) {
        placer.add(r1);
        placer.add(r2);
        d.labels.push({ cls: 'label', x: cx, y: nb, size: nameSize, text: nameT, anchor: 'middle' });
        d.labels.push({ cls: 'type', x: cx, y: tb, size: F_TYPE, text: typeT, anchor: 'middle', fill: '#555' });
        return;
      }
    }
    const baseline = c.y + c.h / 2 + 0.35 * nameSize + (c.h >= 40 ? 2 : 0);
    const r = textBox(cx, baseline, nameT, nameSize, 'middle');
    if (placer.hit(r)) continue;
    placer.add(r);
    d.labels.push({ cls: 'label', x: cx, y: baseline, size: nameSize, text: nameT, anchor: 'middle', fill: b.kind === 'padding' ? '#666' : undefined });
    return;
  }
}

function placeFrame(d: Drawn, placer: Placer, stroke: string): void {
  const b = d.box;
  const text = b.anonymous ? b.name : `${b.name}: ${b.cType}`;
  for (const p of d.pieces) {
    const it = d.grid.items[p.i0]!;
    const top = p.i0 === p.i1 ? p.y : d.grid.y0 + it.y + b.lane[0] * it.h;
    const baseline = top + 2 + 0.95 * F_FRAME;
    let x = p.x + 4;
    for (let tries = 0; tries < 8; tries++) {
      const t = fit(text, p.x + p.w - x + 4, F_FRAME);
      if (!t) break;
      const r = textBox(x, baseline, t, F_FRAME, 'start');
      const o = placer.hit(r);
      if (!o) {
        placer.add(r);
        d.labels.push({ cls: 'flabel', x, y: baseline, size: F_FRAME, text: t, anchor: 'start', fill: stroke });
        return;
      }
      x = o.x + o.w + 6;
    }
  }
}

interface Geo { id: string; colours: ReadonlyArray<number> | null }

function boxMarkup(d: Drawn, g: Geo): string {
  const b = d.box;
  const attrs = `data-kind="${b.kind}" data-path="${esc(b.path)}" data-bit-offset="${b.bitOffset}" data-bit-size="${b.bitSize}"`;
  const frame = isFrame(b);
  const cls = b.kind === 'padding' ? 'box pad' : frame ? 'box frame' : 'box member';
  const extra = `${b.anonymous ? ' data-anonymous="true"' : ''}${b.alternatives ? ` data-alternatives="${b.alternatives}"` : ''}`;
  const out: string[] = [`<g class="${cls}${d.marked ? ' marked' : ''}" ${attrs}${extra}>`];
  const at = `byte ${grouped(Math.floor(b.bitOffset / 8))}${b.bitOffset % 8 ? ` bit ${b.bitOffset % 8}` : ''}`;
  const tip = b.kind === 'padding'
    ? `${b.name === 'hole' ? 'hole' : 'tail padding'}: ${b.cType} at ${at}`
    : `${b.anonymous ? b.name : b.path}: ${b.cType}${b.kind === 'bitfield' ? ` : ${b.bitSize}` : ''} at ${at}, ` +
      `${b.kind === 'bitfield' ? `${b.bitSize} bit${b.bitSize === 1 ? '' : 's'}` : b.kind === 'flex' ? 'flexible array' : fmtBits(b.bitSize)}` +
      `${b.alternatives ? `, ${b.alternatives} alternatives (drawn below)` : ''}${b.doc ? ` — ${b.doc}` : ''}`;
  out.push(`<title>${esc(tip)}</title>`);
  const fill = b.kind === 'padding' ? `url(#${g.id}-hatch)` : frame ? 'none' : b.alternatives ? '#f6eaf3' : b.group >= 0 ? PALETTE[(g.colours?.[b.group] ?? b.group) % PALETTE.length]! : '#e9eef5';
  const stroke = b.kind === 'record' ? '#2b5fad' : b.kind === 'union' ? '#a23b8f' : b.kind === 'padding' ? '#b0b0b0' : '#555';
  const sw = frame ? 2 : 1;
  const dash = b.kind === 'union' ? ' stroke-dasharray="6 3"' : b.anonymous ? ' stroke-dasharray="2 2"' : '';
  for (const s of d.pieces) {
    if (b.kind === 'flex') {
      out.push(`<rect class="seg" x="${num(s.x - 1.5)}" y="${num(s.y)}" width="3" height="${num(s.h)}" fill="#555"/>`);
      continue;
    }
    // frames are inset so that the members they hold stay visible inside them
    const inset = frame ? 1 : 0;
    out.push(`<rect class="seg" x="${num(s.x + inset)}" y="${num(s.y + inset)}" width="${num(Math.max(0, s.w - 2 * inset))}" height="${num(Math.max(0, s.h - 2 * inset))}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"${dash}/>`);
    if (d.marked) out.push(`<rect class="mark-outline" x="${num(s.x + 1.5)}" y="${num(s.y + 1.5)}" width="${num(Math.max(0, s.w - 3))}" height="${num(Math.max(0, s.h - 3))}" fill="none" stroke="${esc(d.marked)}" stroke-width="3"/>`);
  }
  // array elements: a divider at each element boundary, in the rows drawn
  if (b.elements && b.elements.count > 1 && b.elements.strideBits * d.grid.bitW >= 4) {
    const st = b.elements.strideBits;
    const end = b.bitOffset + b.bitSize;
    for (const it of d.grid.rowsOf(b.bitOffset, end)) {
      const rs = it.row * d.grid.rowBits;
      const re = rs + d.grid.rowBits;
      let k = Math.max(1, Math.ceil((rs - b.bitOffset) / st));
      for (let at = b.bitOffset + k * st; at < Math.min(re, end); at = b.bitOffset + ++k * st) {
        if (at <= rs) continue;
        const x = d.grid.x0 + (at - rs) * d.grid.bitW;
        const y = d.grid.y0 + it.y + b.lane[0] * it.h;
        out.push(`<line class="elem" x1="${num(x)}" y1="${num(y + 3)}" x2="${num(x)}" y2="${num(y + b.lane[1] * it.h - 3)}" stroke="#888" stroke-width="1" stroke-dasharray="2 2"/>`);
      }
    }
  }
  for (const l of d.labels) out.push(labelMarkup(l));
  out.push('</g>');
  return out.join('');
}

/** Lane components of an area: the rows of each box whose band is split, with how many lanes fit one row. */
function laneRows(area: Area, rowBits: number): Array<{ from: number; to: number; f: number }> {
  const out: Array<{ from: number; to: number; f: number }> = [];
  for (const b of area.boxes) {
    if (b.lane[1] >= 1) continue;
    const f = Math.min(MAX_LANES, Math.ceil(1 / b.lane[1] - 1e-9));
    out.push({ from: Math.floor(b.bitOffset / rowBits), to: Math.floor((b.bitOffset + Math.max(1, b.bitSize) - 1) / rowBits), f });
  }
  return out;
}

function boundaries(area: Area, rowBits: number, marks: NonNullable<Marks['bits']>): number[] {
  const out: number[] = [];
  const at = (bit: number) => out.push(Math.floor(bit / rowBits));
  for (const b of area.boxes) {
    at(b.bitOffset);
    if (b.bitSize > 0) at(b.bitOffset + b.bitSize - 1);
    else if (b.bitOffset > 0) at(b.bitOffset - 1);
  }
  at(area.from);
  if (area.used > area.from) at(area.used - 1);
  at(area.used);
  for (const [a, z] of marks) { if (z > a && z > area.from && a < area.to) { at(Math.max(a, area.from)); at(Math.min(z, area.to) - 1); } }
  return out;
}

/** One record as an SVG group at the origin; returns the markup, its height and width. */
function recordGroup(pic: RecordPicture, p: ProgramFacts, id: string, marks: Marks | null, colours: ReadonlyArray<number> | null): { svg: string; height: number; width: number } {
  const r = pic.record;
  const rowBits = pic.rowBytes * 8;
  const BW = byteWidth(pic.rowBytes);
  const bitW = BW / 8;
  const gridW = BW * pic.rowBytes;
  const maxOffset = Math.max(0, (Math.ceil(r.size / pic.rowBytes) - 1) * pic.rowBytes);
  const LEFT = Math.max(52, Math.ceil(textW(grouped(maxOffset), 11)) + 16);
  const markPaths: ReadonlyMap<string, string> = marks?.paths instanceof Map
    ? marks.paths as ReadonlyMap<string, string>
    : new Map([...(marks?.paths as Iterable<string> | undefined ?? [])].map((q) => [q, MARK_COLOR]));
  const markBits = marks?.bits ?? [];
  const out: string[] = [];
  const title = recordTitle(r);
  const flags = [r.packed ? 'packed' : '', r.pack ? `#pragma pack(${r.pack})` : ''].filter(Boolean).join(', ');
  const where = `${r.pos.file}:${r.pos.line} · ${p.target.triple}${flags ? ` · ${flags}` : ''}`;
  out.push(`<g class="record" data-name="${esc(r.name ?? r.cName)}" data-kind="${r.kind}" data-size="${r.size}" data-align="${r.align}" data-row-bytes="${pic.rowBytes}" data-rows="${Math.max(1, Math.ceil(r.size / pic.rowBytes))}">`);
  out.push(`<text class="title" x="0" y="18" font-size="15" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text class="where" x="0" y="36" font-size="11" fill="#555">${esc(where)}</text>`);
  let width = Math.max(LEFT + gridW + 8, textW(title, 15) * 1.1, textW(where, 11));
  let y = TITLE_H;
  for (const area of pic.areas) {
    const parts: string[] = [];
    if (area.title !== null) {
      const [head, what] = splitTitle(area.title);
      parts.push(`<text class="panel-title" x="0" y="${num(y + 16)}" font-size="12" font-weight="bold" fill="#a23b8f">${esc(head)}</text>`);
      parts.push(`<text class="panel-what" x="0" y="${num(y + 32)}" font-size="11" fill="#333">${esc(what)}</text>`);
      width = Math.max(width, textW(head, 12) * 1.1, textW(what, 11));
      y += PANEL_H;
    }
    const gridY = y + HEAD_H;
    const grid = new Grid(rowBits, bitW, LEFT, gridY, area, boundaries(area, rowBits, markBits), laneRows(area, rowBits));
    const u = area.union;
    parts.unshift(`<g class="area" data-from-bit="${area.from}" data-to-bit="${area.to}" data-used-bit="${area.used}"${u ? ` data-union="${esc(u.path)}" data-alternative="${u.index}" data-alternatives="${u.of}"` : ''}>`);
    for (let b = 0; b < pic.rowBytes; b++) {
      parts.push(`<text class="col" x="${num(LEFT + b * BW + BW / 2)}" y="${gridY - 5}" font-size="10" fill="#777" text-anchor="middle">+${b}</text>`);
    }
    parts.push(`<rect class="grid" x="${LEFT}" y="${gridY}" width="${gridW}" height="${num(grid.height)}" fill="#ffffff" stroke="#999" stroke-width="1"/>`);
    // byte rules, under the boxes
    for (let b = 1; b < pic.rowBytes; b++) {
      parts.push(`<line x1="${LEFT + b * BW}" y1="${gridY}" x2="${LEFT + b * BW}" y2="${num(gridY + grid.height)}" stroke="#e3e3e3" stroke-width="1"/>`);
    }
    const placer = new Placer();
    for (const it of grid.items) {
      const ty = gridY + it.y;
      if (it.k === 'row') {
        parts.push(`<rect class="row" data-row="${it.row}" x="${LEFT}" y="${num(ty)}" width="${gridW}" height="${num(it.h)}" fill="none"/>`);
        const off = grouped(it.row * pic.rowBytes);
        parts.push(`<text class="off" x="${LEFT - 8}" y="${num(ty + Math.min(it.h, ROW_H) / 2 + 4)}" font-size="11" fill="#555" text-anchor="end">${off}</text>`);
      } else {
        parts.push(`<rect class="elided" data-row="${it.row}" data-rows="${it.rows}" x="${LEFT}" y="${num(ty)}" width="${gridW}" height="${num(it.h)}" fill="#f7f7f7"/>`);
        parts.push(`<text class="off" x="${LEFT - 8}" y="${num(ty + it.h / 2 + 4)}" font-size="11" fill="#555" text-anchor="end">…</text>`);
      }
    }
    // what lies outside the record (or outside the alternative) in the rows drawn is shaded
    const shade = (a: number, z: number) => {
      for (const s of grid.pieces(a, z, [0, 1])) parts.push(`<rect class="beyond" x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="#eeeeee"/>`);
    };
    if (area.from > grid.r0 * rowBits) shade(grid.r0 * rowBits, area.from);
    if (area.used < grid.r1 * rowBits) shade(area.used, grid.r1 * rowBits);
    const drawn: Drawn[] = area.boxes.map((box) => ({
      box, grid, labels: [], marked: box.path !== '' ? markPaths.get(box.path) ?? null : null,
      pieces: grid.pieces(box.bitOffset, box.bitOffset + box.bitSize, box.lane),
    }));
    // labels: the bands of rows not drawn say what they stand for; then members, padding, frames (outer first)
    const notes: string[] = [];
    for (const it of grid.items) {
      if (it.k !== 'gap') continue;
      const from = it.row * pic.rowBytes;
      const text = fit(`… ${grouped(it.rows)} rows not drawn: bytes ${grouped(from)} to ${grouped(from + it.rows * pic.rowBytes - 1)} …`, gridW, F_TYPE);
      const baseline = gridY + it.y + Math.min(it.h, GAP_H) / 2 + 0.35 * F_TYPE;
      const rr = textBox(LEFT + gridW / 2, baseline, text, F_TYPE, 'middle');
      if (!text || placer.hit(rr)) continue;
      placer.add(rr);
      notes.push(`<rect x="${num(rr.x - 3)}" y="${num(rr.y)}" width="${num(rr.w + 6)}" height="${num(rr.h)}" fill="#f7f7f7" fill-opacity="0.85"/>`);
      notes.push(labelMarkup({ cls: 'note', x: LEFT + gridW / 2, y: baseline, size: F_TYPE, text, anchor: 'middle', fill: '#555' }));
    }
    for (const d of drawn) if (!isFrame(d.box) && d.box.kind !== 'padding') placeLeaf(d, placer);
    for (const d of drawn) if (d.box.kind === 'padding') placeLeaf(d, placer);
    for (const d of drawn) if (isFrame(d.box)) placeFrame(d, placer, d.box.kind === 'union' ? '#a23b8f' : '#2b5fad');
    for (const d of drawn) parts.push(boxMarkup(d, { id, colours }));
    for (const [a, z, color = MARK_COLOR] of markBits) {
      const from = Math.max(a, area.from);
      const to = Math.min(z, area.to);
      if (to <= from) continue;
      parts.push(`<g class="mark" data-bit-offset="${from}" data-bit-size="${to - from}">`);
      for (const s of grid.pieces(from, to, [0, 1])) parts.push(`<rect class="seg" x="${num(s.x)}" y="${num(s.y)}" width="${num(s.w)}" height="${num(s.h)}" fill="${esc(color)}" fill-opacity="0.22" stroke="${esc(color)}" stroke-width="1.5"/>`);
      parts.push('</g>');
    }
    parts.push(...notes);
    parts.push('</g>');
    for (const x of parts) out.push(x);
    y = gridY + grid.height + AREA_GAP;
  }
  // legend: totals on two lines, then the key
  const s = pic.summary;
  const big = (t: string) => t.replace(/\d{5,}/g, (d) => grouped(Number(d)));
  const line1 = `${grouped(r.size)} byte${r.size === 1 ? '' : 's'}, align ${r.align} · ${grouped(s.members)} member${s.members === 1 ? '' : 's'}`;
  const line2 = big(`${s.holes} hole${s.holes === 1 ? '' : 's'} (${fmtBits(s.holeBits)}) · tail padding ${fmtBits(s.tailBits)} · ${fmtBits(s.usedBits)} used`);
  const ly = y + 8;
  out.push(`<text class="legend" x="0" y="${ly}" font-size="12">${esc(line1)}</text>`);
  out.push(`<text class="legend" x="0" y="${ly + 17}" font-size="12">${esc(line2)}</text>`);
  width = Math.max(width, textW(line1, 12), textW(line2, 12));
  const keys: Array<[string, string]> = [['nested record', 'record'], ['union', 'union'], ['hole / padding', 'padding']];
  let kx = 0;
  const ky = ly + 28;
  for (const [label, kind] of keys) {
    const fill = kind === 'padding' ? `url(#${id}-hatch)` : 'none';
    const stroke = kind === 'record' ? '#2b5fad' : kind === 'union' ? '#a23b8f' : '#666';
    const dash = kind === 'union' ? ' stroke-dasharray="4 2"' : '';
    out.push(`<rect x="${kx}" y="${ky}" width="16" height="12" fill="${fill}" stroke="${stroke}"${dash}/>`);
    out.push(`<text class="key" x="${kx + 21}" y="${ky + 10}" font-size="11" fill="#333">${label}</text>`);
    kx += 21 + textW(label, 11) + 16;
  }
  width = Math.max(width, kx);
  out.push('</g>');
  return { svg: out.join('\n'), height: ky + 18, width: Math.ceil(width) };
}

/** `alternative 2 of 19 of union bpf_attr: struct { ... }` -> the heading and what the alternative is. */
function splitTitle(t: string): [string, string] {
  const k = t.indexOf(': ');
  return k < 0 ? [t, ''] : [t.slice(0, k), t.slice(k + 2)];
}

function defs(id: string): string {
  return `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c4c4c4" stroke-width="2"/></pattern></defs>`;
}

/** The records as one SVG element (for a document or inlined in HTML). */
export function svgElement(records: readonly RecordItem[], opts: SvgOptions = {}): string {
  const id = opts.idPrefix ?? 'sg';
  const free = opts.freeEntries ?? freeEntries(records.length);
  const groups = records.map(({ program, record }) => recordGroup(pictureOf(program, record, free), program, id, opts.mark?.(record) ?? null, opts.colours?.(record) ?? null));
  // columns of about equal height, for a picture about as wide as tall; or one column
  const tallest = groups.reduce((a, g) => Math.max(a, g.height), 0);
  const area = groups.reduce((a, g) => a + (g.height + GAP) * (g.width + COL_GAP), 0);
  const limit = opts.arrange === 'columns' ? Math.max(tallest, 1200, Math.sqrt(area)) : Infinity;
  const placed: string[] = [];
  let x = 12;
  let y = 12;
  let colW = 0;
  let width = 320;
  let height = 0;
  for (const g of groups) {
    if (y > 12 && y + g.height > limit) { x += colW + COL_GAP; y = 12; colW = 0; }
    placed.push(`<g transform="translate(${x} ${y})">\n${g.svg}\n</g>`);
    colW = Math.max(colW, g.width);
    width = Math.max(width, x + colW + 12);
    height = Math.max(height, y + g.height + 12);
    y += g.height + GAP;
  }
  height = Math.max(height, 40);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="structgen-layout" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    `font-family="${FONT}" data-target="${esc(records[0]?.program.target.triple ?? '')}">\n${defs(id)}\n<rect width="100%" height="100%" fill="#ffffff"/>\n${placed.join('\n')}\n</svg>`;
}

/** `layout --format svg`: a standalone SVG document, its records in columns. */
export function renderSvg(records: readonly RecordItem[], opts: SvgOptions = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgElement(records, { arrange: 'columns', ...opts })}\n`;
}
