// Maps positions in the preprocessed text (row, column in UTF-16 code units) back to original file, line and
// column, and to the file the text was physically read from (which `#line` does not change).

import type { SourcePos } from '../diagnostics.js';

/** Numbers per entry of a row: [outCol, fileIndex, line, col, physicalFileIndex]. */
export const MAP_STRIDE = 5;

export interface SourceMapData {
  readonly files: readonly string[];
  /** Per output row: flat entries of MAP_STRIDE numbers, one entry per token, in column order. */
  readonly rows: readonly (readonly number[])[];
}

/** The row and entry offset of the token at or before (row, col); null when there is none. */
function entryAt(map: SourceMapData, row: number, col: number): [number, number] | null {
  for (let r = Math.min(row, map.rows.length - 1); r >= 0; r--) {
    const e = map.rows[r]!;
    const n = e.length / MAP_STRIDE;
    if (n === 0) continue;
    if (r < row) return [r, (n - 1) * MAP_STRIDE];
    // binary search: the last entry whose column is <= col
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e[mid * MAP_STRIDE]! <= col) lo = mid + 1; else hi = mid;
    }
    if (lo > 0) return [r, (lo - 1) * MAP_STRIDE];
  }
  return null;
}

export function lookup(map: SourceMapData, row: number, col: number): SourcePos | null {
  const at = entryAt(map, row, col);
  if (!at) return null;
  const [r, best] = at;
  const e = map.rows[r]!;
  // a position inside or just after a token (where a parser puts a missing ';') keeps its offset,
  // unless the token came from a macro expansion (then its neighbours share the invocation's position)
  let delta = r === row ? col - e[best]! : 0;
  const next = best + MAP_STRIDE < e.length ? best + MAP_STRIDE : -1;
  if (next >= 0) delta = Math.min(delta, e[next]! - e[best]! - 1);
  const sameAsNeighbour = (k: number) => k >= 0 && k < e.length && e[k + 1] === e[best + 1] && e[k + 2] === e[best + 2] && e[k + 3] === e[best + 3];
  if (sameAsNeighbour(next) || sameAsNeighbour(best - MAP_STRIDE)) delta = 0;
  const f = map.files[e[best + 1]!] ?? '<unknown>';
  return { file: f, line: e[best + 2]!, col: e[best + 3]! + Math.max(0, delta) };
}

/** The file the token at (row, col) was read from, whatever `#line` said. */
export function physicalFile(map: SourceMapData, row: number, col: number): string | null {
  const at = entryAt(map, row, col);
  if (!at) return null;
  return map.files[map.rows[at[0]]![at[1] + 4]!] ?? null;
}
