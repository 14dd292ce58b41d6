// The emit stage: a plan in, file contents out, printed by structgen itself (no TypeScript compiler): TypeScript
// modules (`ts`), or JavaScript with declarations beside it (`js+dts`), the runtime following the same choice. It
// renders each module's view model with the templates; it decides nothing: names, owners and representations are
// the plan's. The module of records from included headers is named by its content (`included-<hash>`), so that
// separate runs into one folder never overwrite each other's. A TypeScript module says `// @ts-nocheck` (structgen's
// tests check its bodies under every TypeScript and tsconfig it supports; the user's tsc reads its types) and
// imports, type-only, `<module>.asserts.ts` beside it: its layout asserts, which the user's tsc checks.

import { Hash64, hash64 } from '../core/hash.js';
import { INCLUDED_MODULE, RUNTIME_MODULE, type ModulePlan, type ProjectPlan } from '../plan/plan.js';
import { memoryViewRecords, moduleVM, type ModuleContext, type ModuleVM, type RecordVM } from './view-model.js';
import { commentText } from './text.js';
import { eachBlock, renderedList, templates } from './templates.js';

export interface EmittedFile {
  /** Relative to the output directory. */
  readonly path: string;
  readonly contents: string;
  /** The input hash the file states (`// Input hash: ...`): it covers everything the file is made from, so two files
   * with one hash have the same contents. */
  readonly hash?: string;
  /** What it is: a header's module (or the included records' one), its declarations, the runtime, or a module's
   * layout asserts (`<module>.asserts.ts`, checked by the user's tsc where the module says `@ts-nocheck`). */
  readonly kind?: 'module' | 'declarations' | 'runtime' | 'asserts';
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
  /** Render each record as its view model is made (default true); false renders each module whole: the same text,
   * for the test that says so. */
  readonly streamed?: boolean;
  /** `ts` only. Default true: the modules and the runtime say `// @ts-nocheck` (the user's tsc reads their types
   * without checking their bodies again: structgen's tests check those), and each module's layout asserts are in
   * `<module>.asserts.ts`, which the module imports type-only so that every program with the module checks them.
   * False: no `@ts-nocheck`, the asserts at the end of the module itself (the user's tsc checks everything). */
  readonly tsNocheck?: boolean;
}

/** The file of a module's layout asserts beside it, without extension (`elf.asserts`, as `--emit-c-asserts` writes
 * `elf.asserts.c`). */
export const assertsFileOf = (moduleFile: string): string => `${moduleFile}.asserts`;

export function emitModules(plan: ProjectPlan, opts: EmitOptions): EmittedFile[] {
  const emit = opts.emit ?? 'ts';
  const runtime = opts.runtimeImport ?? `./${RUNTIME_MODULE}.js`;
  const nocheck = emit === 'ts' && (opts.tsNocheck ?? true);
  // the hash of JSON.stringify([version, target, options, emit, runtime, ('nocheck'), m.fingerprint]), the
  // fingerprint's literal hashed as it is escaped, a record at a time (a module of 100,000 records has a fingerprint
  // of 150 MB: never made)
  const head = JSON.stringify([opts.version, plan.target, opts.fingerprint ?? '', emit, runtime, ...(nocheck ? ['nocheck'] : [])]);
  const hashOf = (m: ModulePlan) => {
    const h = new Hash64().update(`${head.slice(0, -1)},"`);
    m.hashFingerprint(h);
    return h.update('"]').digest();
  };
  const hashes = new Map(plan.modules.map((m) => [m.name, hashOf(m)]));
  const fileOf = (module: string) => (module === INCLUDED_MODULE ? `${INCLUDED_MODULE}-${hashes.get(module)!.slice(0, 8)}` : module);
  const files: EmittedFile[] = [];
  const wasm = isWasmTarget(plan.target);
  // views over a WebAssembly memory (their types, pointer notes, the runtime's code) only for WebAssembly targets
  const memory = wasm ? memoryViewRecords(plan) : null;
  const t = templates();
  for (const m of plan.modules) {
    const hash = hashes.get(m.name)!;
    const base = fileOf(m.name);
    // the module's code imports the runtime for its records, enums and helpers; its declarations for types only
    // with `nocheck`, the layout asserts are a file of their own (`asserts`: its specifier), for records only
    const asserts = nocheck && m.records.length > 0 ? `./${assertsFileOf(base)}.js` : '';
    const moduleContext = (vm: ModuleVM) => ({ ...vm, ...header(m, vm, plan.target, opts.version, hash), runtime, usesRuntime: vm.records.length + vm.enums.length + vm.helpers.length > 0, nocheck, asserts });
    const declarationsContext = (vm: ModuleVM) => ({ ...moduleContext(vm), usesRuntime: vm.records.length + vm.enums.length > 0 });
    const { texts, layoutChecks } = renderModule(m, { fileOf, le: plan.littleEndian, memory }, opts.streamed ?? true, emit === 'ts'
      ? [{ render: t.module, ts: true, context: moduleContext }]
      : [{ render: t.module, ts: false, context: moduleContext }, { render: t.declarations, ts: true, context: declarationsContext }]);
    if (emit === 'ts') {
      files.push({ path: `${base}.ts`, contents: texts[0]!, hash, kind: 'module' });
      if (asserts) files.push({ path: `${assertsFileOf(base)}.ts`, contents: t.asserts({ version: opts.version, module: base, runtime, layoutChecks }, { data: { ts: true } }), kind: 'asserts' });
    } else {
      files.push({ path: `${base}.js`, contents: texts[0]!, hash, kind: 'module' });
      files.push({ path: `${base}.d.ts`, contents: texts[1]!, hash, kind: 'declarations' });
    }
  }
  if (opts.runtimeImport === undefined) files.push(...runtimeFiles(opts.version, emit, wasm, nocheck));
  return files.sort((x, y) => x.path.localeCompare(y.path));
}

