// `--packable` suggestions compiled by clang-16: each printed declaration (its tag renamed, after the header it
// belongs to) must have exactly the size structgen promised, smaller than the original's, and the original's
// alignment, checked with _Static_assert. Over headers/*.h and a header written to need the search (aligned members,
// #pragma pack, bit-fields) on three targets, and over a third of the Linux UAPI headers. Also: the search is exact on
// small cases (every permutation tried), and records reordering cannot help say why.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { layoutItems } from '../../generator/cli/layout-views.js';
import { packingAdvice, type Advice } from '../../generator/cli/packable.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { LexCache } from '../../generator/preprocess/preprocess.js';
import { modelSize, searchOrder, baselineOrder, type PackItem } from '../../generator/render/packing.js';
import { clangArgsFor, HAVE_CLANG, tempFile } from '../helpers/compiler.js';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(ROOT, 'headers', f));
const UAPI_DIR = '/usr/include/linux';
const UAPI = existsSync(UAPI_DIR) ? readdirSync(UAPI_DIR).filter((f) => f.endsWith('.h')).sort().filter((_, i) => i % 3 === 0).map((f) => path.join(UAPI_DIR, f)) : [];

const NEEDS_SEARCH = `#include <stdint.h>
struct plain { char c; int32_t i; char d; int16_t s; int64_t l; char e; };
struct over { char x __attribute__((aligned(8))); char y; int64_t z; int16_t w; char v __attribute__((aligned(4))); };
struct bits { unsigned f1 : 3; char name; unsigned f2 : 30; double d; char e; };
#pragma pack(push, 2)
struct packed2 { char c; int32_t i; char e; int16_t s; };
#pragma pack(pop)
typedef struct { char c; void (*fn)(int); char z[3]; int *arr[2]; int16_t t; } fnptrs;
struct big_align { char c; int64_t l; char d; } __attribute__((aligned(16)));
struct u_holder { union { int a; char b; } u; char c; int64_t x; struct { char q; int64_t r; } arr[2]; char z; };
struct anon_inside { char c; struct { union { int a; char b; }; char d; } s; int64_t x; };
struct anon_top { char c; union { int64_t i; double f; }; char d; struct { char e; int16_t g; }; };
struct anon_bad { char c; struct { int : 3; int v : 5; }; int64_t x; };
struct flexy { char c; int64_t n; char data[]; };
union un { char c; int64_t l; };
struct pk { char c; int64_t l; } __attribute__((packed));
`;

/** The printed declaration with its tag (or typedef name) renamed, so that it compiles after the original. */
function renamed(a: Advice, n: number): { decl: string; type: string; orig: string } {
  const r = a.record;
  const decl = a.suggestion!.declaration;
  if (r.tag) {
    const re = new RegExp(`\\b${r.kind} ${r.tag} \\{`);
    expect(decl).toMatch(re);
    return { decl: decl.replace(re, `${r.kind} ${r.tag}_reordered_${n} {`), type: `${r.kind} ${r.tag}_reordered_${n}`, orig: `${r.kind} ${r.tag}` };
  }
  expect(decl).toMatch(new RegExp(`\\} ${r.name};`));
  return { decl: decl.replace(new RegExp(`\\} ${r.name};`), `} ${r.name}_reordered_${n};`), type: `${r.name}_reordered_${n}`, orig: r.name! };
}

/** Compiles every suggestion for `header` with clang for `target`; returns how many were checked. */
function compileSuggestions(header: string, target: string, advice: readonly Advice[]): number {
  const sugg = advice.filter((a) => a.suggestion);
  if (!sugg.length) return 0;
  const parts = [`#include "${path.resolve(header)}"`];
  sugg.forEach((a, n) => {
    const x = renamed(a, n);
    parts.push(x.decl);
    parts.push(`_Static_assert(sizeof(${x.type}) == ${a.suggestion!.size}, "size of reordered ${x.orig}");`);
    parts.push(`_Static_assert(sizeof(${x.orig}) == ${a.record.size}, "size of ${x.orig}");`);
    parts.push(`_Static_assert(_Alignof(${x.type}) == _Alignof(${x.orig}), "alignment of reordered ${x.orig}");`);
    expect(a.suggestion!.size, x.orig).toBeLessThan(a.record.size);
  });
  const file = tempFile('packable.c', parts.join('\n') + '\n');
  const r = spawnSync('clang-16', ['-fsyntax-only', `--target=${target}`, ...clangArgsFor(target), '-Wno-everything', file], { encoding: 'utf8' });
  expect(r.stderr, `${header} on ${target}:\n${parts.join('\n')}`).toBe('');
  expect(r.status).toBe(0);
  return sugg.length;
}

/** Lets vitest's worker talk to the runner between long synchronous stretches (it times out after a minute). */
const breathe = () => new Promise<void>((r) => setImmediate(r));

