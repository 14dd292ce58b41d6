// The layout stage case by case: C snippets inline, each with the layout the three algorithms (GNU, clang's
// ms_struct, Microsoft) give on a target, and the facts the stage derives from it (members promoted through
// anonymous members, bit-field windows in the target's bit numbering, padding, union storage). The expected sizes
// and offsets are checked against clang-16 too, when it is installed, so the table itself is proven.

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import type { ProgramFacts, RecordFacts } from '../../generator/layout/facts.js';
import { deepFields } from '../../generator/layout/walk.js';
import { analyzeHeader, type PipelineOptions } from '../../generator/pipeline.js';
import { clangLayouts } from '../../generator/verify/clang.js';
import { clangArgsFor, HAVE_CLANG, tempFile } from '../helpers/compiler.js';

interface Case {
  readonly target: string;
  readonly opts?: PipelineOptions;
  readonly clangFlags?: readonly string[];
  readonly c: string;
  /** The record `T`: size, align, and the bit offset of each declared slot (unnamed bit-fields included). */
  readonly want: { readonly size: number; readonly align: number; readonly slots: readonly number[] };
  /** More facts about `T`. */
  readonly facts?: (p: ProgramFacts, t: RecordFacts) => void;
}

const CASES: ReadonlyArray<[string, Case]> = [
  ['GNU: holes before aligned members and tail padding', {
    target: 'x86_64-linux-gnu', c: 'struct T { char c; int i; short s; };',
    want: { size: 12, align: 4, slots: [0, 32, 64] },
    facts: (_p, t) => {
      expect(t.padding).toEqual([{ bitOffset: 8, bitSize: 24, kind: 'hole' }, { bitOffset: 80, bitSize: 16, kind: 'tail' }]);
      expect(t.gaps).toEqual(t.padding);
    },
  }],
  ['GNU: i386 aligns long long and double to 4 inside records', {
    target: 'i386-linux-gnu', c: 'struct T { char c; long long x; double d; };',
    want: { size: 20, align: 4, slots: [0, 32, 96] },
  }],
  ['GNU: a bit-field that would straddle its unit starts the next one', {
    target: 'x86_64-linux-gnu', c: 'struct T { unsigned a : 30; unsigned b : 4; unsigned char c : 2; };',
    want: { size: 8, align: 4, slots: [0, 32, 36] },
    facts: (_p, t) => {
      const [a, b, c] = t.members;
      expect(a!.bitfield!.unit).toEqual({ byteOffset: 0, bytes: 4, shift: 0 });
      expect(b!.bitfield!.unit).toEqual({ byteOffset: 4, bytes: 4, shift: 0 });
      expect(c!.bitfield!.unit).toEqual({ byteOffset: 4, bytes: 1, shift: 4 });
    },
  }],
  ['GNU big-endian: bits are numbered from the most significant end of the window', {
    target: 'powerpc-linux-gnu', c: 'struct T { unsigned short a : 3; unsigned short b : 5; unsigned char c; };',
    want: { size: 2, align: 2, slots: [0, 3, 8] },
    facts: (_p, t) => {
      const [a, b] = t.members;
      expect(a!.bitfield!.unit).toEqual({ byteOffset: 0, bytes: 2, shift: 13 });
      expect(b!.bitfield!.unit).toEqual({ byteOffset: 0, bytes: 2, shift: 8 });
      expect(a!.type).toMatchObject({ k: 'int', order: 'big' });
    },
  }],
  ['GNU: a zero-width bit-field rounds to its type; unnamed bit-fields are padding and do not align the record', {
    target: 'x86_64-linux-gnu', c: 'struct T { char a : 3; int : 0; char b; int : 5; char c : 2; };',
    want: { size: 6, align: 1, slots: [0, 32, 32, 40, 45] },
    facts: (_p, t) => expect(t.members.map((m) => m.name)).toEqual(['a', 'b', 'c']),
  }],
  ['GNU on AArch64: unnamed bit-fields align the record', {
    target: 'aarch64-linux-gnu', c: 'struct T { char a : 3; int : 0; char b; int : 5; char c : 2; };',
    want: { size: 8, align: 4, slots: [0, 32, 32, 40, 45] },
  }],
  ['GNU: packed record and an aligned member', {
    target: 'x86_64-linux-gnu', c: 'struct __attribute__((packed)) T { char c; int i; long l __attribute__((aligned(16))); };',
    want: { size: 32, align: 16, slots: [0, 8, 128] },
  }],
  ['GNU: #pragma pack(2) caps member alignment', {
    target: 'x86_64-linux-gnu', c: '#pragma pack(push, 2)\nstruct T { char c; int i; double d; };\n#pragma pack(pop)',
    want: { size: 14, align: 2, slots: [0, 16, 48] },
  }],
  ['GNU: union storage is overlaid; its padding is after the largest member', {
    target: 'x86_64-linux-gnu', c: 'union T { char c[5]; int i; };',
    want: { size: 8, align: 4, slots: [0, 0] },
    facts: (_p, t) => {
      expect(t.members.every((m) => m.overlaid)).toBe(true);
      expect(t.padding).toEqual([{ bitOffset: 40, bitSize: 24, kind: 'tail' }]);
    },
  }],
  ['GNU: anonymous members are promoted; a nested named record is referenced', {
    target: 'x86_64-linux-gnu', c: 'struct inner { short s; };\nstruct T { int a; struct { char b; union { int c; float d; }; }; struct inner n; };',
    want: { size: 16, align: 4, slots: [0, 32, 96] },
    facts: (p, t) => {
      expect(t.members.map((m) => [m.name, m.bitOffset, m.overlaid])).toEqual([['a', 0, false], ['b', 32, false], ['c', 64, true], ['d', 64, true], ['n', 96, false]]);
      expect([...deepFields(p, t)].map((f) => [f.path, f.bitOffset])).toEqual([['a', 0], ['b', 32], ['c', 64], ['d', 64], ['n', 96], ['n.s', 96]]);
      expect(t.gaps).toEqual([{ bitOffset: 40, bitSize: 24, kind: 'hole' }, { bitOffset: 112, bitSize: 16, kind: 'tail' }]);
    },
  }],
  ['GNU: a flexible array member starts at its alignment, inside the tail padding', {
    target: 'x86_64-linux-gnu', c: 'struct T { int n; char c; short data[]; };',
    want: { size: 8, align: 4, slots: [0, 32, 48] },
    facts: (_p, t) => expect(t.flexible).toEqual({ member: 'data', byteOffset: 6, stride: 2 }),
  }],
  ['clang ms_struct (-mms-bitfields): a bit-field of another type starts a new unit', {
    target: 'x86_64-linux-gnu', opts: { msBitfields: true }, clangFlags: ['-mms-bitfields'],
    c: 'struct T { char a : 3; short b : 4; char c : 2; };',
    want: { size: 6, align: 2, slots: [0, 16, 32] },
  }],
  ['Microsoft: a bit-field unit of a different size starts a new one; the record is not empty', {
    target: 'x86_64-pc-windows-msvc', c: 'struct T { char a : 3; int b : 4; char c; };',
    want: { size: 12, align: 4, slots: [0, 32, 64] },
  }],
  ['Microsoft: unsigned long is 4 bytes, long double is 8', {
    target: 'x86_64-pc-windows-msvc', c: 'struct T { char c; unsigned long l; long double d; };',
    want: { size: 16, align: 8, slots: [0, 32, 64] },
  }],
  ['AVR: everything is byte-aligned', {
    target: 'avr', c: 'struct T { char c; long l; int i; };',
    want: { size: 7, align: 1, slots: [0, 8, 40] },
  }],
  ['__be16 says its own byte order on a little-endian target', {
    target: 'x86_64-linux-gnu', c: 'typedef unsigned short __be16;\nstruct T { __be16 port; unsigned short n; };',
    want: { size: 4, align: 2, slots: [0, 16] },
    facts: (_p, t) => expect(t.members.map((m) => (m.type.k === 'int' ? m.type.order : ''))).toEqual(['big', 'little']),
  }],
];

