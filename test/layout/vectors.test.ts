// GNU vectors on every target (issue 20: AArch64 over-aligned vectors of 32 bytes and more): each element type and
// every size from 1 to 256 bytes, alone and after a char, in arrays and nested records, laid out against clang-16;
// and the larger vectors against gcc 12 on x86_64 and i386 (`--compiler gcc`), whose offsets and sizes give a vector
// its size as alignment (its `_Alignof` says at most 16, which the random gcc differential avoids for that reason).

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { layoutHeaders } from '../../generator/pipeline.js';
import { TARGETS } from '../../generator/target/index.js';
import { checkAgainstClang, HAVE_CLANG, tempFile } from '../helpers/compiler.js';

function vectorHeader(doubleBytes: number): { text: string; records: number } {
  const elems: Array<[string, number]> = [['char', 1], ['short', 2], ['int', 4], ['long long', 8], ['float', 4], ['double', doubleBytes]];
  const lines: string[] = [];
  let k = 0;
  for (const [t, size] of elems) {
    for (let bytes = size; bytes <= 256; bytes *= 2) {
      lines.push(`typedef ${t} v${k} __attribute__((vector_size(${bytes})));`);
      lines.push(`struct S${k} { char c; v${k} v; char d; };`, `struct A${k} { char c; v${k} v[3]; };`, `struct N${k} { short s; struct S${k} n; };`);
      k++;
    }
  }
  return { text: `${lines.join('\n')}\n`, records: k * 3 };
}

describe.skipIf(!HAVE_CLANG)('vectors of every size against clang-16', () => {
  for (const t of TARGETS) {
    it(`vector alignment on ${t.triple}`, () => {
      const h = vectorHeader(t.floats.double.size);
      const r = checkAgainstClang(tempFile('vectors.h', h.text), t.triple);
      expect(r.clangOk, r.clangStderr).toBe(true);
      expect(r.analysis.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(r.comparison.mismatches.map((m) => `${m.record}: ${m.what}`)).toEqual([]);
      expect(r.comparison.compared).toBe(h.records);
    });
  }
  it('the issue\'s record: a 32-byte vector on AArch64 is 16-aligned (48 bytes, v at 16)', () => {
    const run = layoutHeaders([tempFile('v1.h', 'typedef int v8si __attribute__((vector_size(32)));\nstruct V1 { char c; v8si v; };\n')], { target: 'aarch64-linux-gnu' });
    const v1 = run.report!.records[0]!;
    expect([v1.size, v1.align, v1.fields[1]!.bitOffset / 8]).toEqual([48, 16, 16]);
  });
});

const HAVE_GCC = spawnSync('gcc', ['--version']).status === 0 && process.platform === 'linux' && process.arch === 'x64';

describe.skipIf(!HAVE_GCC)('vectors against gcc (--compiler gcc)', () => {
  for (const [triple, flag] of [['x86_64-linux-gnu', '-m64'], ['i386-linux-gnu', '-m32']] as const) {
    it(`sizes and offsets on ${triple}, proven by gcc ${flag}`, () => {
      const h = vectorHeader(8);
      const file = tempFile('vectors.h', h.text);
      const run = layoutHeaders([file], { target: triple, compiler: 'gcc' });
      expect(run.diagnostics.map(formatDiagnostic)).toEqual([]);
      const asserts = [`#include "${file}"`, '#include <stddef.h>'];
      for (const r of run.report!.records) {
        const T = `struct ${r.name}`;
        asserts.push(`_Static_assert(sizeof(${T}) == ${r.size}, "${T} size ${r.size}");`);
        for (const f of r.fields) asserts.push(`_Static_assert(offsetof(${T}, ${f.path}) == ${f.bitOffset / 8}, "${T}.${f.path} at ${f.bitOffset / 8}");`);
      }
      const c = tempFile('probe.c', `${asserts.join('\n')}\n`);
      const gcc = spawnSync('gcc', [flag, '-fsyntax-only', '-w', c], { encoding: 'utf8' });
      expect(gcc.stderr.split('\n').filter((l) => l.includes('error')).slice(0, 10)).toEqual([]);
      expect(asserts.length).toBeGreaterThan(h.records * 2);
    });
  }
});
