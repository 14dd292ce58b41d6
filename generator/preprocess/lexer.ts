// C preprocessing-token lexer: line splices, comments, pp-numbers, literals, punctuators.
// Every token keeps its original file, line and column so diagnostics point into the real source.

export type TokKind = 'id' | 'num' | 'chr' | 'str' | 'p' | 'hdr' | 'other';

export interface Token {
  readonly kind: TokKind;
  readonly text: string;
  /** Index into the preprocessor's file table. */
  readonly file: number;
  readonly line: number;
  readonly col: number;
  /** Preceded by white space (matters for stringizing and output spacing). */
  readonly space: boolean;
  /** First token of a logical source line. */
  readonly bol: boolean;
  /** Never expanded again: it named a macro while that macro's own expansion was being rescanned (C11 6.10.3.4p2). */
  readonly painted: boolean;
  /** Produced by a macro expansion (positions then name the invocation). */
  readonly expanded?: boolean;
}

export interface LexedFile {
  /** Logical lines (after splicing), each a non-empty list of tokens. */
  readonly lines: readonly (readonly Token[])[];
  /** Unterminated comment (an error) / literal (a warning, as in clang) problems: [line, col, message, error?]. */
  readonly problems: ReadonlyArray<readonly [number, number, string, boolean]>;
}

const PUNCTS3 = new Set(['...', '<<=', '>>=']);
const PUNCTS2 = new Set(['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=',
  '-=', '&=', '^=', '|=', '##']);

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
/** Length of a universal character name (`\\u` and 4 hex digits, `\\U` and 8) at `i`, or 0. */
function ucnLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 92) return 0;
  const k = text[i + 1];
  const len = k === 'u' ? 4 : k === 'U' ? 8 : 0;
  if (!len) return 0;
  for (let j = 0; j < len; j++) if (!/[0-9a-fA-F]/.test(text[i + 2 + j] ?? '')) return 0;
  const cp = parseInt(text.slice(i + 2, i + 2 + len), 16);
  return cp > 0x10ffff ? 0 : len + 2;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The text as the lexer reads it: a lone carriage return ends a line as a newline does (old Mac files), and a
 * byte-order mark at the start is white space. Same length, so offsets and columns are unchanged. */
export function normalizeSource(source: string): string {
  let s = source;
  if (s.charCodeAt(0) === 0xfeff) s = ` ${s.slice(1)}`;
  if (s.includes('\r')) s = s.replace(/\r(?!\n)/g, '\n');
  return s;
}

/** Digraphs (C11 6.4.6p3), read as the punctuators they spell. */
const DIGRAPHS: { readonly [d: string]: string } = { '<:': '[', ':>': ']', '<%': '{', '%>': '}', '%:': '#' };

/** `onLine`: each logical line is handed to it as soon as it is lexed (and then not kept: `lines` comes back empty),
 * so that the tokens of a file of millions of lines are never all held; `problems` is filled as they are found. */
