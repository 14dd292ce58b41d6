// The reproducers of issue 20 (a compiler's own ABI test generator and a hostile-input probe), each against clang-16
// where clang lays it out: attributes after an enum used as a type, GNU complex integers, `mode` on floating and
// vector types, attributes after `*` and in every declarator position, sizeof/_Alignof of expressions and the
// offsetof idioms, a missing ';' after a definition, CR-only files, a byte-order mark, digraphs, a header including
// itself, __has_include spellings that crashed, enumerators past 64 bits, and doubling macros.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { analyzeHeader, generateModules, layoutHeaders } from '../../generator/pipeline.js';
import { verifyHeaders } from '../../generator/node/verify.js';
import { checkAgainstClang, HAVE_CLANG, tempFile } from '../helpers/compiler.js';

const SOME = ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'armv7-linux-gnueabihf', 'powerpc-linux-gnu',
  'm68k-linux-gnu', 'avr', 'x86_64-pc-windows-msvc', 'i686-pc-windows-msvc', 'x86_64-w64-mingw32'];

/** Lays `text` out for `targets` and compares every record with clang-16: no error, no mismatch, all compared. */
function sameAsClang(text: string, targets: readonly string[] = SOME, flags: readonly string[] = []): void {
  const file = tempFile('issue20.h', text);
  for (const t of targets) {
    const r = checkAgainstClang(file, t, {}, undefined, flags);
    expect(r.clangOk, `${t}: ${r.clangStderr}`).toBe(true);
    expect(r.analysis.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), t).toEqual([]);
    expect(r.comparison.mismatches.map((m) => `${t} ${m.record}: ${m.what}`)).toEqual([]);
    expect(r.comparison.missing, t).toEqual([]);
    expect(r.comparison.compared, t).toBeGreaterThan(0);
  }
}

