// Probes of `#define` constants: for each object-like macro of the main file whose body looks like an expression,
// the preprocessor appends `static const int __structgen_constant_NAME = (NAME);` after the header's own text, so
// the parser and the constant evaluator give it a value exactly as C would (`generate` exports these constants).

import { CONSTANT_PROBE_PREFIX } from '../c/literals.js';
import type { Token } from './lexer.js';
import type { Macro } from './macros.js';
import { parseProbeExpr, VALIDATE } from './probe-expr.js';

/** What the probes need of the preprocessor. */
export interface ProbeSink {
  readonly macros: ReadonlyMap<string, Macro>;
  /** Expands and emits `toks` on a new output row; when that fails or reports errors, the row and its diagnostics
   * are dropped (a macro that does not expand cleanly is simply not a constant). 'limit': the expansion was
   * longer than the expansion limit. */
  emitTentatively(toks: readonly Token[]): 'ok' | 'failed' | 'limit';
  /** Expands `toks` on their own (errors dropped), telling `used` of every macro expanded. */
  expandTentatively(toks: readonly Token[], used: (m: Macro) => void): Token[] | 'failed' | 'limit';
  /** Keeps the probe of `m` as its expanded tokens when they are a plain integer expression (probe-expr.ts): it is
   * then not written as text. False: write it. */
  keepAsTokens(m: Macro, value: readonly Token[]): boolean;
}

/** Expansions are kept for reuse by later probes up to this many tokens in all. */
const REUSE_TOKENS = 400_000;

/** A macro whose expansion is longer than this is not taken for a constant (nor is one that names it): real
 * constants are a few tokens, and a probe is parsed and evaluated like any declaration. */
export const PROBE_TOKENS = 200_000;

const EXPR = new Set(['(', ')', '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '~', '!', '?', ':', '<', '>', '<=',
  '>=', '==', '!=', '&&', '||', ',']);
const NOT_EXPR = new Set(['struct', 'union', 'enum', 'typedef', '__attribute__', 'static', 'extern', 'do', 'while', 'if',
  'for', 'return', 'asm', '__asm__']);

/** Whether a macro body is made of tokens an expression may hold. */
export function looksLikeExpression(body: readonly Token[]): boolean {
  return body.length > 0 && body.every((t) => (t.kind === 'p' ? EXPR.has(t.text)
    : t.kind !== 'other' && t.kind !== 'hdr' && !NOT_EXPR.has(t.text)));
}

/**
 * Emits one probe per constant-like macro of the main file. A macro the body names is not expanded again in every
 * probe that reaches it (a chain of n macros would cost n^2): when that macro has a probe of its own and its body
 * is atomic (one token that is itself atomic, or one parenthesized group), the probe refers to the other probe by
 * name, which the constant evaluator evaluates once. Atomic bodies expand to one primary expression wherever they
 * appear, so the value is the one textual expansion gives. Expansions that ran out of budget are remembered, so a
 * macro naming one is skipped at once.
 */
