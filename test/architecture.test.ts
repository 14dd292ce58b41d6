// The shape of generator/: data flows one way (no import cycle among its files), and the stages that must also run
// in a browser import no Node built-in. Imports are read with TypeScript's own pre-processor, so every form counts
// (`import type`, `export ... from`, dynamic `import()`).

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

/** Folders (and top-level files) whose code runs in the browser entry too (generator/browser.ts): no `node:` module,
 * no native addon. test/browser/entry.test.ts also bundles the entry for the browser and fails on any Node built-in. */
const PORTABLE = ['core', 'target', 'layout', 'plan', 'emit', 'runtime', 'preprocess', 'parse', 'resolve', 'c', 'render', 'decode', 'diagnostics.ts', 'browser.ts'];

describe('generator/ architecture', () => {
  it('has no import cycle among its files', () => {
    expect(graph.size).toBeGreaterThan(30);
    expect(findCycles(graph, (f) => path.relative(GEN, f))).toEqual([]);
  });

  it('the portable stages import no Node built-in or native module', () => {
    const bad: string[] = [];
    for (const f of files) {
      const folder = path.relative(GEN, f).split(path.sep)[0]!;
      if (!PORTABLE.includes(folder)) continue;
      for (const spec of importsOf(f)) {
        if (spec.startsWith('node:') || spec === 'tree-sitter' || spec === 'tree-sitter-c' || ['fs', 'path', 'os', 'child_process', 'crypto', 'url'].includes(spec)) {
          bad.push(`${path.relative(ROOT, f)} imports ${spec}`);
        }
      }
      if (/\bprocess\.|\bBuffer\./.test(readFileSync(f, 'utf8'))) bad.push(`${path.relative(ROOT, f)} uses process or Buffer`);
    }
    expect(bad).toEqual([]);
  });

  it('the checks see what they check: type-only imports count, and a cycle is found', () => {
    expect(importsOf(path.join(GEN, 'plan/plan.ts'))).toContain('../layout/facts.js');
    const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    expect(findCycles(g, (f) => f)).toEqual(['a -> b -> c -> a']);
  });
});
