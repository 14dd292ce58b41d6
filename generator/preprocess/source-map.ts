// Maps positions in the preprocessed text (row, byte column) back to original file, line and column.

import type { SourcePos } from '../diagnostics.js';

export interface SourceMapData {
  readonly files: readonly string[];
  /** Per output row: flat [outCol, fileIndex, line, col, outCol, ...] entries, one per token. */
  readonly rows: readonly (readonly number[])[];
}

export function lookup(map: SourceMapData, row: number, col: number): SourcePos | null {
  let r = Math.min(row, map.rows.length - 1);
  // a position past the last token of a row (or an empty row) belongs to the last token before it
  while (r >= 0) {
    const e = map.rows[r]!;
    if (e.length) {
      let best = -1;
      for (let i = 0; i < e.length; i += 4) {
        if (r < row || e[i]! <= col) best = i; else break;
      }
      if (best >= 0) {
        // a position inside or just after a token (where a parser puts a missing ';') keeps its offset,
        // unless the token came from a macro expansion (then its neighbours share the invocation's position)
        let delta = r === row ? col - e[best]! : 0;
        const next = best + 4 < e.length ? best + 4 : -1;
        if (next >= 0) delta = Math.min(delta, e[next]! - e[best]! - 1);
        const sameAsNeighbour = (k: number) => k >= 0 && k < e.length && e[k + 1] === e[best + 1] && e[k + 2] === e[best + 2] && e[k + 3] === e[best + 3];
        if (sameAsNeighbour(next) || sameAsNeighbour(best - 4)) delta = 0;
        const f = map.files[e[best + 1]!] ?? '<unknown>';
        return { file: f, line: e[best + 2]!, col: e[best + 3]! + Math.max(0, delta) };
      }
    }
    r--;
  }
  return null;
}
