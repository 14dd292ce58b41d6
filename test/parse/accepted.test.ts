// C that compilers accept and tree-sitter-c does not parse as written (issue 11 §1): each header must give no
// error and lay out exactly as clang-16 does, on several targets; the ones clang warns about give a warning.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeHeader } from '../../generator/pipeline.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { checkAgainstClang, HAVE_CLANG, tempFile } from '../helpers/compiler.js';

const TARGETS = ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'powerpc-linux-gnu', 'm68k-linux-gnu', 'avr',
  'x86_64-pc-windows-msvc', 'i686-pc-windows-msvc'];

const CASES: Array<[string, { given: string; warnings?: RegExp[]; targets?: string[] }]> = [
  ['_Atomic members and typedefs', {
    given: 'struct c8 { char a[8]; };\ntypedef _Atomic(long long) all;\ntypedef _Atomic double adbl;\n' +
      'struct at { char c; _Atomic(int) a; _Atomic int b; char d; _Atomic long long e; char f; all g; char h; adbl i; char j; _Atomic(struct c8) k; };\n' +
      'struct atp { char c; _Atomic(int *) p; char d; _Atomic(char) e; _Atomic short f[3]; };\n',
  }],
  ['_Complex in records and typedefs', {
    given: 'typedef double _Complex dc;\ntypedef __complex__ float cf;\n' +
      'struct cx { char c; float _Complex f; char d; double _Complex e; char g; long double _Complex h; char i; _Complex double j; dc k; cf l; __complex__ double m; };\n',
  }],
  ['calling conventions in declarators', {
    given: 'typedef void (__stdcall *fp)(int);\ntypedef int __stdcall fn(int);\ntypedef int (__cdecl fn2)(int);\n' +
      'struct cc { char c; void (__cdecl *g)(int); int (__fastcall *h)(void); void (__vectorcall *v)(void); void (__attribute__((ms_abi)) *m)(void); fp f; fn *p; };\n',
    targets: ['x86_64-linux-gnu', 'i386-linux-gnu', 'x86_64-pc-windows-msvc', 'i686-pc-windows-msvc'],
  }],
  ['a last member without ;', {
    given: 'struct S2 { unsigned : 11 };\nstruct S3 { int a };\nstruct S4 { struct { char x; } in };\n',
    warnings: [/:1:26: warning: expected ';' at end of declaration list/, /:2:18: warning: expected ';' at end of declaration list/, /:3:34: warning: expected/],
  }],
  ['gcc\'s interchange float type names declared as typedefs (glibc does so for clang, in bits/floatn-common.h)', {
    given: 'typedef float _Float32;\ntypedef double _Float64;\ntypedef double _Float32x;\ntypedef long double _Float64x;\n' +
      'struct fl { char c; _Float32 a; char d; _Float64 b; char e; _Float32x x; char f; _Float64x y; };\n',
  }],
  ['__extension__ at file scope and before members', {
    given: '__extension__ struct e { __extension__ int a; __extension__ union { int b; char c[3]; }; __extension__ long long d; };\n' +
      '__extension__ typedef unsigned long long u64x;\nstruct f { u64x x; };\n',
  }],
  ['attributes between specifiers and declarator, before the specifiers and after the declarator', {
    given: 'typedef long long __attribute__((aligned(4))) ll_a4;\ntypedef int __attribute__((aligned(2))) int_a2;\n' +
      'typedef __attribute__((aligned(4))) long long ll_b4;\ntypedef long long ll_c4 __attribute__((aligned(4)));\n' +
      'typedef char __attribute__((aligned(8))) c8;\n' +
      'struct u { char c; ll_a4 a; char d; int_a2 b; char e; ll_b4 f; char g; ll_c4 h; char i; c8 j; };\n',
  }],
  ['_Static_assert in a record body and at file scope', {
    given: 'struct sa { int a; _Static_assert(sizeof(int) >= 2, "int"); char b; _Static_assert(1, "x, y"); };\n' +
      '_Static_assert(sizeof(struct sa) >= 3, "size");\n',
  }],
  ['identifiers spelled with universal character names', {
    given: 'struct \\u00e9t\\u00e9 { int caf\\u00e9; char \\U000000e8x; };\nstruct n { struct \u00e9t\u00e9 e; };\n',
  }],
];

