// tree-sitter-c front end: turns the preprocessed text's syntax tree into plain C declarations
// (records, enums, typedefs), keeping original source positions and the `#pragma pack` state. The tree comes
// from either parser backend (parse/syntax.ts) through a TreeCursor, as plain objects (parse/tree.ts); every
// walk here is iterative or bounded by the bracket depth limit, so no input overflows the JavaScript stack.

import { diag, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { CONSTANT_PROBE_PREFIX } from '../c/literals.js';
import type { PackEvent, PreprocessResult } from '../preprocess/preprocess.js';
import type { TokenProbes } from '../preprocess/probes.js';
import { ALIGNOF_EXPR, ALIGNOF_EXPR_GNU, COMPLEX_MARK, OFFSETOF_SIZE_T, STATIC_ASSERT_TYPE, UNNAMED_BITFIELD_PREFIX } from './rewrite.js';
import { DECL_ATTR, INNER_POINTER_ATTR, OWN_POINTER_ATTR, SPEC_ATTR } from './attributes.js';
import { lookup, physicalFile } from '../preprocess/source-map.js';
import { trampoline, type Rec } from '../core/trampoline.js';
import { memoryShort } from '../core/memory.js';
import { parserBackend, type ParserBackend, type SyntaxCursor } from './syntax.js';
import { forEachTopLevel, SNode } from './tree.js';
import { probeConstants } from './probe-constants.js';
import type {
  AlignSpec, Attrs, ConstantProbe, StaticAssertDecl, EnumDecl, EnumeratorDecl, Expr, FieldDecl, Program, RecordDecl, TypeExpr, TypedefDecl, TypeSpec,
} from './ast.js';
import { mergeAttrs, NO_ATTRS } from './ast.js';

/** Words that make up C's keyword type specifiers; any other primitive_type is a typedef name. */
const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
  '__int128', '__int128_t', '__uint128_t', '_Complex', '_Float16', '_Float32', '_Float64', '_Float128', '__float128',
  '_Float32x', '_Float64x', '__fp16', '__bf16', '__builtin_va_list']);
/** Of those, the ones clang 16 does not reserve (gcc's interchange types; clang's predefined 128-bit typedefs):
 * glibc declares them itself for a compiler without them (`typedef float _Float32;` in bits/floatn-common.h, which
 * <stdio.h> includes), so a declaration may name them. */
const UNRESERVED_TYPE_WORDS = new Set(['_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__int128_t', '__uint128_t', '__builtin_va_list']);

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** clang's default `-fbracket-depth`: parentheses, brackets and braces may each nest 256 deep. */
export const MAX_BRACKET_DEPTH = 256;

/** Time spent in the parser proper and in the walk, summed over every parse in this process (for benchmarks). */
export const parseStats = { parseMs: 0, walkMs: 0, parses: 0 };

/** `pieceSize`: how long a piece of the header's own text is parsed at a time (tests give a small one). */
export function parseHeader(pp: PreprocessResult, backend: ParserBackend = parserBackend(), pieceSize = HEADER_PIECE): ParseResult {
  const depth = checkBracketDepth(pp);
  if (depth.error) {
    return { program: { records: [], enums: [], typedefs: [], constants: [], staticAsserts: [] }, diagnostics: [depth.error] };
  }
  const walker = new Walker(pp);
  let hasError = false;
  const parts = chunks(depth.text, pp.probeRow, pieceSize);
  for (let i = 0; i < parts.length; i++) {
    const [from, to, rowBase, probes, headerEnd] = parts[i]!;
    const t0 = performance.now();
    let source = depth.text.slice(from, to);
    let tree = backend.parse(source);
    // a piece of a long header with a syntax error: the rest of the header is parsed in one piece, so that error
    // recovery sees what follows the error as it would in the whole text (the pieces before were whole declarations
    // without an error)
    if (headerEnd > to && tree.walk().currentNode?.hasError) {
      tree.delete?.();
      source = depth.text.slice(from, headerEnd);
      tree = backend.parse(source);
      while (i + 1 < parts.length && !parts[i + 1]![3]) i++;
    }
    const t1 = performance.now();
    let short: Diagnostic | null = null;
    const visit = (n: SNode) => {
      const m = short ? null : memoryShort();
      if (m) short = diag('error', lookup(pp.map, n.row, n.column), 'out-of-memory', m);
      if (!short) walker.visit(n);
    };
    // a probe with a syntax error must not change how its neighbours parse (error recovery can join one probe's name
    // to the next one's value): rows of declarations with an error are parsed again one at a time, and the rows
    // between them again together
    const dirty = probes ? dirtyRows(tree.walk(), source) : null;
    let root: SNode;
    if (!dirty) root = forEachTopLevel(tree.walk(), source, rowBase, visit);
    else {
      root = new SNode('translation_unit', true, false, null, rowBase, 0, 0, 0, '');
      root.hasError = true;
      tree.delete?.();
      const piece = (r0: number, r1: number) => {
        const text = source.slice(dirty.lineStarts[r0]!, dirty.lineStarts[r1 + 1] ?? source.length);
        const t = backend.parse(text);
        forEachTopLevel(t.walk(), text, rowBase + r0, visit);
        t.delete?.();
      };
      let next = 0;
      for (const [d0, d1] of dirty.spans) {
        if (next < d0) piece(next, d0 - 1);
        for (let r = d0; r <= d1; r++) piece(r, r);
        next = d1 + 1;
      }
      if (next < dirty.lineStarts.length) piece(next, dirty.lineStarts.length - 1);
    }
    tree.delete?.();
    hasError ||= root.hasError;
    parseStats.parseMs += t1 - t0;
    parseStats.walkMs += performance.now() - t1;
    if (short) return { program: walker.finish(false).program, diagnostics: [short] };
  }
  if (pp.tokenProbes) {
    try {
      walker.addTokenProbes(pp.tokenProbes);
    } catch (e) {
      if (!(e instanceof OutOfMemory)) throw e;
      return { program: walker.finish(false).program, diagnostics: [e.diagnostic] };
    }
  }
  parseStats.parses++;
  return walker.finish(hasError);
}

