// Test helpers around emitted modules: generate for some headers, write the TypeScript to a temporary folder,
// transpile each file to JavaScript (TypeScript's own transpiler, no bundler) and import it as a user would.

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { formatDiagnostic, hasErrors } from '../../generator/diagnostics.js';
import { generateModules, type GenerateOptions } from '../../generator/pipeline.js';
import type { EmittedFile } from '../../generator/emit/emit.js';

const execFileAsync = promisify(execFile);

/** A loaded module: its exports by name (codecs, views, enums, constants). */
export type Loaded = { readonly [name: string]: unknown };

export interface GeneratedSet {
  readonly dir: string;
  readonly files: readonly EmittedFile[];
  load(module: string): Promise<Loaded>;
}

export function generateOrThrow(headers: readonly string[], opts: GenerateOptions = {}): readonly EmittedFile[] {
  const run = generateModules(headers, opts);
  if (hasErrors(run.diagnostics)) throw new Error(run.diagnostics.map(formatDiagnostic).join('\n'));
  return run.files;
}

/** Writes `files` (TypeScript and transpiled JavaScript) into a fresh folder and returns a loader. */
export function materialize(files: readonly EmittedFile[], prefix = 'structgen-gen-'): GeneratedSet {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const f of files) {
    const p = path.join(dir, f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, f.contents);
    // JavaScript and declarations (emit 'js+dts') are used as they are
    if (f.path.endsWith('.d.ts') || f.path.endsWith('.js')) continue;
    const js = ts.transpileModule(f.contents, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: f.path,
    }).outputText;
    writeFileSync(p.replace(/\.ts$/, '.js'), js);
  }
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  return {
    dir,
    files,
    load: async (module: string) => (await import(pathToFileURL(path.join(dir, `${module}.js`)).href)) as Loaded,
  };
}

export async function generateAndLoad(headers: readonly string[], opts: GenerateOptions = {}): Promise<GeneratedSet> {
  return materialize(generateOrThrow(headers, opts));
}

/** The codec API every record export has (CONTRACTS.md "Emitted modules"). */
export interface AnyCodec {
  readonly name: string;
  readonly size: number;
  readonly align: number;
  decode(src: ArrayBuffer | ArrayBufferView, byteOffset?: number, options?: { strict?: boolean }): { [k: string]: unknown };
  view(src: ArrayBuffer | ArrayBufferView, byteOffset?: number): { [k: string]: unknown };
  encode(value: unknown, dst?: Uint8Array, byteOffset?: number): Uint8Array;
  decodeMany?(src: ArrayBuffer | ArrayBufferView, byteOffset?: number, count?: number): unknown[];
  viewMany?(src: ArrayBuffer | ArrayBufferView, byteOffset?: number, count?: number): { length: number; get(i: number): unknown };
}

export function codec(m: Loaded, name: string): AnyCodec {
  const c = m[name] as AnyCodec | undefined;
  if (!c || typeof c.decode !== 'function') throw new Error(`module has no codec '${name}' (exports: ${Object.keys(m).join(', ')})`);
  return c;
}

const NOCHECK = /^\/\/ @ts-nocheck\n/m;
const isRuntime = (f: { readonly path: string }) => /(?:^|\/)structgen-runtime\.ts$/.test(f.path);

/** The files with their `// @ts-nocheck` taken out (the modules', and with `runtime` the runtime's), so that tsc checks
 * their bodies: users' tsc does not (emit/emit.ts), structgen's tests do. */
export function bodiesChecked<F extends { readonly path: string; readonly contents: string }>(files: readonly F[], { runtime = false } = {}): F[] {
  return files.map((f) => (!runtime && isRuntime(f) ? f : { ...f, contents: f.contents.replace(NOCHECK, '') }));
}

/** Type-checks the files as a user's project would (strict, nodenext); returns the diagnostics as text. The modules'
 * bodies are checked (bodiesChecked) unless `asGenerated`: then as they are, as users' tsc sees them. tsc runs in a
 * child process, so the test's worker stays free to answer vitest while it works. */
export async function typecheck(files: readonly EmittedFile[], extra: ts.CompilerOptions = {}, { asGenerated = false } = {}): Promise<string[]> {
  const set = materialize(asGenerated ? files : bodiesChecked(files), 'structgen-tsc-');
  const roots = files.map((f) => path.join(set.dir, f.path));
  const options: ts.CompilerOptions = {
    strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noImplicitOverride: true,
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], noEmit: true, skipLibCheck: false, types: [], ...extra,
  };
  const child = fileURLToPath(new URL('./typecheck-child.mjs', import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, [child, JSON.stringify({ roots, options })], { maxBuffer: 64 << 20 });
  return JSON.parse(stdout) as string[];
}

