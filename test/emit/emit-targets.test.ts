// Emit targets (`emitModules`): TypeScript, or JavaScript with declarations, printed by structgen with the same exports
// and the same behaviour; the TypeScript runs under Node's type stripping (Node 20 has none: amaro, the stripper Node
// itself uses, in strip-only mode, which refuses syntax it would have to transform); the runtime's import specifier
// is an option; every file states its input hash as data; and the module of included headers' records is named by its
// content, so that two runs into one folder leave both headers' modules compiling.

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import amaro from 'amaro';
import { transform } from 'esbuild';
import tsApi from 'typescript';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import { emitModules, type EmitOptions, type EmittedFile } from '../../generator/emit/emit.js';
import { planModules } from '../../generator/plan/plan.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, typecheck } from '../helpers/generated.js';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = ['netproto', 'telemetry', 'usb_desc'].map((h) => path.join(ROOT, 'headers', `${h}.h`));

function emit(headers: readonly string[], opts: Omit<EmitOptions, 'version'> = {}): EmittedFile[] {
  const plan = planModules(headers.map((h) => {
    const a = analyzeHeader(h, { evaluateDefines: true });
    if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map(formatDiagnostic).join('\n'));
    return a.facts!;
  }));
  if (hasErrors(plan.diagnostics)) throw new Error(plan.diagnostics.map(formatDiagnostic).join('\n'));
  return emitModules(plan, { version: 'test', ...opts });
}

type Module = { readonly [name: string]: unknown };
type Codec = { decode(b: Uint8Array): unknown; encode(v: unknown): Uint8Array; view(b: Uint8Array): { $decode(): unknown } };

/** Writes files (JavaScript as is, TypeScript stripped by amaro) and imports `module`. */
async function load(files: readonly EmittedFile[], module: string, strip: boolean): Promise<Module> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-targets-'));
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  for (const f of files) {
    if (f.path.endsWith('.d.ts')) continue;
    const text = strip ? amaro.transformSync(f.contents, { mode: 'strip-only' }).code : f.contents;
    writeFileSync(path.join(dir, f.path.replace(/\.ts$/, '.js')), text);
  }
  return (await import(pathToFileURL(path.join(dir, `${module}.js`)).href)) as Module;
}

