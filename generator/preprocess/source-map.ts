// Maps positions in the preprocessed text (row, column in UTF-16 code units) back to original file, line and
// column, and to the file the text was physically read from (which `#line` does not change). Held in two typed
// arrays (entries, and where each row's begin), not an array per row: a header of millions of lines (2.5 million
// `#define`s, each a constant probe) otherwise spent most of its memory on the map.

import type { SourcePos } from '../diagnostics.js';

/** Numbers per entry: [outCol, fileIndex, line, col, physicalFileIndex]. */
export const MAP_STRIDE = 5;

export interface SourceMapData {
  readonly files: readonly string[];
  /** Flat entries of MAP_STRIDE numbers, one entry per token, rows one after another, in column order. */
  readonly entries: Int32Array;
  /** Row r's entries are `entries[starts[r] .. starts[r + 1])`; `starts.length` is the number of rows plus one. */
  readonly starts: Int32Array;
}

/** Builds a SourceMapData a token at a time: `add` to the open row, `endRow` closes it. */
export class SourceMapBuilder {
  private entries: Int32Array = new Int32Array(1 << 12);
  private n = 0;
  private starts: Int32Array = new Int32Array(1 << 10);
  /** Closed rows. */
  private rows = 0;

  get rowCount(): number {
    return this.rows;
  }

  add(outCol: number, file: number, line: number, col: number, physical: number): void {
    if (this.n + MAP_STRIDE > this.entries.length) this.entries = grown(this.entries, this.n + MAP_STRIDE);
    const e = this.entries;
    const n = this.n;
    e[n] = outCol; e[n + 1] = file; e[n + 2] = line; e[n + 3] = col; e[n + 4] = physical;
    this.n = n + MAP_STRIDE;
  }

  /** Closes the open row (its entries are those added since the last row closed). */
  endRow(): void {
    if (this.rows + 2 > this.starts.length) this.starts = grown(this.starts, this.rows + 2);
    this.rows++;
    this.starts[this.rows] = this.n;
  }

  /** Drops rows from `rows` on, and the open row's entries. */
  truncate(rows: number): void {
    if (rows > this.rows) return;
    this.rows = rows;
    this.n = this.starts[rows]!;
  }

  /** Drops the open row's entries. */
  clearOpenRow(): void {
    this.n = this.starts[this.rows]!;
  }

  finish(files: readonly string[]): SourceMapData {
    return { files, entries: this.entries.slice(0, this.n), starts: this.starts.slice(0, this.rows + 1) };
  }
}

function grown(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** The row and entry (an index into `entries`) of the token at or before (row, col); null when there is none. */
function entryAt(map: SourceMapData, row: number, col: number): { row: number; at: number } | null {
  const e = map.entries;
  const s = map.starts;
  const rows = s.length - 1;
  if (rows <= 0) return null;
  let r = Math.min(row, rows - 1);
  if (r < row) {
    // past the last row: the last token of the map
    const end = s[rows]!;
    if (end === 0) return null;
    r = lastRowWith(s, end);
    return { row: r, at: end - MAP_STRIDE };
  }
  const lo0 = s[r]!;
  const hi0 = s[r + 1]!;
  // binary search: the last entry of the row whose column is <= col
  let lo = 0;
  let hi = (hi0 - lo0) / MAP_STRIDE;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (e[lo0 + mid * MAP_STRIDE]! <= col) lo = mid + 1; else hi = mid;
  }
  if (lo > 0) return { row: r, at: lo0 + (lo - 1) * MAP_STRIDE };
  // none in this row at or before col: the last token of an earlier row
  if (lo0 === 0) return null;
  return { row: lastRowWith(s, lo0), at: lo0 - MAP_STRIDE };
}

/** The row holding the entry that ends at `end` (the last row r with starts[r] < end), by binary search: rows
 * without tokens are skipped at once, not one by one. */
function lastRowWith(s: Int32Array, end: number): number {
  let lo = 0;
  let hi = s.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s[mid]! < end) lo = mid; else hi = mid - 1;
  }
  return lo;
}

export function lookup(map: SourceMapData, row: number, col: number): SourcePos | null {
  const found = entryAt(map, row, col);
  if (!found) return null;
  const e = map.entries;
  const best = found.at;
  const rowStart = map.starts[found.row]!;
  const rowEnd = map.starts[found.row + 1]!;
  // a position inside or just after a token (where a parser puts a missing ';') keeps its offset,
  // unless the token came from a macro expansion (then its neighbours share the invocation's position)
  let delta = found.row === row ? col - e[best]! : 0;
  const next = best + MAP_STRIDE < rowEnd ? best + MAP_STRIDE : -1;
  if (next >= 0) delta = Math.min(delta, e[next]! - e[best]! - 1);
  const sameAsNeighbour = (k: number) => k >= rowStart && k < rowEnd && e[k + 1] === e[best + 1] && e[k + 2] === e[best + 2] && e[k + 3] === e[best + 3];
  if (sameAsNeighbour(next) || sameAsNeighbour(best - MAP_STRIDE)) delta = 0;
  const f = map.files[e[best + 1]!] ?? '<unknown>';
  return { file: f, line: e[best + 2]!, col: e[best + 3]! + Math.max(0, delta) };
}

/** The file the token at (row, col) was read from, whatever `#line` said. */
export function physicalFile(map: SourceMapData, row: number, col: number): string | null {
  const found = entryAt(map, row, col);
  if (!found) return null;
  return map.files[map.entries[found.at + 4]!] ?? null;
}
