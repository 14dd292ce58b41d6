// Probes of `#define` constants: for each object-like macro of the main file whose body looks like an expression,
// the preprocessor appends `static const int __structgen_constant_NAME = (NAME);` after the header's own text, so
// the parser and the constant evaluator give it a value exactly as C would (`generate` exports these constants).

import { CONSTANT_PROBE_PREFIX } from '../c/literals.js';
import type { Token } from './lexer.js';
import type { Macro } from './macros.js';

/** What the probes need of the preprocessor. */
export interface ProbeSink {
  readonly macros: ReadonlyMap<string, Macro>;
  /** Expands and emits `toks` on a new output row; when that fails or reports errors, the row and its diagnostics
   * are dropped (a macro that does not expand cleanly is simply not a constant). 'limit': the expansion was
   * longer than the expansion limit. */
  emitTentatively(toks: readonly Token[]): 'ok' | 'failed' | 'limit';
  /** Expands `toks` on their own (errors dropped), telling `used` of every macro expanded. */
  expandTentatively(toks: readonly Token[], used: (m: Macro) => void): Token[] | 'failed' | 'limit';
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
  for (const m of pp.macros.values()) {
    if (m.file === mainFile && m.params === null && looksLikeExpression(m.body)) probed.set(m.name, m);
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
  const order = new Map<string, number>();
  for (const m of pp.macros.values()) order.set(m.name, order.size);
  const expansions = new Map<string, Token[]>();
  let kept = 0;
  for (const m of probed.values()) {
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
    const own = order.get(m.name)!;
    let later = false;
    const expanded = pp.expandTentatively(value, (used) => { if ((order.get(used.name) ?? 0) > own) later = true; });
    if (expanded === 'limit' || (expanded !== 'failed' && expanded.length > PROBE_TOKENS)) { tooLong.add(m.name); continue; }
    if (expanded === 'failed') continue;
    const last = expanded[expanded.length - 1];
    const open = last?.kind === 'id' && !last.painted && pp.macros.get(last.text)?.params != null;
    if (!later && !open && kept + expanded.length <= REUSE_TOKENS) { expansions.set(m.name, expanded); kept += expanded.length; }
    value = expanded;
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
