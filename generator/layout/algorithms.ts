// The three record-layout algorithms of shared/abi/REFERENCE.md: A (GNU / System V) with gcc's A' variations
// as switches, B (clang ms_struct) and C (Microsoft). Each is a pure function over a record and member facts.

import type { Field, Record } from '../resolve/types.js';
import type { GnuFlavour, TargetDesc } from '../target/types.js';
import type { FieldLayout, MemberTypeInfo, RecordLayout } from './types.js';

export type { GnuFlavour };

/** clang 16's GNU algorithm: none of gcc's variations (REFERENCE.md §4). */
export const CLANG_GNU: GnuFlavour = {
  gccBitfieldAlignFirst: false, bitfieldTypeAlign: true, zeroWidthBoundary: 0, modePromotion: false, i386UserDImode: false, msStructAttr: true,
};

export interface LayoutInput {
  readonly record: Record;
  readonly info: readonly MemberTypeInfo[];
  readonly target: TargetDesc;
}

const roundUp = (x: number, a: number): number => (a > 0 ? Math.ceil(x / a) * a : x);

/** Alignment in bits of the target's integer type `width` bits wide (0 when it has none). */
function intAlignOfWidth(t: TargetDesc, width: number): number {
  for (const r of ['char', 'short', 'int', 'long', 'long long'] as const) {
    const sa = t.ints[r];
    if (sa && sa.size * 8 === width) return sa.align * 8;
  }
  return 0;
}

/** Algorithm A (GNU) and, with `ms` set, Algorithm B (clang ms_struct): both in bits. */
export function layoutGnu({ record, info, target }: LayoutInput, ms: boolean, fl: GnuFlavour = CLANG_GNU): RecordLayout {
  const isUnion = record.kind === 'union';
  const packed = record.packed;
  const pack = record.pack * 8;
  let size = 0;
  let dataSize = 0;
  let align = 8;
  if (record.alignAttr) align = Math.max(align, record.alignAttr * 8);
  let unfilled = 0;
  let lastUnit = 0;
  const out: FieldLayout[] = [];
  record.fields.forEach((f: Field, i: number) => {
    const ti = info[i]!;
    if (f.bitWidth === null) {
      // ---- ordinary member (A1, B1)
      let offset = isUnion ? 0 : dataSize;
      unfilled = 0;
      lastUnit = 0;
      const fsize = ti.flexible ? 0 : ti.size * 8;
      let fal = ti.align * 8;
      if (ms && !ti.flexible && ti.scalarSize) {
        const s = ti.scalarSize * 8;
        if (s > fal && (s & (s - 1)) === 0) fal = s;
      }
      const fpacked = packed || f.packed;
      const explicit = f.alignAttr * 8;
      let packedAl = Math.max(8, explicit);
      let unpackedAl = Math.max(fal, explicit);
      if (pack) { packedAl = Math.min(packedAl, pack); unpackedAl = Math.min(unpackedAl, pack); }
      fal = fpacked ? packedAl : unpackedAl;
      offset = roundUp(offset, fal);
      out.push({ bitOffset: offset, bitSize: fsize, align: fal / 8 });
      dataSize = isUnion ? Math.max(dataSize, fsize) : offset + fsize;
      size = Math.max(size, dataSize);
      align = Math.max(align, fal);
      return;
    }
    // ---- bit-field (A2, B2, B3)
    const width = f.bitWidth;
    const unit = ti.size * 8;
    let fal = ti.align * 8;
    const fpacked = packed || f.packed;
    if (ms) {
      fal = unit;
      if (lastUnit !== unit || unfilled < width) {
        if (!lastUnit && !width) fal = 1; // :0 after a non-bit-field is ignored
        unfilled = 0;
        lastUnit = 0;
      }
    }
    let offset = isUnion ? 0 : dataSize - unfilled;
    // no bit-field type alignment (gcc m68k, avr): `:0` rounds to the target's empty-field boundary alone (an
    // aligned typedef does not raise it: avr-gcc, found by fuzz:gcc), other bit-fields go at the next free bit
    if (!ms && !fl.bitfieldTypeAlign) fal = width === 0 ? fl.zeroWidthBoundary : 1;
    let unpackedFal = fal;
    if (!ms && fpacked && width) fal = 1;
    const explicit = f.alignAttr * 8;
    if (explicit) { fal = Math.max(fal, explicit); unpackedFal = Math.max(unpackedFal, explicit); }
    if (pack && width) {
      unpackedFal = Math.min(unpackedFal, pack);
      fal = fpacked ? unpackedFal : Math.min(fal, pack);
    }
    if (ms && isUnion) { fal = 1; unpackedFal = 1; }
    if (ms) {
      if (width === 0 || width > unfilled) { offset = roundUp(offset, fal); unfilled = 0; }
    } else if (fl.gccBitfieldAlignFirst) {
      if (explicit && width) offset = roundUp(offset, pack ? Math.min(explicit, pack) : explicit);
      const allowPadding = pack === 0 && !(fpacked && width);
      if (width === 0 || (allowPadding && (offset % fal) + width > unit)) offset = roundUp(offset, fal);
    } else {
      const allowPadding = pack === 0; // any #pragma pack disables the no-straddle rule
      if (width === 0 || (allowPadding && (offset % fal) + width > unit)) offset = roundUp(offset, fal);
      else if (explicit && (pack === 0 || explicit <= pack)) offset = roundUp(offset, explicit);
    }
    out.push({ bitOffset: offset, bitSize: width, align: 0 });
    if (!ms && fl.modePromotion && (width === 16 || width === 32 || width === 64)) {
      // the machine mode's alignment is the target's integer type of that width; i386 gives a user-aligned DImode 8
      let modeAl = fl.i386UserDImode && width === 64 && explicit ? 64 : intAlignOfWidth(target, width);
      if (modeAl && offset % modeAl === 0 && !(fpacked && modeAl > 8)) {
        if (pack) modeAl = Math.min(modeAl, pack);
        fal = Math.max(fal, modeAl);
        unpackedFal = Math.max(unpackedFal, modeAl);
      }
    }
    if (!ms && !target.unnamedBitfieldsAlign && f.name === null) { fal = 1; unpackedFal = 1; }
    if (isUnion) {
      dataSize = Math.max(dataSize, ms ? (width ? unit : 8) : roundUp(width, 8));
    } else if (ms && width) {
      if (!unfilled) { dataSize = offset + unit; unfilled = unit; }
      unfilled -= width;
      lastUnit = unit;
    } else {
      const end = offset + width;
      dataSize = roundUp(end, 8);
      unfilled = dataSize - end;
      lastUnit = 0;
    }
    size = Math.max(size, dataSize);
    align = Math.max(align, fal);
  });
  size = roundUp(size, align);
  return { size: size / 8, align: align / 8, fields: out, required: 0 };
}

