// The TypeScript types of views over WebAssembly memory: a user's file walks everything shapes.c builds (the list,
// the tree with parent links, counted records, strings, the graph copy) and the other pointer shapes of a second
// header through `R.view(memory, address)` with no cast, and type-checks under @tsconfig/strictest with TypeScript
// 5.0, the project's TypeScript and TypeScript 7, against the `ts` output for wasm32 and wasm64 and the `js+dts`
// output for wasm32 (isolatedDeclarations and erasableSyntaxOnly where the compiler has them). Beside it, lines that
// must not compile (a pointer member read as a number, a string as non-null, a plain view's pointer as a view): the
// compilers must report exactly those lines. Then the same file, run (types stripped) against the module clang-16
// built, reads every value C printed.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../generator/emit/emit.js';
import { bodiesChecked, generateOrThrow } from '../helpers/generated.js';
import { instantiateShapes, parseOutput, SHAPES_H, toolsOrSkip } from './build.js';
import { differences, type Walked } from './walk.js';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
/** Under node_modules, so that `extends: "@tsconfig/strictest/..."` finds the installed package. */
const CACHE = path.join(ROOT, 'node_modules/.cache');
mkdirSync(CACHE, { recursive: true });
const WORK = mkdtempSync(path.join(CACHE, 'structgen-wasm-types-'));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const COMPILERS = [
  { name: 'typescript 5.0', dir: 'typescript-5.0', modern: false },
  { name: 'typescript (the project\'s)', dir: 'typescript', modern: true },
  { name: 'typescript 7', dir: 'typescript-7', modern: true },
] as const;
type Compiler = (typeof COMPILERS)[number];

/** shapes.h counts `items` and `names` with __counted_by; `scores` is counted by the config. */
const FIELDS = { 'inventory.scores': { countedBy: 'nscores' } };

/** The other pointers a memory view follows: to a record without pointers, chains, scalars of each kind, counted
 * text; nested records and arrays of them; a tagged union holding a pointer. */
const EDGE_H = `#include <stdint.h>
#include <stdbool.h>
enum color { RED, GREEN };
struct plain { int a; int b[2]; };
struct pp {
  struct plain *p;
  struct plain *ps __counted_by(n);
  uint32_t n;
  char **argv;
  int **ipp;
  void **vpp;
  struct pp ***deep;
  enum color *col;
  bool *flag;
  uint64_t *big;
  char *txt __counted_by(n);
  struct plain inner;
  struct pp *arr[2];
};
struct outer { struct pp nested[2]; struct pp one; int x; };
struct tagged { int kind; union { struct pp *p; int i; } u; };
`;
const UNIONS = { 'tagged.u': { tag: 'tagged.kind', cases: { 0: 'p', 1: 'i' } } };

/** A user's walk of shapes.c's structures, typed by the emitted memory view types alone: no `as`, no `any`. It lists
 * every value under the path shapes.c prints it at (as test/wasm/walk.ts does with untyped views). */
