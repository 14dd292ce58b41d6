// The parse stage on its own, table-driven: preprocessed C in, declarations out (records, fields, typedefs,
// enums, static assertions, positions, the physical file), through each parser backend.

import { beforeAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { initNodeWasmParser } from '../../generator/node/wasm-node.js';
import { nativeParser } from '../../generator/node/native-parser.js';
import type { Program, TypeExpr } from '../../generator/parse/ast.js';
import { parseHeader } from '../../generator/parse/parse.js';
import { rewriteForParser } from '../../generator/parse/rewrite.js';
import type { ParserBackend } from '../../generator/parse/syntax.js';
import { preprocess } from '../../generator/preprocess/preprocess.js';
import { findTarget } from '../../generator/target/index.js';

const X64 = findTarget('x86_64-linux-gnu')!;

function parse(files: Record<string, string>, backend: ParserBackend): { program: Program; errors: string[]; warnings: string[] } {
  const pp = preprocess('/h/main.h', { target: X64, host: memoryHost(files), outputFilter: rewriteForParser });
  const r = parseHeader(pp, backend);
  const all = [...pp.diagnostics, ...r.diagnostics];
  return {
    program: r.program,
    errors: all.filter((d) => d.severity === 'error').map(formatDiagnostic),
    warnings: all.filter((d) => d.severity === 'warning').map(formatDiagnostic),
  };
}

function typeText(t: TypeExpr): string {
  switch (t.k) {
    case 'base': {
      const s = t.spec;
      const name = s.k === 'builtin' ? s.words.join(' ') : s.k === 'typedef' ? s.name : s.k === 'recordRef' ? `${s.kind} ${s.tag}`
        : s.k === 'record' ? `record#${s.id}` : s.k === 'enum' ? `enum#${s.id}` : s.k === 'enumRef' ? `enum ${s.tag}` : `?${s.text}`;
      return [...t.quals, name].join(' ');
    }
    case 'pointer': return `${typeText(t.to)}*${t.quals.length ? ` ${t.quals.join(' ')}` : ''}`;
    case 'array': return `${typeText(t.of)}[${t.size ? (t.size.k === 'int' ? t.size.text : t.size.k) : ''}]`;
    case 'function': return `fn(${typeText(t.ret)})`;
    case 'vector': return `vector(${typeText(t.of)})`;
  }
}

/** A compact view of a program: `struct s { int a; char b:3 }`, `typedef x = ...`, `enum e {A, B}`. */
function summary(p: Program): string[] {
  const out: string[] = [];
  for (const r of p.records) {
    const fields = (r.fields ?? []).map((f) => `${typeText(f.type)} ${f.name ?? '_'}${f.bitWidth ? `:${f.bitWidth.k === 'int' ? f.bitWidth.text : 'expr'}` : ''}`);
    out.push(`${r.kind} ${r.tag ?? r.typedefName ?? '?'} { ${fields.join('; ')} }`);
  }
  for (const t of p.typedefs) out.push(`typedef ${t.name} = ${typeText(t.type)}`);
  for (const e of p.enums) out.push(`enum ${e.tag ?? e.typedefName ?? '?'} {${(e.values ?? []).map((v) => v.name).join(', ')}}`);
  for (const s of p.staticAsserts) out.push(`static_assert ${s.message ?? ''}`);
  return out;
}

const CASES: Array<[string, { given: string; want: string[]; warnings?: number }]> = [
  ['struct with bit-fields and an unnamed one', { given: 'struct s { int a; unsigned short :3; char b:2; };', want: ['struct s { int a; unsigned short _:3; char b:2 }'] }],
  ['pointer, array and function-pointer declarators', { given: 'struct p { int *a[4]; int (*b)[2]; void (*f)(int); char **c; };',
    want: ['struct p { int*[4] a; int[2]* b; fn(void)* f; char** c }'] }],
  ['typedef of an untagged struct names it', { given: 'typedef struct { int x; } point;', want: ['struct point { int x }', 'typedef point = record#0'] }],
  ['enum values', { given: 'enum e { A, B = 3, C };', want: ['enum e {A, B, C}'] }],
  ['_Complex is a type keyword', { given: 'typedef double _Complex dc; typedef __complex__ float cf;', want: ['typedef dc = double _Complex', 'typedef cf = float _Complex'] }],
  ['_Atomic(T) is the qualifier on T', { given: 'typedef _Atomic(long) al; typedef _Atomic(int *) ap;', want: ['typedef al = _Atomic long', 'typedef ap = int* _Atomic'] }],
  ['__extension__ and calling conventions vanish', { given: '__extension__ typedef int (__stdcall *fp)(int); __extension__ struct e { __extension__ int a; };',
    want: ['struct e { int a }', 'typedef fp = fn(int)*'] }],
  ['_Static_assert in a body is no member', { given: 'struct s { int a; _Static_assert(1, "m"); };', want: ['struct s { int a }', 'static_assert "m"'] }],
  ['a missing last ; is supplied with a warning', { given: 'struct s { int a };', want: ['struct s { int a }'], warnings: 1 }],
  ['attributes among typedef specifiers move behind the declarator', { given: 'typedef long long __attribute__((aligned(4))) t;', want: ['typedef t = long long'] }],
];

const backends: Array<[string, () => ParserBackend | Promise<ParserBackend>]> = [['native', nativeParser], ['wasm', initNodeWasmParser]];

for (const [bname, make] of backends) {
  describe(`parse stage (${bname} tree-sitter)`, () => {
    let backend: ParserBackend;
    beforeAll(async () => { backend = await make(); });
    for (const [name, c] of CASES) {
      it(name, () => {
        const r = parse({ '/h/main.h': c.given + '\n' }, backend);
        expect(r.errors).toEqual([]);
        expect(r.warnings.length).toBe(c.warnings ?? 0);
        expect(summary(r.program)).toEqual(c.want);
      });
    }
    it('positions follow #line, definedIn follows the file read', () => {
      const r = parse({ '/h/main.h': '#line 1 "other.h"\nstruct s { int a; };\n#include "inc.h"\n', '/h/inc.h': 'struct t { char c; };\n' }, backend);
      const [s, t] = r.program.records;
      expect([s!.pos.file, s!.pos.line, s!.definedIn]).toEqual(['other.h', 1, '/h/main.h']);
      expect([t!.pos.file, t!.definedIn]).toEqual(['/h/inc.h', '/h/inc.h']);
    });
    it('a syntax error names file, line and column', () => {
      expect(parse({ '/h/main.h': 'struct a {\n  int x y;\n};\n' }, backend).errors).toEqual(["/h/main.h:2:9: error: syntax error near 'y'"]);
    });
    it('nesting past 256 brackets is clang\'s error', () => {
      const text = `struct s { char a[${'('.repeat(300)}1${')'.repeat(300)}]; };\n`;
      expect(parse({ '/h/main.h': text }, backend).errors).toEqual(['/h/main.h:1:275: error: bracket nesting level exceeded maximum of 256']);
    });
  });
}

describe('both backends agree', () => {
  it('on a header with every construct above', async () => {
    const text = CASES.map(([, c]) => c.given).join('\n') + '\n';
    const a = parse({ '/h/main.h': text }, nativeParser());
    const b = parse({ '/h/main.h': text }, await initNodeWasmParser());
    expect(JSON.stringify(b.program)).toBe(JSON.stringify(a.program));
  });
});
