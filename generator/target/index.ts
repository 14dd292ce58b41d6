// Target lookup (triple spellings -> description) and the facts derived from a description:
// integer type properties, the predefined macros, and structgen's built-in freestanding headers.

import type { IntRank, IntTypeName, SizeAlign, TargetDesc } from './types.js';
import { TARGETS } from './targets.js';

export type { TargetDesc, SizeAlign, IntTypeName, IntRank } from './types.js';
export { TARGETS } from './targets.js';

export const DEFAULT_TARGET = 'x86_64-linux-gnu';

export function findTarget(triple: string): TargetDesc | undefined {
  // OS versions (`macosx14.0`, `darwin23.1.0`) do not change layouts
  const t = triple.trim().toLowerCase().replace(/(darwin|macosx|macos)[0-9.]+$/, '$1');
  return TARGETS.find((d) => d.triple === t || d.aliases.includes(t));
}

export function knownTriples(): string[] {
  return TARGETS.map((t) => t.triple);
}

export interface IntInfo extends SizeAlign {
  readonly rank: IntRank;
  readonly signed: boolean;
}

const RANK_OF: Record<IntTypeName, IntRank> = {
  'signed char': 'char', 'unsigned char': 'char', short: 'short', 'unsigned short': 'short', int: 'int',
  'unsigned int': 'int', long: 'long', 'unsigned long': 'long', 'long long': 'long long',
  'unsigned long long': 'long long',
};

export function intInfo(t: TargetDesc, name: IntTypeName): IntInfo {
  const rank = RANK_OF[name];
  const sa = t.ints[rank];
  if (!sa) throw new Error(`target ${t.triple} has no ${rank}`);
  return { ...sa, rank, signed: !name.startsWith('unsigned') };
}

/** C spelling as the compiler prints it in `__SIZE_TYPE__` & co (`long unsigned int`). */
function cSpelling(name: IntTypeName): string {
  switch (name) {
    case 'unsigned long': return 'long unsigned int';
    case 'long': return 'long int';
    case 'long long': return 'long long int';
    case 'unsigned long long': return 'long long unsigned int';
    default: return name;
  }
}

function suffix(name: IntTypeName, t?: TargetDesc): string {
  const r = RANK_OF[name];
  if (r === 'char' || r === 'short') {
    // narrower types promote to int (no suffix); an unsigned one as wide as int promotes to unsigned int
    return t && name.startsWith('unsigned') && t.ints[r]!.size === t.ints.int!.size ? 'U' : '';
  }
  const u = name.startsWith('unsigned') ? 'U' : '';
  return r === 'long' ? `${u}L` : r === 'long long' ? `${u}LL` : u;
}

function maxOf(t: TargetDesc, name: IntTypeName): string {
  const i = intInfo(t, name);
  const bits = BigInt(i.size * 8);
  const v = i.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  return `${v}${suffix(name, t)}`;
}

/** The exact-width type names of the target (int8 .. int64), as `stdint.h` needs them. */
function exactTypes(t: TargetDesc): Array<[number, IntTypeName, IntTypeName]> {
  return ([8, 16, 32, 64] as const).map((bits) => {
    const s = t.exactTypes[bits];
    const u = (s === 'signed char' ? 'unsigned char' : `unsigned ${s}`) as IntTypeName;
    return [bits, s, u];
  });
}

export interface MacroOptions {
  readonly hosted: boolean;
}

