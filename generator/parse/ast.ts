// Plain C declarations as the parser produces them: records, enums, typedefs, and the syntactic types and
// constant expressions inside them. Nothing here is evaluated; `resolve/` gives it meaning per target.

import type { SourcePos } from '../diagnostics.js';

export type Expr =
  | { readonly k: 'int'; readonly text: string; readonly pos: SourcePos }
  | { readonly k: 'float'; readonly text: string; readonly pos: SourcePos }
  | { readonly k: 'char'; readonly text: string; readonly pos: SourcePos }
  | { readonly k: 'string'; readonly value: string; readonly pos: SourcePos }
  | { readonly k: 'ident'; readonly name: string; readonly pos: SourcePos }
  | { readonly k: 'unary'; readonly op: string; readonly arg: Expr; readonly pos: SourcePos }
  | { readonly k: 'binary'; readonly op: string; readonly left: Expr; readonly right: Expr; readonly pos: SourcePos }
  | { readonly k: 'cond'; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly pos: SourcePos }
  | { readonly k: 'cast'; readonly type: TypeExpr; readonly arg: Expr; readonly pos: SourcePos }
  | { readonly k: 'sizeof'; readonly type: TypeExpr | null; readonly arg: Expr | null; readonly pos: SourcePos }
  /** `gnu`: written `__alignof__` (GNU preferred alignment, e.g. 8 for double on i386) rather than `_Alignof`. */
  | { readonly k: 'alignof'; readonly type: TypeExpr | null; readonly arg: Expr | null; readonly gnu: boolean; readonly pos: SourcePos }
  /** `(name)(arg)`: a cast when `name` is a typedef, which the grammar cannot know. */
  | { readonly k: 'parenCall'; readonly name: string; readonly arg: Expr; readonly pos: SourcePos }
  /** `a.m` / `p->m`: in constant expressions, member access through a null pointer (`((T *)0)->m`, the operand of
   * sizeof, the offsetof idiom). */
  | { readonly k: 'member'; readonly arg: Expr; readonly name: string; readonly arrow: boolean; readonly pos: SourcePos }
  | { readonly k: 'index'; readonly arg: Expr; readonly index: Expr; readonly pos: SourcePos }
  | { readonly k: 'unsupported'; readonly text: string; readonly pos: SourcePos };

export type TypeSpec =
  /** Keyword types: `unsigned long int`, `char`, `_Bool`, `__int128`, `void`, `__builtin_va_list`, ... */
  | { readonly k: 'builtin'; readonly words: readonly string[] }
  | { readonly k: 'typedef'; readonly name: string; readonly pos: SourcePos }
  /** A struct/union defined here (index into `records`). */
  | { readonly k: 'record'; readonly id: number }
  /** `struct tag` without a body: resolved by tag. */
  | { readonly k: 'recordRef'; readonly kind: 'struct' | 'union'; readonly tag: string }
  | { readonly k: 'enum'; readonly id: number }
  | { readonly k: 'enumRef'; readonly tag: string }
  | { readonly k: 'unsupported'; readonly text: string };

export type TypeExpr =
  | { readonly k: 'base'; readonly spec: TypeSpec; readonly quals: readonly string[] }
  | { readonly k: 'pointer'; readonly to: TypeExpr; readonly quals: readonly string[] }
  | { readonly k: 'array'; readonly of: TypeExpr; readonly size: Expr | null; readonly pos: SourcePos }
  | { readonly k: 'function'; readonly ret: TypeExpr; readonly params: string }
  /** `vector_size(size)` applied to `of` (a GNU vector of `size` bytes). */
  | { readonly k: 'vector'; readonly of: TypeExpr; readonly size: Expr; readonly pos: SourcePos };

/** An alignment request: `aligned(N)`, bare `aligned`, `_Alignas(N)`, `_Alignas(type)`. */
export type AlignSpec =
  /** `alignas`: written `_Alignas`/`alignas` (may not lower alignment) rather than `aligned(N)`. */
  | { readonly k: 'expr'; readonly expr: Expr; readonly alignas?: true }
  | { readonly k: 'type'; readonly type: TypeExpr }
  | { readonly k: 'default'; readonly pos: SourcePos };

