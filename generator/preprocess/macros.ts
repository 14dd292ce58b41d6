// Macro table and expansion: object- and function-like macros, `#`, `##`, variadics, `__VA_OPT__`,
// GNU `, ## __VA_ARGS__`. Self-reference ends as clang ends it: a macro is disabled while its replacement is
// being rescanned (an end marker on the token stack re-enables it), and a name met while its macro is disabled
// is painted, never to expand again. That is O(1) per token, however long a chain of macros is (hide sets,
// copied at every step, made `#define M{i+1} M{i}` chains quadratic). Argument pre-expansion nests as deeply as
// the input's invocations do (`F(F(F(...)))`), so it runs on a heap trampoline, not the JavaScript stack.

import { trampoline, type Rec } from '../core/trampoline.js';
import { makeToken, relexOne, type Token } from './lexer.js';

export interface Macro {
  readonly name: string;
  /** null for object-like macros. */
  readonly params: readonly string[] | null;
  /** The last parameter collects the variable arguments (`...` is named `__VA_ARGS__`). */
  readonly variadic: boolean;
  readonly body: readonly Token[];
  /** Where it was defined (file index, line, col); -1 for predefined ones. */
  readonly file: number;
  readonly line: number;
  readonly col: number;
}

export interface ExpandHost {
  readonly macros: Map<string, Macro>;
  /** Handles `__FILE__`, `__LINE__`, ...; returns null when the name is not a builtin macro. */
  builtin(name: string, at: Token): Token[] | null;
  error(at: Token, code: string, message: string): void;
  /** Told of every macro expanded (the constant probes record what an expansion used). */
  noteExpansion?(m: Macro): void;
  /** Expanding an `#if` expression: the operand of a `defined` a macro produced is not expanded (clang's rule). */
  readonly inConditional?: boolean;
}

/** Upper bound on tokens produced by one macro invocation in the text (its arguments' and its rescan's expansions
 * included), so runaway expansions fail fast instead of exhausting memory. Real headers stay orders of magnitude
 * below it. */
export const MAX_EXPANSION_TOKENS = 1_000_000;

/** What expansion may cost: `left` tokens produced by the current invocation in the text (reset to `perInvocation`,
 * when given, at each one); `work`, when given, tokens scanned in all (the constant probes bound their work so, since
 * nested invocations can cost the square of their depth without producing tokens). */
export interface Budget { left: number; work?: number; readonly perInvocation?: number; total?: number }

/** A translation unit's macro expansions may produce this many tokens, plus EXPANSION_PER_SOURCE_TOKEN for every token of
 * its text (what it includes too): output stays linear in the input, however the macros multiply. */
export const EXPANSION_BASE_TOKENS = 1_000_000;
export const EXPANSION_PER_SOURCE_TOKEN = 64;

export class ExpansionLimitError extends Error {
  constructor(readonly at: Token, readonly macro: string, total = false) {
    super(total
      ? `macro expansions produce more than ${EXPANSION_BASE_TOKENS} tokens plus ${EXPANSION_PER_SOURCE_TOKEN} per token of text (at '${macro}'): the output would not be linear in the input`
      : `macro expansion of '${macro}' exceeds ${MAX_EXPANSION_TOKENS} tokens (runaway or recursive macro)`);
  }
}

const PLACEMARKER = '';

export function stringize(toks: readonly Token[], at: Token): Token {
  let s = '';
  toks.forEach((t, i) => {
    if (i > 0 && t.space) s += ' ';
    s += t.kind === 'str' || t.kind === 'chr' ? t.text.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : t.text;
  });
  return makeToken('str', `"${s}"`, at);
}

/** On the token stack, after a macro's replacement: the macro is enabled again when this is popped. */
interface EndOf { readonly endOf: string }
type Item = Token | EndOf;

/** How many expansions of each macro are being rescanned (> 0: disabled). */
type Active = Map<string, number>;

function isEnd(x: Item): x is EndOf {
  return (x as EndOf).endOf !== undefined;
}

/**
 * Fully macro-expands `input`. Tokens of function-like invocations must all be in `input`
 * (the caller passes whole runs of text lines between directives).
 */
export function expand(host: ExpandHost, input: readonly Token[], budget: Budget = { left: MAX_EXPANSION_TOKENS, perInvocation: MAX_EXPANSION_TOKENS }): Token[] {
  return trampoline(expandG(host, input, budget, new Map(), true));
}

