// The emitted TypeScript as users compile it: `generated/` is the golden output of headers/ (regenerated in
// memory here, byte for byte; rerunning gives identical bytes), and emitted modules, for headers/ and for a
// sample of Linux UAPI headers, compile under `tsc --strict --noUncheckedIndexedAccess` with `module: nodenext`
// and contain no `any`. Hostile C names cannot break out of identifiers or comments.

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { analyzeHeader, generateFromAnalyses, generateModules, type HeaderAnalysis } from '../../generator/pipeline.js';
import { LexCache } from '../../generator/preprocess/preprocess.js';
import type { EmittedFile } from '../../generator/emit/emit.js';
import { tempFile } from '../helpers/compiler.js';
import { generateOrThrow, materialize, typecheck } from '../helpers/generated.js';

const ROOT = path.resolve(__dirname, '../..');
const HEADERS = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => `headers/${f}`);

/** `any` written as a type anywhere in the code (comments and strings aside). */
function anyUses(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return code.split('\n').filter((l) => /(:\s*any\b|\bas any\b|<any>|\bany\[\])/.test(l));
}

describe('generated/ is the golden output of headers/', () => {
  const cwd = process.cwd();
  it('regenerating in memory gives the committed files byte for byte, twice', () => {
    process.chdir(ROOT);
    try {
      const a = generateOrThrow(HEADERS);
      const b = generateOrThrow(HEADERS);
      expect(b).toEqual(a);
      const onDisk = readdirSync(path.join(ROOT, 'generated')).sort();
      expect(onDisk).toEqual(a.map((f) => f.path).sort());
      for (const f of a) {
        expect(readFileSync(path.join(ROOT, 'generated', f.path), 'utf8'), `generated/${f.path} is stale: run npm run example`).toBe(f.contents);
      }
    } finally {
      process.chdir(cwd);
    }
  });
});

// A big-endian target and a Microsoft one beside x86_64: byte order, bit numbering and MSVC layout show in the
// emitted code, so their output is golden too (test/emit/golden/<triple>/; STRUCTGEN_UPDATE_GOLDEN=1 rewrites it).
const GOLDEN_TARGETS = ['powerpc-linux-gnu', 'x86_64-pc-windows-msvc'];
const RUNTIME_FILE = 'structgen-runtime.ts';
describe('golden modules for other targets', () => {
  const cwd = process.cwd();
  for (const target of GOLDEN_TARGETS) {
    it(`${target}: regenerating gives test/emit/golden/${target}/ byte for byte, and it type-checks`, async () => {
      process.chdir(ROOT);
      let files: readonly EmittedFile[];
      try {
        files = generateOrThrow(HEADERS, { target });
      } finally {
        process.chdir(cwd);
      }
      const dir = path.join(ROOT, 'test/emit/golden', target);
      // the runtime is the same for every target: it must equal generated/'s (held fresh above), not a third copy
      const runtime = files.find((f) => f.path === RUNTIME_FILE);
      expect(runtime?.contents).toBe(readFileSync(path.join(ROOT, 'generated', RUNTIME_FILE), 'utf8'));
      const modules = files.filter((f) => f !== runtime);
      if (process.env.STRUCTGEN_UPDATE_GOLDEN) {
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const f of modules) writeFileSync(path.join(dir, f.path), f.contents);
      }
      expect(readdirSync(dir).sort()).toEqual(modules.map((f) => f.path).sort());
      for (const f of modules) {
        expect(readFileSync(path.join(dir, f.path), 'utf8'), `test/emit/golden/${target}/${f.path} is stale: run npm run golden`).toBe(f.contents);
      }
      expect(await typecheck(files)).toEqual([]);
    });
  }
});

describe('emitted modules compile under tsc --strict --noUncheckedIndexedAccess (nodenext)', () => {
  it('generated/ type-checks and has no any', async () => {
    const files = readdirSync(path.join(ROOT, 'generated')).map((f) => ({ path: f, contents: readFileSync(path.join(ROOT, 'generated', f), 'utf8') }));
    expect(await typecheck(files)).toEqual([]);
    for (const f of files) expect(anyUses(f.contents), f.path).toEqual([]);
  });

  const UAPI_DIR = '/usr/include/linux';
  it.skipIf(!existsSync(UAPI_DIR))('a sample of Linux UAPI headers type-checks and has no any', async () => {
    const cache = new LexCache();
    const all = readdirSync(UAPI_DIR).filter((f) => f.endsWith('.h')).sort().filter((_, i) => i % 5 === 2).map((f) => path.join(UAPI_DIR, f));
    const ok: HeaderAnalysis[] = [];
    for (const h of all) {
      await new Promise((r) => setImmediate(r)); // one header at a time, so vitest's worker can answer its runner
      const a = analyzeHeader(h, { cache, evaluateDefines: true });
      if (!hasErrors(a.diagnostics)) ok.push(a);
    }
    expect(ok.length).toBeGreaterThan(all.length * 0.75);
    const run = generateFromAnalyses(ok, { cache });
    expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await typecheck(run.files)).toEqual([]);
    for (const f of run.files) expect(anyUses(f.contents), f.path).toEqual([]);
  });
});

describe('hostile names and comments', () => {
  it('reserved words and prototype names are renamed predictably; header text cannot end a comment', async () => {
    const h = tempFile('hostile.h', [
      '#define package 3',
      '#define EVIL "*/ throw 1; /*"',
      'struct constructor { int delete; int __proto__; int constructor; int $x; int prototype; };',
      'typedef struct { int yield; int await; } function;',
      'enum class { new = 1, typeof = 2 };',
      'struct s { int x; } /* */;',
    ].join('\n'));
    const files = generateOrThrow([h]);
    expect(await typecheck(files)).toEqual([]);
    const mod = files.find((f) => f.path === 'hostile.ts')!.contents;
    // a comment line closes once, at its end; the string's `*/` stays inside the string literal
    for (const l of mod.split('\n').filter((x) => x.trimStart().startsWith('/**'))) expect(l.indexOf('*/'), l).toBe(l.length - 2);
    expect(mod).toMatch(/^EVIL = "\*\/ throw 1; \/\*"[,;]$/m);
    const m = await materialize(files).load('hostile');
    const C = m.constructor_ as { size: number; decode(b: Uint8Array): { [k: string]: number } };
    expect(C.size).toBe(20);
    const bytes = new Uint8Array(20);
    new DataView(bytes.buffer).setInt32(4, -7, true);
    new DataView(bytes.buffer).setInt32(8, 9, true);
    const d = C.decode(bytes);
    expect(Object.keys(d)).toEqual(['delete', '__proto___', 'constructor_', '$x_', 'prototype_']);
    expect(d.__proto___).toBe(-7);
    expect(d.constructor_).toBe(9);
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect((m.function_ as { size: number }).size).toBe(8);
    expect(m.class_).toEqual({ new: 1, typeof: 2 });
    expect(m.EVIL).toBe('*/ throw 1; /*');
    expect(m.package_).toBe(3);
  });
});
