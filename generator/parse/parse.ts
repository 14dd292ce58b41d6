// tree-sitter-c front end: turns the preprocessed text's syntax tree into plain C declarations
// (records, enums, typedefs), keeping original source positions and the `#pragma pack` state.

import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import { diag, type Diagnostic, type SourcePos } from '../diagnostics.js';
import { CONSTANT_PROBE_PREFIX } from '../c/literals.js';
import type { PackEvent, PreprocessResult } from '../preprocess/preprocess.js';
import { UNNAMED_BITFIELD_PREFIX } from './rewrite.js';
import { lookup } from '../preprocess/source-map.js';
import type {
  AlignSpec, Attrs, ConstantProbe, EnumDecl, EnumeratorDecl, Expr, FieldDecl, Program, RecordDecl, TypeExpr, TypedefDecl, TypeSpec,
} from './ast.js';
import { NO_ATTRS } from './ast.js';

type Node = Parser.SyntaxNode;

let sharedParser: Parser | null = null;
function parser(): Parser {
  if (!sharedParser) {
    sharedParser = new Parser();
    sharedParser.setLanguage(C as unknown as Parser.Language);
  }
  return sharedParser;
}

export interface ParseResult {
  readonly program: Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** Words that make up C's keyword type specifiers; any other primitive_type is a typedef name. */
const TYPE_WORDS = new Set(['void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool',
  '__int128', '__int128_t', '__uint128_t', '_Complex', '_Float16', '_Float32', '_Float64', '_Float128', '__float128',
  '_Float32x', '_Float64x', '__fp16', '__bf16', '__builtin_va_list']);

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '_Atomic', '__extension__', 'inline', 'register',
  '_Noreturn', 'noreturn', 'constexpr']);

export function parseHeader(pp: PreprocessResult): ParseResult {
  const tree = parser().parse(pp.text, null, { bufferSize: Math.max(64 * 1024, pp.text.length * 2 + 1024) });
  return new Walker(pp).run(tree.rootNode);
}

class Walker {
  private readonly records: RecordDecl[] = [];
  private readonly enums: EnumDecl[] = [];
  private readonly typedefs: TypedefDecl[] = [];
  private readonly constants: ConstantProbe[] = [];
  private readonly diags: Diagnostic[] = [];
  private readonly events: readonly PackEvent[];
  /** Typedef names declared so far: C declares before use, so `(name)-1` is a cast exactly when name is here. */
  private readonly typedefNames = new Set<string>();

  constructor(private readonly pp: PreprocessResult) {
    this.events = pp.packEvents;
  }

  run(root: Node): ParseResult {
    for (const n of root.namedChildren) this.topLevel(n);
    if (root.hasError) this.syntaxErrors(root);
    return { program: { records: this.records, enums: this.enums, typedefs: this.typedefs, constants: this.constants }, diagnostics: this.diags };
  }

  // ---------------------------------------------------------------------------------------------------------
  private pos(n: Node): SourcePos {
    const p = n.startPosition;
    return lookup(this.pp.map, p.row, p.column) ?? { file: '<input>', line: p.row + 1, col: p.column + 1 };
  }

  private isSystem(p: SourcePos): boolean {
    return this.pp.systemFiles.has(p.file) || p.file.startsWith('<structgen>');
  }

  private packAt(n: Node): PackEvent | null {
    const { row, column } = n.startPosition;
    let best: PackEvent | null = null;
    for (const e of this.events) {
      if (e.row < row || (e.row === row && e.col <= column)) best = e; else break;
    }
    return best;
  }

