// `structgen/browser` driven from Node (web-tree-sitter runs there too): `init()` with the wasm given as bytes, what
// the pipeline refuses before it, and where the browser environment differs from Node's - only the file map and the
// built-in freestanding headers are read, and an external preprocessor is refused with a diagnostic.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as sg from '../../generator/browser.js';

const require = createRequire(import.meta.url);

describe('structgen/browser from Node', () => {
  it('refuses to run before init(), then runs on wasm given as bytes', async () => {
    expect(sg.ready()).toBe(false);
    expect(() => sg.layoutHeaders(['a.h'], { files: { 'a.h': 'struct a { int x; };' } })).toThrow(/init\(\)/);
    const lang = readFileSync(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
    const rt = readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'));
    const p = sg.init({ languageWasm: new Uint8Array(lang), runtimeWasm: rt.buffer.slice(rt.byteOffset, rt.byteOffset + rt.byteLength) });
    expect(sg.init()).toBe(p); // one load, however often it is asked
    await p;
    expect(sg.ready()).toBe(true);
    const run = sg.layoutHeaders(['a.h'], { files: { 'a.h': '#include <stdint.h>\nstruct a { uint8_t c; uint64_t x; };' }, target: 'i386-linux-gnu' });
    expect(run.diagnostics).toEqual([]);
    // i386 aligns a 64-bit integer member to 4 (the System V i386 ABI), x86_64 to 8
    expect(run.report!.records.map((r) => [r.name, r.size, r.align])).toEqual([['a', 12, 4]]);
    expect(sg.layout(['a.h'], { files: { 'a.h': '#include <stdint.h>\nstruct a { uint8_t c; uint64_t x; };' } }).report!.records[0]!.size).toBe(16);
  });

  it('reads only the file map and the built-in headers; no external preprocessor', async () => {
    await sg.init();
    const files = new Map([['src/a.h', '#include "b.h"\n#include <sys/time.h>\nstruct a { struct b b; };'], ['src/b.h', 'struct b { short s; };']]);
    const run = sg.layoutHeaders(['src/a.h'], { files });
    const err = run.diagnostics.find((d) => d.severity === 'error')!;
    expect(sg.formatDiagnostic(err)).toMatch(/^src\/a\.h:2:\d+: error: .*sys\/time\.h/);
    files.set('src/a.h', '#include "b.h"\nstruct a { struct b b; char c; };');
    expect(sg.layoutHeaders(['src/a.h'], { files }).report!.records.map((r) => [r.name, r.size])).toEqual([['a', 4]]);
    const cpp = sg.analyzeHeader('src/a.h', { files, cpp: 'cpp -P' });
    expect(cpp.diagnostics.map((d) => d.code)).toEqual(['cpp-unavailable']);
  });

  it('openProject: the project layer over the file map, each header analysed once per target', async () => {
    await sg.init();
    const files = { 'a.h': '#include "b.h"\nstruct a { struct b b; char c; };', 'b.h': '#include <stdint.h>\nstruct b { int64_t x; };' };
    const reads: string[] = [];
    const host = { readFile: (p: string) => { reads.push(p); return (files as { [k: string]: string })[p] ?? null; } };
    const p = sg.openProject({ headers: ['a.h', 'b.h'], targets: ['i386-linux-gnu', 'x86_64-linux-gnu'], host });
    const sizes = p.targets.map((t) => p.output('layoutReport', t)!.records.map((r) => [r.name, r.size]));
    // int64_t is 4-byte aligned on i386
    expect(sizes).toEqual([[['a', 12], ['b', 8]], [['a', 16], ['b', 8]]]);
    const modules = p.files([{ output: 'modules' }])!;
    expect(modules.map((f) => f.path).sort()).toEqual([
      'i386-linux-gnu/a.asserts.ts', 'i386-linux-gnu/a.ts', 'i386-linux-gnu/b.asserts.ts', 'i386-linux-gnu/b.ts', 'i386-linux-gnu/structgen-runtime.ts',
      'x86_64-linux-gnu/a.asserts.ts', 'x86_64-linux-gnu/a.ts', 'x86_64-linux-gnu/b.asserts.ts', 'x86_64-linux-gnu/b.ts', 'x86_64-linux-gnu/structgen-runtime.ts',
    ]);
    // one lexing cache: each file read once, whatever the headers and targets
    expect(reads.filter((f) => f === 'b.h')).toEqual(['b.h']);
    const one = sg.generateModules(['a.h', 'b.h'], { files, target: 'i386-linux-gnu' });
    expect(modules.filter((f) => f.path.startsWith('i386')).map((f) => f.contents)).toEqual(one.files.map((f) => f.contents));
  });
});
