// Macro table and expansion: object- and function-like macros, `#`, `##`, variadics, `__VA_OPT__`,
// GNU `, ## __VA_ARGS__`, and hide sets (Prosser's algorithm) so self-referential macros terminate.

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
}

/** Upper bound on tokens produced by one top-level expansion (nested argument expansions included), so runaway
 * expansions fail fast instead of exhausting memory. Real headers stay orders of magnitude below it. */
export const MAX_EXPANSION_TOKENS = 1_000_000;

export class ExpansionLimitError extends Error {
  constructor(readonly at: Token, readonly macro: string) {
    super(`macro expansion of '${macro}' exceeds ${MAX_EXPANSION_TOKENS} tokens (runaway or recursive macro)`);
  }
}

function withHide(hide: ReadonlySet<string> | null, name: string): ReadonlySet<string> {
  if (hide?.has(name)) return hide;
  const s = new Set(hide ?? []);
  s.add(name);
  return s;
}

function union(a: ReadonlySet<string> | null, b: ReadonlySet<string>): ReadonlySet<string> {
  if (!a || a.size === 0) return b;
  let superset = true;
  for (const x of b) if (!a.has(x)) { superset = false; break; }
  if (superset) return a;
  const s = new Set(a);
  for (const x of b) s.add(x);
  return s;
}

function intersect(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): ReadonlySet<string> | null {
  if (!a || !b) return null;
  const s = new Set<string>();
  for (const x of a) if (b.has(x)) s.add(x);
  return s.size ? s : null;
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

/**
 * Fully macro-expands `input`. Tokens of function-like invocations must all be in `input`
 * (the caller passes whole runs of text lines between directives).
 */
export function expand(host: ExpandHost, input: readonly Token[], budget: { left: number } = { left: MAX_EXPANSION_TOKENS }): Token[] {
  const out: Token[] = [];
  const stack: Token[] = [];
  for (let i = input.length - 1; i >= 0; i--) stack.push(input[i]!);
  while (stack.length) {
    const t = stack.pop()!;
    if (t.kind !== 'id') { out.push(t); continue; }
    const m = host.macros.get(t.text);
    if (!m) {
      const b = host.builtin(t.text, t);
      if (b) { for (const x of b) out.push(x); } else out.push(t);
      continue;
    }
    if (t.hide?.has(t.text)) { out.push(t); continue; }
    let repl: Token[];
    if (m.params === null) {
      repl = substitute(host, m, t, null, withHide(t.hide, m.name), budget);
    } else {
      const next = stack[stack.length - 1];
      if (!next || next.kind !== 'p' || next.text !== '(') { out.push(t); continue; }
      stack.pop();
      const args: Token[][] = [[]];
      let depth = 0;
      let rparen: Token | null = null;
      while (stack.length) {
        const a = stack.pop()!;
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
      const hs = withHide(intersect(t.hide, rparen.hide) ?? null, m.name);
      repl = substitute(host, m, t, args, hs, budget);
    }
    budget.left -= repl.length;
    if (budget.left < 0) throw new ExpansionLimitError(t, m.name);
    for (let i = repl.length - 1; i >= 0; i--) stack.push(repl[i]!);
  }
  return out;
}

function substitute(host: ExpandHost, m: Macro, inv: Token, args: Token[][] | null, hs: ReadonlySet<string>,
  budget: { left: number }): Token[] {
  const body = m.body;
  const params = m.params;
  const paramIndex = (t: Token | undefined): number => (t && t.kind === 'id' && params ? params.indexOf(t.text) : -1);
  const expandedArgs = new Map<number, Token[]>();
  const expandedArg = (i: number): Token[] => {
    let e = expandedArgs.get(i);
    if (!e) { e = expand(host, args![i]!, budget); expandedArgs.set(i, e); }
    return e;
  };
  const vaIndex = m.variadic && params ? params.length - 1 : -1;
  const res: Token[] = [];
  const at = (t: Token, first: boolean): Token => ({
    ...t, file: inv.file, line: inv.line, col: inv.col, bol: false, expanded: true,
    space: first ? inv.space : t.space,
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
      if (expandedArg(vaIndex).length > 0) {
        const sub = substitute(host, { ...m, body: inner }, inv, args, hs, budget);
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
          res.push({ ...pasted, expanded: true, hide: lhs.hide });
        }
      }
      for (let k = 1; k < rhs.length; k++) res.push(rhs[k]!);
      continue;
    }
    const p = paramIndex(b);
    if (p >= 0) {
      const nextIsPaste = body[i + 1]?.text === '##';
      const src = nextIsPaste ? args![p]! : expandedArg(p);
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
  const unions = new Map<ReadonlySet<string> | null, ReadonlySet<string>>();
  for (const t of res) {
    if (t.text === PLACEMARKER && t.kind === 'other') continue;
    let h = unions.get(t.hide);
    if (!h) { h = union(t.hide, hs); unions.set(t.hide, h); }
    out.push({ ...t, hide: h });
  }
  return out;
}