  private syntaxErrors(root: Node) {
    const found: Diagnostic[] = [];
    const visit = (n: Node, inBody: boolean) => {
      if (!n.hasError && !n.isMissing) return;
      if (n.startPosition.row >= this.pp.probeRow) return; // constant probes: failures only mean "not a constant"
      const body = inBody || n.type === 'field_declaration_list' || n.type === 'enumerator_list';
      if (n.type === 'function_definition' || n.type === 'compound_statement') {
        // bodies of inline functions are skipped; errors inside them don't affect layouts
        return;
      }
      if (n.isMissing) {
        // `int :3;` parses as a bit-field whose name is missing: that is an unnamed bit-field, not an error
        if (n.type === 'field_identifier' && n.nextSibling?.type === 'bitfield_clause') return;
        const p = this.pos(n);
        if (body || !this.isSystem(p)) found.push(diag('error', p, 'syntax', `expected '${n.type}'`));
        return;
      }
      if (n.type === 'ERROR') {
        const p = this.pos(n);
        if (body || !this.isSystem(p)) {
          const text = n.text.split('\n')[0]!.slice(0, 40);
          found.push(diag('error', p, 'syntax', `syntax error near '${text}'`));
        }
        return;
      }
      for (const c of n.children) visit(c, body);
    };
    visit(root, false);
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
  private topLevel(n: Node) {
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

  private declaration(n: Node, isTypedef: boolean) {
    const kids = fieldChildren(n);
    const leading: Node[] = [];
    let typeNode: Node | null = null;
    const declarators: Array<{ node: Node; attrs: Node[] }> = [];
    for (const [field, c] of kids) {
      if (field === 'type') typeNode = c;
      else if (field === 'declarator') declarators.push({ node: c, attrs: [] });
      else if (c.type === 'attribute_specifier' || c.type === 'type_qualifier' || c.type === 'storage_class_specifier'
        || c.type === 'attribute_declaration' || c.type === 'ms_declspec_modifier') {
        if (declarators.length) declarators[declarators.length - 1]!.attrs.push(c); else leading.push(c);
      }
    }
    if (!typeNode) return;
    const quals = leading.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
    const leadAttrs = this.attrs(leading);
    const spec = this.typeSpec(typeNode, null);
    for (const d of declarators) {
      if (!isTypedef && d.node.type === 'init_declarator' && d.node.startPosition.row >= this.pp.probeRow) {
        const id = d.node.childForFieldName('declarator');
        const value = d.node.childForFieldName('value');
        if (id?.text.startsWith(CONSTANT_PROBE_PREFIX) && value && !value.hasError) {
          this.constants.push({ name: id.text.slice(CONSTANT_PROBE_PREFIX.length), expr: this.expr(value), pos: this.pos(id) });
        }
        continue;
      }
      const base: TypeExpr = { k: 'base', spec, quals };
      const { name, type } = this.declarator(d.node, base);
      if (!isTypedef || !name) continue;
      const attrs = mergeAttrs(leadAttrs, this.attrs(d.attrs));
      const p = this.pos(d.node);
      this.typedefs.push({ name, type, attrs, pos: p, system: this.isSystem(p) });
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

  /** Applies a (possibly abstract) declarator to a base type; returns the declared name and full type. */
  private declarator(n: Node | null, base: TypeExpr): { name: string | null; type: TypeExpr } {
    if (!n) return { name: null, type: base };
    switch (n.type) {
      case 'identifier': case 'field_identifier': case 'type_identifier': case 'primitive_type':
        return { name: n.isMissing || n.text.startsWith(UNNAMED_BITFIELD_PREFIX) ? null : n.text, type: base };
      case 'pointer_declarator': case 'abstract_pointer_declarator': {
        const quals = n.namedChildren.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
        return this.declarator(n.childForFieldName('declarator'), { k: 'pointer', to: base, quals });
      }
      case 'array_declarator': case 'abstract_array_declarator': {
        const size = n.childForFieldName('size');
        const sizeExpr = size && size.type !== '*' ? this.expr(size) : null;
        return this.declarator(n.childForFieldName('declarator'), { k: 'array', of: base, size: sizeExpr, pos: this.pos(n) });
      }
      case 'function_declarator': case 'abstract_function_declarator': {
        const params = n.childForFieldName('parameters')?.text ?? '()';
        return this.declarator(n.childForFieldName('declarator'), { k: 'function', ret: base, params });
      }
      case 'parenthesized_declarator': case 'abstract_parenthesized_declarator': case 'attributed_declarator': {
        const inner = n.namedChildren.find((c) => c.type !== 'attribute_specifier' && c.type !== 'attribute_declaration'
          && c.type !== 'ms_call_modifier' && c.type !== 'type_qualifier');
        return this.declarator(inner ?? null, base);
      }
      case 'init_declarator':
        return this.declarator(n.childForFieldName('declarator'), base);
      default:
        return { name: null, type: base };
    }
  }

  private typeSpec(n: Node, parent: number | null): TypeSpec {
    switch (n.type) {
      case 'primitive_type':
        return TYPE_WORDS.has(n.text) ? { k: 'builtin', words: [n.text] } : { k: 'typedef', name: n.text, pos: this.pos(n) };
      case 'sized_type_specifier': {
        const words: string[] = [];
        for (const c of n.children) {
          if (c.type === 'type_qualifier') continue;
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

  private record(n: Node, parent: number | null): TypeSpec {
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
    const rec: RecordDecl = {
      id, kind, tag, pos: p, attrs, pack: pack?.pack ?? 0, msStructPragma: pack?.msStruct ?? false,
      fields, parent, typedefName: null, system: this.isSystem(p),
    };
    this.records.push(rec);
    for (const f of body.namedChildren) {
      if (f.type === 'field_declaration') this.fieldDecl(f, id, fields);
    }
    return { k: 'record', id };
  }

  private fieldDecl(n: Node, recId: number, out: FieldDecl[]) {
    const kids = fieldChildren(n);
    let typeNode: Node | null = null;
    const leading: Node[] = [];
    const decls: Array<{ node: Node; width: Node | null; attrs: Node[] }> = [];
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
    const quals = leading.filter((c) => c.type === 'type_qualifier' && !c.text.startsWith('_Alignas') && !c.text.startsWith('alignas')).map((c) => c.text);
    const leadAttrs = this.attrs(leading);
    const spec = this.typeSpec(typeNode, recId);
    const base: TypeExpr = { k: 'base', spec, quals };
    if (decls.length === 0) {
      // anonymous struct/union member (C11), or a nested definition with no member (`struct x {..};` inside a body)
      if (spec.k === 'record' && !this.records[spec.id]!.tag) {
        out.push({ name: null, type: base, bitWidth: null, attrs: leadAttrs, pos: this.pos(typeNode) });
      }
      return;
    }
    for (const d of decls) {
      const isBare = d.node === d.width;
      const { name, type } = isBare ? { name: null, type: base } : this.declarator(d.node, base);
      const widthExpr = d.width ? d.width.namedChildren[0] : undefined;
      out.push({
        name,
        type,
        bitWidth: widthExpr ? this.expr(widthExpr) : null,
        attrs: mergeAttrs(leadAttrs, this.attrs(d.attrs)),
        pos: this.pos(name ? d.node : (d.width ?? d.node)),
      });
    }
  }

  private enumSpec(n: Node): TypeSpec {
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
    this.enums.push({ id, tag, pos: p, attrs, values, typedefName: null, system: this.isSystem(p) });
    return { k: 'enum', id };
  }

  // ---------------------------------------------------------------------------------------------------------
  private attrs(nodes: readonly Node[]): Attrs {
    if (nodes.length === 0) return NO_ATTRS;
    let packed = false;
    let msStruct = false;
    let gccStruct = false;
    let mode: string | null = null;
    let vectorSize: Expr | undefined;
    const aligned: AlignSpec[] = [];
    for (const n of nodes) {
      if (n.type === 'type_qualifier') {
        const a = n.namedChildren.find((c) => c.type === 'alignas_qualifier');
        if (a) {
          const arg = a.namedChildren[0];
          if (arg?.type === 'type_descriptor') aligned.push({ k: 'type', type: this.typeDescriptor(arg) });
          else if (arg) aligned.push({ k: 'expr', expr: this.expr(arg), alignas: true });
        }
        continue;
      }
      if (n.type !== 'attribute_specifier') continue;
      const list = n.namedChildren[0];
      if (!list) continue;
      for (const item of list.namedChildren) {
        let name: string;
        let args: Node[] = [];
        if (item.type === 'identifier') name = item.text;
        else if (item.type === 'call_expression') {
          name = item.childForFieldName('function')?.text ?? '';
          args = item.childForFieldName('arguments')?.namedChildren ?? [];
        } else continue;
        name = name.replace(/^__(.*)__$/, '$1');
        switch (name) {
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
          default: break;
        }
      }
    }
    return vectorSize ? { packed, aligned, msStruct, gccStruct, mode, vectorSize } : { packed, aligned, msStruct, gccStruct, mode };
  }

  private typeDescriptor(n: Node): TypeExpr {
    const typeNode = n.childForFieldName('type');
    const quals = n.namedChildren.filter((c) => c.type === 'type_qualifier').map((c) => c.text);
    const spec: TypeSpec = typeNode ? this.typeSpec(typeNode, null) : { k: 'unsupported', text: n.text };
    return this.declarator(n.childForFieldName('declarator'), { k: 'base', spec, quals }).type;
  }

  private expr(n: Node): Expr {
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
        return inner ? this.expr(inner) : { k: 'unsupported', text: n.text, pos };
      }
      case 'unary_expression': {
        const arg = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.type ?? n.children[0]?.type ?? '?';
        return arg ? { k: 'unary', op, arg: this.expr(arg), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.type ?? '?';
        const castName = l?.type === 'parenthesized_expression' && l.namedChildren.length === 1 && l.namedChildren[0]!.type === 'identifier'
          ? l.namedChildren[0]!.text : null;
        if (castName && r && (op === '-' || op === '+') && this.typedefNames.has(castName)) {
          // `(u64)-32` is a cast of -32, which the grammar cannot tell from a subtraction
          const type: TypeExpr = { k: 'base', spec: { k: 'typedef', name: castName, pos: this.pos(l!) }, quals: [] };
          return { k: 'cast', type, arg: { k: 'unary', op, arg: this.expr(r), pos: this.pos(n.child(1) ?? n) }, pos };
        }
        return l && r ? { k: 'binary', op, left: this.expr(l), right: this.expr(r), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'conditional_expression': {
        const c = n.childForFieldName('condition');
        const t = n.childForFieldName('consequence');
        const e = n.childForFieldName('alternative');
        return c && t && e ? { k: 'cond', cond: this.expr(c), then: this.expr(t), else: this.expr(e), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'cast_expression': {
        const t = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        return t && v ? { k: 'cast', type: this.typeDescriptor(t), arg: this.expr(v), pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'sizeof_expression': {
        const t = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        if (t) return { k: 'sizeof', type: this.typeDescriptor(t), arg: null, pos };
        if (v) return { k: 'sizeof', type: null, arg: this.expr(v), pos };
        return { k: 'unsupported', text: n.text, pos };
      }
      case 'alignof_expression': {
        const t = n.childForFieldName('type');
        const v = n.childForFieldName('value');
        const gnu = (n.children[0]?.text ?? '').startsWith('__');
        if (t) return { k: 'alignof', type: this.typeDescriptor(t), arg: null, gnu, pos };
        if (v) return { k: 'alignof', type: null, arg: this.expr(v), gnu, pos };
        return { k: 'unsupported', text: n.text, pos };
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        const args = n.childForFieldName('arguments')?.namedChildren ?? [];
        const inner = fn?.type === 'parenthesized_expression' ? fn.namedChildren[0] : undefined;
        if (inner?.type === 'identifier' && args.length === 1) return { k: 'parenCall', name: inner.text, arg: this.expr(args[0]!), pos };
        return { k: 'unsupported', text: n.text.slice(0, 60), pos };
      }
      case 'offsetof_expression': {
        const t = n.childForFieldName('type');
        const m = n.childForFieldName('member');
        return t && m ? { k: 'offsetof', type: this.typeDescriptor(t), member: m.text, pos } : { k: 'unsupported', text: n.text, pos };
      }
      case 'comma_expression': {
        const r = n.childForFieldName('right');
        return r ? this.expr(r) : { k: 'unsupported', text: n.text, pos };
      }
      default:
        return { k: 'unsupported', text: n.text.slice(0, 60), pos };
    }
  }
}

function fieldChildren(n: Node): Array<[string | null, Node]> {
  const out: Array<[string | null, Node]> = [];
  const c = n.walk();
  if (!c.gotoFirstChild()) return out;
  do {
    const node = c.currentNode;
    if (node.isNamed || c.currentFieldName) out.push([c.currentFieldName ?? null, node]);
  } while (c.gotoNextSibling());
  return out;
}

function mergeAttrs(a: Attrs, b: Attrs): Attrs {
  if (a === NO_ATTRS) return b;
  if (b === NO_ATTRS) return a;
  return {
    packed: a.packed || b.packed,
    aligned: [...a.aligned, ...b.aligned],
    msStruct: a.msStruct || b.msStruct,
    gccStruct: a.gccStruct || b.gccStruct,
    mode: b.mode ?? a.mode,
    ...(b.vectorSize ?? a.vectorSize ? { vectorSize: b.vectorSize ?? a.vectorSize } : {}),
  };
}