interface ModuleRender {
  readonly render: (context: unknown, options?: { data?: { ts: boolean } }) => string;
  readonly ts: boolean;
  /** The template's context for the module's view model. */
  context(vm: ModuleVM): object;
}

/** The texts of one module, one per template. Streamed: each record is rendered (by every template) as soon as its
 * view model is made, and only its text is kept, so that the view models of a module's records are never all held
 * at once (a module of 100,000 records: about 700 MB of them); a template that does not iterate the records in one
 * plain `{{#each records}}` is rendered whole, as it is when `streamed` is false. The text is the same either way. */
export function renderModule(m: ModulePlan, mctx: ModuleContext, streamed: boolean, renders: readonly ModuleRender[]): { texts: string[]; streamed: boolean; layoutChecks: ModuleVM['layoutChecks'] } {
  const n = m.records.length;
  // the contexts start as those of the module without its records, enums and constants: every name the templates
  // read is there (they are compiled strict) when eachBlock renders them to find their records block
  const shell = streamed ? moduleVM({ ...m, records: [], enums: [], constants: [] }, mctx) : null;
  const contexts = renders.map((r): { [key: string]: unknown } => (shell ? { ...r.context(shell) } : {}));
  const blocks = streamed ? renders.map((r, k) => eachBlock(r.render, contexts[k]!, 'records', n, { ts: r.ts })) : [];
  const items = streamed && blocks.every((b) => b !== null) ? renders.map(() => new Array<string>(n)) : null;
  const vm = moduleVM(m, items ? {
    ...mctx,
    record: (r, i) => {
      blocks.forEach((b, k) => { items[k]![i] = b!(r, i, n); });
      return { name: r.name } as RecordVM; // what the module's view model reads of a record after it is made
    },
  } : mctx);
  const texts = renders.map((r, k) => {
    const c = Object.assign(contexts[k]!, r.context(vm));
    if (items) c.records = renderedList(items[k]!);
    return r.render(c, { data: { ts: r.ts } });
  });
  return { texts, streamed: items !== null, layoutChecks: vm.layoutChecks };
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
 * WebAssembly target (`wasm`) with the code of views over a WebAssembly memory, else without it. `nocheck` (`ts`,
 * default true): the source says `// @ts-nocheck`. */
export function runtimeFiles(version: string, emit: EmitTarget = 'ts', wasm = false, nocheck = true): EmittedFile[] {
  const t = wasm ? templates().wasmRuntime : templates().runtime;
  const stamp = (text: string, what: string) => `// @generated by structgen ${version}: ${what} of structgen's decoder modules. Do not edit.\n${text}`;
  const hash = hash64(JSON.stringify([version, emit, t.source, ...(emit === 'ts' && !nocheck ? ['checked'] : [])]));
  // `@ts-nocheck`: the runtime was type-checked (strict) when structgen was built, and the compile matrix checks it
  // under every TypeScript and tsconfig it supports; the user's tsc still reads its types where modules use them, but
  // does not check its function bodies again (half of the time tsc spent on three headers' modules), as skipLibCheck
  // spares declaration files. TypeScript 5.0 reads the directive only alone on its line.
  if (emit === 'ts') {
    const text = nocheck ? `// Checked when structgen was built: your tsc reads its types without checking its bodies again.\n// @ts-nocheck\n${t.source}` : t.source;
    return [{ path: `${RUNTIME_MODULE}.ts`, contents: stamp(text, 'the shared runtime'), hash, kind: 'runtime' }];
  }
  return [
    { path: `${RUNTIME_MODULE}.js`, contents: stamp(t.js, 'the shared runtime'), hash, kind: 'runtime' },
    { path: `${RUNTIME_MODULE}.d.ts`, contents: stamp(t.dts, 'the declarations of the shared runtime'), hash, kind: 'declarations' },
  ];
}

/** The runtime as TypeScript, as users get it with `emit: 'ts'` (`wasm`: for a WebAssembly target). */
export function runtimeFile(version: string, wasm = false): string {
  return runtimeFiles(version, 'ts', wasm)[0]!.contents;
}