function* expandG(host: ExpandHost, input: readonly Token[], budget: Budget, active: Active, top = false): Rec<Token[]> {
  const out: Token[] = [];
  const stack: Item[] = [];
  for (let i = input.length - 1; i >= 0; i--) stack.push(input[i]!);
  const enable = (name: string) => {
    const n = active.get(name)!;
    if (n <= 1) active.delete(name); else active.set(name, n - 1);
  };
  // `defined X` / `defined ( X` just written in an #if: X is taken as written
  let afterDefined = 0;
  try {
    while (stack.length) {
      const t = stack.pop()!;
      if (isEnd(t)) { enable(t.endOf); continue; }
      if (budget.work !== undefined && --budget.work < 0) throw new ExpansionLimitError(t, t.text);
      if (afterDefined) {
        if (afterDefined === 1 && t.kind === 'p' && t.text === '(') { afterDefined = 2; out.push(t); continue; }
        afterDefined = 0;
        if (t.kind === 'id') { out.push(t); continue; }
      }
      if (t.kind === 'id' && t.text === 'defined' && host.inConditional) { afterDefined = 1; out.push(t); continue; }
      if (t.kind !== 'id' || t.painted) { out.push(t); continue; }
      const m = host.macros.get(t.text);
      if (!m) {
        const b = host.builtin(t.text, t);
        if (b) { for (const x of b) out.push(x); } else out.push(t);
        continue;
      }
      if (active.has(m.name)) { out.push({ ...t, painted: true }); continue; }
      // an invocation in the text itself (not in a rescan): its own budget
      if (top && active.size === 0 && budget.perInvocation !== undefined) budget.left = budget.perInvocation;
      let repl: Token[];
      if (m.params === null) {
        repl = (yield substituteG(host, m, t, null, budget, active)) as Token[];
      } else {
        // the '(' may come after the end of enclosing replacements: those end (re-enabling their macros) only
        // when it does
        let k = stack.length - 1;
        while (k >= 0 && isEnd(stack[k]!)) k--;
        const next = stack[k] as Token | undefined;
        if (!next || next.kind !== 'p' || next.text !== '(') { out.push(t); continue; }
        while (stack.length - 1 > k) enable((stack.pop() as EndOf).endOf);
        stack.pop();
        const args: Token[][] = [[]];
        let depth = 0;
        let rparen: Token | null = null;
        while (stack.length) {
          const a = stack.pop()!;
          if (isEnd(a)) { enable(a.endOf); continue; }
          if (a.kind === 'p') {
            if (a.text === '(') depth++;
            else if (a.text === ')') {
              if (depth === 0) { rparen = a; break; }
              depth--;
            } else if (a.text === ',' && depth === 0 && !(m.variadic && args.length === m.params.length)) {
              args.push([]);
              continue;
            }
          }
          args[args.length - 1]!.push(a);
        }
        if (!rparen) {
          host.error(t, 'pp-unterminated-invocation', `unterminated function-like macro invocation of '${m.name}'`);
          return out;
        }
        if (m.params.length === 0 && args.length === 1 && args[0]!.length === 0) args.pop();
        if (m.variadic && args.length === m.params.length - 1) args.push([]);
        if (args.length !== m.params.length) {
          host.error(t, 'pp-macro-args', `${args.length > m.params.length ? 'too many' : 'too few'} arguments provided ` +
            `to function-like macro invocation of '${m.name}' (expected ${m.params.length}, got ${args.length})`);
          out.push(t);
          continue;
        }
        repl = (yield substituteG(host, m, t, args, budget, active)) as Token[];
      }
      budget.left -= repl.length;
      if (budget.left < 0) throw new ExpansionLimitError(t, m.name);
      if (budget.total !== undefined && (budget.total -= repl.length) < 0) throw new ExpansionLimitError(t, m.name, true);
      host.noteExpansion?.(m);
      active.set(m.name, (active.get(m.name) ?? 0) + 1);
      stack.push({ endOf: m.name });
      for (let i = repl.length - 1; i >= 0; i--) stack.push(repl[i]!);
    }
    return out;
  } finally {
    // an error left replacements unread: their macros are enabled again for whoever expands next
    for (const x of stack) if (isEnd(x)) enable(x.endOf);
  }
}

