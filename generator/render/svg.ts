// `structgen layout --format svg`: each record as a byte map. Rows of 4 or 8 bytes (8 for records aligned to 8 or
// more), the byte offset of each row on the left; each member a box over the bits it holds, labelled with its name
// and C type; bit-fields as sub-byte boxes; holes and tail padding hatched with their size; nested records and unions
// framed; arrays one box with a divider between elements; a union's members side by side (lanes of the row band); a
// legend with size, alignment and totals. Self-contained (no fonts, scripts or links), deterministic, escaped.
// Each member box is a `<g>` with `data-path`, `data-bit-offset`, `data-bit-size` and `data-kind`, over one `<rect
// class="seg">` per row it crosses; `<rect class="grid">` spans the byte area of a record (tests and tools read the
// geometry back from these). Pure: no Node built-ins.

import type { ProgramFacts } from '../layout/facts.js';
import { esc, num } from './escape.js';
import { fmtBits, pictureOf, recordTitle, type Box, type RecordItem, type RecordPicture } from './model.js';

export interface SvgOptions {
  /** Prefix for ids (patterns), unique per document when several SVGs are inlined in one page. */
  readonly idPrefix?: string;
}

const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
const CHAR = 0.6; // monospace advance, in em
const ROW_H = 44;
const LEFT = 64; // the offset column
const TITLE_H = 46;
const HEAD_H = 18; // byte numbers above the grid
const LEGEND_H = 58;
const GAP = 28;

/** Pastel fills, one per top-level member (cycled). */
const PALETTE = ['#cfe2ff', '#d1f2d9', '#ffe8c2', '#f4d3f0', '#d6f0f5', '#fff3b0', '#e2d9f7', '#fdd9d5', '#dbeed0', '#f9e0c0', '#d3e4f0', '#efe0d0'];

function byteWidth(rowBytes: number): number {
  return rowBytes === 8 ? 84 : 120;
}

interface Seg { readonly row: number; readonly x: number; readonly w: number }

/** The row pieces of bits [a, a + size): one per row crossed; a zero-size member is a 0-wide piece at its offset
 * (at the end of the last row when it is past the record's last full row). */
export function segments(a: number, size: number, rowBits: number, totalBits: number, bitW: number): Seg[] {
  if (size === 0) {
    let row = Math.floor(a / rowBits);
    let col = a % rowBits;
    if (col === 0 && a > 0 && a >= totalBits) { row -= 1; col = rowBits; }
    return [{ row, x: col * bitW, w: 0 }];
  }
  const out: Seg[] = [];
  let at = a;
  const end = a + size;
  while (at < end) {
    const row = Math.floor(at / rowBits);
    const rowEnd = (row + 1) * rowBits;
    const stop = Math.min(end, rowEnd);
    out.push({ row, x: (at - row * rowBits) * bitW, w: (stop - at) * bitW });
    at = stop;
  }
  return out;
}

function fit(text: string, width: number, size: number): string {
  const n = Math.floor((width - 6) / (size * CHAR));
  if (n <= 0) return '';
  if (text.length <= n) return text;
  return n <= 1 ? text.slice(0, 1) : `${text.slice(0, n - 1)}…`;
}

