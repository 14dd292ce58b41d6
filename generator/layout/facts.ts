// The layout stage's output: immutable, JSON-serialisable facts about every record, enum and constant of one
// translation unit on one target. Every consumer (text and JSON reports, the lock file and check, verify, the
// planner and emitter, pictures, decode and dump) reads these and nothing else: none lays out, pads or chooses
// bit windows again. Integers beyond 2^53 (enumerators, constants) travel as decimal strings.

import type { SourcePos } from '../diagnostics.js';
import type { FloatFormat, LayoutAlgorithm } from '../target/types.js';

export type ByteOrder = 'little' | 'big';

export interface TargetFacts {
  /** Canonical triple (`x86_64-linux-gnu`). */
  readonly triple: string;
  readonly endian: ByteOrder;
  readonly pointerBytes: number;
  /** Whose layout rules were applied where gcc and clang differ. */
  readonly compiler: 'clang' | 'gcc';
}

/** How a value of a member's type is stored: what a decoder needs to read it. Typedefs are gone; what they said
 * about byte order (`__be16`) is in `order`. */
export type TypeFacts =
  | IntFacts
  | { readonly k: 'bool'; readonly bytes: number }
  | { readonly k: 'enum'; readonly id: number; readonly bytes: number; readonly signed: boolean; readonly order: ByteOrder }
  | PointerFacts
  | FloatFacts
  | { readonly k: 'complex'; readonly bytes: number; readonly part: FloatFacts }
  /** `length` null: a flexible array member. `stride`: bytes from one element to the next. */
  | { readonly k: 'array'; readonly of: TypeFacts; readonly length: number | null; readonly stride: number }
  | { readonly k: 'record'; readonly id: number }
  /** Storage with no value structgen reads (`va_list`): bytes only. */
  | { readonly k: 'opaque'; readonly bytes: number };

/** How many levels of a pointer chain (`T **...*`) have their pointee described; deeper levels are `void`. */
export const MAX_POINTEE_LEVELS = 8;

/** A pointer: an address of `bytes` bytes. `to` says what it points to, for bindings that follow pointers through a
 * memory (WebAssembly's): a type with storage, `void` (also an undefined `struct tag`, and pointers deeper than
 * MAX_POINTEE_LEVELS in a chain), or `function`. */
export interface PointerFacts {
  readonly k: 'pointer';
  readonly bytes: number;
  readonly order: ByteOrder;
  /** A function pointer (`to` is `{ k: 'function' }`). */
  readonly function: boolean;
  readonly to: PointeeFacts;
  /** `to` is a character type meant as text: `char`, `signed char`, `unsigned char` (const or not), or a typedef of
   * one other than the byte-sized integer names (`int8_t`, `uint8_t`, `__u8`, ...). Such a pointer with no count
   * holds a NUL-terminated string. */
  readonly text: boolean;
}

export type PointeeFacts = TypeFacts | { readonly k: 'void' } | { readonly k: 'function' };

export interface IntFacts {
  readonly k: 'int';
  readonly bytes: number;
  readonly signed: boolean;
  readonly order: ByteOrder;
  /** Plain `char` (not `signed char` / `unsigned char`): arrays of it hold text. */
  readonly char: boolean;
}

export interface FloatFacts {
  readonly k: 'float';
  readonly bytes: number;
  readonly format: FloatFormat;
  readonly order: ByteOrder;
}

/** A bit-field's storage. `unit`: the aligned window of 1, 2, 4 or 8 bytes inside the record that holds the whole
 * field (the declared type's storage unit when it fits, else the smallest that does), read as one integer in the
 * target's byte order; `shift` is the field's distance from that integer's least significant bit. null when no such
 * window fits in the record; `span` (the bytes the field touches, read the same way) always applies. */
export interface BitfieldFacts {
  readonly width: number;
  readonly signed: boolean;
  readonly unit: { readonly byteOffset: number; readonly bytes: 1 | 2 | 4 | 8; readonly shift: number } | null;
  readonly span: { readonly byteOffset: number; readonly bytes: number; readonly shift: number };
}

/** A member as C accesses it (anonymous struct/union members promoted). Offsets are from the record's start. */
export interface MemberFacts {
  readonly name: string;
  readonly bitOffset: number;
  /** The full size in bits; a bit-field's width; 0 for a flexible array member. */
  readonly bitSize: number;
  /** For a bit-field: the declared type (`int`, `bool`, `enum`). */
  readonly type: TypeFacts;
  /** The declared type as written, array sizes evaluated (`uint16_t`, `char[8]`, `struct timeval`). */
  readonly cType: string;
  readonly bitfield: BitfieldFacts | null;
  /** Shares its storage with other members: a union's member, or one promoted from an anonymous union. */
  readonly overlaid: boolean;
  readonly pos: SourcePos;
  /** The member's doc comment from the header, when there is one. */
  readonly doc: string | null;
  /** The element count of a flexible array member, or of a pointer to a type with storage (the elements it points
   * to): the name of a member of the same record, from `__attribute__((counted_by(m)))` or `__counted_by(m)` in the
   * header (the front end fills it); null otherwise. */
  readonly countedBy: string | null;
}