/** Algorithm C: Microsoft layout (bytes). */
export function layoutMsvc({ record, info, target }: LayoutInput): RecordLayout {
  const isUnion = record.kind === 'union';
  let size = 0;
  let align = 1;
  let required = target.pointer.size === 8 ? 1 : 0;
  let maxFieldAlign = 0;
  if (record.pack && record.pack <= target.pointer.size) maxFieldAlign = record.pack;
  if (record.packed) maxFieldAlign = 1;
  const out: FieldLayout[] = [];
  let lastNonzeroBf = false;
  let curBfSize = 0;
  let remaining = 0;
  const elemInfo = (f: Field, ti: MemberTypeInfo): [number, number] => {
    const natSize = ti.flexible ? 0 : ti.naturalSize;
    let req = f.alignAttr;
    if (ti.typeAlignAttr) req = Math.max(ti.typeAlignAttr, req);
    let al = ti.naturalAlign;
    if (f.bitWidth !== null) al = Math.max(al, req);
    else {
      req = Math.max(req, ti.recordRequired);
      required = Math.max(required, req);
    }
    if (maxFieldAlign) al = Math.min(al, maxFieldAlign);
    if (f.packed) al = 1;
    al = Math.max(al, req);
    return [natSize, al];
  };
  record.fields.forEach((f, i) => {
    const ti = info[i]!;
    if (f.bitWidth === null) {
      lastNonzeroBf = false;
      const [fs, fa] = elemInfo(f, ti);
      align = Math.max(align, fa);
      const off = isUnion ? 0 : roundUp(size, fa);
      out.push({ bitOffset: off * 8, bitSize: fs * 8, align: fa });
      size = Math.max(size, off + fs);
      return;
    }
    const width = f.bitWidth;
    if (width === 0) {
      if (!lastNonzeroBf) { out.push({ bitOffset: isUnion ? 0 : size * 8, bitSize: 0, align: 0 }); return; }
      lastNonzeroBf = false;
      const [fs, fa] = elemInfo(f, ti);
      if (isUnion) { out.push({ bitOffset: 0, bitSize: 0, align: 0 }); size = Math.max(size, fs); }
      else { const off = roundUp(size, fa); out.push({ bitOffset: off * 8, bitSize: 0, align: 0 }); size = off; align = Math.max(align, fa); }
      return;
    }
    const [fs, fa] = elemInfo(f, ti);
    if (!isUnion && lastNonzeroBf && curBfSize === fs && width <= remaining) {
      out.push({ bitOffset: size * 8 - remaining, bitSize: width, align: 0 });
      remaining -= width;
      return;
    }
    lastNonzeroBf = true;
    curBfSize = fs;
    if (isUnion) { out.push({ bitOffset: 0, bitSize: width, align: 0 }); size = Math.max(size, fs); }
    else {
      const off = roundUp(size, fa);
      out.push({ bitOffset: off * 8, bitSize: width, align: 0 });
      size = off + fs;
      align = Math.max(align, fa);
      remaining = fs * 8 - width;
    }
  });
  size = roundUp(size, align);
  required = Math.max(required, record.alignAttr);
  if (required) {
    align = Math.max(align, required);
    let rounding = align;
    if (maxFieldAlign) rounding = Math.min(rounding, maxFieldAlign);
    rounding = Math.max(rounding, required);
    size = roundUp(size, rounding);
  }
  if (size === 0) size = required >= 4 ? align : 4;
  return { size, align, fields: out, required };
}

/** The one place that chooses an algorithm for a record on a target. */
export function layoutRecordWith(input: LayoutInput): RecordLayout {
  const { record, target } = input;
  if (target.algorithm === 'msvc') return layoutMsvc(input);
  const flavour = target.gnuFlavour ?? CLANG_GNU;
  // clang 16 does not know gcc_struct (REFERENCE.md §3); gcc honours it, and ms_struct only on x86 and powerpc
  const gcc = target.compiler === 'gcc';
  const ms = (target.algorithm === 'ms_struct' && !(gcc && record.gccStruct)) || (record.msStruct && flavour.msStructAttr);
  return layoutGnu(input, ms, flavour);
}
