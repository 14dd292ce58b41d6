// The known targets, as data. Numbers are the measured ones of shared/abi/REFERENCE.md §2-3 (clang 16);
// adding a target means adding an entry here, never a branch elsewhere.

import type { SizeAlign, TargetDesc } from './types.js';

const sa = (size: number, align: number): SizeAlign => ({ size, align });

const ELF_LINUX = {
  __ELF__: '1', __linux__: '1', __linux: '1', linux: '1', __gnu_linux__: '1',
  __unix__: '1', __unix: '1', unix: '1',
};

const x86_64_linux: TargetDesc = {
  triple: 'x86_64-linux-gnu',
  aliases: ['x86_64-unknown-linux-gnu', 'x86_64-pc-linux-gnu', 'amd64-linux-gnu', 'x86_64-linux'],
  endian: 'little',
  algorithm: 'gnu',
  ints: { char: sa(1, 1), short: sa(2, 2), int: sa(4, 4), long: sa(8, 8), 'long long': sa(8, 8), __int128: sa(16, 16) },
  floats: { float: sa(4, 4), double: sa(8, 8), 'long double': sa(16, 16) },
  floatFormats: { float: 'binary32', double: 'binary64', 'long double': 'x87-80' },
  bool: sa(1, 1),
  pointer: sa(8, 8),
  vaList: sa(24, 8),
  maxAlignT: sa(32, 16),
  charSigned: true,
  sizeType: 'unsigned long', ptrdiffType: 'long', intptrType: 'long', wcharType: 'int', wintType: 'unsigned int',
  int64Type: 'long', char16Type: 'unsigned short', char32Type: 'unsigned int',
  enumBitfieldSigned: false,
  unnamedBitfieldsAlign: false,
  preferredAlign: {},
  defaultAligned: 16,
  biggestAlignment: 16,
  shortEnums: false,
  enumsAlwaysInt: false,
  multiarch: 'x86_64-linux-gnu',
  macros: {
    ...ELF_LINUX, __x86_64__: '1', __x86_64: '1', __amd64__: '1', __amd64: '1', _LP64: '1', __LP64__: '1',
    __MMX__: '1', __SSE__: '1', __SSE2__: '1', __SSE_MATH__: '1', __SSE2_MATH__: '1', __FXSR__: '1',
    __k8: '1', __k8__: '1', __tune_k8__: '1', __code_model_small__: '1', __SEG_FS: '1', __SEG_GS: '1',
    __FLOAT128__: '1', __SIZEOF_FLOAT128__: '16',
  },
};

const i386_linux: TargetDesc = {
  ...x86_64_linux,
  triple: 'i386-linux-gnu',
  aliases: ['i386-unknown-linux-gnu', 'i486-linux-gnu', 'i586-linux-gnu', 'i686-linux-gnu', 'i686-pc-linux-gnu',
    'i686-unknown-linux-gnu', 'x86-linux-gnu'],
  ints: { char: sa(1, 1), short: sa(2, 2), int: sa(4, 4), long: sa(4, 4), 'long long': sa(8, 4), __int128: null },
  floats: { float: sa(4, 4), double: sa(8, 4), 'long double': sa(12, 4) },
  pointer: sa(4, 4),
  vaList: sa(4, 4),
  maxAlignT: sa(24, 8),
  preferredAlign: { 'long long': 8, double: 8 },
  sizeType: 'unsigned int', ptrdiffType: 'int', intptrType: 'int', wcharType: 'int', wintType: 'unsigned int',
  int64Type: 'long long',
  multiarch: 'i386-linux-gnu',
  macros: {
    ...ELF_LINUX, __i386__: '1', __i386: '1', i386: '1', _ILP32: '1', __ILP32__: '1',
    __i686__: '1', __i686: '1', __pentiumpro__: '1', __pentiumpro: '1', __tune_i686__: '1',
    __tune_pentiumpro__: '1', __code_model_small__: '1', __SEG_FS: '1', __SEG_GS: '1',
    __FLOAT128__: '1', __SIZEOF_FLOAT128__: '16',
  },
};

export const TARGETS: readonly TargetDesc[] = [x86_64_linux, i386_linux];