describe.skipIf(!HAVE_CLANG)('accepted C against clang-16', () => {
  for (const [name, c] of CASES) {
    for (const target of c.targets ?? TARGETS) {
      it(`${name} on ${target}`, () => {
        const file = tempFile('accepted.h', c.given);
        const r = checkAgainstClang(file, target);
        expect(r.clangOk, r.clangStderr).toBe(true);
        const diags = r.analysis.diagnostics.map(formatDiagnostic);
        expect(diags.filter((d) => d.includes(': error:'))).toEqual([]);
        const warnings = diags.filter((d) => d.includes(': warning:'));
        expect(warnings.length).toBe(c.warnings?.length ?? 0);
        (c.warnings ?? []).forEach((w, i) => expect(warnings[i]).toMatch(w));
        expect(r.comparison.mismatches.map((m) => `${m.record}: ${m.what}`)).toEqual([]);
        expect(r.comparison.missing).toEqual([]);
        expect(r.comparison.compared).toBeGreaterThan(0);
      });
    }
  }
});

const REJECTED: Array<[string, { given: string; want: RegExp }]> = [
  ['int int', { given: 'struct s { int int; };\n', want: /:1:16: error: cannot combine with previous 'int' declaration specifier/ }],
  ['int int x', { given: 'struct s { int int x; };\n', want: /error/ }],
  ['long char', { given: 'struct s { long char c; };\n', want: /error: 'long char' is invalid/ }],
  ['short long', { given: 'typedef short long sl;\n', want: /error: 'short long' is invalid/ }],
  ['unsigned double', { given: 'struct s { unsigned double d; };\n', want: /error: 'unsigned double' is invalid/ }],
  ['long long long', { given: 'struct s { long long long x; };\n', want: /error: 'long long long' is invalid/ }],
  ['false _Static_assert at file scope', { given: 'struct a { int x; };\n_Static_assert(sizeof(struct a) == 3, "three");\n', want: /:2:16: error: static assertion failed: three/ }],
  ['false _Static_assert in a record', { given: 'struct a { int x; _Static_assert(0, "no"); };\n', want: /error: static assertion failed: no/ }],
];

const LIBC = ['stdio.h', 'stdlib.h', 'string.h', 'time.h', 'math.h', 'sys/stat.h', 'sys/socket.h', 'netinet/in.h', 'elf.h', 'pcap/pcap.h']
  .filter((h) => existsSync(`/usr/include/${h}`) || existsSync(`/usr/include/x86_64-linux-gnu/${h}`));
if (LIBC.length < 5) console.warn('SKIP: the C library test needs the host\'s /usr/include (libc6-dev)');

describe.skipIf(LIBC.length < 5)('the C library\'s own headers', () => {
  it(`${LIBC.join(', ')}: no diagnostic, and the compiler agrees with the layouts`, () => {
    const h = tempFile('libc.h', `${LIBC.map((x) => `#include <${x}>`).join('\n')}\nstruct uses { FILE *f; struct stat st; struct sockaddr_in sin; struct timespec ts; double d; };\n`);
    const a = analyzeHeader(h);
    expect(a.diagnostics.map(formatDiagnostic)).toEqual([]);
    if (HAVE_CLANG) {
      const r = checkAgainstClang(h, 'x86_64-linux-gnu');
      expect(r.clangOk, r.clangStderr).toBe(true);
      expect(r.comparison.mismatches.map((m) => `${m.record}: ${m.what}`)).toEqual([]);
      expect(r.comparison.compared).toBeGreaterThan(20);
    }
  });
});

describe('rejected C (clang rejects it too)', () => {
  for (const [name, c] of REJECTED) {
    it(name, () => {
      const a = analyzeHeader(tempFile('rejected.h', c.given));
      const errors = a.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatch(c.want);
    });
    it.skipIf(!HAVE_CLANG)(`${name}: clang rejects it`, () => {
      const r = checkAgainstClang(tempFile('rejected.h', c.given), 'x86_64-linux-gnu');
      expect(r.clangOk).toBe(false);
    });
  }
});
