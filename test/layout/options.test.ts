// Compiler switches that change layouts, each checked against clang-16 given the same switch on random records:
// -mms-bitfields, -mno-ms-bitfields (mingw), -fshort-enums; and the `ms_struct` attribute and pragma.

import { describe, expect, it } from 'vitest';
import { findTarget } from '../../generator/target/index.js';
import { withOptions, type PipelineOptions } from '../../generator/pipeline.js';
import { generateRecords } from '../differential/gen.js';
import { checkAgainstClang, HAVE_CLANG, tempFile } from '../helpers/compiler.js';
import { sizerOf } from '../helpers/sizer.js';

const CASES: Array<[string, string, PipelineOptions, string[]]> = [
  ['-mms-bitfields', 'x86_64-linux-gnu', { msBitfields: true }, ['-mms-bitfields']],
  // clang makes ms_struct with i386's 12-byte long double an error by default; its layout is still defined
  ['-mms-bitfields', 'i386-linux-gnu', { msBitfields: true }, ['-mms-bitfields', '-Wno-incompatible-ms-struct']],
  ['-mno-ms-bitfields', 'x86_64-w64-mingw32', { msBitfields: false }, ['-mno-ms-bitfields']],
  ['-fshort-enums', 'arm-none-eabi', { shortEnums: true }, ['-fshort-enums']],
  ['-fshort-enums', 'x86_64-linux-gnu', { shortEnums: true }, ['-fshort-enums']],
];

describe.skipIf(!HAVE_CLANG)('layout switches against clang-16', () => {
  for (const [flag, triple, opts, clangFlags] of CASES) {
    it(`${flag} on ${triple}`, () => {
      const g = generateRecords(7, 400, withOptions(findTarget(triple)!, opts));
      const file = tempFile('switch.h', g.source);
      const c = checkAgainstClang(file, triple, opts, g.records.map((r) => r.name), clangFlags);
      expect(c.clangOk, c.clangStderr).toBe(true);
      expect(c.comparison.mismatches.map((m) => `${m.record}: ${m.what}`)).toEqual([]);
      expect(c.comparison.compared).toBeGreaterThan(400);
    });
  }
  it('the ms_struct attribute and #pragma ms_struct switch single records', () => {
    const src = [
      'struct __attribute__((ms_struct)) A { char a:4; int b:4; short c; };',
      '#pragma ms_struct on', 'struct B { char a:4; int b:4; };', '#pragma ms_struct off', 'struct C { char a:4; int b:4; };',
    ].join('\n');
    const c = checkAgainstClang(tempFile('ms.h', src + '\n'), 'x86_64-linux-gnu');
    expect(c.comparison.mismatches).toEqual([]);
    const sizes = Object.fromEntries(c.analysis.resolved!.records.map((r) => [r!.tag, sizerOf(c.analysis).recordLayout(r!.id).size]));
    expect(sizes).toEqual({ A: 12, B: 8, C: 4 });
  });
  it('-fshort-enums sizes enums by their values', () => {
    const src = 'enum a { A0 }; enum b { B0 = 300 }; enum c { C0 = -1 }; enum d { D0 = 70000 };\nstruct s { enum a a; enum b b; enum c c; enum d d; };\n';
    const c = checkAgainstClang(tempFile('se.h', src), 'arm-none-eabi', { shortEnums: true }, ['struct s'], ['-fshort-enums']);
    expect(c.comparison.mismatches).toEqual([]);
    const s = c.analysis.resolved!.records.find((r) => r?.tag === 's')!;
    expect(sizerOf(c.analysis).recordLayout(s.id).fields.map((f) => f.bitSize)).toEqual([8, 16, 8, 32]);
  });
});