export function emitConstantProbes(pp: ProbeSink, mainFile: number | undefined): void {
  if (mainFile === undefined) return;
  const probed = new Map<string, Macro>();
  /** Each probed macro's place among all macros (the definition order below). */
  const places: number[] = [];
  let place = 0;
  for (const m of pp.macros.values()) {
    if (m.file === mainFile && m.params === null && looksLikeExpression(m.body)) { probed.set(m.name, m); places.push(place); }
    place++;
  }
  const atomicMemo = new Map<string, boolean>();
  const atomic = (name: string): boolean => {
    // iterative: single-token bodies naming macros form chains as long as the input
    const chain: string[] = [];
    let cur: string | null = name;
    let result = false;
    for (;;) {
      if (cur === null) break;
      const known = atomicMemo.get(cur);
      if (known !== undefined) { result = known; break; }
      const m = probed.get(cur);
      if (!m || chain.includes(cur)) { result = false; break; }
      chain.push(cur);
      atomicMemo.set(cur, false); // cycles are not atomic
      const b = m.body;
      if (b.length === 1) {
        const t = b[0]!;
        if (t.kind !== 'id') { result = true; break; }
        const other = pp.macros.get(t.text);
        if (!other) { result = true; break; }
        if (other.params !== null) { result = false; break; }
        cur = t.text;
        continue;
      }
      result = isParenthesized(b);
      break;
    }
    for (const c of chain) atomicMemo.set(c, result);
    return result;
  };
  const tooLong = new Set<string>();
  // definition order: an expansion that used only macros defined before its own macro cannot have used a later
  // one, so it reads the same inside any later macro's expansion (which disables only that later macro)
  let order: Map<string, number> | null = null; // made when an expansion first uses a macro
  const placeOf = (name: string): number => {
    if (!order) { order = new Map(); for (const m of pp.macros.values()) order.set(m.name, order.size); }
    return order.get(name) ?? 0;
  };
  const expansions = new Map<string, Token[]>();
  let kept = 0;
  let p = -1;
  for (const m of probed.values()) {
    p++;
    if (m.body.some((t) => t.kind === 'id' && tooLong.has(t.text))) { tooLong.add(m.name); continue; }
    const at: Token = { kind: 'id', text: m.name, file: m.file, line: m.line, col: m.col, space: true, bol: false, painted: false };
    const mk = (kind: Token['kind'], text: string, bol = false): Token => ({ ...at, kind, text, bol });
    let value: Token[] = [at];
    // the body itself, with names of earlier constants reused; the macro's own name when the body names the
    // macro (it must be disabled while its body is rescanned, as when the name is expanded)
    if (!m.body.some((t) => t.text === '#' || t.text === '##' || t.text === m.name)) {
      value = [];
      for (const t of m.body) {
        const reuse = t.kind === 'id' && t.text !== m.name ? expansions.get(t.text) : undefined;
        if (reuse && reuse.length <= 3) {
          for (const x of reuse) value.push(x); // as short as a reference: the tokens themselves
        } else if (t.kind === 'id' && t.text !== m.name && probed.has(t.text) && (m.body.length === 1 || atomic(t.text))) {
          // an alias (`#define A M`) is M's value whatever M's body is: the probe wraps it in parentheses
          value.push({ ...t, text: '(' , kind: 'p' }, { ...t, text: `${CONSTANT_PROBE_PREFIX}${t.text}` }, { ...t, text: ')', kind: 'p' });
        } else if (reuse) {
          for (const x of reuse) value.push(x);
        } else value.push(t);
      }
    }
    // expand once, keep the expansion for later probes when it is small and self-contained
    const own = places[p]!;
    let later = false;
    // without identifiers, nothing expands: the tokens are their own expansion
    const expanded = value.some((t) => t.kind === 'id') ? pp.expandTentatively(value, (used) => { if (placeOf(used.name) > own) later = true; }) : value;
    if (expanded === 'limit' || (expanded !== 'failed' && expanded.length > PROBE_TOKENS)) { tooLong.add(m.name); continue; }
    if (expanded === 'failed') continue;
    const last = expanded[expanded.length - 1];
    const open = last?.kind === 'id' && !last.painted && pp.macros.get(last.text)?.params != null;
    if (!later && !open && kept + expanded.length <= REUSE_TOKENS) { expansions.set(m.name, expanded); kept += expanded.length; }
    value = expanded;
    if (pp.keepAsTokens(m, value)) continue;
    const r = pp.emitTentatively([mk('id', 'static', true), mk('id', 'const'), mk('id', 'int'),
      mk('id', `${CONSTANT_PROBE_PREFIX}${m.name}`), mk('p', '='), mk('p', '('), ...value, mk('p', ')'), mk('p', ';')]);
    if (r === 'limit') tooLong.add(m.name);
  }
}