const CONSUMER = `import { roots, node, type nodeMemoryView, type rootsMemoryView, type treeMemoryView } from './gen/shapes.js';
import { outer, pp, tagged, type color } from './gen/edge.js';
import type { MemoryArray, PointerInput } from './gen/structgen-runtime.js';

export type Walked = Map<string, number | bigint | string | null>;

export function walk(memory: WebAssembly.Memory, at: number | bigint): Walked {
  const out: Walked = new Map();
  const r: rootsMemoryView = roots.view(memory, at);
  out.set('roots', r.$address);
  list(out, 'list', r.list, Infinity);
  out.set('list_length', r.list_length);
  tree(out, 'tree', r.tree);
  out.set('tree_size', r.tree_size);
  const inv = r.inventory;
  if (inv !== null) {
    out.set('inventory.count', inv.count);
    const items = inv.items;
    for (let i = 0; items !== null && i < items.length; i++) {
      const it = items.get(i);
      const p = \`inventory.items[\${i}]\`;
      out.set(\`\${p}.id\`, it.id);
      out.set(\`\${p}.shade\`, it.shade);
      out.set(\`\${p}.stamp\`, it.stamp);
      out.set(\`\${p}.score\`, it.score);
      out.set(\`\${p}.tag\`, it.tag);
      out.set(\`\${p}.note\`, it.note);
    }
    out.set('inventory.nscores', inv.nscores);
    const scores: MemoryArray<number> | null = inv.scores;
    (scores?.toArray() ?? []).forEach((s, i) => out.set(\`inventory.scores[\${i}]\`, s));
    out.set('inventory.title', inv.title);
  }
  out.set('name_count', r.name_count);
  if (r.names !== null) for (const [i, n] of r.names.toArray().entries()) out.set(\`names[\${i}]\`, n);
  out.set('opaque', r.opaque);
  out.set('visit', r.visit);
  out.set('either.as_address', r.either.as_address);
  list(out, 'ring', r.ring, 4);
  list(out, 'grown', r.grown, Infinity);
  out.set('empty', r.empty?.$address ?? 0);
  return out;
}

function list(out: Walked, name: string, head: nodeMemoryView | null, limit: number): void {
  let i = 0;
  for (let n = head; n !== null && i < limit; n = n.next, i++) {
    out.set(\`\${name}[\${i}]\`, n.$address);
    out.set(\`\${name}[\${i}].value\`, n.value);
    out.set(\`\${name}[\${i}].weight\`, n.weight);
    out.set(\`\${name}[\${i}].label\`, n.label);
    out.set(\`\${name}[\${i}].next\`, n.next?.$address ?? 0);
  }
}

function tree(out: Walked, root: string, t: treeMemoryView | null): void {
  const stack: Array<[treeMemoryView | null, string]> = [[t, root]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [n, p] = top;
    if (n === null) continue;
    out.set(p, n.$address);
    out.set(\`\${p}.key\`, n.key);
    out.set(\`\${p}.depth\`, n.depth);
    out.set(\`\${p}.name\`, n.name);
    out.set(\`\${p}.parent\`, n.parent?.$address ?? 0);
    out.set(\`\${p}.left\`, n.left?.$address ?? 0);
    out.set(\`\${p}.right\`, n.right?.$address ?? 0);
    stack.push([n.right, \`\${p}.right\`], [n.left, \`\${p}.left\`]);
  }
}

/** The list's values and the tree's parent links, from \`$decodeGraph\`'s copy. */
export function fromGraph(memory: WebAssembly.Memory, at: number | bigint): { values: number[]; labels: Array<string | null>; parentsShared: boolean; names: Array<string | null> } {
  const g = roots.view(memory, at).$decodeGraph({ maxRecords: 10000 });
  const values: number[] = [];
  const labels: Array<string | null> = [];
  for (let n = g.list; n !== null; n = n.next) { values.push(n.value); labels.push(n.label); }
  const left = g.tree?.left ?? null;
  return { values, labels, parentsShared: left !== null && left.parent === g.tree, names: g.names ?? [] };
}

/** Not run: the other pointers of edge.h, as their types say they read. */
export function edges(memory: WebAssembly.Memory): Array<number | bigint | string | boolean | null | undefined> {
  const v = pp.view(memory, 8);
  const color: color | undefined = v.col?.get(0);
  const deep: pp | undefined = v.deep?.get(0)?.get(0)?.$decode();
  const graph: Array<number[] | null> | null = v.$decodeGraph().ipp;
  const o = outer.view(memory, 0);
  const t = tagged.view(memory, 0);
  return [v.p?.b.get(0), v.p?.$address, v.ps?.get(0).a, v.argv?.get(0), v.ipp?.get(0)?.get(0), v.vpp?.get(0), deep?.n, v.flag?.get(0),
    v.big?.get(0), v.txt, v.inner.$address, color, graph?.length, o.one.p?.$address, o.nested.get(0).p, o.$decodeGraph().one.p?.a, t.u.p?.txt, t.kind];
}

/** Not run: what a user writes through memory views (pointers set to views, addresses and null). */
export function relink(r: rootsMemoryView, label: number | bigint): void {
  const head = r.list;
  if (head === null) return;
  head.next = head.next?.next ?? null;
  head.label = label;
  r.ring = head;
  const p: PointerInput = r.tree;
  r.grown = p === null ? 0 : node.view(r.$memory, r.list_length).next;
}
`;