/** The memory guard stopped the parse (at a constant probe). */
class OutOfMemory extends Error {
  constructor(readonly diagnostic: Diagnostic) { super(diagnostic.message); }
}

/** Constant probes parsed this many characters at a time (whole rows): the parser's tree of a header's millions of
 * `#define`s need not exist at once. */
const PROBE_CHUNK = 1 << 20;

/** A header's own text longer than this is parsed a piece at a time (pieces of whole top-level declarations about
 * this long): the parser's tree of a big header (about 100 bytes a node, outside the JavaScript heap) need not exist
 * at once. */
export const HEADER_PIECE = 1 << 19;

/** The text as parsed: the header's own text in pieces of whole top-level declarations (one piece unless it is
 * longer than the piece size), then the constant probes (one to a row, each a declaration of its own) in slices of
 * whole rows. Each is `[from, to, first row, probes, end of the header's text]`. */
function chunks(text: string, probeRow: number, pieceSize: number): Array<[number, number, number, boolean, number]> {
  let at = 0;
  let row = 0;
  for (; row < probeRow; row++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) { at = text.length; break; }
    at = nl + 1;
  }
  const out = headerPieces(text, at, pieceSize);
  while (at < text.length) {
    let end = Math.min(text.length, at + PROBE_CHUNK);
    if (end < text.length) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl + 1;
    }
    out.push([at, end, row, true, 0]);
    for (let i = text.indexOf('\n', at); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) row++;
    at = end;
  }
  return out;
}

/** The header's own text (`text` up to `end`) in pieces about `pieceSize` long, each ending at a line end that
 * follows a `;` outside every bracket, string and character literal: the end of a top-level declaration (the
 * preprocessed text has no comments or directives). A piece that splits something else (an old-style function
 * definition's parameter declarations) holds a syntax error, and parseHeader then parses the rest whole. */
function headerPieces(text: string, end: number, pieceSize: number): Array<[number, number, number, boolean, number]> {
  const out: Array<[number, number, number, boolean, number]> = [];
  let from = 0;
  let fromRow = 0;
  let row = 0;
  let depth = 0;
  let lastSemi = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      row++;
      if (depth === 0 && lastSemi && i + 1 - from >= pieceSize && i + 1 < end) {
        out.push([from, i + 1, fromRow, false, end]);
        from = i + 1;
        fromRow = row;
      }
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    lastSemi = c === 59 && depth === 0;
    if (c === 34 || c === 39) { // a string or character literal (never across a line)
      for (i++; i < end && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
      if (i < end && text.charCodeAt(i) === 10) i--;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  out.push([from, end, fromRow, false, end]);
  return out;
}

/** Where a text's top-level nodes hold a syntax error, or null when none does: spans of rows `[first, last]`, in
 * order, each the rows of such nodes and of every node sharing a row with one (so that the rows between spans hold
 * whole nodes without an error), and where each row of the text starts. */
function dirtyRows(cursor: SyntaxCursor, source: string): { lineStarts: number[]; spans: Array<[number, number]> } | null {
  if (!cursor.currentNode?.hasError || !cursor.gotoFirstChild()) return null;
  const lineStarts: number[] = [0];
  for (let i = source.indexOf('\n'); i >= 0 && i + 1 < source.length; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const rowOf = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (lineStarts[mid]! <= index) lo = mid + 1; else hi = mid; }
    return lo - 1;
  };
  // nodes sharing a row form a group; a group with an error is a dirty span
  const spans: Array<[number, number]> = [];
  let group: [number, number] | null = null;
  let groupDirty = false;
  do {
    const r0 = rowOf(cursor.startIndex);
    const r1 = rowOf(Math.max(cursor.startIndex, cursor.endIndex - 1));
    const err = !!cursor.currentNode?.hasError;
    if (group && r0 <= group[1]) { group[1] = Math.max(group[1], r1); groupDirty ||= err; continue; }
    if (group && groupDirty) spans.push(group);
    group = [r0, r1];
    groupDirty = err;
  } while (cursor.gotoNextSibling());
  if (group && groupDirty) spans.push(group);
  return { lineStarts, spans };
}

/**
 * Parentheses, brackets and braces nested deeper than clang's limit are an error, as in clang; this also bounds
 * every walk that follows brackets. A constant probe that nests too deeply is blanked: it is not a constant.
 */
function checkBracketDepth(pp: PreprocessResult): { text: string; error: Diagnostic | null } {
  const text = pp.text;
  let row = 0;
  let rowStart = 0;
  let paren = 0;
  let bracket = 0;
  let brace = 0;
  const blank: Array<[number, number]> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { row++; rowStart = i + 1; if (row >= pp.probeRow) { paren = bracket = brace = 0; } continue; }
    if (c === 34 || c === 39) { // skip a string or character literal
      for (i++; i < text.length && text.charCodeAt(i) !== c && text.charCodeAt(i) !== 10; i++) if (text.charCodeAt(i) === 92) i++;
      continue;
    }
    let d = 0;
    if (c === 40) d = ++paren; else if (c === 41) paren--;
    else if (c === 91) d = ++bracket; else if (c === 93) bracket--;
    else if (c === 123) d = ++brace; else if (c === 125) brace--;
    if (d > MAX_BRACKET_DEPTH) {
      if (row >= pp.probeRow) {
        let end = text.indexOf('\n', i);
        if (end < 0) end = text.length;
        blank.push([rowStart, end]);
        i = end - 1;
        paren = bracket = brace = 0;
        continue;
      }
      const pos = lookup(pp.map, row, i - rowStart) ?? { file: '<input>', line: row + 1, col: i - rowStart + 1 };
      return { text, error: diag('error', pos, 'parse-bracket-depth', `bracket nesting level exceeded maximum of ${MAX_BRACKET_DEPTH}`) };
    }
  }
  if (blank.length === 0) return { text, error: null };
  let out = '';
  let last = 0;
  for (const [a, b] of blank) { out += text.slice(last, a) + ' '.repeat(b - a); last = b; }
  return { text: out + text.slice(last), error: null };
}

