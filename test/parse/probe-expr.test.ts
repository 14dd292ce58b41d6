// Constant probes kept as tokens (preprocess/probe-expr.ts, parse/probe-constants.ts) against the same probes written
// as text and read from tree-sitter's syntax tree: random headers of `#define`s (valid and invalid expressions, casts,
// typedef names, keywords, `#line`, continued lines) must give the same constants, expressions and positions either
// way. The words the token path refuses are checked against tree-sitter-c's grammar.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { memoryHost } from '../../generator/core/host.js';
import { CONSTANT_PROBE_PREFIX } from '../../generator/c/literals.js';
import { nativeParser } from '../../generator/node/native-parser.js';
import { initNodeWasmParser } from '../../generator/node/wasm-node.js';
import { parseHeader } from '../../generator/parse/parse.js';
import { rewriteForParser } from '../../generator/parse/rewrite.js';
import type { ParserBackend } from '../../generator/parse/syntax.js';
import { parseProbeExpr, VALIDATE } from '../../generator/preprocess/probe-expr.js';
import { preprocess } from '../../generator/preprocess/preprocess.js';
import { findTarget } from '../../generator/target/index.js';

const X64 = findTarget('x86_64-linux-gnu')!;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NUMBERS = ['0', '1', '42', '0x1F', '0XffU', '077', '08', '1u', '1ULL', '123lu', '4294967296', '0x7fffffffffffffff',
  '1.5', '1e3', '0b101', "1'000", "'a'", '"s"', '1_0', '.5', '0x'];
const WORDS = ['E1', 'E2', 'T1', 'T2', 'NULL', 'true', 'TRUE', 'false', 'sizeof(int)', 'sizeof(T1)', 'sizeof E1', 'unknown_x',
  '_Reserved', '__u', 'size_t', 'uint8_t', 'int', 'typeof', 'defined', 'F(3)', 'EMPTY', 'G', '_Alignof(int)', 'alignof(int)',
  'offsetof(struct s, b)', '__extension__ 1', 'nullptr', 'É'];
const BINARY = ['+', '-', '*', '/', '%', '<<', '>>', '<', '>', '<=', '>=', '==', '!=', '&', '^', '|', '&&', '||'];
const ODD = [',', '=', '->', '.', '++', '--', '+=', '#', '[', ']', '{', '}', ';', '?', ':', '(', ')'];
const UNARY = ['-', '+', '!', '~', '*', '&', '- -', '--'];
const TYPES = ['T1', 'T2', 'int', 'unsigned long', 'struct s', 'char *', 'E1'];

function header(seed: number, n: number): string {
  const r = rng(seed);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const names: string[] = [];
  const gen = (depth: number): string => {
    const k = r();
    if (depth > 5 || k < 0.3) {
      const l = r();
      if (l < 0.45) return pick(NUMBERS.slice(0, 12));
      if (l < 0.55) return pick(NUMBERS);
      if (l < 0.8 && names.length) return pick(names);
      return pick(WORDS);
    }
    if (k < 0.55) return `${gen(depth + 1)} ${pick(BINARY)} ${gen(depth + 1)}`;
    if (k < 0.67) return `(${gen(depth + 1)})`;
    if (k < 0.74) return `${pick(UNARY)}${gen(depth + 1)}`;
    if (k < 0.8) return `${gen(depth + 1)} ? ${gen(depth + 1)} : ${gen(depth + 1)}`;
    if (k < 0.85) return `(${pick(TYPES)})${gen(depth + 1)}`;
    if (k < 0.9) return `(${pick(['E1', 'T1', 'T2', 'x'])}) ${pick(['-', '+', '*', '&', '|'])} ${gen(depth + 1)}`;
    // a macro in parentheses, maybe a probe's name: in front of a group, where tree-sitter reads no cast (elsewhere
    // it may: the next test)
    if (k < 0.92 && names.length) return `((${pick(names.slice(-3))}) ${pick(['-', '+', '*', '&', '|'])} ${gen(depth + 1)})`;
    if (k < 0.95) return `${'('.repeat(70)}1${')'.repeat(70)}`;
    // token soup
    const parts: string[] = [];
    for (let j = Math.floor(r() * 6) + 1; j > 0; j--) parts.push(pick([...ODD, ...BINARY, ...NUMBERS.slice(0, 4), 'E1', 'T1']));
    return parts.join(' ');
  };
  const lines = ['typedef unsigned long T1;', 'typedef int T2;', 'struct s { int a, b; };', 'enum { E1 = 3, E2 = 7 };',
    '#define F(x) ((x) + 1)', '#define EMPTY', '#define G F'];
  if (seed % 3 === 0) lines.push(`typedef int ${CONSTANT_PROBE_PREFIX}M1;`); // hostile: a probe's name as a typedef name
  for (let i = 0; i < n; i++) {
    if (r() < 0.02) lines.push(`#line ${Math.floor(r() * 1000) + 1}${r() < 0.5 ? ' "other.h"' : ''}`);
    let body = gen(0);
    if (r() < 0.05) body = body.replace(' ', ' \\\n   ');
    const name = `M${i}`;
    lines.push(`${r() < 0.1 ? '  # ' : '#'}define ${name}${r() < 0.3 ? '\t' : ' '}${body}`);
    names.push(name);
    if (r() < 0.03) lines.push(`#undef M${Math.floor(r() * (i + 1))}`);
  }
  return `${lines.join('\n')}\n`;
}