export function lex(original: string, file: number, onLine?: (line: readonly Token[]) => void, problemsOut?: Array<[number, number, string, boolean]>): LexedFile {
  const source = normalizeSource(original);
  // Phase 2: remove backslash-newline, remembering where, so positions map back to the original text.
  let text = source;
  const spliceAt: number[] = []; // offsets in the spliced text where a splice was removed
  const spliceLen: number[] = [];
  if (source.includes('\\')) {
    const parts: string[] = [];
    let last = 0;
    let removed = 0;
    const re = /\\[ \t]*\r?\n/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(source)) !== null) {
      parts.push(source.slice(last, m.index));
      spliceAt.push(m.index - removed);
      spliceLen.push(m[0].length);
      removed += m[0].length;
      last = m.index + m[0].length;
    }
    parts.push(source.slice(last));
    text = parts.join('');
  }
  // original line starts, to turn an original offset into line/col
  const lineStarts: number[] = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const prefixRemoved: number[] = [];
  {
    let acc = 0;
    for (const l of spliceLen) { acc += l; prefixRemoved.push(acc); }
  }
  const origOffset = (o: number): number => {
    if (spliceAt.length === 0) return o;
    let lo = 0, hi = spliceAt.length; // count splices with spliceAt <= o
    while (lo < hi) { const mid = (lo + hi) >> 1; if (spliceAt[mid]! <= o) lo = mid + 1; else hi = mid; }
    return lo === 0 ? o : o + prefixRemoved[lo - 1]!;
  };
  // tokens come in order: the line of the last one is where the search starts (a step or two, not a binary search
  // over millions of lines)
  let lastLine = 0;
  const position = (o: number): [number, number] => {
    const oo = origOffset(o);
    let l = lastLine;
    if (lineStarts[l]! <= oo) {
      while (l + 1 < lineStarts.length && lineStarts[l + 1]! <= oo) l++;
    } else {
      let lo = 0, hi = lineStarts.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (lineStarts[mid]! <= oo) lo = mid + 1; else hi = mid; }
      l = lo - 1;
    }
    lastLine = l;
    return [l + 1, oo - lineStarts[l]! + 1];
  };

  const kept: Token[][] = [];
  const lines = onLine ? { push: onLine } : kept;
  const problems: Array<[number, number, string, boolean]> = problemsOut ?? [];
  let cur: Token[] = [];
  let bol = true;
  let space = false;
  let directive = false; // current line is a directive (for <header-name> lexing)
  let includeLike = false;
  const n = text.length;
  let i = 0;
  const push = (kind: TokKind, start: number, end: number) => {
    const [line, col] = position(start);
    const tok: Token = { kind, text: text.slice(start, end), file, line, col, space, bol, painted: false, expanded: false };
    if (bol) {
      if (cur.length) lines.push(cur);
      cur = [];
      directive = kind === 'p' && tok.text === '#';
      includeLike = false;
    } else if (directive && cur.length === 1 && kind === 'id') {
      includeLike = tok.text === 'include' || tok.text === 'include_next' || tok.text === 'import';
    }
    cur.push(tok);
    bol = false;
    space = false;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) { bol = true; space = false; i++; continue; }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) { space = true; i++; continue; }
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 42 /* * */) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) {
          const [l, cc] = position(i);
          problems.push([l, cc, 'unterminated /* comment', true]);
          i = n;
        } else {
          // a comment that spans lines does not end the logical line (phase 3 runs before directives)
          i = end + 2;
        }
        space = true;
        continue;
      }
      if (d === 47) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? n : end;
        space = true;
        continue;
      }
    }
    const start = i;
    if (isIdStart(c) || ucnLength(text, i) > 0) {
      let ucn = false;
      for (;;) {
        if (i < n && isIdChar(text.charCodeAt(i))) { i++; continue; }
        const u = ucnLength(text, i);
        if (u === 0) break;
        i += u;
        ucn = true;
      }
      if (ucn) {
        // `\u00e9` and `é` name the same identifier (C11 6.4.3): the token is spelled with the character
        const [line, col] = position(start);
        const spelled = text.slice(start, i).replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
          (_m, a: string | undefined, b: string | undefined) => String.fromCodePoint(parseInt(a ?? b!, 16)));
        if (bol) { if (cur.length) lines.push(cur); cur = []; directive = false; includeLike = false; }
        cur.push({ kind: 'id', text: spelled, file, line, col, space, bol, painted: false, expanded: false });
        bol = false;
        space = false;
        continue;
      }
      // string / char prefixes
      const word = text.slice(start, i);
      const q = text.charCodeAt(i);
      if ((q === 34 || q === 39) && (word === 'L' || word === 'u' || word === 'U' || word === 'u8')) {
        i = lexQuoted(text, i, q, problems, position);
        push(q === 34 ? 'str' : 'chr', start, i);
        continue;
      }
      push('id', start, i);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const e = text.charCodeAt(i);
        if ((e === 43 || e === 45) && /[eEpP]/.test(text[i - 1]!)) { i++; continue; }
        if (isIdChar(e) || e === 46 || e === 39 /* C23 digit separator */) { i++; continue; }
        break;
      }
      push('num', start, i);
      continue;
    }
    if (c === 34 || c === 39) {
      i = lexQuoted(text, i, c, problems, position);
      push(c === 34 ? 'str' : 'chr', start, i);
      continue;
    }
    if (c === 60 /* < */ && includeLike && cur.length === 2) {
      const end = text.indexOf('>', i);
      const nl = text.indexOf('\n', i);
      if (end > 0 && (nl < 0 || end < nl)) {
        i = end + 1;
        push('hdr', start, i);
        continue;
      }
    }
    if (c === 37 /* % */ || c === 60 /* < */ || c === 58 /* : */) {
      const two = text.slice(i, i + 2);
      const d = Object.hasOwn(DIGRAPHS, two) ? DIGRAPHS[two]! : undefined;
      if (d) {
        const paste = two === '%:' && text.slice(i + 2, i + 4) === '%:';
        i += paste ? 4 : 2;
        push('p', start, i);
        const last = cur[cur.length - 1]!;
        cur[cur.length - 1] = { ...last, text: paste ? '##' : d };
        if (cur.length === 1) directive = d === '#' && !paste;
        continue;
      }
    }
    const s3 = text.slice(i, i + 3);
    if (PUNCTS3.has(s3)) { i += 3; push('p', start, i); continue; }
    const s2 = text.slice(i, i + 2);
    if (PUNCTS2.has(s2)) { i += 2; push('p', start, i); continue; }
    i++;
    push('}{[]()#;:,.?~!%^&*-+=|<>/'.includes(text[start]!) ? 'p' : 'other', start, i);
  }
  if (cur.length) lines.push(cur);
  return { lines: kept, problems };
}

function lexQuoted(text: string, i: number, q: number, problems: Array<[number, number, string, boolean]>,
  position: (o: number) => [number, number]): number {
  const start = i;
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) { i += 2; continue; }
    if (c === q) return i + 1;
    if (c === 10) break;
    i++;
  }
  const [l, cc] = position(start);
  problems.push([l, cc, `missing terminating ${q === 34 ? '"' : "'"} character`, false]);
  return i;
}

/** A token made by the preprocessor itself (stringizing, pasting, builtin macros). */
export function makeToken(kind: TokKind, text: string, at: Token, extra?: Partial<Token>): Token {
  return { kind, text, file: at.file, line: at.line, col: at.col, space: at.space, bol: false, painted: false,
    ...extra };
}

/** Re-lex a single spelling (the result of `##`) into tokens; returns null when it is not exactly one token. */
export function relexOne(text: string, at: Token): Token | null {
  const r = lex(text, at.file);
  const toks = r.lines.flat();
  if (toks.length !== 1 || r.problems.length) return null;
  return { ...toks[0]!, file: at.file, line: at.line, col: at.col, space: at.space, bol: false, painted: false };
}