/** Lines a compiler must reject (each marked \`// error\`), and one it must accept. */
const NEGATIVE = `import { roots, node } from './gen/shapes.js';
import { outer, pp } from './gen/edge.js';
declare const memory: WebAssembly.Memory;
const r = roots.view(memory, 0);
export const a: number = r.list; // error
export const b: number | bigint = r.tree; // error
export const c: number = r.inventory!.items; // error
export const d: string = r.list!.label; // error
export const e: number = r.$decodeGraph().list; // error
export const f: number | bigint = node.view(memory, 0).next; // error
export const g: string = roots.view(new Uint8Array(64)).list; // error
export const h: number | bigint = roots.view(new Uint8Array(64)).list;
export const i: number = r.inventory!.scores!.get(0);
export const j: string = r.inventory!.scores!.get(0); // error
r.list!.next = {}; // error
export const k: number = pp.view(memory, 0).p; // error
export const l: number = pp.view(memory, 0).p!.b.get(0);
export const m: number[] = pp.view(memory, 0).$decodeGraph().ipp!; // error
export const n: number | bigint = outer.view(memory, 0).nested.get(0).p;
`;

/** Writes the files; the modules and the runtime without their `// @ts-nocheck` (which the `ts` output has: checked),
 * so that their bodies (the memory views' types and code, which only WebAssembly targets' output has) are checked
 * under every compiler here, as users' tsc no longer does. */
function write(dir: string, files: readonly EmittedFile[]): void {
  const ts = files.some((f) => f.path.endsWith('.ts') && !f.path.endsWith('.d.ts'));
  expect(files.filter((f) => ts && (f.kind === 'module' || f.kind === 'runtime') && !f.contents.split('\n').slice(0, 8).includes('// @ts-nocheck')).map((f) => f.path)).toEqual([]);
  for (const f of bodiesChecked(files, { runtime: true })) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.contents);
  }
}

/** tsc -p in `dir`: its output (empty when clean). */
async function tsc(c: Compiler, dir: string): Promise<string> {
  try {
    const r = await run(process.execPath, [path.join(ROOT, 'node_modules', c.dir, 'bin/tsc'), '-p', path.join(dir, `tsconfig.${c.dir}.json`)], { cwd: dir, maxBuffer: 64 << 20 });
    return `${r.stdout}${r.stderr}`.trim();
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    return `${x.stdout ?? ''}${x.stderr ?? ''}`.trim() || x.message;
  }
}

/** The projects: the module's output for a target, the consumer and the negative lines. */
const PROJECTS = [
  { name: 'wasm32, ts', target: 'wasm32-wasi', emit: 'ts' },
  { name: 'wasm64, ts', target: 'wasm64', emit: 'ts' },
  { name: 'wasm32, js+dts', target: 'wasm32-wasi', emit: 'js+dts' },
] as const;

function setUp(p: (typeof PROJECTS)[number], i: number): string {
  const dir = path.join(WORK, `p${i}`);
  writeFileSync(path.join(WORK, 'edge.h'), EDGE_H);
  write(path.join(dir, 'gen'), generateOrThrow([SHAPES_H, path.join(WORK, 'edge.h')], { target: p.target, fields: FIELDS, unions: UNIONS, emit: p.emit }));
  writeFileSync(path.join(dir, 'consumer.ts'), CONSUMER);
  writeFileSync(path.join(dir, 'negative.ts'), NEGATIVE);
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module","private":true}\n');
  for (const c of COMPILERS) {
    const options = {
      target: 'ES2020', lib: ['ES2020', 'DOM'], module: 'nodenext', moduleResolution: 'nodenext', types: [],
      ...(c.modern
        ? { erasableSyntaxOnly: true, isolatedDeclarations: true, declaration: true, emitDeclarationOnly: true, outDir: `out-${c.dir}` }
        : { noEmit: true }),
    };
    writeFileSync(path.join(dir, `tsconfig.${c.dir}.json`), JSON.stringify({ extends: '@tsconfig/strictest/tsconfig.json', compilerOptions: options, include: ['*.ts', 'gen/*.ts'] }, null, 2));
  }
  return dir;
}