/** size, align and the byte offsets of a record, as structgen lays it out. */
function shape(text: string, name: string, target = 'x86_64-linux-gnu'): [number, number, number[]] {
  const run = layoutHeaders([tempFile('shape.h', text)], { target });
  expect(run.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
  const r = run.report!.records.find((x) => x.name === name)!;
  return [r.size, r.align, r.fields.map((f) => f.bitOffset / 8)];
}

function errors(text: string, name = 'issue20.h'): string[] {
  return analyzeHeader(tempFile(name, text)).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

describe('wrong layouts', () => {
  it('an attribute after an enum type specifier applies to the member (also a 64-bit enum, and on a bit-field)', () => {
    const text = 'enum E2 { a = -3, b = 3 };\nstruct A2 { char c; enum E2 __attribute__((aligned(16))) e; };\n' +
      'enum E9 { x9 = 0x100000000000000LL };\nstruct A3 { char c; enum E9 __attribute__((aligned(16))) e; };\n' +
      'union U { enum E9 __attribute__((aligned)) a:57; };\nstruct A4 { char c; enum E2 __attribute__((packed)) e; int i; };\n' +
      'typedef enum E2 __attribute__((aligned(2))) e2a;\nstruct A5 { char c; e2a e; };\n';
    expect(shape(text, 'A2')).toEqual([32, 16, [0, 16]]);
    expect(shape(text, 'U')).toEqual([16, 16, [0]]);
    if (HAVE_CLANG) sameAsClang(text, SOME.filter((t) => !t.includes('windows-msvc')));
  });
});

describe('rejected though compilers accept it', () => {
  it('GNU complex integers of every base type, in either order', () => {
    const bases = ['char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned', 'signed', 'long',
      'unsigned long', 'long long', 'unsigned long long'];
    const text = `${bases.map((b, i) => `typedef _Complex ${b} c${i};\ntypedef ${b} _Complex d${i};\nstruct C${i} { char c; c${i} z; char e; d${i} w; };`).join('\n')}\n` +
      'typedef _Complex short Tcshort;\nstruct C1x { char c; Tcshort z; };\nstruct F { char c; _Complex float f; _Complex long double l; };\n';
    expect(shape(text, 'C1x')).toEqual([6, 2, [0, 2]]);
    if (HAVE_CLANG) sameAsClang(text);
    expect(errors('typedef _Complex _Bool b;\n')[0]).toMatch(/'_Complex _Bool' is invalid/);
  });
  it('mode on floating, complex and vector types, as the target has them', () => {
    const common = 'typedef float __attribute__((mode(DF))) df;\ntypedef double __attribute__((mode(SF))) sf;\ntypedef float __attribute__((mode(HF))) hf;\n' +
      'typedef int __attribute__((mode(V4SI))) v4si;\ntypedef float __attribute__((mode(V2DF))) v2df;\ntypedef char __attribute__((mode(V8QI))) v8qi;\n' +
      'typedef _Complex float __attribute__((mode(DC))) cdf;\ntypedef unsigned __attribute__((mode(DI))) udi;\n' +
      'struct M { char c; df d; char e; sf s; char f; hf h; char g; v4si v; char i; v2df w; char j; v8qi q; char k; cdf z; char l; udi u; int m __attribute__((mode(HI))); };\n';
    expect(shape(common, 'M')[2].slice(0, 2)).toEqual([0, 8]);
    if (HAVE_CLANG) sameAsClang(common, SOME.filter((t) => t !== 'avr'));
    // XF is the x87 format, TF a 128-bit long double or __float128
    const wide = 'typedef float __attribute__((mode(XF))) xf;\ntypedef float __attribute__((mode(TF))) tf;\nstruct W { char c; xf x; char d; tf t; };\n';
    if (HAVE_CLANG) sameAsClang(wide, ['x86_64-linux-gnu', 'i386-linux-gnu', 'x86_64-w64-mingw32']);
    expect(errors('typedef float __attribute__((mode(XF))) xf;\nstruct W { xf x; };\n')).toEqual([]);
    expect(analyzeHeader(tempFile('xf.h', 'typedef float __attribute__((mode(XF))) xf;\nstruct W { xf x; };\n'), { target: 'aarch64-linux-gnu' })
      .diagnostics.map(formatDiagnostic)[0]).toMatch(/unsupported machine mode 'XF'/);
    expect(errors('typedef int __attribute__((mode(DF))) x;\nstruct W { x a; };\n')[0]).toMatch(/type of machine mode does not match type of base type/);
  });
  it('attributes after * and in every declarator position clang accepts', () => {
    const text = [
      'struct In { int a; char b; };', 'enum E2 { a = -3, b = 3 };',
      'struct P1 { char c; int * __attribute__((aligned(16))) p; };',
      'struct P2 { char c; int * __attribute__((aligned(2))) p; };',
      'struct P3 { char c; int * __attribute__((packed)) p; };',
      'struct P4 { char c; int * __attribute__((aligned(16))) * q; };',
      'struct P5 { char c; int (* __attribute__((aligned(16))) fp)(void); };',
      'struct P6 { char c; int (* __attribute__((aligned(16))) ap)[3]; };',
      'struct P7 { char c; int * const __attribute__((aligned(16))) p; };',
      'struct P8 { char c; int a[2] __attribute__((aligned(16))); };',
      'struct P9 { char c; int x, __attribute__((aligned(16))) y; };',
      'struct P10 { char c; int __attribute__((aligned(16))) x, y; };',
      'struct P11 { char c; int x __attribute__((aligned(16))), y; };',
      'struct P12 { char c; __attribute__((aligned(16))) int x; };',
      'struct P13 { char c; struct In __attribute__((aligned(16))) s; };',
      'struct P14 { char c; int __attribute__((aligned(8))) a:3; int b:4 __attribute__((aligned(8))); };',
      'struct P15 { char c; int __attribute__((aligned(16))) : 3; int d:5; };',
      'struct P16 { char c; struct In3 { int x; } __attribute__((packed)) __attribute__((aligned(32))) s; };',
      'typedef int * __attribute__((aligned(2))) ap2;', 'typedef int T3 __attribute__((aligned(16))), T4;',
      'typedef int __attribute__((aligned(16))) T5, T6;', 'struct P17 { char c; ap2 p; T3 x; char d; T4 y; T6 z; };',
      'struct P18 { char c; int v __attribute__((vector_size(16))); int __attribute__((vector_size(8))) w; };',
      'struct P19 { char c; int x __attribute__((mode(HI))); int __attribute__((mode(QI))) y; };',
      'void f(int * __attribute__((aligned(8))) p, char c);',
    ].join('\n') + '\n';
    expect(shape(text, 'P1')).toEqual([32, 16, [0, 16]]);
    if (HAVE_CLANG) sameAsClang(text, [...SOME, 'aarch64-apple-macosx']);
  });
  it('under --compiler gcc, an attribute after * is the pointer type\'s (aligned lowers or raises it, packed is ignored)', () => {
    const text = 'struct A1 { char c; int * __attribute__((aligned(2))) p; };\nstruct A2 { char c; int * __attribute__((aligned(16))) p; };\n' +
      'struct __attribute__((packed)) A3 { char c; int * __attribute__((aligned(4))) p; };\nstruct A4 { char c; int * __attribute__((packed)) p; };\n' +
      'struct A5 { char c; int * __attribute__((aligned(16))) * q; };\nstruct A6 { char c; int (* __attribute__((aligned(16))) fp)[3]; };\n';
    const gcc = layoutHeaders([tempFile('gp.h', text)], { compiler: 'gcc' }).report!.records.map((r) => [r.name, r.size]);
    expect(gcc).toEqual([['A1', 10], ['A2', 32], ['A3', 9], ['A4', 16], ['A5', 16], ['A6', 32]]);
    const clang = layoutHeaders([tempFile('gp.h', text)], {}).report!.records.map((r) => [r.name, r.size]);
    expect(clang).toEqual([['A1', 16], ['A2', 32], ['A3', 12], ['A4', 9], ['A5', 32], ['A6', 32]]);
    if (spawnSync('gcc', ['--version']).status === 0 && process.arch === 'x64') {
      for (const [target, cc] of [['x86_64-linux-gnu', 'gcc'], ['i386-linux-gnu', 'gcc -m32']] as const) {
        const v = verifyHeaders([tempFile('gp.h', text)], { target, compiler: 'gcc' }, { cc });
        expect(v.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
        expect(v.records).toBe(6);
      }
    }
  });
  it('sizeof and _Alignof of expressions, the offsetof idioms and __builtin_offsetof, wherever a constant is needed', () => {
    const text = [
      '#define NULL ((void *)0)',
      'typedef struct { int type; unsigned char padding[56]; } Ev;',
      'struct S { char c; int x __attribute__((aligned(16))); long long y; int a[3]; struct { short q; } in; } __attribute__((packed));',
      'struct T { char c; long long y; double d; int b:3; struct { int z[4]; } m[2]; };',
      '_Static_assert(sizeof(Ev) == sizeof(((Ev *)NULL)->padding) + sizeof(((Ev *)NULL)->type), "SDL_COMPILE_TIME_ASSERT");',
      'struct R {',
      '  char a1[_Alignof(((struct S *)0)->x)], a2[_Alignof(((struct S *)0)->y)], a3[__alignof__(((struct S *)0)->y)];',
      '  char a4[_Alignof(((struct S *)0)->a[1])], a5[_Alignof(((struct T *)0)->y)], a6[__alignof__(((struct T *)0)->d)];',
      '  char a8[sizeof(((struct S *)0)->a)], a9[sizeof(((struct S *)0)->in.q)], a10[sizeof(((struct T *)0)->m[1].z)];',
      '  char b1[(unsigned long)&((struct S *)0)->in.q], b2[(char *)&((struct S *)0)->a[2] - (char *)0];',
      '  char b3[__builtin_offsetof(struct S, a[1])], b4[__builtin_offsetof(struct T, m[1].z[2])], b5[sizeof("abc")], b6[sizeof \'a\'];',
      '  char b7[sizeof(1.0f)], b8[_Alignof(1.0)], b9[sizeof(L"ab")], b10[(unsigned long)(&((struct T *)0)->m[1]) - 16];',
      '};',
    ].join('\n') + '\n';
    if (HAVE_CLANG) sameAsClang(text, ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'x86_64-pc-windows-msvc', 'avr']);
    expect(errors('struct T { int b:3; };\nstruct R { char a[sizeof(((struct T *)0)->b)]; };\n')[0]).toMatch(/invalid application of 'sizeof' to bit-field/);
    expect(errors('struct T { int b:3; };\nstruct R { char a[(unsigned long)&((struct T *)0)->b]; };\n')[0]).toMatch(/address of bit-field requested/);
    expect(errors('struct T { int *p; };\nstruct R { char a[(unsigned long)((struct T *)0)->p]; };\n')[0]).toMatch(/not an integer constant expression/);
  });
});

describe('no record lost', () => {
  it('a missing ; after a record definition is an error, as clang says it; before } a warning', () => {
    for (const [text, want] of [
      ['struct a { int x }\nstruct b { int y; };\n', /1:19: error: expected ';' after struct/],
      ['union u { int x; }\nint y;\n', /1:19: error: expected ';' after union/],
      ['enum e { A }\nstruct q { int z; };\n', /1:13: error: expected ';' after enum/],
      ['struct t { struct in { int a; } struct in2 { int b; } c; };\n', /1:32: error: expected ';' after struct/],
      ['struct a { int x; }', /1:20: error: expected ';' after struct/],
    ] as const) {
      expect(errors(text)[0], text).toMatch(want);
      if (HAVE_CLANG) expect(checkAgainstClang(tempFile('semi.h', text), 'x86_64-linux-gnu').clangOk).toBe(false);
    }
    const a = analyzeHeader(tempFile('w.h', 'struct a { int x };\nstruct b { int y; };\n'));
    expect(a.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/1:17: warning: expected ';' at end of declaration list/)]);
    expect(a.facts!.records.map((r) => r?.name)).toEqual(['a', 'b']);
  });
});

