// Integer facts of a target, computed in one place: the width, signedness, range, size and alignment of every C
// integer type. The preprocessor, the resolver, the layout stage and the planner all ask here.

import type { IntName, SizeAlign, TargetDesc } from './types.js';

export function intWidth(t: TargetDesc, n: IntName): number {
  switch (n) {
    case '_Bool': return t.bool.size * 8;
    case 'char': case 'signed char': case 'unsigned char': return t.ints.char!.size * 8;
    case 'short': case 'unsigned short': return t.ints.short!.size * 8;
    case 'int': case 'unsigned int': return t.ints.int!.size * 8;
    case 'long': case 'unsigned long': return t.ints.long!.size * 8;
    case 'long long': case 'unsigned long long': return t.ints['long long']!.size * 8;
    case '__int128': case 'unsigned __int128': return 128;
  }
}

export function isSigned(t: TargetDesc, n: IntName): boolean {
  if (n === 'char') return t.charSigned;
  return !(n === '_Bool' || n.startsWith('unsigned'));
}

/** `v` converted to `n` as C converts: wrapped to the type's width (any non-zero value is 1 for `_Bool`). */
export function wrapInt(t: TargetDesc, n: IntName, v: bigint): bigint {
  if (n === '_Bool') return v !== 0n ? 1n : 0n;
  const w = intWidth(t, n);
  return isSigned(t, n) ? BigInt.asIntN(w, v) : BigInt.asUintN(w, v);
}

/** sizeof and _Alignof (inside records) of an integer type. */
export function intSizeAlign(t: TargetDesc, n: IntName): SizeAlign {
  if (n === '_Bool') return t.bool;
  if (n === '__int128' || n === 'unsigned __int128') return t.ints.__int128 ?? { size: 16, align: 16 };
  const rank = n.replace(/^(un)?signed /, '');
  const sa = rank === 'char' ? t.ints.char : rank === 'short' ? t.ints.short : rank === 'int' ? t.ints.int
    : rank === 'long' ? t.ints.long : t.ints['long long'];
  const w = intWidth(t, n) / 8;
  return sa ?? { size: w, align: w };
}
