// `structgen/browser`: the same project layer as the Node API over an in-memory file map, with web-tree-sitter and
// tree-sitter-c's wasm as the C parser. No Node built-in is reachable from here (test/browser/entry.test.ts bundles
// it for the browser and fails on any). Also exports the views of render/ and the value interpreter of decode/, so a
// page (the playground) needs nothing else.
//
//   import { init, layoutHeaders } from 'structgen/browser';
//   await init();   // or init({ languageWasm: url, runtimeWasm: url }) where a bundler moved the .wasm files
//   const run = layoutHeaders(['a.h'], { files: { 'a.h': 'struct s { char c; int i; };' }, target: 'aarch64-linux-gnu' });

import { memoryHost, type FileHost } from './core/host.js';
import { Interpreter } from './decode/interpret.js';
import { hasParserBackend } from './parse/syntax.js';
import { initWasmParser } from './parse/wasm-parser.js';
import { planModules, type PlanOptions, type ProjectPlan } from './plan/plan.js';
import { analyzeHeader as analyzeWith, type HeaderAnalysis, type PipelineEnv, type PipelineOptions } from './project/analyze.js';
import type { GenerateOptions, ProjectOptions } from './project/options.js';
import { Project } from './project/project.js';
import { generateModules as generateWith, layoutHeaders as layoutWith, type GenerateRun, type LayoutRun } from './project/run.js';

export { headerRecords, targetOrError, withOptions } from './project/analyze.js';
export { VERSION } from './core/version.js';
export { generateFromAnalyses } from './project/run.js';
export type {
  FieldReport, HeaderAnalysis, LayoutReport, MacroConstant, PaddingReport, PipelineOptions, RecordReport,
} from './project/analyze.js';
export type { EmitTarget, FieldOverride, GenerateOptions, ProjectOptions, UnionOverride } from './project/options.js';
export type { GenerateRun, LayoutRun } from './project/run.js';
export type { OutputFile } from './project/output.js';
export { Project, type ProjectFacts } from './project/project.js';
export { OUTPUTS, type OutputName } from './project/outputs.js';
export { memoryHost, type FileHost } from './core/host.js';
export { formatDiagnostic, hasErrors, type Diagnostic, type SourcePos } from './diagnostics.js';
export { DEFAULT_TARGET, findTarget, knownTriples, type TargetDesc } from './target/index.js';
export { LexCache } from './preprocess/preprocess.js';
// the views (`layout --format text|svg|html|rfc`)
export { layoutItems, renderView, type ViewFormat } from './render/views.js';
export { renderSvg, svgElement, type SvgOptions } from './render/svg.js';
export { renderHtml } from './render/html.js';
export { renderRfc } from './render/rfc.js';
export { formatReport, formatRecord, type TextOptions } from './render/text.js';
export type { RecordItem } from './render/model.js';
// the value interpreter (`structgen decode` / `dump`)
export { DecodeError, Interpreter, type Decoded, type InterpretOptions } from './decode/interpret.js';
export { recordJson, valueJson, leaves, hex, type Json, type Leaf } from './decode/present.js';
export { dumpRecord, tableRecord, type DumpOptions } from './decode/dump.js';
export { planModules, type ProjectPlan, type RecordPlan } from './plan/plan.js';
export type { EmittedFile } from './emit/emit.js';

/** Where the wasm files are: a URL (string or `URL`) to fetch, or their bytes. */
export type WasmSource = string | URL | Uint8Array | ArrayBuffer;

export interface InitOptions {
  /** tree-sitter-c's `tree-sitter-c.wasm`. Default: `tree-sitter-c.wasm` beside this module (the package ships it
   * there; bundlers that follow `new URL(..., import.meta.url)` - Vite, webpack 5, Parcel - copy it as an asset). */
  readonly languageWasm?: WasmSource;
  /** web-tree-sitter's runtime `web-tree-sitter.wasm`. Default: web-tree-sitter's own lookup, beside its module (which
   * the same bundlers follow). */
  readonly runtimeWasm?: WasmSource;
}