/** One record as an SVG group of the given width, at the origin; returns the markup and its height. */
function recordGroup(pic: RecordPicture, p: ProgramFacts, id: string, index: number): { svg: string; height: number; width: number } {
  const r = pic.record;
  const rowBits = pic.rowBytes * 8;
  const BW = byteWidth(pic.rowBytes);
  const bitW = BW / 8;
  const gridW = BW * pic.rowBytes;
  const gridX = LEFT;
  const gridY = TITLE_H + HEAD_H;
  // rows holding a union's members side by side are taller (up to 4 rows' height), so each lane stays legible
  const factor = new Array<number>(pic.rows).fill(1);
  for (const b of pic.boxes) {
    for (const sg of segments(b.bitOffset, b.bitSize, rowBits, r.size * 8, 1)) {
      if (sg.row >= 0 && sg.row < pic.rows) factor[sg.row] = Math.max(factor[sg.row]!, Math.min(4, Math.round(1 / b.lane[1])));
    }
  }
  const rowY: number[] = [];
  let acc = 0;
  for (let row = 0; row < pic.rows; row++) { rowY.push(acc); acc += factor[row]! * ROW_H; }
  rowY.push(acc);
  const rowH = (row: number) => rowY[row + 1]! - rowY[row]!;
  const gridH = acc;
  const totalBits = r.size * 8;
  const out: string[] = [];
  const title = recordTitle(r);
  const marks = [r.packed ? 'packed' : '', r.pack ? `#pragma pack(${r.pack})` : ''].filter(Boolean).join(', ');
  out.push(`<g class="record" data-name="${esc(r.name ?? r.cName)}" data-kind="${r.kind}" data-size="${r.size}" data-align="${r.align}" data-row-bytes="${pic.rowBytes}" data-rows="${pic.rows}">`);
  out.push(`<text class="title" x="0" y="18" font-size="15" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text class="where" x="0" y="36" font-size="11" fill="#555">${esc(`${r.pos.file}:${r.pos.line}`)} · ${esc(p.target.triple)}${marks ? ` · ${esc(marks)}` : ''}</text>`);
  // byte numbers above the grid, row offsets on the left
  for (let b = 0; b < pic.rowBytes; b++) {
    out.push(`<text class="col" x="${num(gridX + b * BW + BW / 2)}" y="${gridY - 5}" font-size="10" fill="#777" text-anchor="middle">+${b}</text>`);
  }
  for (let row = 0; row < pic.rows; row++) {
    out.push(`<text class="off" x="${LEFT - 8}" y="${num(gridY + rowY[row]! + ROW_H / 2 + 4)}" font-size="11" fill="#555" text-anchor="end">${row * pic.rowBytes}</text>`);
  }
  // the byte area: what lies past the record's end in the last row is shaded
  out.push(`<rect class="grid" x="${gridX}" y="${gridY}" width="${gridW}" height="${gridH}" fill="#ffffff" stroke="#999" stroke-width="1"/>`);
  const past = pic.rows * rowBits - totalBits;
  if (past > 0) {
    out.push(`<rect class="beyond" x="${num(gridX + (rowBits - past) * bitW)}" y="${gridY + rowY[pic.rows - 1]!}" width="${num(past * bitW)}" height="${rowH(pic.rows - 1)}" fill="#eeeeee"/>`);
  }
  // byte rules, under the boxes
  for (let row = 0; row < pic.rows; row++) {
    out.push(`<rect class="row" data-row="${row}" x="${gridX}" y="${gridY + rowY[row]!}" width="${gridW}" height="${rowH(row)}" fill="none"/>`);
    for (let b = 1; b < pic.rowBytes; b++) {
      out.push(`<line x1="${gridX + b * BW}" y1="${gridY + rowY[row]!}" x2="${gridX + b * BW}" y2="${gridY + rowY[row + 1]!}" stroke="#e3e3e3" stroke-width="1"/>`);
    }
  }
  for (const box of pic.boxes) out.push(boxMarkup(box, { rowBits, totalBits, bitW, gridX, gridY, id, rowY }));
  // legend
  const s = pic.summary;
  const ly = gridY + gridH + 22;
  const totals = `${r.size} byte${r.size === 1 ? '' : 's'}, align ${r.align} · ${s.members} member${s.members === 1 ? '' : 's'} · ` +
    `${s.holes} hole${s.holes === 1 ? '' : 's'} (${fmtBits(s.holeBits)}) · tail padding ${fmtBits(s.tailBits)} · ${fmtBits(s.usedBits)} used`;
  out.push(`<text class="legend" x="0" y="${ly}" font-size="12">${esc(totals)}</text>`);
  const keys: Array<[string, string]> = [['nested record', 'record'], ['union', 'union'], ['hole / padding', 'padding']];
  let kx = 0;
  for (const [label, kind] of keys) {
    const fill = kind === 'padding' ? `url(#${id}-hatch)` : kind === 'record' || kind === 'union' ? 'none' : PALETTE[0]!;
    const stroke = kind === 'record' ? '#2b5fad' : kind === 'union' ? '#a23b8f' : '#666';
    const dash = kind === 'union' ? ' stroke-dasharray="4 2"' : '';
    out.push(`<rect x="${kx}" y="${ly + 12}" width="16" height="12" fill="${fill}" stroke="${stroke}"${dash}/>`);
    out.push(`<text x="${kx + 21}" y="${ly + 22}" font-size="11" fill="#333">${label}</text>`);
    kx += 28 + label.length * 11 * CHAR + 10;
  }
  out.push('</g>');
  void index;
  return { svg: out.join('\n'), height: gridY + gridH + LEGEND_H, width: Math.max(LEFT + gridW + 8, kx) };
}