export interface Attrs {
  readonly packed: boolean;
  readonly aligned: readonly AlignSpec[];
  readonly msStruct: boolean;
  readonly gccStruct: boolean;
  /** `__attribute__((mode(X)))`: the declared type becomes the machine mode's (QI, HI, SI, DI, TI, word, pointer; SF,
   * DF, XF, TF, HF, KF, IF; complex and vector modes). */
  readonly mode: string | null;
  /** `__attribute__((vector_size(N)))`: a SIMD vector of N bytes. The parser turns it into a `vector` type; only the
   * attribute lists it reads carry it. */
  readonly vectorSize?: Expr;
  /** `__attribute__((counted_by(m)))` (and `__counted_by(m)`, which structgen predefines as it): the member naming a
   * flexible array's element count. */
  readonly countedBy?: string;
  /** Attributes written right after a `*` of the declarator (`int * __attribute__((aligned(16))) p`), not among the
   * fields above: clang takes them as the declaration's, gcc as the pointer type's (`own`: the declarator's own
   * pointer; `inner`: a pointer it points to). The resolver applies the target's compiler's rule. */
  readonly afterStar?: { readonly own: Attrs | null; readonly inner: Attrs | null };
}

export const NO_ATTRS: Attrs = { packed: false, aligned: [], msStruct: false, gccStruct: false, mode: null };

/** Both attribute lists: `b`'s `mode`, `vector_size` and `counted_by` win. */
export function mergeAttrs(a: Attrs, b: Attrs): Attrs {
  if (a === NO_ATTRS) return b;
  if (b === NO_ATTRS) return a;
  const afterStar = b.afterStar ?? a.afterStar;
  return {
    packed: a.packed || b.packed,
    aligned: [...a.aligned, ...b.aligned],
    msStruct: a.msStruct || b.msStruct,
    gccStruct: a.gccStruct || b.gccStruct,
    mode: b.mode ?? a.mode,
    ...(b.vectorSize ?? a.vectorSize ? { vectorSize: b.vectorSize ?? a.vectorSize } : {}),
    ...(b.countedBy ?? a.countedBy ? { countedBy: b.countedBy ?? a.countedBy } : {}),
    ...(afterStar ? { afterStar } : {}),
  };
}

export interface FieldDecl {
  /** null for unnamed bit-fields and anonymous struct/union members. */
  readonly name: string | null;
  readonly type: TypeExpr;
  readonly bitWidth: Expr | null;
  readonly attrs: Attrs;
  readonly pos: SourcePos;
}

export interface RecordDecl {
  readonly id: number;
  readonly kind: 'struct' | 'union';
  readonly tag: string | null;
  readonly pos: SourcePos;
  /** The file the definition was read from: `pos` follows `#line`, this does not. */
  readonly definedIn: string;
  readonly attrs: Attrs;
  /** `#pragma pack` value in effect where the record is defined (bytes, 0 = none). */
  readonly pack: number;
  /** `#pragma ms_struct on` in effect. */
  readonly msStructPragma: boolean;
  /** null for a forward declaration / reference. */
  readonly fields: readonly FieldDecl[] | null;
  /** The record whose body this one is defined in, if any. */
  readonly parent: number | null;
  /** The typedef name that names this record when it has no tag. */
  typedefName: string | null;
  readonly system: boolean;
}

export interface EnumeratorDecl {
  readonly name: string;
  readonly value: Expr | null;
  readonly pos: SourcePos;
}

export interface EnumDecl {
  readonly id: number;
  readonly tag: string | null;
  readonly pos: SourcePos;
  /** The file the definition was read from: `pos` follows `#line`, this does not. */
  readonly definedIn: string;
  readonly attrs: Attrs;
  readonly values: readonly EnumeratorDecl[] | null;
  typedefName: string | null;
  readonly system: boolean;
}

export interface TypedefDecl {
  readonly name: string;
  readonly type: TypeExpr;
  readonly attrs: Attrs;
  readonly pos: SourcePos;
  /** The file the declaration was read from: `pos` follows `#line`, this does not. */
  readonly definedIn: string;
  readonly system: boolean;
}

/** A `#define` of the header whose expansion may be a constant (from the preprocessor's probes). */
export interface ConstantProbe {
  readonly name: string;
  readonly expr: Expr;
  readonly pos: SourcePos;
  /** The file the `#define` was read from. */
  readonly definedIn: string;
}

/** `_Static_assert(expr, "message")` at file scope or in a record body: resolve evaluates it. */
export interface StaticAssertDecl {
  readonly expr: Expr;
  readonly message: string | null;
  readonly pos: SourcePos;
  readonly system: boolean;
}

export interface Program {
  readonly records: readonly RecordDecl[];
  readonly enums: readonly EnumDecl[];
  readonly typedefs: readonly TypedefDecl[];
  readonly constants: readonly ConstantProbe[];
  readonly staticAsserts: readonly StaticAssertDecl[];
}
