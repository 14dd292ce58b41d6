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
   * are dropped (a macro that does not expand cleanly is simply not a constant). */
  emitTentatively(toks: readonly Token[]): void;
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

export function emitConstantProbes(pp: ProbeSink, mainFile: number | undefined): void {
  if (mainFile === undefined) return;
  for (const m of [...pp.macros.values()]) {
    if (m.file !== mainFile || m.params !== null || !looksLikeExpression(m.body)) continue;
    const at: Token = { kind: 'id', text: m.name, file: m.file, line: m.line, col: m.col, space: true, bol: false, painted: false };
    const mk = (kind: Token['kind'], text: string, bol = false): Token => ({ ...at, kind, text, bol });
    pp.emitTentatively([mk('id', 'static', true), mk('id', 'const'), mk('id', 'int'),
      mk('id', `${CONSTANT_PROBE_PREFIX}${m.name}`), mk('p', '='), mk('p', '('), at, mk('p', ')'), mk('p', ';')]);
  }
}