class Walker {
  private readonly records: RecordDecl[] = [];
  private readonly enums: EnumDecl[] = [];
  private readonly typedefs: TypedefDecl[] = [];
  private constants: ConstantProbe[] = [];
  /** The output row of each of `constants` (probes written as text). */
  private readonly constantRows: number[] = [];
  private readonly staticAsserts: StaticAssertDecl[] = [];
  private readonly diags: Diagnostic[] = [];
  private readonly events: readonly PackEvent[];
  /** Typedef names declared so far: C declares before use, so `(name)-1` is a cast exactly when name is here. */
  private readonly typedefNames = new Set<string>();

  constructor(private readonly pp: PreprocessResult) {
    this.events = pp.packEvents;
  }

  /** The constant probes the preprocessor kept as tokens, among those read from the text in the order made. */
  addTokenProbes(probes: TokenProbes): void {
    this.constants = probeConstants(probes, this.pp.map.files, this.constants, this.constantRows, this.typedefNames, (pos) => {
      const m = memoryShort();
      if (m) throw new OutOfMemory(diag('error', pos, 'out-of-memory', m));
    });
  }

  /** Top-level declarations with a syntax error, kept for `finish` (the others are dropped once read). */
  private readonly withErrors: SNode[] = [];

  /** One top-level node, in order. */
  visit(n: SNode): void {
    if (n.isNamed) this.topLevel(n);
    if (n.hasError) this.withErrors.push(n);
  }

