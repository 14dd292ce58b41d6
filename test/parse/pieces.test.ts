// A long header is parsed a piece of whole top-level declarations at a time (parse/parse.ts `headerPieces`): the
// parser's tree of a big header need not exist at once. Cut at every place a cut may go (piece size 1), real system
// headers and made-up ones (strings and character literals holding `;` and brackets, old-style function definitions
// whose parameter declarations end in `;`, syntax errors) must give the program and diagnostics of one whole parse,
// on both parser backends.

import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { nodeEnv } from '../../generator/node/env.js';
import { nativeParser } from '../../generator/node/native-parser.js';
import { initNodeWasmParser } from '../../generator/node/wasm-node.js';
import { parseHeader } from '../../generator/parse/parse.js';
import { rewriteForParser } from '../../generator/parse/rewrite.js';
import type { ParserBackend } from '../../generator/parse/syntax.js';
import { preprocess, type PreprocessResult } from '../../generator/preprocess/preprocess.js';
import { findTarget } from '../../generator/target/index.js';

const X64 = findTarget('x86_64-linux-gnu')!;

function ppOf(file: string, text?: string): PreprocessResult {
  return preprocess(file, {
    target: X64, includeDirs: [], systemDirs: nodeEnv.systemDirs(X64, undefined), defines: {}, undefines: [],
    host: text === undefined ? nodeEnv.host : memoryHost({ [file]: text }), outputFilter: rewriteForParser, constantProbes: true,
  });
}

/** The parse as JSON (bigints as text), and how many times the backend parsed. */
function parsed(pp: PreprocessResult, backend: ParserBackend, pieceSize?: number): { json: string; parses: number } {
  let parses = 0;
  const counting: ParserBackend = { name: backend.name, parse: (t) => { parses++; return backend.parse(t); } };
  const r = parseHeader(pp, counting, pieceSize);
  return { json: JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)), parses };
}

const MADE_UP = [
  // strings and character literals with `;` and brackets at a line's end; records over several lines
  `struct a { char c; };
static const char *s1 = "x;";
static const char *s2 = "{ ( [";
static const char c1 = ';';
static const char c2 = '}';
struct b {
  int x;
  struct { short y; } in;
};
typedef struct b b_t;
enum e { E1 = 1, E2 = sizeof(struct b) };
`,
  // an old-style function definition: its parameter declarations end in `;` outside every bracket
  `struct k1 { int a; };
int f(a, b)
int a;
char b;
{ return a; }
struct k2 { long l; };
`,
  // syntax errors between good declarations
  `struct g1 { int a; };
struct bad { int x y; };
struct g2 { int b; };
int ) ;
struct g3 { char c[4]; };
typedef int ;
struct g4 { int z; };
`,
  // an error in the last declaration, and one in the first
  `struct h0 { int ; };
struct h1 { int a; };
struct h2 { int a; } x
`,
];

describe('a long header parsed a piece at a time', () => {
  let wasm: ParserBackend;
  beforeAll(async () => { wasm = await initNodeWasmParser(); });
  const backends = (): ParserBackend[] => [nativeParser(), wasm];

  it('gives what one whole parse gives: made-up headers, cut wherever a cut may go', () => {
    for (const b of backends()) {
      for (const [i, text] of MADE_UP.entries()) {
        const pp = ppOf(`/h/made${i}.h`, text);
        const whole = parsed(pp, b, Infinity);
        const cut = parsed(pp, b, 1);
        expect(cut.json, `${b.name} made-up ${i}`).toBe(whole.json);
        expect(cut.parses, `${b.name} made-up ${i}: cut into pieces`).toBeGreaterThan(whole.parses);
      }
    }
  });

  const SYSTEM = ['/usr/include/stdio.h', '/usr/include/elf.h', '/usr/include/linux/input.h', '/usr/include/signal.h'].filter((f) => existsSync(f));
  it.skipIf(SYSTEM.length === 0)('gives what one whole parse gives: system headers, cut wherever a cut may go (skipped without /usr/include)', () => {
    for (const b of backends()) {
      for (const f of SYSTEM) {
        const pp = ppOf(f);
        const whole = parsed(pp, b, Infinity);
        const cut = parsed(pp, b, 1);
        expect(cut.json, `${b.name} ${f}`).toBe(whole.json);
        expect(cut.parses, `${b.name} ${f}: cut into pieces`).toBeGreaterThan(whole.parses + 10);
        // and at the default piece size (one piece for these)
        expect(parsed(pp, b).json).toBe(whole.json);
      }
    }
  });
});