interface Geo { rowBits: number; totalBits: number; bitW: number; gridX: number; gridY: number; id: string; rowY: readonly number[] }

function boxMarkup(b: Box, g: Geo): string {
  const segs = segments(b.bitOffset, b.bitSize, g.rowBits, g.totalBits, g.bitW);
  const attrs = `data-kind="${b.kind}" data-path="${esc(b.path)}" data-bit-offset="${b.bitOffset}" data-bit-size="${b.bitSize}"`;
  const cls = b.kind === 'padding' ? 'box pad' : b.kind === 'record' || b.kind === 'union' ? 'box frame' : 'box member';
  const out: string[] = [`<g class="${cls}" ${attrs}>`];
  const tip = b.kind === 'padding'
    ? `${b.name === 'hole' ? 'hole' : 'tail padding'}: ${b.cType} at byte ${Math.floor(b.bitOffset / 8)}${b.bitOffset % 8 ? ` bit ${b.bitOffset % 8}` : ''}`
    : `${b.path}: ${b.cType}${b.kind === 'bitfield' ? ` : ${b.bitSize}` : ''} at byte ${Math.floor(b.bitOffset / 8)}${b.bitOffset % 8 ? ` bit ${b.bitOffset % 8}` : ''}, ` +
      `${b.kind === 'bitfield' ? `${b.bitSize} bit${b.bitSize === 1 ? '' : 's'}` : b.kind === 'flex' ? 'flexible array' : fmtBits(b.bitSize)}${b.doc ? ` — ${b.doc}` : ''}`;
  out.push(`<title>${esc(tip)}</title>`);
  const fill = b.kind === 'padding' ? `url(#${g.id}-hatch)` : b.kind === 'record' || b.kind === 'union' ? 'none' : PALETTE[b.group % PALETTE.length]!;
  const stroke = b.kind === 'record' ? '#2b5fad' : b.kind === 'union' ? '#a23b8f' : b.kind === 'padding' ? '#b0b0b0' : '#555';
  const sw = b.kind === 'record' || b.kind === 'union' ? 2 : 1;
  const dash = b.kind === 'union' ? ' stroke-dasharray="6 3"' : '';
  let best: { x: number; y: number; w: number; h: number } | null = null;
  for (const s of segs) {
    const band = g.rowY[s.row + 1]! - g.rowY[s.row]!;
    const y = g.gridY + g.rowY[s.row]! + b.lane[0] * band;
    const h = b.lane[1] * band;
    const x = g.gridX + s.x;
    if (b.kind === 'flex') {
      out.push(`<rect class="seg" x="${num(x - 1.5)}" y="${num(y)}" width="3" height="${num(h)}" fill="#555"/>`);
      best = { x, y, w: 0, h };
      continue;
    }
    // frames are inset so that the members they hold stay visible inside them
    const inset = b.kind === 'record' || b.kind === 'union' ? 1 : 0;
    out.push(`<rect class="seg" x="${num(x + inset)}" y="${num(y + inset)}" width="${num(Math.max(0, s.w - 2 * inset))}" height="${num(Math.max(0, h - 2 * inset))}" fill="${fill}" stroke="${stroke}" stroke-width="${sw}"${dash}/>`);
    if (!best || s.w > best.w) best = { x, y, w: s.w, h };
  }
  // array elements: a divider at each element boundary
  if (b.elements && b.elements.count > 1 && b.elements.strideBits * g.bitW >= 3) {
    for (let k = 1; k < b.elements.count; k++) {
      const at = b.bitOffset + k * b.elements.strideBits;
      const row = Math.floor(at / g.rowBits);
      const x = g.gridX + (at - row * g.rowBits) * g.bitW;
      const band = g.rowY[row + 1]! - g.rowY[row]!;
      const y = g.gridY + g.rowY[row]! + b.lane[0] * band;
      out.push(`<line class="elem" x1="${num(x)}" y1="${num(y + 3)}" x2="${num(x)}" y2="${num(y + b.lane[1] * band - 3)}" stroke="#888" stroke-width="1" stroke-dasharray="2 2"/>`);
    }
  }
  if (best) {
    const name = b.kind === 'padding' ? b.cType : b.kind === 'bitfield' ? `${b.name}:${b.bitSize}` : b.kind === 'flex' ? `${b.name}[] →` : b.name;
    if (b.kind === 'record' || b.kind === 'union') {
      const t = fit(`${b.name}: ${b.cType}`, best.w, 9);
      if (t) out.push(`<text class="flabel" x="${num(best.x + 4)}" y="${num(best.y + 10)}" font-size="9" fill="${stroke}">${esc(t)}</text>`);
    } else if (b.kind === 'flex') {
      const tw = name.length * 11 * CHAR + 4;
      out.push(`<rect x="${num(best.x + 3)}" y="${num(best.y + best.h / 2 - 8)}" width="${num(tw)}" height="16" fill="#ffffff" fill-opacity="0.9"/>`);
      out.push(`<text class="label" x="${num(best.x + 5)}" y="${num(best.y + best.h / 2 + 4)}" font-size="11">${esc(name)}</text>`);
    } else {
      const cx = best.x + best.w / 2;
      const twoLines = best.h >= 30 && b.kind !== 'padding';
      // inside a nested record or union, the access path when it fits (`gps.latitude`), else the name
      const long = b.depth > 0 && b.kind !== 'padding' ? (b.kind === 'bitfield' ? `${b.path}:${b.bitSize}` : b.path) : name;
      const nameT = fit(long, best.w, 11) === long ? long : fit(name, best.w, 11);
      const typeT = twoLines ? fit(b.kind === 'bitfield' ? b.cType : b.cType, best.w, 9) : '';
      const mid = best.y + best.h / 2;
      if (nameT) out.push(`<text class="label" x="${num(cx)}" y="${num(twoLines && typeT ? mid - 1 : mid + 4)}" font-size="11" text-anchor="middle"${b.kind === 'padding' ? ' fill="#666"' : ''}>${esc(nameT)}</text>`);
      if (typeT) out.push(`<text class="type" x="${num(cx)}" y="${num(mid + 11)}" font-size="9" fill="#555" text-anchor="middle">${esc(typeT)}</text>`);
    }
  }
  out.push('</g>');
  return out.join('');
}

function defs(id: string): string {
  return `<defs><pattern id="${id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c4c4c4" stroke-width="2"/></pattern></defs>`;
}

/** The records as one SVG element (for a document or inlined in HTML). */
export function svgElement(records: readonly RecordItem[], opts: SvgOptions = {}): string {
  const id = opts.idPrefix ?? 'sg';
  const groups: string[] = [];
  let y = 12;
  let width = 320;
  records.forEach(({ program, record }, i) => {
    const g = recordGroup(pictureOf(program, record), program, id, i);
    groups.push(`<g transform="translate(12 ${y})">\n${g.svg}\n</g>`);
    y += g.height + GAP;
    width = Math.max(width, g.width + 24);
  });
  const height = y - GAP + 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="structgen-layout" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    `font-family="${FONT}" data-target="${esc(records[0]?.program.target.triple ?? '')}">\n${defs(id)}\n<rect width="100%" height="100%" fill="#ffffff"/>\n${groups.join('\n')}\n</svg>`;
}

/** `layout --format svg`: a standalone SVG document. */
export function renderSvg(records: readonly RecordItem[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgElement(records)}\n`;
}
