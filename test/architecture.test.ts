// The shape of generator/: its folders are stacked in floors and a file imports only from its own floor or lower ones
// (data flows one way: preprocess -> parse -> resolve -> layout -> plan -> outputs -> project -> the Node and browser
// edges), no import cycle among its files, and the code that must also run in a browser imports no Node built-in and
// no file that does. Imports are read with TypeScript's own pre-processor, so every form counts (`import type`,
// `export ... from`, dynamic `import()`).

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const GEN = path.join(ROOT, 'generator');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** The generator's own files an import names (relative specifiers only). */
function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, '');
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) {
    try { readFileSync(c); return c; } catch { /* next */ }
  }
  return null;
}

const files = sources(GEN);
const graph = new Map(files.map((f) => [f, importsOf(f).map((s) => resolveLocal(f, s)).filter((x): x is string => x !== null)]));

function findCycles(g: ReadonlyMap<string, readonly string[]>, name: (f: string) => string): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'busy' | 'done'>();
  const visit = (f: string, trail: string[]) => {
    state.set(f, 'busy');
    for (const h of g.get(f) ?? []) {
      if (state.get(h) === 'busy') cycles.push([...trail.slice(trail.indexOf(h)), f, h].map(name).join(' -> '));
      else if (!state.has(h)) visit(h, [...trail, f]);
    }
    state.set(f, 'done');
  };
  for (const f of g.keys()) if (!state.has(f)) visit(f, []);
  return cycles;
}

/**
 * The floors, bottom first: a folder (or top-level file) of generator/ may import from its own floor and the ones
 * below. Refined from the brief's list where the code showed a finer order: preprocess, parse and resolve are three
 * floors (each reads the one before's output), and the outputs (emit, render, verify, check, decode, diff) share one.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['core', 'diagnostics.ts', 'c', 'runtime'],
  ['target'],
  ['preprocess'],
  ['parse'],
  ['resolve'],
  ['layout'],
  ['plan'],
  ['emit', 'render', 'verify', 'check', 'decode', 'diff'],
  ['project'],
  ['node', 'config', 'plugin', 'cli', 'pipeline.ts', 'browser.ts', 'index.ts'],
];
/** Files whose floor is not their folder's: the type sizer that resolve (sizeof in constant expressions) and layout
 * share sits in layout/ but below resolve.ts (issue 19.8: one sizer for both). A file listed here that no longer
 * exists is simply not looked up. */
const FILE_FLOORS: { readonly [file: string]: string } = {
  'layout/sizer.ts': 'resolve', 'layout/algorithms.ts': 'resolve', 'layout/types.ts': 'resolve',
};

const rel = (f: string) => path.relative(GEN, f).split(path.sep).join('/');
function floorOf(f: string): number {
  const r = rel(f);
  const top = FILE_FLOORS[r] ?? r.split('/')[0]!;
  const i = FLOORS.findIndex((fl) => fl.includes(top));
  if (i < 0) throw new Error(`generator/${r}: its folder '${top}' is on no floor; add it to FLOORS in test/architecture.test.ts`);
  return i;
}

/** Folders and files whose code runs in the browser entry too (generator/browser.ts): no `node:` module, no native
 * addon, no import of a file that is not portable itself. verify/ runs compilers (clang.ts, compare.ts read clang's
 * own output); only its asserts are portable. test/browser/entry.test.ts also bundles the entry for the browser and
 * fails on any Node built-in. */
const PORTABLE = ['core', 'target', 'layout', 'plan', 'emit', 'runtime', 'preprocess', 'parse', 'resolve', 'c', 'render', 'decode', 'check', 'diff', 'project',
  'verify/asserts.ts', 'diagnostics.ts', 'browser.ts'];
const portable = (f: string) => {
  const r = rel(f);
  return PORTABLE.includes(r) || PORTABLE.includes(r.split('/')[0]!);
};

/** Imports that go up a floor, as `from -> to`. */
function upward(g: ReadonlyMap<string, readonly string[]>, floor: (f: string) => number): string[] {
  const out: string[] = [];
  for (const [f, deps] of g) for (const d of deps) if (floor(d) > floor(f)) out.push(`${rel(f)} -> ${rel(d)}`);
  return out;
}

describe('generator/ architecture', () => {
  it('has no import cycle among its files', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect(findCycles(graph, (f) => path.relative(GEN, f))).toEqual([]);
  });

  it('no file imports from a higher floor', () => {
    expect(upward(graph, floorOf)).toEqual([]);
  });

  it('the runtime imports nothing of the generator (it is emitted as it is)', () => {
    const out = [...graph].filter(([f]) => rel(f).startsWith('runtime/')).flatMap(([f, deps]) => deps.filter((d) => !rel(d).startsWith('runtime/')).map((d) => `${rel(f)} -> ${rel(d)}`));
    expect(out).toEqual([]);
  });

  it('the portable stages import no Node built-in or native module, and no file that is not portable', () => {
    const bad: string[] = [];
    for (const f of files) {
      if (!portable(f)) continue;
      for (const d of graph.get(f) ?? []) if (!portable(d)) bad.push(`${rel(f)} imports ${rel(d)}, which is not portable`);
      for (const spec of importsOf(f)) {
        if (spec.startsWith('node:') || spec === 'tree-sitter' || spec === 'tree-sitter-c' || ['fs', 'path', 'os', 'child_process', 'crypto', 'url'].includes(spec)) {
          bad.push(`${path.relative(ROOT, f)} imports ${spec}`);
        }
      }
      if (/\bprocess\.|\bBuffer\./.test(readFileSync(f, 'utf8'))) bad.push(`${path.relative(ROOT, f)} uses process or Buffer`);
    }
    expect(bad).toEqual([]);
  });

  it('the checks see what they check: type-only imports count, a cycle is found, an import down is fine and one up is not', () => {
    expect(importsOf(path.join(GEN, 'plan/plan.ts'))).toContain('../layout/facts.js');
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(findCycles(g, (f) => f)).toEqual(['a -> b -> c -> a']);
    // every floor is reached by some file, and the floors' order is seen: layout/stage.ts -> target is down, the
    // reverse would be up
    const at = (p: string) => path.join(GEN, p);
    expect(new Set(files.map(floorOf)).size).toBe(FLOORS.length);
    const probe = new Map([[at('layout/stage.ts'), [at('target/index.ts')]], [at('target/index.ts'), [at('project/project.ts')]]]);
    expect(upward(probe, floorOf)).toEqual(['target/index.ts -> project/project.ts']);
    expect(floorOf(at('layout/sizer.ts'))).toBeLessThan(floorOf(at('resolve/resolve.ts')) + 1);
  });
});
