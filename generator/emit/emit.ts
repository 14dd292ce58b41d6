// The emit stage: a plan in, file contents out, printed by structgen itself (no TypeScript compiler): TypeScript
// modules (`ts`), or JavaScript with declarations beside it (`js+dts`), the runtime following the same choice. It
// renders each module's view model with the templates; it decides nothing: names, owners and representations are
// the plan's. The module of records from included headers is named by its content (`included-<hash>`), so that
// separate runs into one folder never overwrite each other's.

import { hash64 } from '../core/hash.js';
import { INCLUDED_MODULE, RUNTIME_MODULE, type ModulePlan, type ProjectPlan } from '../plan/plan.js';
import { memoryViewRecords, moduleVM, type ModuleVM } from './view-model.js';
import { commentText } from './text.js';
import { templates } from './templates.js';

export interface EmittedFile {
  /** Relative to the output directory. */
  readonly path: string;
  readonly contents: string;
  /** The input hash the file states (`// Input hash: ...`): it covers everything the file is made from, so two files
   * with one hash have the same contents. */
  readonly hash?: string;
  /** What it is: a header's module (or the included records' one), its declarations, or the runtime. */
  readonly kind?: 'module' | 'declarations' | 'runtime';
}

/** What is emitted: `ts`, TypeScript modules (`X.ts`); `js+dts`, JavaScript and declarations (`X.js`, `X.d.ts`). */
export type EmitTarget = 'ts' | 'js+dts';

export interface EmitOptions {
  readonly version: string;
  /** Anything else that changes the output (options), folded into each module's input hash. */
  readonly fingerprint?: string;
  /** Default `ts`. */
  readonly emit?: EmitTarget;
  /** The specifier modules import the runtime by (the bundler plugin's `structgen/runtime`). Given, no runtime file
   * is emitted (the specifier names one that exists); default `./structgen-runtime.js`, emitted beside the modules. */
  readonly runtimeImport?: string;
}

export function emitModules(plan: ProjectPlan, opts: EmitOptions): EmittedFile[] {
  const emit = opts.emit ?? 'ts';
  const runtime = opts.runtimeImport ?? `./${RUNTIME_MODULE}.js`;
  const hashOf = (m: ModulePlan) => hash64(JSON.stringify([opts.version, plan.target, opts.fingerprint ?? '', emit, runtime, m.fingerprint]));
  const hashes = new Map(plan.modules.map((m) => [m.name, hashOf(m)]));
  const fileOf = (module: string) => (module === INCLUDED_MODULE ? `${INCLUDED_MODULE}-${hashes.get(module)!.slice(0, 8)}` : module);
  const files: EmittedFile[] = [];
  const wasm = isWasmTarget(plan.target);
  // views over a WebAssembly memory (their types, pointer notes, the runtime's code) only for WebAssembly targets
  const memory = wasm ? memoryViewRecords(plan) : null;
  for (const m of plan.modules) {
    const vm = moduleVM(m, { fileOf, le: plan.littleEndian, memory });
    const hash = hashes.get(m.name)!;
    const ctx = { ...vm, ...header(m, vm, plan.target, opts.version, hash), runtime, usesRuntime: vm.records.length + vm.enums.length + vm.helpers.length > 0 };
    const base = fileOf(m.name);
    if (emit === 'ts') {
      files.push({ path: `${base}.ts`, contents: templates().module(ctx, { data: { ts: true } }), hash, kind: 'module' });
    } else {
      files.push({ path: `${base}.js`, contents: templates().module(ctx, { data: { ts: false } }), hash, kind: 'module' });
      files.push({ path: `${base}.d.ts`, contents: templates().declarations({ ...ctx, usesRuntime: vm.records.length + vm.enums.length > 0 }, { data: { ts: true } }), hash, kind: 'declarations' });
    }
  }
  if (opts.runtimeImport === undefined) files.push(...runtimeFiles(opts.version, emit, wasm));
  return files.sort((x, y) => x.path.localeCompare(y.path));
}

function header(m: ModulePlan, vm: ModuleVM, target: string, version: string, hash: string) {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return {
    version, source: commentText(m.source), target, hash,
    summary: `${plural(vm.records.length, 'record')}, ${plural(vm.enums.length, 'enum')}, ${plural(vm.constants.length, 'constant')}`,
  };
}

/** Whether a target's layouts are those of a WebAssembly memory (wasm32, wasm64): its modules' runtime has the code
 * of views over a WebAssembly.Memory (`R.view(memory, address)`), their records the memory view types. */
export function isWasmTarget(target: string): boolean {
  return /^wasm(32|64)(-|$)/.test(target);
}

/** The runtime as users get it, for an emit target: the repository's source (`ts`), or its JavaScript and
 * declarations (`js+dts`, made when structgen itself is built), each with a header naming the version; for a
 * WebAssembly target (`wasm`) with the code of views over a WebAssembly memory, else without it. */
export function runtimeFiles(version: string, emit: EmitTarget = 'ts', wasm = false): EmittedFile[] {
  const t = wasm ? templates().wasmRuntime : templates().runtime;
  const stamp = (text: string, what: string) => `// @generated by structgen ${version}: ${what} of structgen's decoder modules. Do not edit.\n${text}`;
  const hash = hash64(JSON.stringify([version, emit, t.source]));
  // `@ts-nocheck`: the runtime was type-checked (strict) when structgen was built, and the compile matrix checks it
  // under every TypeScript and tsconfig it supports; the user's tsc still reads its types where modules use them, but
  // does not check its function bodies again (half of the time tsc spent on three headers' modules), as skipLibCheck
  // spares declaration files. TypeScript 5.0 reads the directive only alone on its line.
  if (emit === 'ts') return [{ path: `${RUNTIME_MODULE}.ts`, contents: stamp(`// Checked when structgen was built: your tsc reads its types without checking its bodies again.\n// @ts-nocheck\n${t.source}`, 'the shared runtime'), hash, kind: 'runtime' }];
  return [
    { path: `${RUNTIME_MODULE}.js`, contents: stamp(t.js, 'the shared runtime'), hash, kind: 'runtime' },
    { path: `${RUNTIME_MODULE}.d.ts`, contents: stamp(t.dts, 'the declarations of the shared runtime'), hash, kind: 'declarations' },
  ];
}

/** The runtime as TypeScript, as users get it with `emit: 'ts'` (`wasm`: for a WebAssembly target). */
export function runtimeFile(version: string, wasm = false): string {
  return runtimeFiles(version, 'ts', wasm)[0]!.contents;
}