/** `( ... )` whose first parenthesis closes at the last token. */
function isParenthesized(b: readonly Token[]): boolean {
  if (b.length < 2 || b[0]!.text !== '(' || b[b.length - 1]!.text !== ')') return false;
  let depth = 0;
  for (let i = 0; i < b.length; i++) {
    const x = b[i]!.text;
    if (x === '(') depth++;
    else if (x === ')' && --depth === 0) return i === b.length - 1;
  }
  return false;
}

/** Numbers per probe in `TokenProbes.at`: the name's file index (as positions name it: `#line` applied), line, column,
 * and the index of the file it was read from. */
export const PROBE_AT_STRIDE = 4;
/** Numbers per token in `TokenProbes.pos`: file index (`#line` applied), line, column. */
export const PROBE_POS_STRIDE = 3;

/** The constant probes kept as tokens (plain integer expressions, probe-expr.ts) rather than written as text: a
 * header of millions of `#define`s then needs neither their text, nor its source map, nor a syntax tree of it. */
export interface TokenProbes {
  readonly names: readonly string[];
  /** PROBE_AT_STRIDE numbers per probe. */
  readonly at: Int32Array;
  /** Probe p's tokens are `texts[starts[p] .. starts[p + 1])` (and their positions, PROBE_POS_STRIDE numbers each, in
   * `pos`). */
  readonly starts: Int32Array;
  readonly texts: readonly string[];
  readonly pos: Int32Array;
  /** Every probe made, in order: one written as text by its output row (>= 0), one kept here by -(its index + 1). */
  readonly order: Int32Array;
}

/** Whether a probe's expanded value is taken as tokens. */
export function takenAsTokens(texts: readonly string[]): boolean {
  return parseProbeExpr(texts, 0, texts.length, CONSTANT_PROBE_PREFIX, VALIDATE) !== null;
}

/** Builds TokenProbes a probe at a time, in typed arrays that double as they fill. */
export class TokenProbesBuilder {
  private readonly names: string[] = [];
  private at: Int32Array = new Int32Array(1 << 10);
  private starts: Int32Array = new Int32Array(1 << 8);
  private readonly texts: string[] = [];
  private pos: Int32Array = new Int32Array(1 << 10);
  private order: Int32Array = new Int32Array(1 << 8);
  private orders = 0;

  /** A probe written as text on output row `row`. */
  written(row: number): void {
    this.order = room(this.order, this.orders + 1);
    this.order[this.orders++] = row;
  }

  /** A probe kept as tokens: its name, where the name is (file index, line, col, physical file index), its tokens'
   * texts and their positions (PROBE_POS_STRIDE numbers each). */
  kept(name: string, file: number, line: number, col: number, physical: number, texts: readonly string[], pos: readonly number[]): void {
    const p = this.names.length;
    this.names.push(name);
    this.at = room(this.at, (p + 1) * PROBE_AT_STRIDE);
    const a = p * PROBE_AT_STRIDE;
    this.at[a] = file; this.at[a + 1] = line; this.at[a + 2] = col; this.at[a + 3] = physical;
    const t0 = this.texts.length;
    for (const t of texts) this.texts.push(t);
    this.pos = room(this.pos, (t0 + texts.length) * PROBE_POS_STRIDE);
    this.pos.set(pos, t0 * PROBE_POS_STRIDE);
    this.starts = room(this.starts, p + 2);
    this.starts[p + 1] = this.texts.length;
    this.order = room(this.order, this.orders + 1);
    this.order[this.orders++] = -(p + 1);
  }

  finish(): TokenProbes {
    const n = this.names.length;
    return {
      names: this.names, at: this.at.slice(0, n * PROBE_AT_STRIDE), starts: this.starts.slice(0, n + 1), texts: this.texts,
      pos: this.pos.slice(0, this.texts.length * PROBE_POS_STRIDE), order: this.order.slice(0, this.orders),
    };
  }
}

function room(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
