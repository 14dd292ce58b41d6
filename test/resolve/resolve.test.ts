// The resolve stage on its own, table-driven: C in, resolved types, constant values or a located error out.

import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { formatDiagnostic } from '../../generator/diagnostics.js';
import { parseHeader } from '../../generator/parse/parse.js';
import { rewriteForParser } from '../../generator/parse/rewrite.js';
import { preprocess } from '../../generator/preprocess/preprocess.js';
import { Resolver, specifierError } from '../../generator/resolve/resolve.js';
import { findTarget } from '../../generator/target/index.js';
import '../../generator/node/default-parser.js';

function resolve(text: string, triple = 'x86_64-linux-gnu') {
  const target = findTarget(triple)!;
  const pp = preprocess('/h/main.h', { target, host: memoryHost({ '/h/main.h': text }), outputFilter: rewriteForParser, constantProbes: true });
  const parsed = parseHeader(pp);
  const resolver = new Resolver(parsed.program, target);
  const r = resolver.run();
  const errors = [...pp.diagnostics, ...parsed.diagnostics, ...r.diagnostics].filter((d) => d.severity === 'error');
  const constants = Object.fromEntries(parsed.program.constants.map((c) => [c.name, resolver.constantValue(c.expr)]));
  return { r, errors, codes: errors.map((d) => d.code), text: errors.map(formatDiagnostic), constants, resolver };
}

const ERRORS: Array<[string, { given: string; code: string; message: RegExp }]> = [
  ['unknown type name', { given: 'struct s { foo x; };', code: 'resolve-unknown-type', message: /1:12: error: unknown type name 'foo'/ }],
  ['a struct containing itself', { given: 'struct s { int a; struct s b; };', code: 'resolve-incomplete', message: /field 'b' has incomplete type: struct 's' contains itself/ }],
  ['bit-field too wide', { given: 'struct s { char c:9; };', code: 'resolve-bitfield', message: /width of bit-field 'c' \(9 bits\) exceeds/ }],
  ['negative array size', { given: 'struct s { char c[1-2]; };', code: 'resolve-array', message: /array has negative size \(-1\)/ }],
  ['alignment not a power of two', { given: 'struct s { char c __attribute__((aligned(3))); };', code: 'resolve-alignment', message: /not a power of 2/ }],
  ['division by zero', { given: 'struct s { char c[1/0]; };', code: 'resolve-constant', message: /division by zero/ }],
  ['false static assertion', { given: '_Static_assert(sizeof(int) == 8, "int is 8");', code: 'resolve-static-assert', message: /static assertion failed: int is 8/ }],
  ['invalid specifiers', { given: 'struct s { long char c; };', code: 'resolve-specifiers', message: /'long char' is invalid/ }],
  ['typedef chain 3,000 long, then an unknown name', { given: `typedef nope t0;\n${Array.from({ length: 3000 }, (_, i) => `typedef t${i} t${i + 1};`).join('\n')}\nstruct s { t3000 x; };`, code: 'resolve-unknown-type', message: /1:9: error: unknown type name 'nope'/ }],
];

describe('resolve errors carry a code and a position', () => {
  for (const [name, c] of ERRORS) {
    it(name, () => {
      const r = resolve(c.given + '\n');
      expect(r.codes[0]).toBe(c.code);
      expect(r.text[0]).toMatch(c.message);
    });
  }
});

const CONSTANTS: Array<[string, { given: string; want: Record<string, bigint | string | null> }]> = [
  ['literal types and arithmetic (unsigned int wraps)', { given: '#define A 0xffffffff\n#define B (A + 1)\n#define C -1U\n#define D (1ULL << 40)\n#define E (1 << 40)\n', want: { A: 4294967295n, B: 0n, C: 4294967295n, D: 1099511627776n, E: null } }],
  ['a chain of names reuses values', { given: '#define M0 5\n#define M1 M0\n#define M2 (M1 * 2)\n#define M3 M2\n', want: { M0: 5n, M1: 5n, M2: 10n, M3: 10n } }],
  ['textual expansion where it matters', { given: '#define A 1+1\n#define B A*2\n#define C (A)*2\n', want: { A: 2n, B: 3n, C: 4n } }],
  ['names defined after their use', { given: '#define B (A + 1)\n#define A 2\n', want: { B: 3n, A: 2n } }],
  ['strings through a chain', { given: '#define S "ab" "c"\n#define T S\n', want: { S: 'abc', T: 'abc' } }],
  ['a cycle is no constant', { given: '#define X Y\n#define Y X\n', want: { X: null, Y: null } }],
  ['sizeof and enumerators', { given: 'enum { E = 7 };\n#define SZ sizeof(int)\n#define EE (E * 2)\n', want: { SZ: 4n, EE: 14n } }],
];

describe('constants of #define, evaluated once each', () => {
  for (const [name, c] of CONSTANTS) {
    it(name, () => {
      const r = resolve(c.given);
      expect(r.errors).toEqual([]);
      expect(r.constants).toEqual(c.want);
    });
  }
});

describe('specifier combinations', () => {
  const cases: Array<[string[], string | null]> = [
    [['unsigned', 'long', 'long', 'int'], null], [['long', 'double', '_Complex'], null], [['signed', 'char'], null],
    [['int', 'int'], "cannot combine with previous 'int' declaration specifier"], [['long', 'char'], "'long char' is invalid"],
    [['short', 'long'], "'short long' is invalid"], [['long', 'long', 'long'], "'long long long' is invalid"],
    [['signed', 'unsigned', 'int'], "'signed unsigned' is invalid"], [['_Bool', 'int'], "'_Bool int' is invalid"],
  ];
  for (const [words, want] of cases) it(words.join(' '), () => expect(specifierError(words)).toBe(want));
});
