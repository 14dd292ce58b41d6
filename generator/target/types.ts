// The target description: everything the pipeline knows about an ABI, as plain data.
// Stages read these fields; no stage branches on a triple's name.

export interface SizeAlign {
  readonly size: number; // bytes
  readonly align: number; // bytes, as _Alignof (the alignment used inside records)
}

/** C integer type names as the target tables use them (signedness is separate). */
export type IntRank = 'char' | 'short' | 'int' | 'long' | 'long long' | '__int128';
export type FloatKind = 'float' | 'double' | 'long double';

/** An integer type spelled as C spells it, e.g. `unsigned long`, used for size_t & co. */
export type IntTypeName =
  | 'signed char' | 'unsigned char' | 'short' | 'unsigned short' | 'int' | 'unsigned int'
  | 'long' | 'unsigned long' | 'long long' | 'unsigned long long';

/** Which record-layout algorithm the target's compiler uses (REFERENCE.md §3). */
export type LayoutAlgorithm = 'gnu' | 'ms_struct' | 'msvc';

/** Storage format of a floating type, for decoders. */
export type FloatFormat = 'binary16' | 'binary32' | 'binary64' | 'x87-80' | 'binary128' | 'ibm-double-double';

export interface TargetDesc {
  /** Canonical triple, e.g. `x86_64-linux-gnu`. */
  readonly triple: string;
  /** Other spellings accepted for this target. */
  readonly aliases: readonly string[];
  readonly endian: 'little' | 'big';
  readonly algorithm: LayoutAlgorithm;
  readonly ints: Readonly<Record<IntRank, SizeAlign | null>>;
  readonly floats: Readonly<Record<FloatKind, SizeAlign>>;
  readonly floatFormats: Readonly<Record<FloatKind, FloatFormat>>;
  readonly bool: SizeAlign;
  readonly pointer: SizeAlign;
  readonly vaList: SizeAlign;
  /** Plain `char` is signed. */
  readonly charSigned: boolean;
  readonly sizeType: IntTypeName;
  readonly ptrdiffType: IntTypeName;
  readonly intptrType: IntTypeName;
  readonly wcharType: IntTypeName;
  readonly wintType: IntTypeName;
  readonly int64Type: IntTypeName; // `long` on LP64, `long long` elsewhere
  readonly intmaxType: IntTypeName; // differs from int64Type on Apple targets
  readonly char16Type: IntTypeName;
  /** The signed exact-width types `intN_t` (clang picks `int` over `short` for 16 bits on AVR). */
  readonly exactTypes: Readonly<Record<8 | 16 | 32 | 64, IntTypeName>>;
  readonly char32Type: IntTypeName;
  /** A bit-field of enum type with only non-negative enumerators is signed (MSVC). */
  readonly enumBitfieldSigned: boolean;
  /** Unnamed and zero-width bit-fields raise the record alignment (ARM, AArch64). */
  readonly unnamedBitfieldsAlign: boolean;
  /** GNU `__alignof__` where it exceeds `_Alignof` (REFERENCE.md §2 "(gN)"), by type name. */
  readonly preferredAlign: Readonly<Record<string, number>>;
  /** Alignment of a bare `__attribute__((aligned))`. */
  readonly defaultAligned: number;
  readonly biggestAlignment: number;
  /** Enums are as small as their values allow (`-fshort-enums`). */
  readonly shortEnums: boolean;
  /** Enums are always `int` (MSVC: 64-bit enumerators and `packed` enums don't change the size). */
  readonly enumsAlwaysInt: boolean;
  /** Debian multiarch directory name for this target's system headers (`/usr/include/<multiarch>`). */
  readonly multiarch: string | null;
  /** Macros the compiler predefines beyond those derived from the tables: architecture, OS, ABI, GNU
   * compatibility (`__GNUC__`, absent on MSVC targets). */
  readonly macros: Readonly<Record<string, string>>;
}
