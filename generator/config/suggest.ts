// "Did you mean": the nearest of the known spellings by edit distance (fastest-levenshtein), when one is close.

import { closest, distance } from 'fastest-levenshtein';

/** The known word nearest to `word` when it is close: a few edits for its length, or one spelling a prefix of the
 * other (`--outdir` and `--out`). Null when nothing is. */
export function nearestWord(word: string, known: readonly string[]): string | null {
  if (!known.length || !word || known.includes(word)) return null;
  const w = word.toLowerCase();
  const best = closest(word, known as string[]);
  const d = distance(w, best.toLowerCase());
  const core = (s: string) => s.toLowerCase().replace(/^-+/, '');
  if (core(word).length < 2 && d > 0) return null;
  if (d <= Math.max(1, Math.min(3, Math.floor(best.length / 3))) || (d <= 2 && best.length >= 5)) return best;
  const prefix = known.filter((k) => core(k).length >= 3 && core(w).length >= 3 && (core(w).startsWith(core(k)) || core(k).startsWith(core(w))));
  return prefix.length === 1 ? prefix[0]! : null;
}