/** Runs `fns` two at a time. */
async function pairs<T>(fns: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(fns.length);
  let next = 0;
  await Promise.all([0, 1].map(async () => {
    while (next < fns.length) {
      const k = next++;
      out[k] = await fns[k]!();
    }
  }));
  return out;
}

const MARKED = NEGATIVE.split('\n').flatMap((line, k) => (line.endsWith('// error') ? [k + 1] : []));

describe('memory view types', () => {
  it('a walk through memory views type-checks without casts, and the lines that misuse them fail, under TypeScript 5.0, 5.9 and 7', async () => {
    const dirs = PROJECTS.map(setUp);
    const jobs = PROJECTS.flatMap((p, i) => COMPILERS.map((c) => ({ what: `${p.name}, ${c.name}`, c, dir: dirs[i]! })));
    const results = await pairs(jobs.map((j) => async () => ({ what: j.what, out: await tsc(j.c, j.dir) })));
    expect(MARKED.length).toBe(11);
    for (const r of results) {
      // every error is on a marked line of negative.ts, and every marked line has one
      const lines = r.out.split('\n').filter((l) => /error TS\d+/.test(l));
      const elsewhere = lines.filter((l) => !/^negative\.ts\(\d+,\d+\): error/.test(l));
      expect({ what: r.what, elsewhere }).toEqual({ what: r.what, elsewhere: [] });
      const failed = [...new Set(lines.map((l) => Number(/^negative\.ts\((\d+),/.exec(l)![1])))].sort((x, y) => x - y);
      expect({ what: r.what, failed }).toEqual({ what: r.what, failed: MARKED });
    }
  }, 600_000);

  describe.skipIf(!toolsOrSkip('wasm32'))('run', () => {
    it('the typed walk, run against the module clang built for wasm32, reads every value C printed', async () => {
      const dir = path.join(WORK, 'run');
      writeFileSync(path.join(WORK, 'edge.h'), EDGE_H);
      const files = generateOrThrow([SHAPES_H, path.join(WORK, 'edge.h')], { target: 'wasm32-wasi', fields: FIELDS, unions: UNIONS, emit: 'js+dts' });
      write(path.join(dir, 'gen'), files);
      writeFileSync(path.join(dir, 'package.json'), '{"type":"module","private":true}\n');
      const js = ts.transpileModule(CONSUMER, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
      writeFileSync(path.join(dir, 'consumer.js'), js);
      const consumer = await import(pathToFileURL(path.join(dir, 'consumer.js')).href) as {
        walk(memory: WebAssembly.Memory, at: number | bigint): Walked;
        fromGraph(memory: WebAssembly.Memory, at: number | bigint): { values: number[]; labels: Array<string | null>; parentsShared: boolean; names: Array<string | null> };
      };
      const s = await instantiateShapes('wasm32');
      try {
        const at = s.exports.build(12, 20);
        s.exports.dump();
        const printed = parseOutput(s.output());
        expect(printed.size).toBeGreaterThan(200);
        expect(differences(consumer.walk(s.memory, at), printed)).toEqual([]);
        const g = consumer.fromGraph(s.memory, at);
        expect(g.values).toEqual(Array.from({ length: 12 }, (_, k) => Number(printed.get(`list[${k}].value`)!.v)));
        expect(g.labels.every((l) => typeof l === 'string')).toBe(true);
        expect(g.parentsShared).toBe(true);
        expect(g.names.length).toBe(Number(printed.get('name_count')!.v));
      } finally {
        s.close();
      }
    });
  });
});
