// structgen derives each target's predefined macros from its description; clang-16's `-dM` output for the same
// target is the reference. Every macro both define must have the same value, and the ones headers switch on
// must exist.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { predefinedMacros, TARGETS } from '../../generator/target/index.js';
import { CLANG } from '../../generator/verify/clang.js';
import { HAVE_CLANG } from '../helpers/compiler.js';

function clangMacros(triple: string): Map<string, string> {
  const r = spawnSync(CLANG, [`--target=${triple}`, '-ffreestanding', '-dM', '-E', '-x', 'c', '-'], { input: '', encoding: 'utf8' });
  const m = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const x = /^#define (\S+)(?: (.*))?$/.exec(line);
    if (x) m.set(x[1]!, x[2] ?? '');
  }
  return m;
}

const MUST = ['__SIZEOF_LONG__', '__SIZEOF_POINTER__', '__BYTE_ORDER__', '__ORDER_LITTLE_ENDIAN__', '__CHAR_BIT__',
  '__INT64_TYPE__', '__SIZE_TYPE__', '__WCHAR_TYPE__', '__INTPTR_TYPE__', '__INT_MAX__', '__LONG_MAX__', '__GNUC__',
  '__STDC_VERSION__', '__BIGGEST_ALIGNMENT__'];

describe.skipIf(!HAVE_CLANG)('predefined macros against clang-16 -dM', () => {
  for (const t of TARGETS) {
    it(t.triple, () => {
      const ref = clangMacros(t.triple);
      expect(ref.size).toBeGreaterThan(100);
      const ours = predefinedMacros(t, { hosted: false });
      const differ: string[] = [];
      for (const [k, v] of ours) {
        if (k === '__STRUCTGEN__') continue;
        if (!ref.has(k)) { differ.push(`${k}: clang does not define it`); continue; }
        if (ref.get(k) !== v) differ.push(`${k}: ours '${v}', clang '${ref.get(k)}'`);
      }
      expect(differ).toEqual([]);
      for (const k of MUST) expect(ours.has(k), k).toBe(ref.has(k));
      // every architecture / OS macro clang defines without a double underscore suffix pattern we derive
      const archMacros = [...ref.keys()].filter((k) => /^(__(x86_64|amd64|i386|i686|aarch64|arm|ARM_ARCH|mips|powerpc|PPC|s390x|riscv|m68k|AVR|MSP430|wasm|linux|unix|gnu_linux|ELF|APPLE|MACH|WIN32|WIN64|MINGW32|MINGW64|LP64|ILP32)__|_LP64|_ILP32|_WIN32|_WIN64|linux|unix|__linux|__unix)$/.test(k));
      for (const k of archMacros) expect(ours.get(k), `${k} (clang: ${ref.get(k)})`).toBe(ref.get(k));
    });
  }
});