function constantsOf(text: string, tokens: boolean, backend: ParserBackend) {
  const pp = preprocess('/h/main.h', { target: X64, host: memoryHost({ '/h/main.h': text }), outputFilter: rewriteForParser,
    constantProbes: true, probeTokens: tokens });
  const parsed = parseHeader(pp, backend);
  return { pp, constants: parsed.program.constants, diagnostics: [...pp.diagnostics, ...parsed.diagnostics] };
}

describe('constant probes kept as tokens', () => {
  it('give the constants, expressions and positions the syntax tree of their text gives (random headers)', () => {
    const backend = nativeParser();
    let kept = 0;
    let written = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const text = header(seed, 250);
      const a = constantsOf(text, true, backend);
      const b = constantsOf(text, false, backend);
      expect(a.constants, `seed ${seed}`).toEqual(b.constants);
      expect(a.diagnostics).toEqual(b.diagnostics);
      kept += a.pp.tokenProbes!.names.length;
      written += b.pp.tokenProbes!.order.length - a.pp.tokenProbes!.names.length;
      expect(b.pp.tokenProbes!.names.length).toBe(0);
    }
    // both ways are exercised
    expect(kept).toBeGreaterThan(500);
    expect(written).toBeGreaterThan(500);
  });

  it("read a probe's name in parentheses before `&`, `*`, `+` or `-` as C does, never as a cast", () => {
    const text = '#define A (1 << 3)\n#define B ((0x1F) == (0x1F) << A & 0x7f == 1)\n#define C (2 * A - 1)\n#define D (1 << A * 2)\n';
    const a = constantsOf(text, true, nativeParser());
    expect(a.pp.tokenProbes!.names).toEqual(['A', 'B', 'C', 'D']);
    const ref = { k: 'ident', name: `${CONSTANT_PROBE_PREFIX}A` };
    const b = a.constants.find((c) => c.name === 'B')!.expr;
    expect(b).toMatchObject({ k: 'binary', op: '&', left: { k: 'binary', op: '==', right: { k: 'binary', op: '<<', right: ref } },
      right: { k: 'binary', op: '==' } });
    const d = a.constants.find((c) => c.name === 'D')!.expr;
    expect(d).toMatchObject({ k: 'binary', op: '<<', right: { k: 'binary', op: '*', left: ref } });
    // the syntax tree of the text reads `(__structgen_constant_A) & 0x7f` there as a cast (so B had no value)
    const written = constantsOf(text, false, nativeParser()).constants.find((c) => c.name === 'B')!.expr;
    expect(JSON.stringify(written)).toContain('"k":"cast"');
  });

  it('the same through the WebAssembly parser', async () => {
    const backend = await initNodeWasmParser();
    for (const seed of [101, 102]) {
      const text = header(seed, 200);
      expect(constantsOf(text, true, backend).constants).toEqual(constantsOf(text, false, backend).constants);
    }
  });

  it('refuses every word tree-sitter-c reads as other than an identifier', () => {
    const require = createRequire(import.meta.url);
    const grammar = JSON.parse(readFileSync(require.resolve('tree-sitter-c/src/grammar.json'), 'utf8')) as unknown;
    const words = new Set<string>();
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) { for (const y of x) walk(y); return; }
      if (!x || typeof x !== 'object') return;
      const o = x as Record<string, unknown>;
      if (o.type === 'STRING' && typeof o.value === 'string' && /^[A-Za-z_]\w*$/.test(o.value)) words.add(o.value);
      for (const v of Object.values(o)) walk(v);
    };
    walk((grammar as { rules: unknown }).rules);
    expect(words.size).toBeGreaterThan(90);
    for (const w of words) {
      expect(parseProbeExpr([w], 0, 1, CONSTANT_PROBE_PREFIX, VALIDATE), w).toBeNull();
      expect(parseProbeExpr([w, '+', '1'], 0, 3, CONSTANT_PROBE_PREFIX, VALIDATE), w).toBeNull();
    }
    expect(parseProbeExpr(['FOO', '+', '1'], 0, 3, CONSTANT_PROBE_PREFIX, VALIDATE)).toBe(true);
    expect(parseProbeExpr([`${CONSTANT_PROBE_PREFIX}_X`], 0, 1, CONSTANT_PROBE_PREFIX, VALIDATE)).toBe(true);
  });

  it('keeps a header of plain #defines out of the text (no syntax tree of them)', () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(i % 3 === 2 ? `#define D${i} (D${i - 1} + 0x${i.toString(16)})` : `#define D${i} ${i}`);
    const a = constantsOf(`${lines.join('\n')}\n`, true, nativeParser());
    expect(a.pp.tokenProbes!.names.length).toBe(3000);
    expect(a.pp.text.length).toBeLessThan(10);
    expect(a.constants.map((c) => c.name)).toEqual(lines.map((_l, i) => `D${i}`));
  });
});
