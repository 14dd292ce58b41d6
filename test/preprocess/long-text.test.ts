// A long run of text without directives is expanded and written a batch of whole declarations at a time
// (preprocess.ts PENDING_BATCH): macro invocations over several lines, record bodies and declarations cut across a
// batch's end must read as before, and a diagnostic deep in the text keeps its exact file:line:col.

import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { nativeParser } from '../../generator/node/native-parser.js';
import { parseHeader } from '../../generator/parse/parse.js';
import { rewriteForParser } from '../../generator/parse/rewrite.js';
import { preprocess } from '../../generator/preprocess/preprocess.js';
import { findTarget } from '../../generator/target/index.js';

const X64 = findTarget('x86_64-linux-gnu')!;

function run(text: string) {
  const pp = preprocess('/h/big.h', { target: X64, host: memoryHost({ '/h/big.h': text }), outputFilter: rewriteForParser });
  const parsed = parseHeader(pp, nativeParser());
  return { pp, program: parsed.program, diagnostics: [...pp.diagnostics, ...parsed.diagnostics].map(formatDiagnostic) };
}

describe('a long run of text between directives', () => {
  const N = 4000;
  const lines = ['#define FIELD(t, n) t n', '#define OPEN FIELD(', '#define PAIR(a, b) a; b'];
  for (let i = 0; i < N; i++) {
    // an invocation over two lines, one opened by a macro and closed in the text, a record over three lines
    lines.push(`struct s${i} {`, `  FIELD(int,`, `        a${i});`, `  OPEN long, b${i});`, `  PAIR(char c${i}, short d${i});`, '};');
  }
  const body = lines.join('\n');

  it('reads every record as written, however the batches fall', () => {
    const r = run(`${body}\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.program.records).toHaveLength(N);
    for (const [i, rec] of r.program.records.entries()) {
      expect(rec.tag).toBe(`s${i}`);
      expect(rec.fields!.map((f) => f.name)).toEqual([`a${i}`, `b${i}`, `c${i}`, `d${i}`]);
    }
    // positions deep in the text: a member a macro made is where the macro was invoked
    const last = r.program.records[N - 1]!;
    const first = 3 + (N - 1) * 6 + 1;
    expect(last.pos).toMatchObject({ file: '/h/big.h', line: first, col: 1 });
    expect(last.fields![0]!.pos).toMatchObject({ file: '/h/big.h', line: first + 1, col: 3 });
    expect(last.fields![2]!.pos).toMatchObject({ file: '/h/big.h', line: first + 4, col: 3 });
  });

  it('gives an error deep in the text its exact line and column', () => {
    const r = run(`${body}\nstruct bad { int x int y; };\n`);
    expect(r.diagnostics.some((d) => d.startsWith(`/h/big.h:${3 + N * 6 + 1}:`))).toBe(true);
  });
});