/** Predefined macros, as `#define NAME VALUE` pairs, derived from the target description. */
export function predefinedMacros(t: TargetDesc, opts: MacroOptions): Map<string, string> {
  const m = new Map<string, string>();
  const def = (k: string, v: string) => m.set(k, v);
  def('__STDC_VERSION__', '201710L');
  def('__STDC_HOSTED__', opts.hosted ? '1' : '0');
  def('__STDC_UTF_16__', '1');
  def('__STDC_UTF_32__', '1');
  def('__clang__', '1'); def('__clang_major__', '16'); def('__clang_minor__', '0'); def('__clang_patchlevel__', '6');
  def('__llvm__', '1');
  def('__STRUCTGEN__', '1');
  def('__CHAR_BIT__', '8');
  def('__ORDER_LITTLE_ENDIAN__', '1234'); def('__ORDER_BIG_ENDIAN__', '4321'); def('__ORDER_PDP_ENDIAN__', '3412');
  def('__BYTE_ORDER__', t.endian === 'little' ? '__ORDER_LITTLE_ENDIAN__' : '__ORDER_BIG_ENDIAN__');
  def(t.endian === 'little' ? '__LITTLE_ENDIAN__' : '__BIG_ENDIAN__', '1');
  def('__BIGGEST_ALIGNMENT__', String(t.biggestAlignment));
  def('__POINTER_WIDTH__', String(t.pointer.size * 8));
  def('__NO_INLINE__', '1');
  def('__FINITE_MATH_ONLY__', '0');
  if (!t.charSigned) def('__CHAR_UNSIGNED__', '1');
  // sizes
  const ints = t.ints;
  def('__SIZEOF_SHORT__', String(ints.short!.size));
  def('__SIZEOF_INT__', String(ints.int!.size));
  def('__SIZEOF_LONG__', String(ints.long!.size));
  def('__SIZEOF_LONG_LONG__', String(ints['long long']!.size));
  if (ints.__int128) def('__SIZEOF_INT128__', String(ints.__int128.size));
  def('__SIZEOF_FLOAT__', String(t.floats.float.size));
  def('__SIZEOF_DOUBLE__', String(t.floats.double.size));
  def('__SIZEOF_LONG_DOUBLE__', String(t.floats['long double'].size));
  def('__SIZEOF_POINTER__', String(t.pointer.size));
  def('__SIZEOF_SIZE_T__', String(intInfo(t, t.sizeType).size));
  def('__SIZEOF_PTRDIFF_T__', String(intInfo(t, t.ptrdiffType).size));
  def('__SIZEOF_WCHAR_T__', String(intInfo(t, t.wcharType).size));
  def('__SIZEOF_WINT_T__', String(intInfo(t, t.wintType).size));
  // limits
  def('__SCHAR_MAX__', '127');
  def('__SHRT_MAX__', maxOf(t, 'short'));
  def('__INT_MAX__', maxOf(t, 'int'));
  def('__LONG_MAX__', maxOf(t, 'long'));
  def('__LONG_LONG_MAX__', maxOf(t, 'long long'));
  def('__WCHAR_MAX__', maxOf(t, t.wcharType));
  def('__WINT_MAX__', maxOf(t, t.wintType));
  def('__SIZE_MAX__', maxOf(t, t.sizeType));
  def('__PTRDIFF_MAX__', maxOf(t, t.ptrdiffType));
  def('__INTPTR_MAX__', maxOf(t, t.intptrType));
  def('__UINTPTR_MAX__', maxOf(t, (`unsigned ${t.intptrType}`) as IntTypeName));
  def('__INTMAX_MAX__', maxOf(t, t.intmaxType));
  def('__UINTMAX_MAX__', maxOf(t, (`unsigned ${t.intmaxType}`) as IntTypeName));
  // types
  def('__SIZE_TYPE__', cSpelling(t.sizeType));
  def('__PTRDIFF_TYPE__', cSpelling(t.ptrdiffType));
  def('__INTPTR_TYPE__', cSpelling(t.intptrType));
  def('__UINTPTR_TYPE__', cSpelling((`unsigned ${t.intptrType}`) as IntTypeName));
  def('__WCHAR_TYPE__', cSpelling(t.wcharType));
  def('__WINT_TYPE__', cSpelling(t.wintType));
  def('__CHAR16_TYPE__', cSpelling(t.char16Type));
  def('__CHAR32_TYPE__', cSpelling(t.char32Type));
  def('__INTMAX_TYPE__', cSpelling(t.intmaxType));
  def('__UINTMAX_TYPE__', cSpelling((`unsigned ${t.intmaxType}`) as IntTypeName));
  def('__INTMAX_C_SUFFIX__', suffix(t.intmaxType));
  def('__UINTMAX_C_SUFFIX__', suffix((`unsigned ${t.intmaxType}`) as IntTypeName));
  for (const [bits, s, u] of exactTypes(t)) {
    def(`__INT${bits}_TYPE__`, cSpelling(s));
    def(`__UINT${bits}_TYPE__`, cSpelling(u));
    def(`__INT${bits}_MAX__`, maxOf(t, s));
    def(`__UINT${bits}_MAX__`, maxOf(t, u));
    if (bits === 64) { def('__INT64_C_SUFFIX__', suffix(s)); def('__UINT64_C_SUFFIX__', suffix(u)); }
  }
  for (const [k, v] of Object.entries(t.macros)) def(k, v);
  return m;
}

