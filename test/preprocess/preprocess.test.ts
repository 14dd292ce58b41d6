// The built-in preprocessor on in-memory files: macro expansion (including C11 6.10.3.5's examples),
// conditionals, includes and their search order, guards, #pragma pack events and source positions.

import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { preprocess, type PreprocessResult } from '../../generator/preprocess/preprocess.js';
import { lookup } from '../../generator/preprocess/source-map.js';
import { findTarget } from '../../generator/target/index.js';

const X64 = findTarget('x86_64-linux-gnu')!;
const I386 = findTarget('i386-linux-gnu')!;

function pp(files: Record<string, string>, opts: { includeDirs?: string[]; systemDirs?: string[]; target?: typeof X64; defines?: Record<string, string> } = {}): PreprocessResult {
  return preprocess('/src/main.h', {
    target: opts.target ?? X64,
    includeDirs: opts.includeDirs ?? [],
    systemDirs: opts.systemDirs ?? [],
    defines: opts.defines,
    host: { readFile: (f) => files[f] ?? null },
  });
}

/** Preprocessed text with white space normalised to single spaces. */
function text(src: string, extra: Record<string, string> = {}): string {
  const r = pp({ '/src/main.h': src, ...extra });
  const errs = r.diagnostics.filter((d) => d.severity === 'error');
  if (errs.length) throw new Error(errs.map(formatDiagnostic).join('\n'));
  return r.text.replace(/\s+/g, ' ').trim();
}

function errors(src: string, extra: Record<string, string> = {}): string[] {
  return pp({ '/src/main.h': src, ...extra }).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
}