function facts(c: Case): { p: ProgramFacts; t: RecordFacts; file: string } {
  const file = tempFile('case.h', `${c.c}\n`);
  const a = analyzeHeader(file, { ...c.opts, target: c.target });
  if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map(formatDiagnostic).join('\n'));
  const t = a.facts!.records.find((r) => r?.tag === 'T');
  if (!t) throw new Error('no record T');
  return { p: a.facts!, t, file };
}

describe('the layout stage, case by case', () => {
  for (const [name, c] of CASES) {
    it(`${name} (${c.target})`, () => {
      const { p, t, file } = facts(c);
      expect({ size: t.size, align: t.align, slots: t.slots.map((s) => s.bitOffset) }).toEqual(c.want);
      c.facts?.(p, t);
      if (!HAVE_CLANG) return;
      const run = clangLayouts(`#include "${file}"`, file, c.target, [`${t.kind} T`], [...clangArgsFor(c.target), ...(c.clangFlags ?? [])]);
      expect(run.ok, run.stderr).toBe(true);
      const clang = run.layouts.get(`${t.kind} T`);
      expect({ size: clang!.size / 8, align: clang!.align / 8, slots: clang!.fieldOffsets }, `clang-16 disagrees with the table (${path.basename(file)})`).toEqual(c.want);
    });
  }
});
