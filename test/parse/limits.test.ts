// Depth and size (issue 11 §2, §3): inputs nested or chained far beyond real headers either lay out exactly as
// clang-16 does or stop with clang's own error at clang's position (never a crash, never exit 70), and inputs
// that are merely long finish in time linear in their size. No timing assertions: each case must complete
// within a generous timeout (about 20x what it takes on the project's machine) and give the stated result.

import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { analyzeHeader, generateModules, layoutHeaders } from '../../generator/pipeline.js';
import { HAVE_CLANG, tempFile } from '../helpers/compiler.js';

const rep = (s: string, n: number) => s.repeat(n);
const seq = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');

/** The first error of a header, formatted; '' when there is none. */
function firstError(file: string): string {
  const a = analyzeHeader(file);
  return a.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)[0] ?? '';
}

function clangFirstError(file: string): string {
  const r = spawnSync('clang-16', ['-fsyntax-only', '-w', '-x', 'c', path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8' });
  return r.status === 0 ? '' : (r.stderr.split('\n').find((l) => l.includes('error:')) ?? '?');
}

/** [name, header text, size of `struct s` as clang gives it (or null: both must reject it with this message)] */
const DEEP: Array<[string, string, number | RegExp]> = [
  ['an array size of 1+1+...+1, 10,000 terms', `struct s { char a[${Array(10000).fill('1').join('+')}]; };\n`, 10000],
  ['256 nested parentheses in an array size', `struct s { char a[${rep('(', 256)}1${rep(')', 256)}]; };\n`, 1],
  ['257 nested parentheses in an array size', `struct s { char a[${rep('(', 257)}1${rep(')', 257)}]; };\n`, /1:275: (fatal )?error: bracket nesting level exceeded maximum of 256/],
  ['1,125 nested anonymous structs', `struct s { ${rep('struct { ', 1125)}int x; ${rep('}; ', 1125)}};\n`, /1:2314: (fatal )?error: bracket nesting level exceeded maximum of 256/],
  ['255 nested anonymous structs', `struct s { ${rep('struct { ', 255)}int x; ${rep('}; ', 255)}};\n`, 4],
  ['a 10,000-level pointer chain', `struct s { char c; int ${rep('*', 10000)}p; };\n`, 16],
  ['4,937 [1] dimensions', `struct s { char a${rep('[1]', 4937)}; char b; };\n`, 2],
  ['a 5,000-long typedef chain', `typedef int t0;\n${seq(5000, (i) => `typedef t${i} t${i + 1};\n`)}struct s { char c; t5000 x; };\n`, 8],
  ['10,000 parentheses in #if', `#if ${rep('(', 10000)}1${rep(')', 10000)}\nstruct s { int x; };\n#endif\n`, 4],
  ['10,001 ! in #if', `#if ${rep('!', 10001)}0\nstruct s { int x; };\n#endif\n`, 4],
  // clang-16 itself crashes (stack overflow) at 2,500 nested invocations and 10,000 unary minus signs
  ['F(F(...1...)) 1,250 deep', `#define F(x) x\nstruct s { char a[${rep('F(', 1250)}1${rep(')', 1250)}]; };\n`, 1],
  ['2,000 - in an array size', `struct s { char a[${rep('- ', 2000)}3]; };\n`, 3],
];

describe('deep nesting', () => {
  for (const [name, text, want] of DEEP) {
    it(name, () => {
      const file = tempFile('deep.h', text);
      const err = firstError(file);
      if (want instanceof RegExp) {
        expect(err).toMatch(want);
        if (HAVE_CLANG) expect(clangFirstError(file)).toMatch(want);
      } else {
        expect(err).toBe('');
        const run = layoutHeaders([file]);
        expect(run.report!.records.find((r) => r.name === 's')!.size).toBe(want);
        if (HAVE_CLANG) expect(clangFirstError(file)).toBe('');
      }
    }, 60_000);
  }
  it('beyond where clang-16 overflows its stack: F(F(...)) 2,500 deep and 10,000 unary minus signs', () => {
    const a = firstError(tempFile('deeper.h', `#define F(x) x\nstruct s { char a[${rep('F(', 2500)}1${rep(')', 2500)}]; char b[${rep('- ', 10000)}3]; };\n`));
    expect(a).toBe('');
  }, 120_000);
});

/** [name, header, 'layout' | 'generate', timeout ms (about 20x the time on a 2-core machine), check] */
const LONG: Array<[string, () => string, 'layout' | 'generate', number, RegExp | null]> = [
  ['#define M{i+1} M{i}, 20,000 links, used in an array size', () => `#define M0 1\n${seq(20000, (i) => `#define M${i + 1} M${i}\n`)}struct s { char a[M20000]; };\n`, 'layout', 40_000, null],
  ['the same chain unused, 20,000 links, generate', () => `#define M0 1\n${seq(20000, (i) => `#define M${i + 1} M${i}\n`)}struct s { char a[1]; };\n`, 'generate', 60_000, /^(?:export const )?M20000 = 1[,;]$/m],
  ['#define M{i+1} (M{i}+1), 20,000 links, generate', () => `#define M0 1\n${seq(20000, (i) => `#define M${i + 1} (M${i}+1)\n`)}struct s { char a[1]; };\n`, 'generate', 60_000, /^(?:export const )?M20000 = 20001[,;]$/m],
  ['#define M{i+1} (M{i}+1), 20,000 links, used: clang\'s bracket limit', () => `#define M0 1\n${seq(20000, (i) => `#define M${i + 1} (M${i}+1)\n`)}struct s { char a[M20000]; };\n`, 'layout', 40_000, /bracket nesting level exceeded maximum of 256/],
  ['#define A{i+1} A{i}+A{i}, 16 links, generate', () => `#define A0 1\n${seq(16, (i) => `#define A${i + 1} A${i}+A${i}\n`)}struct s { int x; };\n`, 'generate', 120_000, /^(?:export const )?A16 = 65536[,;]$/m],
  ['#define A{i+1} A{i}+A{i}, 60 links, generate (past the expansion limit: not constants)', () => `#define A0 1\n${seq(60, (i) => `#define A${i + 1} A${i}+A${i}\n`)}struct s { int x; };\n`, 'generate', 120_000, /^(?:export const )?A10 = 1024[,;]$/m],
  ['50,000 enumerators', () => `enum e {\n${seq(50000, (i) => `  E${i},\n`)}};\nstruct s { enum e x; };\n`, 'layout', 60_000, null],
  ['142,857 members on one line', () => `struct s { ${seq(142857, (i) => `int m${i}; `)}};\n`, 'layout', 180_000, null],
  ['50,000 one-bit bit-fields', () => `struct s {\n${seq(50000, (i) => `  unsigned b${i}:1;\n`)}};\n`, 'layout', 100_000, null],
];

describe('long input runs in time linear in its size', () => {
  for (const [name, make, cmd, timeout, want] of LONG) {
    it(name, () => {
      const file = tempFile('long.h', make());
      if (cmd === 'layout') {
        const run = layoutHeaders([file]);
        const errors = run.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
        if (want) expect(errors[0]).toMatch(want);
        else { expect(errors).toEqual([]); expect(run.report!.records.length).toBeGreaterThan(0); }
      } else {
        const run = generateModules([file]);
        expect(run.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic)).toEqual([]);
        const mod = run.files.find((f) => f.path === 'long.ts')!;
        expect(mod.contents).toMatch(want!);
      }
    }, timeout);
  }
});