describe('macro expansion', () => {
  const cases: Array<[string, string, string]> = [
    ['object-like', '#define N 4\nint a[N];', 'int a [ 4 ] ;'],
    ['function-like', '#define SQ(x) ((x)*(x))\nint a = SQ(1+2);', 'int a = ( ( 1 + 2 ) * ( 1 + 2 ) ) ;'],
    ['stringize', '#define S(x) #x\nchar *s = S(a  +  "b\\n");', 'char * s = "a + \\"b\\\\n\\"" ;'],
    ['paste', '#define CAT(a, b) a ## b\nint CAT(foo, 1);', 'int foo1 ;'],
    ['paste with empty argument', '#define CAT(a, b) a ## b\nint CAT(, x);', 'int x ;'],
    ['variadic', '#define F(fmt, ...) f(fmt, __VA_ARGS__)\nF(1, 2, 3);', 'f ( 1 , 2 , 3 ) ;'],
    ['GNU comma elision', '#define F(fmt, ...) f(fmt, ## __VA_ARGS__)\nF(1);', 'f ( 1 ) ;'],
    ['GNU comma paste with arguments keeps the comma (named variadic, as <linux/v4l2-dv-timings.h>)',
      '#define F(a, args...) { a , ## args }\n#define G(a, ...) g(a, ## __VA_ARGS__)\nF(1, 2, 3) F(1) G(4, 5)', '{ 1 , 2 , 3 } { 1 } g ( 4 , 5 )'],
    ['__VA_OPT__', '#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\nF(1); F(1, 2);', 'f ( 1 ) ; f ( 1 , 2 ) ;'],
    ['named variadic', '#define F(args...) g(args)\nF(1, 2);', 'g ( 1 , 2 ) ;'],
    ['self reference stops', '#define foo foo\nint foo;', 'int foo ;'],
    ['indirect self reference stops', '#define x (4 + y)\n#define y (2 * x)\nint a = x;', 'int a = ( 4 + ( 2 * x ) ) ;'],
    ['function-like name without parens is not invoked', '#define f(x) x\nint f;', 'int f ;'],
    ['invocation across lines', '#define f(a, b) a + b\nint z = f(1,\n 2);', 'int z = 1 + 2 ;'],
    ['arguments are expanded before substitution', '#define N 3\n#define ID(x) x\nint a[ID(N)];', 'int a [ 3 ] ;'],
    ['# operand not expanded', '#define N 3\n#define S(x) #x\n#define XS(x) S(x)\nchar *a = S(N), *b = XS(N);', 'char * a = "N" , * b = "3" ;'],
    // C11 6.10.3.5 example 3
    ['standard example 3',
      '#define x 3\n#define f(a) f(x * (a))\n#undef x\n#define x 2\n#define g f\n#define z z[0]\n#define h g(~\n#define m(a) a(w)\n#define w 0,1\n#define t(a) a\n#define p() int\n#define q(x) x\n#define r(x,y) x ## y\n#define str(x) # x\n' +
      'f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);\ng(x+(3,4)-w) | h 5) & m\n(f)^m(m);\np() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };',
      'f ( 2 * ( y + 1 ) ) + f ( 2 * ( f ( 2 * ( z [ 0 ] ) ) ) ) % f ( 2 * ( 0 ) ) + t ( 1 ) ; f ( 2 * ( 2 + ( 3 , 4 ) - 0 , 1 ) ) | f ( 2 * ( ~ 5 ) ) & f ( 2 * ( 0 , 1 ) ) ^ m ( 0 , 1 ) ; int i [ ] = { 1 , 23 , 4 , 5 , } ;'],
    ['__LINE__ and __FILE__', 'int a = __LINE__;\nchar *f = __FILE__;', 'int a = 1 ; char * f = "/src/main.h" ;'],
    ['-D definitions', 'int v = VERSION;', 'int v = 3 ;'],
  ];
  for (const [name, src, want] of cases) {
    it(name, () => {
      const r = pp({ '/src/main.h': src }, { defines: { VERSION: '3' } });
      expect(r.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
      expect(r.text.replace(/\s+/g, ' ').trim()).toBe(want);
    });
  }
  it('reports a paste that makes no token', () => {
    expect(errors('#define CAT(a, b) a ## b\nint x = CAT(+, -);')[0]).toMatch(/pasting "\+" and "-"/);
  });
  it('reports wrong argument counts', () => {
    expect(errors('#define F(a, b) a\nint x = F(1);')[0]).toMatch(/main.h:2:9: error: too few arguments/);
  });
  it('stops a runaway expansion with an error instead of exhausting memory', () => {
    const src = '#define A(x) x x x x x x x x x x\n#define B(x) A(A(A(A(A(A(A(x)))))))\nint a = B(1);';
    expect(errors(src)[0]).toMatch(/exceeds \d+ tokens/);
  });
});

describe('conditionals', () => {
  const cases: Array<[string, string, string]> = [
    ['#if arithmetic', '#if (1 << 4) * 2 == 32 && !0\nyes\n#else\nno\n#endif', 'yes'],
    ['#elif chain', '#define V 2\n#if V == 1\none\n#elif V == 2\ntwo\n#else\nother\n#endif', 'two'],
    ['defined forms', '#define A\n#if defined A && defined(A) && !defined B\nyes\n#endif', 'yes'],
    ['#ifdef / #ifndef', '#define A\n#ifdef A\na\n#endif\n#ifndef A\nb\n#endif', 'a'],
    ['unsigned arithmetic', '#if -1 > 0u\nyes\n#else\nno\n#endif', 'yes'],
    ['signed arithmetic', '#if -1 < 0\nyes\n#endif', 'yes'],
    ['unknown identifiers are 0', '#if UNDEFINED_THING\nno\n#else\nyes\n#endif', 'yes'],
    ['char constants', "#if 'A' == 65 && '\\n' == 10\nyes\n#endif", 'yes'],
    ['short-circuit hides division by zero', '#if 0 && (1 / 0)\nno\n#else\nyes\n#endif', 'yes'],
    ['nested skipped groups', '#if 0\n#if 1\nno\n#else\nno\n#endif\n#elif 1\nyes\n#endif', 'yes'],
    ['target macros', '#if __SIZEOF_LONG__ == 8 && defined(__x86_64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__\nlp64\n#endif', 'lp64'],
    ['__has_attribute', '#if __has_attribute(packed) && __has_attribute(__aligned__) && !__has_attribute(nonsense)\nyes\n#endif', 'yes'],
    ['__has_include of a built-in header', '#if __has_include(<stdint.h>) && !__has_include("nope.h")\nyes\n#endif', 'yes'],
  ];
  for (const [name, src, want] of cases) it(name, () => expect(text(src)).toBe(want));
  it('i386 has its own macros', () => {
    const r = pp({ '/src/main.h': '#if __SIZEOF_LONG__ == 4 && defined(__i386__) && !defined(__x86_64__) && __SIZEOF_POINTER__ == 4\nilp32\n#endif' }, { target: I386 });
    expect(r.text.trim()).toBe('ilp32');
  });
  it('reports an unterminated #if at its position', () => {
    expect(errors('int a;\n#if 1\nint b;\n')).toEqual(['/src/main.h:2:1: error: unterminated conditional directive']);
  });
  it('reports #else without #if and bad expressions', () => {
    expect(errors('#else\n')[0]).toMatch(/1:1: error: #else without #if/);
    expect(errors('#if 1 +\n#endif\n')[0]).toMatch(/main.h:1:\d+: error: expected value/);
    expect(errors('#if 1 / 0\n#endif\n')[0]).toMatch(/division by zero/);
  });
  it('#error stops with the message at its position', () => {
    expect(errors('int a;\n#error unsupported configuration\nint b;')).toEqual(['/src/main.h:2:1: error: #error unsupported configuration']);
  });
});

describe('includes', () => {
  it('searches the including directory, then -I, then system, then built-in', () => {
    const files = {
      '/src/main.h': '#include "local.h"\n#include <lib.h>\n#include <sys.h>\n#include <stddef.h>\nsize_t z;',
      '/src/local.h': 'int local;',
      '/inc/lib.h': 'int from_inc;',
      '/sys/lib.h': 'int from_sys_wrong;',
      '/sys/sys.h': 'int from_sys;',
    };
    const r = pp(files, { includeDirs: ['/inc'], systemDirs: ['/sys'] });
    expect(r.diagnostics).toEqual([]);
    expect(r.text.replace(/\s+/g, ' ')).toContain('int local ; int from_inc ; int from_sys ;');
    expect(r.text).toContain('typedef long unsigned int size_t');
    expect(r.systemFiles.has('/sys/sys.h')).toBe(true);
  });
  it('#include_next continues after the directory the current file came from', () => {
    const files = {
      '/src/main.h': '#include <limits.h>\nint m = LIMIT;',
      '/inc/limits.h': '#include_next <limits.h>\n#define LIMIT INT_MAX',
    };
    const r = pp(files, { includeDirs: ['/inc'] });
    expect(r.diagnostics).toEqual([]);
    expect(r.text.replace(/\s+/g, ' ')).toContain('int m = 2147483647 ;');
  });
  it('include guards and #pragma once include a file once', () => {
    const files = {
      '/src/main.h': '#include "g.h"\n#include "g.h"\n#include "o.h"\n#include "o.h"',
      '/src/g.h': '#ifndef G_H\n#define G_H\nint g;\n#endif',
      '/src/o.h': '#pragma once\nint o;',
    };
    expect(text(files['/src/main.h'], files)).toBe('int g ; int o ;');
  });
  it('a missing include names the file and the include chain', () => {
    const files = { '/src/main.h': 'int a;\n#include "mid.h"', '/src/mid.h': '\n#include <missing/thing.h>' };
    expect(errors(files['/src/main.h'], files)).toEqual([
      "/src/mid.h:2:10: error: 'missing/thing.h' file not found\n/src/main.h:2:1: note: in file included from here",
    ]);
  });
  it('an include cycle with no end stops at clang\'s depth limit, the include chain told in brief', () => {
    const files = { '/src/main.h': '#include "a.h"', '/src/a.h': '#include "b.h"', '/src/b.h': '#include "a.h"' };
    const [e] = errors(files['/src/main.h'], files);
    expect(e).toMatch(/^\/src\/a.h:1:10: error: #include nested too deeply \(more than 200 levels\)/);
    expect(e!.split('\n').length).toBeLessThan(25);
    expect(e).toMatch(/and 1\d\d more levels of #include/);
  });
  it('a file may include itself: inside its own guard (mingw-w64\'s _mingw.h -> vadefs.h -> _mingw.h) or a bounded number of times', () => {
    const guarded = {
      '/src/main.h': '#include "m.h"\nM_DONE x;',
      '/src/m.h': '#ifndef M_H\n#define M_H\n#include "v.h"\ntypedef int M_DONE;\n#endif',
      '/src/v.h': '#include "m.h"\ntypedef int V;',
    };
    expect(errors(guarded['/src/main.h'], guarded)).toEqual([]);
    expect(text(guarded['/src/main.h'], guarded)).toBe('typedef int V ; typedef int M_DONE ; M_DONE x ;');
    const counted = {
      '/src/main.h': '#define N 0\n#include "c.h"',
      '/src/c.h': '#if N < 3\nint n##N;\n#if N == 0\n#undef N\n#define N 1\n#elif N == 1\n#undef N\n#define N 2\n#else\n#undef N\n#define N 3\n#endif\nint k;\n#include "c.h"\n#endif',
    };
    expect(errors(counted['/src/main.h'], counted)).toEqual([]);
    expect(text(counted['/src/main.h'], counted)).toBe('int n ## 0 ; int k ; int n ## 1 ; int k ; int n ## 2 ; int k ;');
  });
  it('the built-in stddef.h honours glibc-style __need_ requests', () => {
    expect(text('#define __need_size_t\n#include <stddef.h>\n#ifdef NULL\nnull\n#endif')).toBe('typedef long unsigned int size_t ;');
  });
});

describe('#pragma pack and positions', () => {
  it('records pack state changes in order, with push/pop and labels', () => {
    const r = pp({ '/src/main.h': 'int a;\n#pragma pack(push, 1)\nint b;\n#pragma pack(push, r, 2)\n#pragma pack(4)\n#pragma pack(pop, r)\n#pragma pack(pop)\n_Pragma("pack(8)") int c;\n#pragma pack()' });
    expect(r.packEvents.map((e) => e.pack)).toEqual([1, 2, 4, 1, 0, 8, 0]);
  });
  it('maps output positions back to the original line and column, through macros', () => {
    const r = pp({ '/src/main.h': '#define T unsigned int\n\n  struct s {\n    T x;\n  };', });
    const rows = r.text.split('\n');
    const row = rows.findIndex((l) => l.includes('unsigned'));
    const col = rows[row]!.indexOf('x');
    expect(lookup(r.map, row, col)).toEqual({ file: '/src/main.h', line: 4, col: 7 });
    const srow = rows.findIndex((l) => l.includes('struct'));
    expect(lookup(r.map, srow, rows[srow]!.indexOf('struct'))).toEqual({ file: '/src/main.h', line: 3, col: 3 });
  });
  it('line splices keep later positions right', () => {
    const r = pp({ '/src/main.h': '#define LONG_MACRO(a) \\\n  (a + \\\n   1)\nint  bad here;' });
    const rows = r.text.split('\n');
    const row = rows.findIndex((l) => l.includes('bad'));
    expect(lookup(r.map, row, rows[row]!.indexOf('here'))).toEqual({ file: '/src/main.h', line: 4, col: 10 });
  });
});
