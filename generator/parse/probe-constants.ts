// The constant probes the preprocessor kept as tokens (plain integer expressions: preprocess/probe-expr.ts) as the
// walker would read them from a syntax tree of their text: the same expression nodes with the same positions, and
// in the same order among the probes that were written as text.

import type { SourcePos } from '../diagnostics.js';
import { CONSTANT_PROBE_PREFIX } from '../c/literals.js';
import { parseProbeExpr, type ProbeExprBuilder } from '../preprocess/probe-expr.js';
import { PROBE_AT_STRIDE, PROBE_POS_STRIDE, type TokenProbes } from '../preprocess/probes.js';
import type { ConstantProbe, Expr, TypeExpr } from './ast.js';

/**
 * Every probe's constant in the order the probes were made: `written` are those the walker read from the text (each
 * with its output row, in row order), the others are built here from `probes`. `typedefNames`: the header's typedef
 * names (`(T) - 1` is a cast to T then, as the walker reads it). `check` is called before each probe is built (the
 * memory guard: it throws to stop).
 */
export function probeConstants(probes: TokenProbes, files: readonly string[], written: readonly ConstantProbe[],
  writtenRows: readonly number[], typedefNames: ReadonlySet<string>, check: (pos: SourcePos) => void): ConstantProbe[] {
  const { texts, pos: tp, at, starts, names, order } = probes;
  const posOf = (k: number): SourcePos => {
    const o = k * PROBE_POS_STRIDE;
    return { file: files[tp[o]!] ?? '<unknown>', line: tp[o + 1]!, col: tp[o + 2]! };
  };
  const b: ProbeExprBuilder<Expr> = {
    leaf: (k, number) => (number ? { k: 'int', text: texts[k]!, pos: posOf(k) } : { k: 'ident', name: texts[k]!, pos: posOf(k) }),
    unary: (op, arg) => ({ k: 'unary', op: texts[op]!, arg, pos: posOf(op) }),
    binary: (op, left, right, start, parenIdent) => {
      const o = texts[op]!;
      const castName = parenIdent >= 0 ? texts[parenIdent]! : null;
      if (castName !== null && (o === '-' || o === '+') && typedefNames.has(castName)) {
        // `(u64)-32` is a cast of -32 (as parse.ts reads it)
        const type: TypeExpr = { k: 'base', spec: { k: 'typedef', name: castName, pos: posOf(start) }, quals: [] };
        return { k: 'cast', type, arg: { k: 'unary', op: o, arg: right, pos: posOf(op) }, pos: posOf(start) };
      }
      return { k: 'binary', op: o, left, right, pos: posOf(start) };
    },
    cond: (c, then, otherwise, start) => ({ k: 'cond', cond: c, then, else: otherwise, pos: posOf(start) }),
  };
  const out: ConstantProbe[] = [];
  let w = 0;
  for (let i = 0; i < order.length; i++) {
    const o = order[i]!;
    if (o >= 0) {
      while (w < written.length && writtenRows[w]! < o) out.push(written[w++]!);
      if (w < written.length && writtenRows[w] === o) out.push(written[w++]!);
      continue;
    }
    const p = -o - 1;
    const a = p * PROBE_AT_STRIDE;
    const pos: SourcePos = { file: files[at[a]!] ?? '<unknown>', line: at[a + 1]!, col: at[a + 2]! };
    check(pos);
    const expr = parseProbeExpr(texts, starts[p]!, starts[p + 1]!, CONSTANT_PROBE_PREFIX, b);
    // the preprocessor took these tokens for an expression: they are one
    if (expr === null) throw new Error(`structgen: the constant probe of '${names[p]}' is not an expression`);
    out.push({ name: names[p]!, expr, pos, definedIn: files[at[a + 3]!] ?? pos.file });
  }
  while (w < written.length) out.push(written[w++]!);
  return out;
}
