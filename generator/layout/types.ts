// The layout stage's output: sizes, alignments and bit offsets of every record member, for one target.

export interface FieldLayout {
  /** From the start of the record, in bits. */
  readonly bitOffset: number;
  /** Full size in bits; the width for a bit-field; 0 for a flexible array member. */
  readonly bitSize: number;
  /** The alignment the algorithm placed an ordinary member at, in bytes (after packing); 0 for bit-fields. */
  readonly align: number;
}

export interface RecordLayout {
  readonly size: number; // bytes
  readonly align: number; // bytes
  /** Parallel to the record's `fields`. */
  readonly fields: readonly FieldLayout[];
  /** MSVC "required alignment" from alignment attributes (0 elsewhere). */
  readonly required: number;
}

/** What a layout algorithm needs to know about a member's type. */
export interface MemberTypeInfo {
  /** sizeof / _Alignof of the declared type (typedef alignment attributes honoured), bytes. */
  readonly size: number;
  readonly align: number;
  /** sizeof / _Alignof with typedefs removed (MSVC ignores typedef alignment). */
  readonly naturalSize: number;
  readonly naturalAlign: number;
  readonly flexible: boolean;
  /** Size of the builtin arithmetic element type (arrays and typedefs removed), 0 for others (ms_struct B1). */
  readonly scalarSize: number;
  /** MSVC: alignment carried by the type itself (aligned typedef/record), 0 if none. */
  readonly typeAlignAttr: number;
  /** MSVC: required alignment of the element record type, 0 if none. */
  readonly recordRequired: number;
}