/** A declared member slot, as the algorithm placed it: unnamed bit-fields and anonymous members included, in
 * declaration order (what compilers' layout dumps list). */
export interface SlotFacts {
  /** null: an unnamed bit-field or an anonymous struct/union member. */
  readonly name: string | null;
  readonly bitOffset: number;
  readonly bitSize: number;
  readonly bitfield: boolean;
  /** Alignment in bytes the member was placed at (after packing); 0 for bit-fields. */
  readonly align: number;
}

/** Bits no member holds: between members (`hole`) or after the last (`tail`). */
export interface PaddingFacts {
  readonly bitOffset: number;
  readonly bitSize: number;
  readonly kind: 'hole' | 'tail';
}

export interface RecordFacts {
  /** Index in `ProgramFacts.records`. */
  readonly id: number;
  /** The same record in every translation unit that includes it: where it is defined (and an ordinal among
   * records a macro expands at one spot). */
  readonly key: string;
  readonly kind: 'struct' | 'union';
  readonly tag: string | null;
  /** The tag, or the typedef that names an untagged record; null for anonymous ones. */
  readonly name: string | null;
  /** The type as C spells it: `struct tag`, a typedef's name, or `struct (anonymous)`. */
  readonly cName: string;
  readonly size: number;
  readonly align: number;
  /** `__attribute__((packed))` on the record. */
  readonly packed: boolean;
  /** `#pragma pack` in effect at the definition, bytes; 0 for none. */
  readonly pack: number;
  readonly algorithm: LayoutAlgorithm;
  /** Where the definition is, as compilers report it (after `#line`). */
  readonly pos: SourcePos;
  /** The file it was read from (which header defines it). */
  readonly file: string;
  /** The record whose body defines this one, if any. */
  readonly parent: number | null;
  /** Some record holds it as an anonymous member (its members are promoted there). */
  readonly anonymousMember: boolean;
  /** Defined in a system header (found through a system or built-in include directory). */
  readonly system: boolean;
  readonly doc: string | null;
  readonly slots: readonly SlotFacts[];
  /** Members as C accesses them, in declaration order: anonymous members promoted at any depth, unnamed bit-fields
   * left out. Members of named nested records are in that record's facts (`type.k === 'record'`). */
  readonly members: readonly MemberFacts[];
  /** Unused bits between and after the declared slots (an anonymous member counts as one slot). */
  readonly padding: readonly PaddingFacts[];
  /** Unused bits at the level of `members` (inside anonymous members too): the bytes encode must zero itself. */
  readonly gaps: readonly PaddingFacts[];
  /** The last member when it is a flexible array: where its elements start and their stride, in bytes. */
  readonly flexible: { readonly member: string; readonly byteOffset: number; readonly stride: number } | null;
}

export interface EnumeratorFacts {
  readonly name: string;
  /** Decimal. */
  readonly value: string;
  readonly pos: SourcePos;
  readonly doc: string | null;
}

export interface EnumFacts {
  readonly id: number;
  readonly key: string;
  readonly tag: string | null;
  readonly name: string | null;
  readonly bytes: number;
  readonly signed: boolean;
  readonly values: readonly EnumeratorFacts[];
  readonly pos: SourcePos;
  readonly file: string;
  readonly system: boolean;
  readonly doc: string | null;
}

/** An object-like `#define` of the header whose expansion is an integer constant or a string literal. */
export interface ConstantFacts {
  readonly name: string;
  readonly value: { readonly k: 'int'; readonly value: string } | { readonly k: 'string'; readonly value: string };
  /** The macro's replacement text as written. */
  readonly body: string;
  readonly pos: SourcePos;
  readonly file: string;
  readonly doc: string | null;
}

/** One translation unit (a header and what it includes) on one target. */
export interface ProgramFacts {
  readonly target: TargetFacts;
  /** The header this translation unit was made from, as given. */
  readonly header: string;
  /** By id; null where a record could not be laid out (its error is among the diagnostics). */
  readonly records: readonly (RecordFacts | null)[];
  readonly enums: readonly (EnumFacts | null)[];
  readonly constants: readonly ConstantFacts[];
}
