// gcc's flavour of a target (`--compiler gcc`), as data: REFERENCE.md §2.2 (gcc's scalar tables) and §4.1 (the
// A' variations of the GNU algorithm), measured with gcc 12 and Debian's cross compilers (avr-gcc 5.4).
// Every GNU gcc applies aligned(N) on bit-fields first (A'1); m68k and avr have no bit-field type alignment
// (A'2); a bit-field that fills a machine mode takes the mode's alignment (A'3, REFERENCE.md measured it on
// m68k and i386; the random tests against gcc found it on x86_64 under aligned-lowering typedefs too). Targets gcc was not measured on get A'1 only
// and a warning; gcc's own -mms-bitfields layout (mingw's default) is not modelled, so it is refused.

import type { GnuFlavour, SizeAlign, TargetDesc } from './types.js';

const GCC_BASE: GnuFlavour = {
  gccBitfieldAlignFirst: true, bitfieldTypeAlign: true, zeroWidthBoundary: 0, modePromotion: true, i386UserDImode: false, msStructAttr: false,
};

const sa = (size: number, align: number): SizeAlign => ({ size, align });

type Override = (t: TargetDesc) => TargetDesc;

/** Measured gcc differences per target (beyond A'1, which every GNU gcc has). */
const VARIANTS: { readonly [triple: string]: Override } = {
  'x86_64-linux-gnu': (t) => ({ ...t, gnuFlavour: { ...GCC_BASE, msStructAttr: true } }),
  // gcc 12 without -mmmx: an 8-byte vector of integers is a DImode field, 4-aligned like long long
  'i386-linux-gnu': (t) => ({ ...t, intVector8Align: 4, gnuFlavour: { ...GCC_BASE, msStructAttr: true, i386UserDImode: true } }),
  'aarch64-linux-gnu': (t) => t,
  'armv7-linux-gnueabihf': (t) => t,
  // arm-none-eabi-gcc uses short enums by default (clang only with -fshort-enums)
  'arm-none-eabi': (t) => ({ ...t, shortEnums: true, macros: { ...t.macros, __ARM_SIZEOF_MINIMAL_ENUM: '1' } }),
  'riscv64-linux-gnu': (t) => t,
  'x86_64-w64-mingw32': (t) => ({ ...t, gnuFlavour: { ...GCC_BASE, msStructAttr: true } }),
  'powerpc-linux-gnu': (t) => ({ ...t, gnuFlavour: { ...GCC_BASE, msStructAttr: true } }),
  'powerpc64-linux-gnu': (t) => ({ ...t, gnuFlavour: { ...GCC_BASE, msStructAttr: true } }),
  's390x-linux-gnu': (t) => t,
  // a bare __attribute__((aligned)) is 8 on mips gcc
  'mips-linux-gnu': (t) => ({ ...t, defaultAligned: 8 }),
  // m68k gcc: every type of 2 bytes or more is 2-aligned, long double is the 12-byte m68881 extended format
  'm68k-linux-gnu': (t) => ({
    ...t,
    ints: { char: sa(1, 1), short: sa(2, 2), int: sa(4, 2), long: sa(4, 2), 'long long': sa(8, 2), __int128: null },
    floats: { float: sa(4, 2), double: sa(8, 2), 'long double': sa(12, 2) },
    floatFormats: { ...t.floatFormats, 'long double': 'm68k-96' },
    pointer: sa(4, 2), vaList: sa(4, 2),
    defaultAligned: 2, biggestAlignment: 2, unnamedBitfieldsAlign: true,
    gnuFlavour: { ...GCC_BASE, bitfieldTypeAlign: false, zeroWidthBoundary: 16 },
  }),
  // avr-gcc: short is 1-aligned, and __alignof__ never exceeds _Alignof
  avr: (t) => ({
    ...t,
    ints: { ...t.ints, short: sa(2, 1) },
    preferredAlign: {},
    gnuFlavour: { ...GCC_BASE, bitfieldTypeAlign: false, zeroWidthBoundary: 8 },
  }),
};

/** Targets whose gcc was not measured: A'1 is applied (every measured GNU gcc has it), with a warning. */
export const GCC_UNMEASURED = new Set(['riscv32-unknown-elf', 'wasm32-unknown-unknown', 'wasm64-unknown-unknown',
  'wasm32-unknown-emscripten', 'msp430', 'powerpc64le-linux-gnu', 'x86_64-apple-macosx', 'aarch64-apple-macosx',
  'i686-w64-mingw32']);

/** Targets whose gcc lays out vector types as measured here (gcc 12 on x86_64, `-m32`): a vector aligned to its size
 * in records (gcc's `_Alignof` says at most 16, but fields and records use the size), 8-byte integer vectors 4-aligned
 * on i386. Elsewhere clang's rule is applied with a warning. */
const GCC_VECTORS_MEASURED = new Set(['x86_64-linux-gnu', 'i386-linux-gnu']);

/** The target as gcc lays it out, or the reason gcc's layout is not available for it. */
export function gccFlavour(t: TargetDesc): TargetDesc | string {
  if (t.algorithm === 'msvc') return `gcc does not target the Microsoft ABI of ${t.triple}; use --compiler clang`;
  if (t.algorithm === 'ms_struct') {
    return `gcc's own -mms-bitfields layout (the default of ${t.triple}) differs from clang's in about one record in six and is not modelled; use --no-ms-bitfields (-mno-ms-bitfields) or --compiler clang`;
  }
  const base: TargetDesc = {
    ...t, compiler: 'gcc', gnuFlavour: GCC_BASE, ...(GCC_VECTORS_MEASURED.has(t.triple) ? {} : { unmeasured: ['vector'] }),
  };
  const v = VARIANTS[t.triple];
  return v ? v(base) : base;
}