  finish(hasError: boolean): ParseResult {
    if (hasError) {
      const root = new SNode('translation_unit', true, false, null, 0, 0, 0, 0, '');
      root.children.push(...this.withErrors);
      root.hasError = true;
      this.syntaxErrors(root);
    }
    return {
      program: { records: this.records, enums: this.enums, typedefs: this.typedefs, constants: this.constants, staticAsserts: this.staticAsserts },
      diagnostics: this.diags,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  private pos(n: SNode): SourcePos {
    return lookup(this.pp.map, n.row, n.column) ?? { file: '<input>', line: n.row + 1, col: n.column + 1 };
  }

  /** The file a declaration was read from (not the name `#line` gave it). */
  private definedIn(n: SNode, p: SourcePos): string {
    return physicalFile(this.pp.map, n.row, n.column) ?? p.file;
  }

  private isSystem(file: string): boolean {
    return this.pp.systemFiles.has(file) || file.startsWith('<structgen>');
  }

  /** The `#pragma pack` state at a node: the last event at or before it (binary search; events are in order). */
  private packAt(n: SNode): PackEvent | null {
    const ev = this.events;
    let lo = 0;
    let hi = ev.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = ev[mid]!;
      if (e.row < n.row || (e.row === n.row && e.col <= n.column)) lo = mid + 1; else hi = mid;
    }
    return lo > 0 ? ev[lo - 1]! : null;
  }

  private syntaxErrors(root: SNode) {
    const found: Diagnostic[] = [];
    const stack: Array<[SNode, boolean, SNode | undefined]> = [[root, false, undefined]];
    while (stack.length) {
      const [n, inBody, next] = stack.pop()!;
      if (!n.hasError) continue;
      if (n.row >= this.pp.probeRow) continue; // constant probes: failures only mean "not a constant"
      const body = inBody || n.type === 'field_declaration_list' || n.type === 'enumerator_list';
      // bodies of inline functions are skipped; errors inside them don't affect layouts
      if (n.type === 'function_definition' || n.type === 'compound_statement') continue;
      if (n.isMissing) {
        // `int :3;` parses as a bit-field whose name is missing: that is an unnamed bit-field, not an error
        if (n.type === 'field_identifier' && next?.type === 'bitfield_clause') continue;
        const p = this.pos(n);
        if (body || !this.isSystem(this.definedIn(n, p))) found.push(diag('error', p, 'parse-syntax', `expected '${n.type}'`));
        continue;
      }
      if (n.type === 'ERROR') {
        const p = this.pos(n);
        if (body || !this.isSystem(this.definedIn(n, p))) {
          const text = n.text.split('\n')[0]!.slice(0, 40);
          found.push(diag('error', p, 'parse-syntax', `syntax error near '${text}'`));
        }
        continue;
      }
      for (let k = n.children.length - 1; k >= 0; k--) stack.push([n.children[k]!, body, n.children[k + 1]]);
    }
    // one error per position is enough
    const seen = new Set<string>();
    for (const d of found) {
      const k = `${d.pos?.file}:${d.pos?.line}`;
      if (seen.has(k)) continue;
      seen.add(k);
      this.diags.push(d);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  private topLevel(n: SNode) {
    switch (n.type) {
      case 'declaration': this.declaration(n, false); return;
      case 'type_definition': this.declaration(n, true); return;
      case 'struct_specifier': case 'union_specifier': case 'enum_specifier':
        this.typeSpec(n, null);
        return;
      case 'linkage_specification': {
        const body = n.childForFieldName('body');
        if (body) for (const c of body.type === 'declaration_list' ? body.namedChildren : [body]) this.topLevel(c);
        return;
      }
      case 'function_definition': {
        // a struct defined in a return type is still a file-scope definition
        const t = n.childForFieldName('type');
        if (t) this.typeSpec(t, null);
        return;
      }
      default:
        return;
    }
  }

  private declaration(n: SNode, isTypedef: boolean) {
    const kids = fieldChildren(n);
    const leading: SNode[] = [];
    let typeNode: SNode | null = null;
    const declarators: Array<{ node: SNode; attrs: SNode[] }> = [];
    for (const [field, c] of kids) {
      if (field === 'type') typeNode = c;
      else if (field === 'declarator') declarators.push({ node: c, attrs: [] });
      else if (c.type === 'attribute_specifier' || c.type === 'type_qualifier' || c.type === 'storage_class_specifier'
        || c.type === 'attribute_declaration' || c.type === 'ms_declspec_modifier') {
        if (declarators.length) declarators[declarators.length - 1]!.attrs.push(c); else leading.push(c);
      }
    }
    if (!typeNode) return;
    if (typeNode.type === 'type_identifier' && typeNode.text === STATIC_ASSERT_TYPE) { this.staticAssert(n, kids); return; }
    const quals = leading.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
    const leadAttrs = mergeAttrs(this.attrs(leading), this.refAttrs(typeNode));
    const spec = this.typeSpec(typeNode, null);
    for (const d of declarators) {
      if (!isTypedef && d.node.type === 'init_declarator' && d.node.row >= this.pp.probeRow) {
        const id = d.node.childForFieldName('declarator');
        const value = d.node.childForFieldName('value');
        if (id?.text.startsWith(CONSTANT_PROBE_PREFIX) && value && !value.hasError) {
          const p = this.pos(id);
          this.constants.push({ name: id.text.slice(CONSTANT_PROBE_PREFIX.length), expr: this.expr(value), pos: p, definedIn: this.definedIn(id, p) });
          this.constantRows.push(d.node.row);
        }
        continue;
      }
      if (!isTypedef) continue;
      const p = this.pos(d.node);
      const { name, type, attrs } = this.declared(d.node, baseType(spec, quals), leadAttrs, this.attrs(d.attrs), p);
      if (!name) continue;
      const definedIn = this.definedIn(d.node, p);
      this.typedefs.push({ name, type, attrs, pos: p, definedIn, system: this.isSystem(definedIn) });
      this.typedefNames.add(name);
      if (type.k === 'base') {
        if (spec.k === 'record') {
          const r = this.records[spec.id]!;
          if (!r.tag && !r.typedefName) r.typedefName = name;
        } else if (spec.k === 'enum') {
          const e = this.enums[spec.id]!;
          if (!e.tag && !e.typedefName) e.typedefName = name;
        }
      }
    }
  }

  /**
   * A declarator applied to its base type, with its attributes: those among the specifiers (`lead`, and the ones the
   * placement pass marked SPEC_ATTR) apply to each declarator, those inside or after it (`trail`, DECL_ATTR) to this
   * one. `vector_size` is a type attribute: among the specifiers it makes the base type a vector, after a declarator
   * the declared type (as clang applies it); the other layout attributes are the declaration's.
   */
  private declared(node: SNode, base: TypeExpr, lead: Attrs, trail: Attrs, pos: SourcePos): { name: string | null; type: TypeExpr; attrs: Attrs } {
    const found: SNode[] = [];
    let { name, type } = this.declarator(node, base, found);
    const spec = mergeAttrs(lead, this.attrs(found, SPEC_ATTR));
    const own = mergeAttrs(trail, this.attrs(found, DECL_ATTR));
    if (spec.vectorSize) type = this.declarator(node, { k: 'vector', of: base, size: spec.vectorSize, pos }).type;
    if (own.vectorSize) type = { k: 'vector', of: type, size: own.vectorSize, pos };
    const { vectorSize: _s, ...attrs } = mergeAttrs(spec, own);
    void _s;
    const ptrOwn = this.attrs(found, OWN_POINTER_ATTR);
    const ptrInner = this.attrs(found, INNER_POINTER_ATTR);
    if (ptrOwn === NO_ATTRS && ptrInner === NO_ATTRS) return { name, type, attrs };
    return { name, type, attrs: { ...attrs, afterStar: { own: ptrOwn === NO_ATTRS ? null : ptrOwn, inner: ptrInner === NO_ATTRS ? null : ptrInner } } };
  }

  /** Attributes written after a struct, union or enum used by name (`enum E __attribute__((aligned(16))) e;`): the
   * declaration's, as clang takes them. */
  private refAttrs(typeNode: SNode): Attrs {
    if ((typeNode.type !== 'struct_specifier' && typeNode.type !== 'union_specifier' && typeNode.type !== 'enum_specifier') || typeNode.childForFieldName('body')) return NO_ATTRS;
    return this.attrs(typeNode.children.filter((c) => c.type === 'attribute_specifier'));
  }

  /** `_Static_assert(E, "m")`, which the rewrite spelled `__structgen_static_assert _ [E] [sizeof("m")];`. */
  private staticAssert(n: SNode, kids: ReadonlyArray<[string | null, SNode]>) {
    const decl = kids.find(([f]) => f === 'declarator')?.[1];
    const sizes: SNode[] = [];
    for (let d = decl; d && d.type === 'array_declarator'; d = d.childForFieldName('declarator') ?? undefined) {
      const size = d.childForFieldName('size');
      if (size) sizes.unshift(size);
    }
    const cond = sizes[0];
    const p = this.pos(n);
    if (!cond) { this.diags.push(diag('error', p, 'parse-syntax', 'expected expression in _Static_assert')); return; }
    const msgNode = sizes[1]?.childForFieldName('value') ?? null;
    let message: string | null = null;
    if (msgNode) {
      const lit = msgNode.type === 'parenthesized_expression' ? msgNode.namedChildren[0] : msgNode;
      if (lit && (lit.type === 'string_literal' || lit.type === 'concatenated_string')) message = lit.text;
    }
    this.staticAsserts.push({ expr: this.expr(cond), message, pos: this.pos(cond), system: this.isSystem(this.definedIn(n, p)) });
  }

  /** Applies a (possibly abstract) declarator to a base type; returns the declared name and full type.
   * Declarators nest from the outside in (`*p[3]` is an array of pointers), so this is a loop, however deep. */
  private declarator(start: SNode | null, outer: TypeExpr, attrs?: SNode[]): { name: string | null; type: TypeExpr } {
    let n = start;
    let base = outer;
    for (;;) {
      if (!n) return { name: null, type: base };
      switch (n.type) {
        case 'identifier': case 'field_identifier': case 'type_identifier': case 'primitive_type':
          if (!n.isMissing && TYPE_WORDS.has(n.text) && !UNRESERVED_TYPE_WORDS.has(n.text)) {
            this.diags.push(diag('error', this.pos(n), 'parse-specifiers', `cannot combine with previous '${n.text}' declaration specifier`));
          }
          return { name: n.isMissing || n.text.startsWith(UNNAMED_BITFIELD_PREFIX) ? null : n.text, type: base };
        case 'pointer_declarator': case 'abstract_pointer_declarator': {
          const quals = n.children.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
          base = { k: 'pointer', to: base, quals };
          n = n.childForFieldName('declarator');
          continue;
        }
        case 'array_declarator': case 'abstract_array_declarator': {
          const size = n.childForFieldName('size');
          const sizeExpr = size && size.type !== '*' ? this.expr(size) : null;
          base = { k: 'array', of: base, size: sizeExpr, pos: this.pos(n) };
          n = n.childForFieldName('declarator');
          continue;
        }
        case 'function_declarator': case 'abstract_function_declarator': {
          const params = n.childForFieldName('parameters')?.text ?? '()';
          base = { k: 'function', ret: base, params };
          n = n.childForFieldName('declarator');
          continue;
        }
        case 'parenthesized_declarator': case 'abstract_parenthesized_declarator': case 'attributed_declarator':
          if (attrs) for (const c of n.children) if (c.type === 'attribute_declaration') attrs.push(c);
          n = n.children.find((c) => c.isNamed && c.type !== 'attribute_specifier' && c.type !== 'attribute_declaration'
            && c.type !== 'ms_call_modifier' && c.type !== 'type_qualifier') ?? null;
          continue;
        case 'init_declarator':
          n = n.childForFieldName('declarator');
          continue;
        default:
          return { name: null, type: base };
      }
    }
  }

  private typeSpec(n: SNode, parent: number | null): TypeSpec {
    switch (n.type) {
      case 'primitive_type':
        return TYPE_WORDS.has(n.text) ? { k: 'builtin', words: [n.text] } : { k: 'typedef', name: n.text, pos: this.pos(n) };
      case 'sized_type_specifier': {
        const words: string[] = [];
        for (const c of n.children) {
          // `short _Complex`: the complex mark may sit among the words
          if (c.type === 'type_qualifier') { if (c.text === COMPLEX_MARK) words.push('_Complex'); continue; }
          words.push(c.text);
        }
        return { k: 'builtin', words };
      }
      case 'type_identifier':
        return TYPE_WORDS.has(n.text) ? { k: 'builtin', words: [n.text] } : { k: 'typedef', name: n.text, pos: this.pos(n) };
      case 'struct_specifier': case 'union_specifier': return this.record(n, parent);
      case 'enum_specifier': return this.enumSpec(n);
      default:
        return { k: 'unsupported', text: n.text.slice(0, 60) };
    }
  }

  private record(n: SNode, parent: number | null): TypeSpec {
    const kind = n.type === 'struct_specifier' ? 'struct' : 'union';
    const name = n.childForFieldName('name');
    const body = n.childForFieldName('body');
    const tag = name ? name.text : null;
    if (!body) {
      if (!tag) return { k: 'unsupported', text: n.text };
      return { k: 'recordRef', kind, tag };
    }
    const p = this.pos(n);
    const pack = this.packAt(n);
    const attrs = this.attrs(n.namedChildren.filter((c) => c.type === 'attribute_specifier' || c.type === 'ms_declspec_modifier'));
    const id = this.records.length;
    const fields: FieldDecl[] = [];
    const definedIn = this.definedIn(n, p);
    const rec: RecordDecl = {
      id, kind, tag, pos: p, definedIn, attrs, pack: pack?.pack ?? 0, msStructPragma: pack?.msStruct ?? false,
      fields, parent, typedefName: null, system: this.isSystem(definedIn),
    };
    this.records.push(rec);
    for (const f of body.namedChildren) {
      if (f.type === 'field_declaration') this.fieldDecl(f, id, fields);
    }
    return { k: 'record', id };
  }

  private fieldDecl(n: SNode, recId: number, out: FieldDecl[]) {
    const kids = fieldChildren(n);
    let typeNode: SNode | null = null;
    const leading: SNode[] = [];
    const decls: Array<{ node: SNode; width: SNode | null; attrs: SNode[] }> = [];
    for (const [field, c] of kids) {
      if (field === 'type') typeNode = c;
      else if (field === 'declarator') decls.push({ node: c, width: null, attrs: [] });
      else if (c.type === 'bitfield_clause') {
        if (decls.length) decls[decls.length - 1]!.width = c;
        else decls.push({ node: c, width: c, attrs: [] });
      } else if (c.type === 'attribute_specifier' || c.type === 'type_qualifier' || c.type === 'ms_declspec_modifier') {
        if (decls.length) decls[decls.length - 1]!.attrs.push(c); else leading.push(c);
      }
    }
    if (!typeNode) return;
    if (typeNode.type === 'type_identifier' && typeNode.text === STATIC_ASSERT_TYPE) { this.staticAssert(n, kids); return; }
    const quals = leading.filter((c) => c.type === 'type_qualifier' && !c.text.startsWith('_Alignas') && !c.text.startsWith('alignas')).map((c) => c.text);
    const leadAttrs = mergeAttrs(this.attrs(leading), this.refAttrs(typeNode));
    const spec = this.typeSpec(typeNode, recId);
    const base: TypeExpr = baseType(spec, quals);
    if (decls.length === 0) {
      // anonymous struct/union member (C11), or a nested definition with no member (`struct x {..};` inside a body)
      if (spec.k === 'record' && !this.records[spec.id]!.tag) {
        const { vectorSize: _v, ...attrs } = leadAttrs;
        void _v;
        out.push({ name: null, type: base, bitWidth: null, attrs, pos: this.pos(typeNode) });
      }
      return;
    }
    for (const d of decls) {
      const isBare = d.node === d.width;
      const pos = this.pos(isBare ? d.node : d.node);
      const { name, type, attrs } = isBare ? { name: null, type: base, attrs: mergeAttrs(leadAttrs, this.attrs(d.attrs)) }
        : this.declared(d.node, base, leadAttrs, this.attrs(d.attrs), pos);
      const widthExpr = d.width ? d.width.namedChildren[0] : undefined;
      out.push({
        name,
        type,
        bitWidth: widthExpr ? this.expr(widthExpr) : null,
        attrs,
        pos: this.pos(name ? d.node : (d.width ?? d.node)),
      });
    }
  }

  private enumSpec(n: SNode): TypeSpec {
    const name = n.childForFieldName('name');
    const body = n.childForFieldName('body');
    const tag = name ? name.text : null;
    if (!body) return tag ? { k: 'enumRef', tag } : { k: 'unsupported', text: n.text };
    const p = this.pos(n);
    const values: EnumeratorDecl[] = [];
    for (const e of body.namedChildren) {
      if (e.type !== 'enumerator') continue;
      const nm = e.childForFieldName('name');
      const v = e.childForFieldName('value');
      if (!nm) continue;
      values.push({ name: nm.text, value: v ? this.expr(v) : null, pos: this.pos(nm) });
    }
    const attrs = this.attrs(n.namedChildren.filter((c) => c.type === 'attribute_specifier'));
    const id = this.enums.length;
    const definedIn = this.definedIn(n, p);
    this.enums.push({ id, tag, pos: p, definedIn, attrs, values, typedefName: null, system: this.isSystem(definedIn) });
    return { k: 'enum', id };
  }

  // ---------------------------------------------------------------------------------------------------------
  /** The layout attributes of attribute groups and `_Alignas` qualifiers; with `prefix`, of the `[[prefix::...]]`
   * lists the placement pass wrote instead. */
  private attrs(nodes: readonly SNode[], prefix: string | null = null): Attrs {
    if (nodes.length === 0) return NO_ATTRS;
    let packed = false;
    let msStruct = false;
    let gccStruct = false;
    let mode: string | null = null;
    let vectorSize: Expr | undefined;
    let countedBy: string | undefined;
    const aligned: AlignSpec[] = [];
    const items: Array<[SNode, string, SNode[]]> = [];
    for (const n of nodes) {
      if (n.type === 'type_qualifier' && prefix === null) {
        const a = n.namedChildren.find((c) => c.type === 'alignas_qualifier');
        if (a) {
          const arg = a.namedChildren[0];
          if (arg?.type === 'type_descriptor') aligned.push({ k: 'type', type: this.typeDescriptor(arg) });
          else if (arg) aligned.push({ k: 'expr', expr: this.expr(arg), alignas: true });
        }
        continue;
      }
      if (n.type === 'attribute_declaration') {
        for (const a of n.namedChildren) {
          if (a.type !== 'attribute' || a.childForFieldName('prefix')?.text !== prefix) continue;
          items.push([a, a.childForFieldName('name')?.text ?? '', a.namedChildren.find((c) => c.type === 'argument_list')?.namedChildren ?? []]);
        }
        continue;
      }
      if (n.type !== 'attribute_specifier' || prefix !== null) continue;
      const list = n.namedChildren[0];
      if (!list) continue;
      for (const item of list.namedChildren) {
        if (item.type === 'identifier') items.push([item, item.text, []]);
        else if (item.type === 'call_expression') {
          items.push([item, item.childForFieldName('function')?.text ?? '', item.childForFieldName('arguments')?.namedChildren ?? []]);
        }
      }
    }
    if (items.length === 0 && aligned.length === 0) return NO_ATTRS;
    for (const [item, written, args] of items) {
      switch (written.replace(/^__(.*)__$/, '$1')) {
        case 'packed': packed = true; break;
        case 'ms_struct': msStruct = true; break;
        case 'gcc_struct': gccStruct = true; break;
        case 'aligned':
          if (args[0]) aligned.push({ k: 'expr', expr: this.expr(args[0]) });
          else aligned.push({ k: 'default', pos: this.pos(item) });
          break;
        case 'mode':
          if (args[0]) mode = args[0].text.replace(/^__(.*)__$/, '$1');
          break;
        case 'vector_size':
          if (args[0]) vectorSize = this.expr(args[0]);
          break;
        case 'counted_by':
          if (args[0]?.type === 'identifier') countedBy = args[0].text;
          break;
        default: break;
      }
    }
    return { packed, aligned, msStruct, gccStruct, mode, ...(vectorSize ? { vectorSize } : {}), ...(countedBy ? { countedBy } : {}) };
  }

  private typeDescriptor(n: SNode): TypeExpr {
    const typeNode = n.childForFieldName('type');
    const quals = n.namedChildren.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
    const spec: TypeSpec = typeNode ? this.typeSpec(typeNode, null) : { k: 'unsupported', text: n.text };
    return this.declarator(n.childForFieldName('declarator'), baseType(spec, quals)).type;
  }

  /** An expression as data; iterative (a trampoline), so `1+1+...+1` of any length is fine. */
  private expr(n: SNode): Expr {
    return trampoline(this.exprG(n));
  }

  private *exprG(n: SNode): Rec<Expr> {
    const pos = this.pos(n);
    switch (n.type) {
      case 'number_literal':
        return /^(0[xX][0-9a-fA-F']+|0[bB][01']+|[0-9']+)[uUlL]*$/.test(n.text) ? { k: 'int', text: n.text, pos } : { k: 'float', text: n.text, pos };
      case 'char_literal': return { k: 'char', text: n.text, pos };
      case 'string_literal': case 'concatenated_string':
        return { k: 'string', value: n.text, pos };
      case 'identifier': return { k: 'ident', name: n.text, pos };
      case 'true': return { k: 'int', text: '1', pos };
      case 'false': return { k: 'int', text: '0', pos };
      case 'parenthesized_expression': {
        const inner = n.namedChildren[0];
        return inner ? ((yield this.exprG(inner)) as Expr) : { k: 'unsupported', text: n.text, pos };
      }
      case 'unary_expression': {
        const arg = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.type ?? n.children[0]?.type ?? '?';
        return arg ? { k: 'unary', op, arg: ((yield this.exprG(arg)) as Expr), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.type ?? '?';
        const castName = l?.type === 'parenthesized_expression' && l.namedChildren.length === 1 && l.namedChildren[0]!.type === 'identifier'
          ? l.namedChildren[0]!.text : null;
        if (castName === OFFSETOF_SIZE_T && r && op === '&') return sizeCast({ k: 'unary', op: '&', arg: ((yield this.exprG(r)) as Expr), pos: this.pos(r) }, pos);
        if (castName && r && (op === '-' || op === '+') && this.typedefNames.has(castName)) {
          // `(u64)-32` is a cast of -32, which the grammar cannot tell from a subtraction
          const type: TypeExpr = { k: 'base', spec: { k: 'typedef', name: castName, pos: this.pos(l!) }, quals: [] };
          return { k: 'cast', type, arg: { k: 'unary', op, arg: ((yield this.exprG(r)) as Expr), pos: this.pos(n.children[1] ?? n) }, pos };
        }
        return l && r ? { k: 'binary', op, left: ((yield this.exprG(l)) as Expr), right: ((yield this.exprG(r)) as Expr), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('condition');
        const t = n.childForFieldName('consequence');
        const e = n.childForFieldName('alternative');
        return c && t && e ? { k: 'cond', cond: ((yield this.exprG(c)) as Expr), then: ((yield this.exprG(t)) as Expr), else: ((yield this.exprG(e)) as Expr), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'cast_expression': {
        const t = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        return t && v ? { k: 'cast', type: this.typeDescriptor(t), arg: ((yield this.exprG(v)) as Expr), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'sizeof_expression': {
        const t = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        if (t) return { k: 'sizeof', type: this.typeDescriptor(t), arg: null, pos };
        if (v) return { k: 'sizeof', type: null, arg: ((yield this.exprG(v)) as Expr), pos };
        return { k: 'unsupported', text: n.text, pos };
      }
      case 'alignof_expression': {
        const t = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        const gnu = (n.children[0]?.text ?? '').startsWith('__');
        if (t) return { k: 'alignof', type: this.typeDescriptor(t), arg: null, gnu, pos };
        if (v) return { k: 'alignof', type: null, arg: ((yield this.exprG(v)) as Expr), gnu, pos };
        return { k: 'unsupported', text: n.text, pos };
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        const args = n.childForFieldName('arguments')?.namedChildren ?? [];
        const inner = fn?.type === 'parenthesized_expression' ? fn.namedChildren[0] : undefined;
        if (inner?.type === 'identifier' && args.length === 1) return { k: 'parenCall', name: inner.text, arg: ((yield this.exprG(args[0]!)) as Expr), pos };
        if (fn?.type === 'identifier' && (fn.text === ALIGNOF_EXPR || fn.text === ALIGNOF_EXPR_GNU) && args.length === 1) {
          return { k: 'alignof', type: null, arg: ((yield this.exprG(args[0]!)) as Expr), gnu: fn.text === ALIGNOF_EXPR_GNU, pos };
        }
        return { k: 'unsupported', text: n.text.slice(0, 60), pos };
      }
      case 'offsetof_expression': {
        // the rewrite spells offsetof as `(size_t)&((T *)0)->m`; a plain one is read the same way
        const t = n.childForFieldName('type');
        const m = n.childForFieldName('member');
        if (!t || !m) return { k: 'unsupported', text: n.text, pos };
        const type = this.typeDescriptor(t);
        const base: Expr = { k: 'cast', type: { k: 'pointer', to: type, quals: [] }, arg: { k: 'int', text: '0', pos }, pos };
        return sizeCast({ k: 'unary', op: '&', arg: { k: 'member', arg: base, name: m.text, arrow: true, pos }, pos }, pos);
      }
      case 'field_expression': {
        const arg = n.childForFieldName('argument');
        const f = n.childForFieldName('field');
        const op = n.childForFieldName('operator')?.type;
        return arg && f ? { k: 'member', arg: ((yield this.exprG(arg)) as Expr), name: f.text, arrow: op === '->', pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'subscript_expression': {
        const arg = n.childForFieldName('argument');
        const index = n.childForFieldName('index');
        return arg && index ? { k: 'index', arg: ((yield this.exprG(arg)) as Expr), index: ((yield this.exprG(index)) as Expr), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'pointer_expression': {
        const arg = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.type ?? '*';
        return arg ? { k: 'unary', op, arg: ((yield this.exprG(arg)) as Expr), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'comma_expression': {
        const r = n.childForFieldName('right');
        return r ? ((yield this.exprG(r)) as Expr) : { k: 'unsupported', text: n.text, pos };
      }
      default:
        return { k: 'unsupported', text: n.text.slice(0, 60), pos };
    }
  }
}

/** `(size_t)arg`: size_t is the target's, which the resolver knows by the marker name. */
function sizeCast(arg: Expr, pos: SourcePos): Expr {
  return { k: 'cast', type: { k: 'base', spec: { k: 'typedef', name: OFFSETOF_SIZE_T, pos }, quals: [] }, arg, pos };
}

/** A base type; the `_Complex` the rewrite marked as a qualifier joins the type's keywords. */
function baseType(spec: TypeSpec, quals: readonly string[]): TypeExpr {
  if (!quals.includes(COMPLEX_MARK)) return { k: 'base', spec, quals };
  const rest = quals.filter((q) => q !== COMPLEX_MARK);
  if (spec.k === 'builtin') return { k: 'base', spec: spec.words.includes('_Complex') ? spec : { k: 'builtin', words: [...spec.words, '_Complex'] }, quals: rest };
  return { k: 'base', spec: { k: 'unsupported', text: '_Complex of a typedef name' }, quals: rest };
}

function fieldChildren(n: SNode): Array<[string | null, SNode]> {
  const out: Array<[string | null, SNode]> = [];
  for (const c of n.children) if (c.isNamed || c.field) out.push([c.field, c]);
  return out;
}