function* substituteG(host: ExpandHost, m: Macro, inv: Token, args: Token[][] | null, budget: Budget,
  active: Active): Rec<Token[]> {
  const body = m.body;
  const params = m.params;
  const paramIndex = (t: Token | undefined): number => (t && t.kind === 'id' && params ? params.indexOf(t.text) : -1);
  const expandedArgs = new Map<number, Token[]>();
  const vaIndex = m.variadic && params ? params.length - 1 : -1;
  const res: Token[] = [];
  // one object shape for every token made here (a spread of a token is several times slower)
  const at = (t: Token, first: boolean): Token => ({
    kind: t.kind, text: t.text, file: inv.file, line: inv.line, col: inv.col,
    space: first ? inv.space : t.space, bol: false, painted: t.painted, expanded: true,
  });
  for (let i = 0; i < body.length; i++) {
    const b = body[i]!;
    // __VA_OPT__(content)
    if (b.kind === 'id' && b.text === '__VA_OPT__' && vaIndex >= 0 && body[i + 1]?.text === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < body.length; j++) {
        if (body[j]!.text === '(') depth++;
        else if (body[j]!.text === ')' && --depth === 0) break;
      }
      const inner = body.slice(i + 2, j);
      let va = expandedArgs.get(vaIndex);
      if (!va) { va = (yield expandG(host, args![vaIndex]!, budget, active)) as Token[]; expandedArgs.set(vaIndex, va); }
      if (va.length > 0) {
        const sub = (yield substituteG(host, { ...m, body: inner }, inv, args, budget, active)) as Token[];
        for (const x of sub) res.push(x);
      } else {
        res.push(makeToken('other', PLACEMARKER, inv));
      }
      i = j;
      continue;
    }
    if (params && b.kind === 'p' && b.text === '#') {
      const p = paramIndex(body[i + 1]);
      if (p >= 0) {
        res.push(at(stringize(args![p]!, b), res.length === 0));
        i++;
        continue;
      }
    }
    if (b.kind === 'p' && b.text === '##' && i + 1 < body.length && res.length) {
      const rhsTok = body[i + 1]!;
      const p = paramIndex(rhsTok);
      let rhs: Token[];
      if (p >= 0) {
        rhs = args![p]!.map((x) => at(x, false));
        // GNU: `, ## __VA_ARGS__` drops the comma when the variable arguments are empty
        const lhs = res[res.length - 1]!;
        if (p === vaIndex && lhs.text === ',' && rhs.length === 0) {
          res.pop();
          i++;
          continue;
        }
        // ... and when they are not empty nothing is pasted: the comma stays and the arguments follow it,
        // unexpanded as pasted arguments are (they are rescanned with the rest)
        if (p === vaIndex && lhs.text === ',') {
          res.push(...rhs);
          i++;
          continue;
        }
      } else {
        rhs = [at(rhsTok, false)];
      }
      i++;
      const lhs = res.pop()!;
      if (rhs.length === 0) { res.push(lhs); continue; }
      const first = rhs[0]!;
      if (lhs.text === PLACEMARKER) { res.push(first); }
      else if (first.text === PLACEMARKER) { res.push(lhs); }
      else {
        const pasted = relexOne(lhs.text + first.text, lhs);
        if (!pasted) {
          host.error(inv, 'pp-paste', `pasting "${lhs.text}" and "${first.text}" does not give a valid preprocessing token`);
          res.push(lhs, first);
        } else {
          res.push({ ...pasted, expanded: true });
        }
      }
      for (let k = 1; k < rhs.length; k++) res.push(rhs[k]!);
      continue;
    }
    const p = paramIndex(b);
    if (p >= 0) {
      const nextIsPaste = body[i + 1]?.text === '##';
      let src: Token[];
      if (nextIsPaste) src = args![p]!;
      else {
        let e = expandedArgs.get(p);
        if (!e) { e = (yield expandG(host, args![p]!, budget, active)) as Token[]; expandedArgs.set(p, e); }
        src = e;
      }
      if (src.length === 0) {
        if (nextIsPaste) res.push(makeToken('other', PLACEMARKER, inv));
        continue;
      }
      src.forEach((x, k) => {
        const tok = at(x, res.length === 0 && k === 0);
        res.push(k === 0 ? { ...tok, space: res.length === 0 ? inv.space : b.space } : tok);
      });
      continue;
    }
    res.push(at(b, res.length === 0));
  }
  const out: Token[] = [];
  for (const t of res) if (!(t.text === PLACEMARKER && t.kind === 'other')) out.push(t);
  return out;
}
