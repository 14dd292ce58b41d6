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
}

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
  for (const m of probed.values()) {
    if (m.body.some((t) => t.kind === 'id' && tooLong.has(t.text))) { tooLong.add(m.name); continue; }
    const at: Token = { kind: 'id', text: m.name, file: m.file, line: m.line, col: m.col, space: true, bol: false, painted: false };
    const mk = (kind: Token['kind'], text: string, bol = false): Token => ({ ...at, kind, text, bol });
    let value: Token[] = [at];
    if (!m.body.some((t) => t.text === '#' || t.text === '##')) {
      value = [];
      for (const t of m.body) {
        if (t.kind === 'id' && t.text !== m.name && probed.has(t.text) && atomic(t.text)) {
          value.push({ ...t, text: '(' , kind: 'p' }, { ...t, text: `${CONSTANT_PROBE_PREFIX}${t.text}` }, { ...t, text: ')', kind: 'p' });
        } else value.push(t);
      }
    }
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