/** structgen's own freestanding headers for a target, generated from its description. */
export function builtinHeaders(t: TargetDesc): Map<string, string> {
  const h = new Map<string, string>();
  const guard = (name: string, body: string) =>
    `/* structgen built-in <${name}> for ${t.triple} */\n#ifndef __STRUCTGEN_${name.replace(/\W/g, '_').toUpperCase()}\n` +
    `#define __STRUCTGEN_${name.replace(/\W/g, '_').toUpperCase()} 1\n${body}\n#endif\n`;
  const sizeT = cSpelling(t.sizeType);
  // glibc asks for single definitions with `#define __need_size_t` before `#include <stddef.h>`; like the
  // compilers' own headers, define only what was asked for then, and everything otherwise.
  const piece = (name: string, body: string) => `#if !defined(__STRUCTGEN_HAVE_${name})\n#define __STRUCTGEN_HAVE_${name}\n${body}\n#endif`;
  const pieces: Array<[string, string]> = [
    ['size_t', `typedef ${sizeT} size_t;`],
    ['ptrdiff_t', `typedef ${cSpelling(t.ptrdiffType)} ptrdiff_t;`],
    ['wchar_t', `typedef ${cSpelling(t.wcharType)} wchar_t;`],
    ['wint_t', `typedef ${cSpelling(t.wintType)} wint_t;`],
    ['NULL', '#undef NULL\n#define NULL ((void*)0)'],
  ];
  const needAny = pieces.map(([n]) => `defined(__need_${n})`).join(' || ');
  h.set('stddef.h', [
    `/* structgen built-in <stddef.h> for ${t.triple} */`,
    `#if ${needAny}`,
    ...pieces.map(([n, b]) => `#if defined(__need_${n})\n${piece(n, b)}\n#undef __need_${n}\n#endif`),
    '#else',
    ...pieces.filter(([n]) => n !== 'wint_t').map(([n, b]) => piece(n, b)),
    piece('max_align_t', 'typedef struct { long long __max_align_ll __attribute__((__aligned__(__alignof__(long long)))); ' +
      'long double __max_align_ld __attribute__((__aligned__(__alignof__(long double)))); } max_align_t;'),
    '#ifndef offsetof\n#define offsetof offsetof\n#endif',
    '#endif',
    '',
  ].join('\n'));
  const stdint: string[] = [];
  const exact = exactTypes(t);
  for (const [bits, s, u] of exact) {
    stdint.push(`typedef ${cSpelling(s)} int${bits}_t;`, `typedef ${cSpelling(u)} uint${bits}_t;`);
    for (const kind of ['least', 'fast']) {
      stdint.push(`typedef ${cSpelling(s)} int_${kind}${bits}_t;`, `typedef ${cSpelling(u)} uint_${kind}${bits}_t;`);
    }
    const sb = BigInt(bits);
    stdint.push(`#define INT${bits}_MAX ${maxOf(t, s)}`, `#define INT${bits}_MIN (-INT${bits}_MAX - 1)`,
      `#define UINT${bits}_MAX ${maxOf(t, u)}`,
      `#define INT${bits}_C(c) c${bits === 64 ? suffix(s) : ''}`, `#define UINT${bits}_C(c) c${bits >= 32 ? suffix(u) : ''}`);
    void sb;
  }
  const uptr = (`unsigned ${t.intptrType}`) as IntTypeName;
  stdint.push(`typedef ${cSpelling(t.intptrType)} intptr_t;`, `typedef ${cSpelling(uptr)} uintptr_t;`,
    `typedef ${cSpelling(t.intmaxType)} intmax_t;`, `typedef ${cSpelling((`unsigned ${t.intmaxType}`) as IntTypeName)} uintmax_t;`,
    `#define INTPTR_MAX ${maxOf(t, t.intptrType)}`, `#define INTPTR_MIN (-INTPTR_MAX - 1)`,
    `#define UINTPTR_MAX ${maxOf(t, uptr)}`, `#define SIZE_MAX ${maxOf(t, t.sizeType)}`,
    `#define PTRDIFF_MAX ${maxOf(t, t.ptrdiffType)}`, `#define PTRDIFF_MIN (-PTRDIFF_MAX - 1)`,
    `#define INTMAX_MAX ${maxOf(t, t.intmaxType)}`, `#define INTMAX_MIN (-INTMAX_MAX - 1)`,
    `#define UINTMAX_MAX ${maxOf(t, (`unsigned ${t.intmaxType}`) as IntTypeName)}`,
    `#define INTMAX_C(c) c${suffix(t.intmaxType)}`, `#define UINTMAX_C(c) c${suffix((`unsigned ${t.intmaxType}`) as IntTypeName)}`);
  h.set('stdint.h', guard('stdint.h', stdint.join('\n')));
  h.set('inttypes.h', guard('inttypes.h', '#include <stdint.h>'));
  h.set('stdbool.h', guard('stdbool.h', '#define bool _Bool\n#define true 1\n#define false 0\n#define __bool_true_false_are_defined 1'));
  h.set('stdalign.h', guard('stdalign.h', '#define alignas _Alignas\n#define alignof _Alignof\n#define __alignas_is_defined 1\n#define __alignof_is_defined 1'));
  h.set('stdarg.h', [
    `/* structgen built-in <stdarg.h> for ${t.triple} */`,
    '#if !defined(__STRUCTGEN_HAVE___gnuc_va_list)\n#define __STRUCTGEN_HAVE___gnuc_va_list\ntypedef __builtin_va_list __gnuc_va_list;\n#endif',
    '#if defined(__need___va_list)\n#undef __need___va_list\n#elif !defined(__STRUCTGEN_HAVE_va_list)',
    '#define __STRUCTGEN_HAVE_va_list\ntypedef __builtin_va_list va_list;',
    '#endif', '',
  ].join('\n'));
  const cmax = t.charSigned ? '127' : '255';
  const cmin = t.charSigned ? '(-127-1)' : '0';
  h.set('limits.h', guard('limits.h', [
    '#define CHAR_BIT 8', '#define SCHAR_MAX 127', '#define SCHAR_MIN (-127-1)', '#define UCHAR_MAX 255',
    `#define CHAR_MAX ${cmax}`, `#define CHAR_MIN ${cmin}`,
    `#define SHRT_MAX ${maxOf(t, 'short')}`, '#define SHRT_MIN (-SHRT_MAX-1)', `#define USHRT_MAX ${maxOf(t, 'unsigned short')}`,
    `#define INT_MAX ${maxOf(t, 'int')}`, '#define INT_MIN (-INT_MAX-1)', `#define UINT_MAX ${maxOf(t, 'unsigned int')}`,
    `#define LONG_MAX ${maxOf(t, 'long')}`, '#define LONG_MIN (-LONG_MAX-1L)', `#define ULONG_MAX ${maxOf(t, 'unsigned long')}`,
    `#define LLONG_MAX ${maxOf(t, 'long long')}`, '#define LLONG_MIN (-LLONG_MAX-1LL)',
    `#define ULLONG_MAX ${maxOf(t, 'unsigned long long')}`, '#define MB_LEN_MAX 16',
  ].join('\n')));
  // the compiler's x86 vector types (what <x86intrin.h> and its family declare, which Windows headers include); the
  // intrinsic functions change no layout and are left out
  const x86 = t.macros.__x86_64__ !== undefined || t.macros.__i386__ !== undefined;
  const vec = (name: string, elem: string, bytes: number, align: number) =>
    `typedef ${elem} ${name} __attribute__((__vector_size__(${bytes}), __aligned__(${align})));`;
  const x86Types = [
    vec('__m64', 'long long', 8, 8), vec('__v2si', 'int', 8, 8), vec('__v4hi', 'short', 8, 8), vec('__v8qi', 'char', 8, 8),
    vec('__m128', 'float', 16, 16), vec('__m128_u', 'float', 16, 1), vec('__v4sf', 'float', 16, 16),
    vec('__m128d', 'double', 16, 16), vec('__m128d_u', 'double', 16, 1), vec('__m128i', 'long long', 16, 16),
    vec('__m128i_u', 'long long', 16, 1), vec('__v2df', 'double', 16, 16), vec('__v2di', 'long long', 16, 16),
    vec('__v4si', 'int', 16, 16), vec('__v8hi', 'short', 16, 16), vec('__v16qi', 'char', 16, 16),
    vec('__m256', 'float', 32, 32), vec('__m256_u', 'float', 32, 1), vec('__m256d', 'double', 32, 32),
    vec('__m256d_u', 'double', 32, 1), vec('__m256i', 'long long', 32, 32), vec('__m256i_u', 'long long', 32, 1),
    vec('__m512', 'float', 64, 64), vec('__m512_u', 'float', 64, 1), vec('__m512d', 'double', 64, 64),
    vec('__m512d_u', 'double', 64, 1), vec('__m512i', 'long long', 64, 64), vec('__m512i_u', 'long long', 64, 1),
    'typedef unsigned char __mmask8;', 'typedef unsigned short __mmask16;', 'typedef unsigned int __mmask32;',
    'typedef unsigned long long __mmask64;',
  ].join('\n');
  h.set('x86intrin.h', guard('x86intrin.h', x86 ? x86Types : '#error "<x86intrin.h> is for x86 targets only"'));
  for (const name of ['immintrin.h', 'mmintrin.h', 'xmmintrin.h', 'emmintrin.h', 'pmmintrin.h', 'tmmintrin.h', 'smmintrin.h',
    'nmmintrin.h', 'wmmintrin.h', 'avxintrin.h', 'avx2intrin.h', 'avx512fintrin.h', 'ia32intrin.h', 'x86gprintrin.h']) {
    h.set(name, guard(name, '#include <x86intrin.h>'));
  }
  h.set('mm_malloc.h', guard('mm_malloc.h', 'void *_mm_malloc(__SIZE_TYPE__ __size, __SIZE_TYPE__ __align);\nvoid _mm_free(void *__p);'));
  h.set('float.h', guard('float.h', [
    '#define FLT_RADIX 2', '#define FLT_MANT_DIG 24', '#define DBL_MANT_DIG 53', '#define FLT_DIG 6', '#define DBL_DIG 15',
    '#define FLT_MAX 3.40282347e+38F', '#define DBL_MAX 1.7976931348623157e+308',
  ].join('\n')));
  return h;
}
