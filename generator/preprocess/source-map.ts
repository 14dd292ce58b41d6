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
        const delta = r === row ? col - e[best]! : 0;
        const f = map.files[e[best + 1]!] ?? '<unknown>';
        return { file: f, line: e[best + 2]!, col: e[best + 3]! + Math.max(0, Math.min(delta, 0)) };
      }
    }
    r--;
  }
  return null;
}
