// Decoders for foreign targets read bytes the compiler produced for that target: a static initializer of a
// record is compiled by clang-16 for the target into an object file, its data section read with
// llvm-objdump; the decoder generated for the same target must read the initializer's values, and encoding
// those values must give the object file's bytes exactly (static storage zeroes padding, as encode does).
// Big-endian targets (bit-fields numbered from the most significant bit), Microsoft and ms_struct layouts,
// 16-bit `int`, m68k's 2-byte alignment: each against the real thing.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLANG } from '../../generator/verify/clang.js';
import { HAVE_CLANG } from '../helpers/compiler.js';
import { generateAndLoad } from '../helpers/generated.js';

const OBJDUMP = ['llvm-objdump-16', 'llvm-objdump'].find((c) => spawnSync(c, ['--version']).status === 0);
if (HAVE_CLANG && !OBJDUMP) {
  const msg = 'llvm-objdump not found (Debian: apt-get install -y llvm-16): foreign-target decoder tests skipped';
  if (process.env.CI) throw new Error(`${msg}; CI must have it`);
  console.warn(`SKIP: ${msg}`);
}

const HEADER = `#include <stdint.h>
struct rec {
  uint8_t a;
  uint32_t b : 5, c : 11;
  int16_t d : 7;
  uint64_t e;
  int32_t f;
  double g;
  char s[6];
  union { uint16_t u; uint8_t bytes[2]; } un;
  uint16_t arr[3];
  long l;
  int8_t neg : 4;
  unsigned long wide : 20;
};
`;
const INIT = `#include "rec.h"
struct rec v = { .a = 0x12, .b = 21, .c = 1234, .d = -37, .e = 0x0102030405060708ULL, .f = -123456, .g = 2.5,
  .s = "hey", .un = { .u = 0xBEEF }, .arr = { 1, 2, 0xFFFF }, .l = -5, .neg = -3, .wide = 0xABCDE };
`;

/** Every target but avr (whose 16-bit address space llvm's avr backend fills differently) and the host's own
 * (covered by the gcc value tests). ELF, COFF, Mach-O and wasm objects alike. */
const TARGETS = ['powerpc-linux-gnu', 'powerpc64-linux-gnu', 'powerpc64le-linux-gnu', 's390x-linux-gnu', 'mips-linux-gnu',
  'm68k-linux-gnu', 'x86_64-pc-windows-msvc', 'i686-pc-windows-msvc', 'x86_64-w64-mingw32', 'aarch64-linux-gnu',
  'armv7-linux-gnueabihf', 'arm-none-eabi', 'riscv64-linux-gnu', 'riscv32-unknown-elf', 'i386-linux-gnu', 'msp430',
  'x86_64-apple-macosx', 'aarch64-apple-macosx', 'wasm32-unknown-unknown', 'wasm32-unknown-emscripten'];

/** The data section as llvm-objdump prints it (hex rows), for any object format. */
function sectionBytes(obj: string, section: string): Uint8Array {
  const out = execFileSync(OBJDUMP!, ['-s', '-j', section, obj], { encoding: 'utf8' });
  const hex = out.split('\n').filter((l) => /^ [0-9a-f]{4,} /.test(l)).map((l) => l.slice(1).split(/\s+/).slice(1, 5).join('')).join('');
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
}

/** A wasm DATA section: a count, then per segment flags, an i32.const offset expression and a sized payload. */
function wasmSegment(b: Uint8Array): Uint8Array {
  let i = 0;
  const leb = () => { let v = 0; let shift = 0; for (;;) { const x = b[i++]!; v |= (x & 0x7f) << shift; shift += 7; if (!(x & 0x80)) return v; } };
  leb(); // segment count
  leb(); // flags: 0, active in memory 0
  if (b[i++] !== 0x41) throw new Error('expected i32.const');
  leb();
  if (b[i++] !== 0x0b) throw new Error('expected end');
  const n = leb();
  return b.subarray(i, i + n);
}

function clangBytes(dir: string, triple: string): Uint8Array {
  const obj = path.join(dir, `${triple}.o`);
  execFileSync(CLANG, [`--target=${triple}`, '-ffreestanding', '-nostdlibinc', '-std=gnu17', '-w', '-c', '-o', obj, path.join(dir, 'init.c')]);
  if (triple.startsWith('wasm')) return wasmSegment(sectionBytes(obj, 'DATA'));
  return sectionBytes(obj, triple.includes('apple') ? '__data' : '.data');
}

describe.skipIf(!HAVE_CLANG || !OBJDUMP)('decoders read what clang wrote for the target', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-targets-'));
  writeFileSync(path.join(dir, 'rec.h'), HEADER);
  writeFileSync(path.join(dir, 'init.c'), INIT);

  for (const triple of TARGETS) {
    it(triple, async () => {
      const bytes = clangBytes(dir, triple);
      const m = await (await generateAndLoad([path.join(dir, 'rec.h')], { target: triple })).load('rec');
      const rec = m.rec as { size: number; decode(b: Uint8Array): { [k: string]: unknown }; encode(v: unknown): Uint8Array };
      expect(bytes.length, 'the .data section is the one record, padded to its alignment at most').toBeGreaterThanOrEqual(rec.size);
      const mine = bytes.subarray(0, rec.size);
      const v = rec.decode(mine);
      const longIs64 = /^(powerpc64|s390x|aarch64|riscv64|x86_64-apple)/.test(triple);
      expect(v).toEqual({
        a: 0x12, b: 21, c: 1234, d: -37, e: 0x0102030405060708n, f: -123456, g: 2.5, s: 'hey',
        un: { u: 0xbeef, bytes: expect.any(Uint8Array) }, arr: [1, 2, 0xffff], l: longIs64 ? -5n : -5, neg: -3, wide: 0xabcde,
      });
      const big = ['powerpc', 'powerpc64', 's390x', 'mips', 'm68k'].includes(triple.split('-')[0]!);
      expect([...(v.un as { bytes: Uint8Array }).bytes]).toEqual(big ? [0xbe, 0xef] : [0xef, 0xbe]);
      expect(rec.encode(v)).toEqual(mine);
    });
  }
});