describe('valid C that failed or was misread', () => {
  it('CR-only line endings, a UTF-8 byte-order mark, digraphs', () => {
    const cases = ['#define N 4\rstruct s {\r  int a[N];\r};\r', '\ufeffstruct s { int a; char b; };\n',
      '%:define X 3\nstruct s <% int a<:X:>; char b; %>;\n', '#define N 4\r\nstruct s {\r\n  int a[N];\r\n};\r\n'];
    for (const text of cases) {
      const run = layoutHeaders([tempFile('h.h', text)]);
      expect(run.diagnostics.map(formatDiagnostic), JSON.stringify(text)).toEqual([]);
      expect(run.report!.records.map((r) => r.name)).toEqual(['s']);
      if (HAVE_CLANG) sameAsClang(text, ['x86_64-linux-gnu']);
    }
    expect(layoutHeaders([tempFile('cr.h', cases[0]!)]).report!.records[0]!).toMatchObject({ size: 16, line: 2 });
  });
  it('a header that includes itself a bounded number of times, and a re-entrant include inside a guard', () => {
    const dir = path.dirname(tempFile('x.h', ''));
    writeFileSync(path.join(dir, 'self.h'), '#ifndef COUNT\n#define COUNT 0\n#endif\n#if COUNT < 3\n#if COUNT == 0\n#undef COUNT\n#define COUNT 1\nstruct s1 { int a; };\n' +
      '#elif COUNT == 1\n#undef COUNT\n#define COUNT 2\nstruct s2 { int a; };\n#else\n#undef COUNT\n#define COUNT 3\nstruct s3 { long a; };\n#endif\n#include "self.h"\n#endif\n');
    writeFileSync(path.join(dir, 'm.h'), '#ifndef M_H\n#define M_H\n#include "v.h"\nstruct m { va x; };\n#endif\n');
    writeFileSync(path.join(dir, 'v.h'), '#include "m.h"\ntypedef int va;\n');
    const run = layoutHeaders([path.join(dir, 'self.h'), path.join(dir, 'm.h')]);
    expect(run.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(run.report!.records.map((r) => r.name)).toEqual(['s1', 's2', 's3', 'm']);
  });
  it('__has_include with escapes or an encoding prefix: no internal error, clang\'s answer', () => {
    const text = '#if __has_include("dir\\d.h")\nstruct b { int x; };\n#endif\n#if __has_include("ma\\x69n.h")\nstruct c { int x; };\n#endif\nstruct z { int q; };\n';
    const run = layoutHeaders([tempFile('main.h', text)]);
    expect(run.diagnostics).toEqual([]);
    expect(run.report!.records.map((r) => r.name)).toEqual(['z']);
    expect(errors('#if __has_include(L"main.h")\n#endif\n', 'main.h')[0]).toMatch(/1:19: error: expected "FILENAME" or <FILENAME>/);
    expect(errors('#line 10 "a\\d.h"\nstruct s { int x y; };\n')[0]).toMatch(/^ad\.h:10:/);
  });
  it('enumerators past 64 bits: clang\'s warning and type, no internal error', () => {
    const text = 'enum e1 { A1 = 0xFFFFFFFFFFFFFFFF, B1 };\nenum e2 { A2 = -9223372036854775807LL - 1, B2 = 0xFFFFFFFFFFFFFFFF };\n' +
      'enum e3 { A3 = 0x7FFFFFFFFFFFFFFF, B3 };\nstruct s { char c; enum e1 a; char d; enum e2 b; char e; enum e3 f; };\n';
    const a = analyzeHeader(tempFile('e.h', text), { evaluateDefines: true });
    expect(a.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/1:36: warning: incremented enumerator value 18446744073709551616 is not representable in the largest integer type/),
      expect.stringMatching(/2:1: warning: enumeration values exceed range of largest integer/),
      expect.stringMatching(/3:36: warning: incremented enumerator value 9223372036854775808 is not representable/),
    ]);
    const values = a.facts!.enums.map((e) => e!.values.map((v) => v.value));
    expect(values).toEqual([['18446744073709551615', '0'], ['-9223372036854775808', '-1'], ['9223372036854775807', '-9223372036854775808']]);
    if (HAVE_CLANG) sameAsClang(text, SOME.filter((t) => t !== 'avr'));
  });
  it('doubling macros: aliases cost one expansion, and output past the documented bound is refused with a diagnostic', () => {
    const defs = `#define M0 1\n${Array.from({ length: 13 }, (_, i) => `#define M${i + 1} M${i}+M${i}\n`).join('')}` +
      `${Array.from({ length: 40 }, (_, i) => `#define A${i + 1} M13\n`).join('')}`;
    const gen = generateModules([tempFile('dbl.h', `${defs}struct s { int x; };\n`)]);
    expect(gen.diagnostics).toEqual([]);
    expect(gen.files.find((f) => f.path === 'dbl.ts')!.contents).toMatch(/^(?:export const )?A40 = 8192[,;]$/m);
    const doubling = `#define M0 1\n${Array.from({ length: 16 }, (_, i) => `#define M${i + 1} M${i}+M${i}\n`).join('')}` +
      `${Array.from({ length: 40 }, (_, i) => `#define A${i + 1} M16\n`).join('')}struct s { ${Array.from({ length: 40 }, (_, i) => `char a${i}[A${i + 1}];`).join(' ')} };\n`;
    expect(errors(doubling)[0]).toMatch(/error: macro expansions produce more than 1000000 tokens plus 64 per token of text/);
  }, 120_000);
});
