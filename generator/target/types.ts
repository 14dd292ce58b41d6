// The target description: everything the pipeline knows about an ABI, as plain data.
// Stages read these fields; no stage branches on a triple's name.

export interface SizeAlign {
  readonly size: number; // bytes
  readonly align: number; // bytes, as _Alignof (the alignment used inside records)
}

/** Every C integer type, as C spells it (plain `char` is its own type). */
export type IntName =
  | 'char' | 'signed char' | 'unsigned char' | 'short' | 'unsigned short' | 'int' | 'unsigned int'
  | 'long' | 'unsigned long' | 'long long' | 'unsigned long long' | '__int128' | 'unsigned __int128' | '_Bool';

/** Every C floating type structgen lays out. */
export type FloatName = 'float' | 'double' | 'long double' | '_Float16' | '_Float128';

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
export type FloatFormat = 'binary16' | 'binary32' | 'binary64' | 'x87-80' | 'm68k-96' | 'binary128' | 'ibm-double-double';

/** Variations of the GNU algorithm (REFERENCE.md §4.1): clang's values unless the target is gcc's flavour. */
export interface GnuFlavour {
  /** gcc applies aligned(N) on a bit-field before the straddle test (A'1). */
  readonly gccBitfieldAlignFirst: boolean;
  /** false on gcc m68k/avr: bit-fields ignore their declared type's alignment (A'2). */
  readonly bitfieldTypeAlign: boolean;
  /** With bitfieldTypeAlign false: `:0` rounds up to this many bits (gcc's EMPTY_FIELD_BOUNDARY). */
  readonly zeroWidthBoundary: number;
  /** gcc integer-mode promotion (A'3): a bit-field that exactly fills a 16-, 32- or 64-bit integer at an offset
   * aligned for it takes that integer type's alignment (visible under aligned-lowering typedefs, on m68k, ...). */
  readonly modePromotion: boolean;
  /** i386 gcc: `long long x : 64` with an `aligned` attribute takes DImode's 8-byte alignment (A'3). */
  readonly i386UserDImode: boolean;
  /** `__attribute__((ms_struct))` switches algorithms (gcc honours it on x86 and powerpc only, A'4). */
  readonly msStructAttr: boolean;
}

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
  /** The target has `__float128` (16 bytes, 16-aligned): x86, WebAssembly. */
  readonly float128?: true;
  /** Largest alignment of a vector type (`vector_size`, vector `mode`s), bytes; 0: a vector is aligned to its size
   * rounded up to a power of two (clang's MaxVectorAlign: 16 on AArch64 and Apple targets, 8 on 32-bit ARM). */
  readonly maxVectorAlign: number;
  /** gcc on i386: an 8-byte vector of integers has no vector mode and is laid out as a 64-bit integer field, aligned
   * to this many bytes (4); absent elsewhere. */
  readonly intVector8Align?: number;
  /** Layout rules of this flavour that were not measured against its compiler (`vector`): using one warns. */
  readonly unmeasured?: readonly string[];
  /** Alignment of a bare `__attribute__((aligned))`. */
  readonly defaultAligned: number;
  readonly biggestAlignment: number;
  /** Enums are as small as their values allow (`-fshort-enums`). */
  readonly shortEnums: boolean;
  /** Enums are always `int` (MSVC: 64-bit enumerators and `packed` enums don't change the size). */
  readonly enumsAlwaysInt: boolean;
  /** Debian multiarch directory name for this target's system headers (`/usr/include/<multiarch>`). */
  readonly multiarch: string | null;
  /** Whose layout rules these are: clang 16's (the default) or gcc's (`--compiler gcc`). */
  readonly compiler?: 'clang' | 'gcc';
  /** GNU-algorithm variations; absent means clang's. */
  readonly gnuFlavour?: GnuFlavour;
  /** Macros the compiler predefines beyond those derived from the tables: architecture, OS, ABI, GNU
   * compatibility (`__GNUC__`, absent on MSVC targets). */
  readonly macros: Readonly<Record<string, string>>;
}