const bytesOf = (w: Uint8Array | ArrayBuffer): Uint8Array => (w instanceof Uint8Array ? w : new Uint8Array(w));
const isBytes = (w: WasmSource): w is Uint8Array | ArrayBuffer => w instanceof Uint8Array || w instanceof ArrayBuffer;
const href = (w: string | URL): string => (typeof w === 'string' ? w : w.href);

let loading: Promise<void> | null = null;

/** Loads the C parser (web-tree-sitter with tree-sitter-c). Await it once before any other call; later calls return
 * the same promise. */
export function init(opts: InitOptions = {}): Promise<void> {
  if (!loading) {
    const rt = opts.runtimeWasm;
    const lang = opts.languageWasm ?? new URL('./tree-sitter-c.wasm', import.meta.url);
    loading = initWasmParser({
      languageWasm: isBytes(lang) ? bytesOf(lang) : lang,
      ...(rt === undefined ? {} : isBytes(rt) ? { runtimeWasm: bytesOf(rt) } : { locateFile: () => href(rt) }),
    }).then(() => undefined, (e: unknown) => { loading = null; throw e; });
  }
  return loading;
}

/** Whether `init()` has finished (the synchronous calls below can run). */
export function ready(): boolean {
  return hasParserBackend();
}

/** The header files by path (POSIX paths; `#include "x.h"` resolves against the including file's folder, then `-I`). */
export type FileMap = ReadonlyMap<string, string> | { readonly [path: string]: string };

export interface BrowserOptions {
  /** The files the headers and their includes are read from. */
  readonly files?: FileMap;
}

/** The options of `analyzeHeader` and `layoutHeaders` here; `generateModules` takes `BrowserGenerateOptions`. */
export type BrowserPipelineOptions = PipelineOptions & BrowserOptions;
export type BrowserGenerateOptions = GenerateOptions & BrowserOptions;

/** The browser environment: files from the map (or `opts.host`), no system headers (only structgen's built-in
 * freestanding ones: `stddef.h`, `stdint.h`, ...), no external preprocessor. */
function envOf(opts: BrowserOptions & { host?: FileHost }): PipelineEnv {
  if (!hasParserBackend()) throw new Error('structgen/browser: call `await init()` before the pipeline');
  return { host: opts.host ?? memoryHost(opts.files ?? {}), systemDirs: () => [] };
}

/** One header through preprocess -> parse -> resolve -> layout (the facts every view reads). */
export function analyzeHeader(header: string, opts: PipelineOptions & BrowserOptions = {}): HeaderAnalysis {
  return analyzeWith(header, opts, envOf(opts));
}

/** `structgen layout --json` as data. */
export function layoutHeaders(headers: readonly string[], opts: PipelineOptions & BrowserOptions = {}): LayoutRun {
  return layoutWith(headers, opts, envOf(opts));
}

/** `structgen generate` as data: the TypeScript modules (and the shared runtime) for the headers. */
export function generateModules(headers: readonly string[], opts: GenerateOptions & BrowserOptions = {}): GenerateRun {
  return generateWith(headers, opts, envOf(opts));
}

/** A project over the file map: headers and targets in, any output of the table (`OUTPUTS`) out, each header
 * analysed once per target. */
export function openProject(opts: ProjectOptions & BrowserOptions): Project {
  return new Project(opts, envOf(opts));
}

export { analyzeHeader as analyze, layoutHeaders as layout, generateModules as generate };

/** A value interpreter over analysed headers (no generated code runs): `ip.decode(ip.find('rec')[0], bytes, offset)`.
 * Plan options as for `generate` (`endian`, `fields`, `unions`). Callers check the analyses' diagnostics first. */
export function interpreterFor(analyses: readonly HeaderAnalysis[], opts: PlanOptions = {}): { interpreter: Interpreter; plan: ProjectPlan } {
  const facts = analyses.flatMap((a) => (a.facts ? [a.facts] : []));
  const plan = planModules(facts, opts);
  return { interpreter: new Interpreter(plan, facts), plan };
}