async function adviceFor(headers: readonly string[], target: string, cache = new LexCache()): Promise<Array<{ header: string; advice: Advice[] }>> {
  const out: Array<{ header: string; advice: Advice[] }> = [];
  for (const h of headers) {
    await breathe();
    const a = analyzeHeader(h, { target, cache });
    if (hasErrors(a.diagnostics)) continue;
    out.push({ header: h, advice: packingAdvice(layoutItems([a]), { target }, cache) });
  }
  return out;
}

describe.skipIf(!HAVE_CLANG)('--packable suggestions compiled by clang-16', () => {
  const synthetic = tempFile('needs_search.h', NEEDS_SEARCH);
  for (const target of ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu']) {
    it(`headers/*.h and a header that needs the search, ${target}`, async () => {
      let n = 0;
      for (const { header, advice } of await adviceFor([...EXAMPLES, synthetic], target)) n += compileSuggestions(header, target, advice);
      expect(n).toBeGreaterThanOrEqual(5);
    });
  }

  it.skipIf(!UAPI.length)('a third of the Linux UAPI headers (x86_64)', async () => {
    let n = 0;
    let holes = 0;
    for (const { header, advice } of await adviceFor(UAPI, 'x86_64-linux-gnu')) {
      holes += advice.length;
      n += compileSuggestions(header, 'x86_64-linux-gnu', advice);
    }
    console.log(`--packable on ${UAPI.length} UAPI headers: ${holes} records with holes, ${n} suggestions compiled by clang-16`);
    expect(n).toBeGreaterThan(5);
  });
});

describe('what --packable says', () => {
  it('suggestions, the search beating the baseline, and why some records cannot be reordered', async () => {
    const f = tempFile('needs_search.h', NEEDS_SEARCH);
    const advice = (await adviceFor([f], 'x86_64-linux-gnu'))[0]!.advice;
    const by = new Map(advice.map((a) => [a.record.name!, a]));
    expect(by.get('plain')!.suggestion!.size).toBe(24); // 32 -> 8 + 4 + 2 + 1 + 1 + 1, rounded to 8
    expect(by.get('over')!.record.size).toBe(24);
    expect(by.get('over')!.suggestion!.size).toBe(16);
    expect(by.get('over')!.baselineSize).toBe(24); // alignment-sorted, the aligned chars keep their holes
    expect(by.get('over')!.suggestion!.declaration).toContain('__attribute__((aligned(4)))');
    expect(by.get('bits')!.suggestion!.size).toBe(16);
    expect(by.get('packed2')!.suggestion!.declaration).toMatch(/^#pragma pack\(push, 2\)\n[\s\S]*\n#pragma pack\(pop\)$/);
    expect(by.get('big_align')!.suggestion!.size).toBe(16); // 32 -> 16, keeping aligned(16)
    expect(by.get('big_align')!.suggestion!.declaration).toContain('} __attribute__((aligned(16)));');
    expect(by.get('u_holder')!.suggestion!.size).toBe(48); // 56: the untagged union and struct spelled again
    expect(by.get('u_holder')!.suggestion!.declaration).toContain('    union {\n        int a;\n        char b;\n    } u;');
    expect(by.get('anon_inside')!.reason).toMatch(/no order is smaller/); // spelled again, but 24 bytes either way
    expect(by.get('anon_top')!.suggestion!.size).toBe(16); // anonymous members move whole
    expect(by.get('anon_top')!.suggestion!.declaration).toContain('    union {\n        int64_t i;\n        double f;\n    };');
    expect(by.get('anon_bad')!.reason).toMatch(/anonymous struct\/union member that cannot be spelled again/);
    expect(by.get('flexy')!.reason).toMatch(/flexible array member \('data'\)/);
    expect(by.has('un')).toBe(false); // no holes: not listed
    expect(advice.every((a) => !a.suggestion || a.suggestion.size < a.record.size)).toBe(true);
  });

  it('the search finds the least padding any order has (every permutation of small random item sets)', () => {
    let seed = 12345;
    const next = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };
    const perms = (n: number): number[][] => (n === 0 ? [[]] : perms(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)])));
    let beat = 0;
    for (let t = 0; t < 300; t++) {
      const n = 2 + (next() % 5);
      const items: PackItem[] = Array.from({ length: n }, (_, i) => {
        const align = 2 ** (next() % 4);
        const size = next() % 3 === 0 ? 1 + (next() % 8) : align * (1 + (next() % 2));
        return { members: [], size, align, tight: { size, align }, index: i };
      });
      const recAlign = Math.max(...items.map((i) => i.align));
      const best = Math.min(...perms(n).map((p) => modelSize(items, p, recAlign)));
      const s = searchOrder(items, recAlign)!;
      expect([...s].sort()).toEqual(items.map((_, i) => i));
      expect(modelSize(items, s, recAlign)).toBe(best);
      if (best < modelSize(items, baselineOrder(items), recAlign)) beat++;
    }
    expect(beat).toBeGreaterThan(0); // sizes that are not multiples of their alignment: the baseline is not optimal
  });
});