describe('emit targets', () => {
  it('ts writes X.ts; js+dts writes X.js and X.d.ts beside it; the runtime follows the same choice', () => {
    expect(emit(EXAMPLES).map((f) => f.path)).toEqual([
      'netproto.asserts.ts', 'netproto.ts', 'structgen-runtime.ts', 'telemetry.asserts.ts', 'telemetry.ts', 'usb_desc.asserts.ts', 'usb_desc.ts']);
    expect(emit(EXAMPLES, { emit: 'js+dts' }).map((f) => f.path)).toEqual([
      'netproto.d.ts', 'netproto.js', 'structgen-runtime.d.ts', 'structgen-runtime.js', 'telemetry.d.ts', 'telemetry.js', 'usb_desc.d.ts', 'usb_desc.js']);
    const js = emit(EXAMPLES, { emit: 'js+dts' });
    for (const f of js.filter((x) => x.path.endsWith('.js'))) {
      // JavaScript: no type annotation, no `as`, no type-only import left
      expect(f.contents, f.path).not.toMatch(/\bas const\b|^export (interface|type) |import type |\): \w+ =>|: DataView\b/m);
    }
  });

  it('the TypeScript runs under Node\'s type stripping (amaro strip-only) and the JavaScript behaves the same, export for export', async () => {
    const ts = await load(emit(EXAMPLES), 'telemetry', true);
    const js = await load(emit(EXAMPLES, { emit: 'js+dts' }), 'telemetry', false);
    expect(Object.keys(js).sort()).toEqual(Object.keys(ts).sort());
    const bytes = new Uint8Array(256).map((_, i) => (i * 37) & 0xff);
    for (const name of ['reading', 'telemetry_record']) {
      const a = ts[name] as Codec;
      const b = js[name] as Codec;
      expect(b.decode(bytes)).toEqual(a.decode(bytes));
      expect(b.view(bytes).$decode()).toEqual(a.decode(bytes));
      expect(b.encode(b.decode(bytes))).toEqual(a.encode(a.decode(bytes)));
    }
  });

  it('the declarations describe the JavaScript: a consumer type-checks against them, and a wrong use does not', async () => {
    const files = emit(EXAMPLES, { emit: 'js+dts' }).filter((f) => f.path.endsWith('.d.ts'));
    const use = (body: string) => [...files, { path: 'use.ts', contents: `import { ipv4_header, ip_protocol, IP_DF, type ipv4_headerView } from './netproto.js';\n${body}\n` }];
    expect(await typecheck(use([
      'const h = ipv4_header.decode(new Uint8Array(20));',
      'export const n: number = h.ttl + IP_DF + ip_protocol.IPPROTO_TCP_;',
      'export const v: ipv4_headerView = ipv4_header.view(new Uint8Array(20));',
      'export const size: 20 = ipv4_header.size;',
    ].join('\n')))).toEqual([]);
    const wrong = await typecheck(use('export const s: string = ipv4_header.decode(new Uint8Array(20)).ttl;'));
    expect(wrong.join('\n')).toMatch(/Type 'number' is not assignable to type 'string'/);
  });

  it('the runtime is imported by the specifier given, and then not emitted', () => {
    const files = emit(EXAMPLES, { runtimeImport: 'structgen/runtime' });
    expect(files.map((f) => f.path)).toEqual(['netproto.asserts.ts', 'netproto.ts', 'telemetry.asserts.ts', 'telemetry.ts', 'usb_desc.asserts.ts', 'usb_desc.ts']);
    for (const f of files) {
      expect(f.contents).toContain(f.kind === 'asserts' ? "import type * as $rt from 'structgen/runtime';" : "import * as $rt from 'structgen/runtime';");
      expect(f.contents).not.toContain('structgen-runtime');
    }
  });

  it('each file carries its input hash as data: the hash its first lines state, changing with what it is made from', () => {
    const a = emit(EXAMPLES);
    for (const f of a.filter((x) => x.kind === 'module')) expect(f.contents.split('\n')[1]).toBe(`// Input hash: ${f.hash}`);
    const b = emit(EXAMPLES, { fingerprint: 'other options' });
    expect(b.find((f) => f.path === 'netproto.ts')!.hash).not.toBe(a.find((f) => f.path === 'netproto.ts')!.hash);
    expect(emit(EXAMPLES, { emit: 'js+dts' }).find((f) => f.path === 'netproto.js')!.hash).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('the module of included headers\' records is named by its content (issue 19.4)', () => {
  it('generate a.h -o out; generate b.h -o out: both modules keep compiling', async () => {
    const inc = tempFile('types.h', 'struct point { int x, y; };\nstruct size { unsigned w, h; };\n');
    const a = tempFile('a.h', `#include "${inc}"\nstruct a { struct point p; };\n`);
    const b = tempFile('b.h', `#include "${inc}"\nstruct b { struct size s; struct point q; };\n`);
    const runA = emit([a]);
    const runB = emit([b]);
    const included = (files: readonly EmittedFile[]) => files.find((f) => /^included-[0-9a-f]{8}\.ts$/.test(f.path))!.path;
    expect(included(runA)).not.toBe(included(runB));
    expect(runA.find((f) => f.path === 'a.ts')!.contents).toContain(`from './${included(runA).replace(/\.ts$/, '.js')}'`);
    // the folder after both runs: every file either run wrote (the runtime is the same)
    const out = new Map([...runA, ...runB].map((f) => [f.path, f]));
    expect(await typecheck([...out.values()])).toEqual([]);
    // the same records give the same name (and the same text): a second run of a.h overwrites nothing with other content
    expect(included(emit([a]))).toBe(included(runA));
  });

  it('a folder a run wrote before is left as it was: files are only ever added or replaced by the same name\'s content', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-included-'));
    mkdirSync(dir, { recursive: true });
    const inc = tempFile('t.h', 'struct t { int v; };\n');
    const first = emit([tempFile('one.h', `#include "${inc}"\nstruct one { struct t a; };\n`)]);
    const second = emit([tempFile('two.h', `#include "${inc}"\nstruct two { struct t a; long b; };\n`)]);
    const names = (fs: readonly EmittedFile[]) => new Map(fs.map((f) => [f.path, f.contents]));
    const n1 = names(first);
    for (const [p, text] of names(second)) if (n1.has(p)) expect(text, p).toBe(n1.get(p));
  });
});

/** A file's text before its first statement. */
const headBeforeCode = (text: string) => text.slice(0, text.search(/^(export|import|const|let|function|class|type|interface|true) /m));

describe('modules say `// @ts-nocheck`; their layout asserts are a file beside them, which users\' tsc checks (issue 19.6)', () => {
  it('each module: the directive alone on a line after a comment saying why, before its first statement, then a type-only import of X.asserts.ts', () => {
    const files = emit(EXAMPLES);
    for (const m of files.filter((f) => f.kind === 'module')) {
      const head = headBeforeCode(m.contents).split('\n');
      expect(head, m.path).toContain('// @ts-nocheck');
      expect(head[head.indexOf('// @ts-nocheck') - 1], m.path).toMatch(/^\/\/ Checked by structgen's tests/);
      expect(headBeforeCode(m.contents), m.path).not.toMatch(/^\s*[^/\s*]/m);
      const asserts = m.path.replace(/\.ts$/, '.asserts.ts');
      expect(m.contents, m.path).toContain(`\nimport type {} from './${asserts.replace(/\.ts$/, '.js')}';\n`);
      expect(m.contents, m.path).not.toContain('satisfies');
      const a = files.find((f) => f.path === asserts)!;
      expect(a.kind).toBe('asserts');
      expect(a.contents).toMatch(/^\/\/ @generated by structgen test: /);
      expect(a.contents).not.toContain('@ts-nocheck');
      expect(a.contents).toContain(`import type * as m from './${m.path.replace(/\.ts$/, '.js')}';`);
      // every record of the module, and nothing else, is checked
      const records = [...m.contents.matchAll(/^export const (\w+)\$layout = /gm)].map((x) => x[1]);
      const checked = [...a.contents.matchAll(/^true satisfies \$rt\.LayoutChecksOf<typeof m, \[(.*)\]>;$/gm)].flatMap((x) => JSON.parse(`[${x[1]}]`) as string[]);
      expect(checked.sort(), a.path).toEqual(records.sort());
    }
    // a module with no record has the directive and nothing to assert
    const noRecords = emit([tempFile('consts.h', '#define A 1\nenum e { E1 = 2 };\n')]);
    expect(noRecords.map((f) => f.path)).toEqual(['consts.ts', 'structgen-runtime.ts']);
    expect(headBeforeCode(noRecords[0]!.contents).split('\n')).toContain('// @ts-nocheck');
    expect(noRecords[0]!.contents).not.toContain('asserts');
  });

  it('the JavaScript has no trace of the asserts: structgen\'s js+dts, tsc (verbatimModuleSyntax or not), esbuild, Node\'s type stripping', async () => {
    const js = emit(EXAMPLES, { emit: 'js+dts' });
    expect(js.map((f) => f.path).filter((p) => p.includes('asserts'))).toEqual([]);
    for (const f of js.filter((x) => !x.path.startsWith('structgen-runtime.'))) expect(f.contents, f.path).not.toMatch(/asserts|LayoutChecks|satisfies/);
    for (const m of emit(EXAMPLES).filter((f) => f.kind === 'module')) {
      const outputs = [
        (await transform(m.contents, { loader: 'ts', format: 'esm' })).code,
        (await transform(m.contents, { loader: 'ts', format: 'esm', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } })).code,
        amaro.transformSync(m.contents, { mode: 'strip-only' }).code,
        ...[true, false].map((verbatimModuleSyntax) => tsApi.transpileModule(m.contents, {
          fileName: m.path, compilerOptions: { module: tsApi.ModuleKind.ESNext, target: tsApi.ScriptTarget.ES2022, verbatimModuleSyntax },
        }).outputText),
      ];
      for (const out of outputs) expect(out.replace(/^\/\/.*\n/gm, ''), m.path).not.toMatch(/asserts|LayoutChecks|satisfies/);
    }
  });

  it('tsNocheck: false writes what users\' tsc checks whole: no directive, no asserts file, the asserts at the end of each module', async () => {
    const files = emit(EXAMPLES, { tsNocheck: false });
    expect(files.map((f) => f.path)).toEqual(['netproto.ts', 'structgen-runtime.ts', 'telemetry.ts', 'usb_desc.ts']);
    for (const f of files) expect(f.contents, f.path).not.toMatch(/@ts-nocheck|asserts\.js/);
    expect(files.find((f) => f.path === 'netproto.ts')!.contents).toMatch(/\ntrue satisfies \$rt\.LayoutChecks<\[typeof ipv4_header\$layout, /);
    // its own input hash: a folder written with one setting is stale for the other
    expect(files.find((f) => f.path === 'netproto.ts')!.hash).not.toBe(emit(EXAMPLES).find((f) => f.path === 'netproto.ts')!.hash);
    expect(await typecheck(files, {}, { asGenerated: true })).toEqual([]);
  });
});

describe('the runtime written beside the modules (issue 19.6: weight and tsc time)', () => {
  const PTRS = `struct node { struct node *next; const char *label; int value; };\n`;

  it('its TypeScript says `// @ts-nocheck` alone on a line before its first statement (TypeScript 5.0 reads it only so)', () => {
    const rt = emit(EXAMPLES).find((f) => f.kind === 'runtime')!.contents;
    expect(headBeforeCode(rt).split('\n')).toContain('// @ts-nocheck');
    expect(headBeforeCode(rt)).not.toMatch(/^\s*[^/\s*]/m); // comments only before it
    for (const f of emit(EXAMPLES, { emit: 'js+dts' })) expect(f.contents, f.path).not.toContain('@ts-nocheck');
    expect(emit(EXAMPLES, { tsNocheck: false }).find((f) => f.kind === 'runtime')!.contents).not.toContain('@ts-nocheck');
  });

  it('has the code of views over a WebAssembly memory for WebAssembly targets only; other targets\' modules state no memory types', async () => {
    const h = tempFile('ptrs.h', PTRS);
    const files = (target: string, emit: 'ts' | 'js+dts' = 'ts') => {
      const a = analyzeHeader(h, { evaluateDefines: true, target });
      const plan = planModules([a.facts!]);
      return emitModules(plan, { version: 'test', emit });
    };
    for (const emit of ['ts', 'js+dts'] as const) {
      const host = files('x86_64-linux-gnu', emit);
      const wasm = files('wasm32-unknown-unknown', emit);
      const rt = (fs: EmittedFile[]) => fs.filter((f) => f.path.startsWith('structgen-runtime.')).map((f) => f.contents).join('\n');
      expect(rt(wasm)).toMatch(/function memClass\b/);
      expect(rt(wasm)).toContain('wasmAllocator');
      expect(rt(host)).not.toMatch(/function memClass\b|wasmAllocator|MemoryArray/);
      expect(rt(host).length).toBeLessThan(rt(wasm).length * 0.85);
      const mod = (fs: EmittedFile[]) => fs.filter((f) => f.path.startsWith('ptrs.')).map((f) => f.contents).join('\n');
      expect(mod(wasm)).toMatch(/nodeMemoryView/);
      expect(mod(wasm)).toMatch(/\{ p: \{ next: /);
      expect(mod(host)).not.toMatch(/MemoryView|\{ p: /);
    }
    // the host target's module over a memory: a DecodeError that says what to do
    const m = await (await generateAndLoad([h], { target: 'x86_64-linux-gnu' })).load('ptrs');
    const node = m['node'] as { view(s: unknown, a?: number): unknown; decode(s: unknown): unknown };
    const memory = new WebAssembly.Memory({ initial: 1 });
    expect(() => node.view(memory, 16)).toThrow(/node: views over a WebAssembly\.Memory come with modules generated for a WebAssembly target \(--target wasm32 or wasm64\)/);
    expect(() => node.view(memory, 16)).toThrow(expect.objectContaining({ name: 'DecodeError' }));
    expect(node.decode(new Uint8Array(24))).toEqual({ next: 0n, label: 0n, value: 0 });
  });
});
