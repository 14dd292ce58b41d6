// The bundler plugin's work, bundler-free: a header path (with an optional `?target=` query) in, the generated
// module out as JavaScript with its declarations (both printed by structgen: no TypeScript compiler), with the files
// it read (to watch) and its diagnostics. One header is planned on its own
// (`selfContained`): the records of included headers that it uses are emitted in its module, so an imported header
// needs no other generated module, only the runtime, which it imports as `structgen/runtime` (a real package entry
// that the plugin resolves to its own copy, so every header shares one runtime in the bundle).

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findConfig, readConfigFile, validateConfig, defaultConfig, type LoadedConfig, type StructgenConfig } from '../config/config.js';
import { optionsOf } from '../config/run.js';
import { hasErrors, type Diagnostic } from '../diagnostics.js';
import { writeFilesAtomically } from '../node/write-files.js';
import { nodeEnv } from '../node/env.js';
import { RUNTIME_MODULE } from '../plan/plan.js';
import { LexCache } from '../preprocess/preprocess.js';
import type { GenerateOptions } from '../project/options.js';
import { RUNTIME_IMPORT } from '../project/outputs/bundler.js';
import { Project } from '../project/project.js';
import { DEFAULT_TARGET } from '../target/index.js';

/** The plugin's options: any config key (they override the config file's), and where to find the config. */
export interface StructgenPluginOptions extends Partial<Omit<StructgenConfig, 'headers'>> {
  /** Where the search for `structgen.config.*` starts (upward); default the working folder. */
  readonly root?: string;
  /** A config file to read instead of searching, or `false` for none. */
  readonly configFile?: string | false;
  /** Write `X.h.d.ts` beside each imported header, for editors and `tsc` (default true). */
  readonly dts?: boolean;
}

export { RUNTIME_IMPORT };
/** Imports the plugin makes modules of: `x.h`, or `x.h?target=TRIPLE`; not other queries (`x.h?raw` stays the
 * bundler's). */
export const HEADER_RE = /\.h(\?target=[\w.-]+)?$/;

/** The runtime file the plugin resolves `structgen/runtime` to: its own (compiled `.js`, or the source in tests). */
export function runtimePath(): string {
  const js = fileURLToPath(new URL(`../runtime/${RUNTIME_MODULE}.js`, import.meta.url));
  return existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

/** The config the plugin runs with: the file's (if any), then the options' keys over it. */
export async function pluginConfig(opts: StructgenPluginOptions = {}): Promise<LoadedConfig> {
  const root = path.resolve(opts.root ?? process.cwd());
  const { root: _r, configFile, dts: _d, ...keys } = opts;
  const file = configFile === false ? null : configFile !== undefined ? path.resolve(root, configFile) : findConfig(root);
  let base = defaultConfig(root);
  if (file) {
    const { value, text } = await readConfigFile(file);
    base = validateConfig(value, path.dirname(file), file, text);
  }
  if (Object.keys(keys).length === 0) return base;
  const own = validateConfig({ headers: ['*.h'], ...keys }, root);
  const merged: { [k: string]: unknown } = { ...base };
  for (const k of Object.keys(keys)) merged[k] = (own as unknown as { [k: string]: unknown })[k];
  // paths of option keys are relative to `root`, the file's to its folder: make the options' absolute
  if (keys.include) merged.include = own.include.map((d) => path.resolve(root, d));
  if (keys.isystem) merged.isystem = own.isystem.map((d) => path.resolve(root, d));
  if (keys.sysroot !== undefined) merged.sysroot = path.resolve(root, keys.sysroot);
  return merged as unknown as LoadedConfig;
}

/** The pipeline's options for a config, with absolute paths (the plugin runs from any folder). */
export function generateOptions(c: LoadedConfig): GenerateOptions {
  return optionsOf(c, (p) => path.resolve(c.dir, p));
}

export interface HeaderModule {
  /** The module as JavaScript (importing `structgen/runtime`); empty when there were errors. */
  readonly js: string;
  /** Its declarations (`X.h.d.ts` without the banner); empty when there were errors. */
  readonly dts: string;
  /** The input hash both state: it covers everything they are made from. */
  readonly inputHash: string | null;
  /** The host files the header read: itself and everything it includes. */
  readonly watchFiles: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  readonly target: string;
}

/** `x.h?target=aarch64-linux-gnu` -> the path and the query's target. */
export function parseHeaderId(id: string): { file: string; target: string | null } {
  const q = id.indexOf('?');
  if (q < 0) return { file: id, target: null };
  const params = new URLSearchParams(id.slice(q + 1));
  return { file: id.slice(0, q), target: params.get('target') };
}

/** The generated module of one header, planned on its own (the project's bundler module). */
export function headerModule(file: string, c: LoadedConfig, target: string | null, cache: LexCache): HeaderModule {
  const t = target ?? c.targets[0] ?? DEFAULT_TARGET;
  const project = new Project({ ...generateOptions(c), headers: [file], targets: [t], cache, selfContained: true }, nodeEnv);
  const a = project.analyses(t)[0]!;
  const watchFiles = (a.pp?.includedFiles ?? a.includedFiles)?.map((f) => path.resolve(f)) ?? [path.resolve(file)];
  const m = project.output('bundlerModule', t);
  const diagnostics = project.diagnostics;
  if (!m || hasErrors(diagnostics)) return { js: '', dts: '', inputHash: null, watchFiles, diagnostics, target: a.target.triple };
  return { js: m.module.contents, dts: m.declarations.contents, inputHash: m.module.inputHash ?? null, watchFiles, diagnostics, target: a.target.triple };
}

/** Where a header's declarations go: `input.h.d.ts`, which TypeScript finds for `import './input.h'`. */
export const dtsPath = (header: string) => `${header}.d.ts`;

/** The first line of a declaration file the plugin writes; the second names the module's input hash. */
export const DTS_BANNER = '// @generated by structgen: the types of `import ... from';

const HASH_LINE = (hash: string | null) => `// Input hash: ${hash ?? 'none'}`;

function dtsText(header: string, m: HeaderModule): string {
  return `${DTS_BANNER} './${path.basename(header)}'\`. Do not edit.\n${HASH_LINE(m.inputHash)}\n${m.dts}`;
}

/** Writes `header.d.ts` for the module unless it already holds the same text (the same input hash, and not edited
 * since); true when it wrote. Printing the declarations costs as little as printing the module, so there is no
 * cheaper check worth keeping beside this one. */
export function writeDeclaration(header: string, m: HeaderModule): boolean {
  const target = dtsPath(header);
  const text = dtsText(header, m);
  if (existsSync(target) && readFileSync(target, 'utf8') === text) return false;
  writeFilesAtomically(path.dirname(target), [{ path: path.basename(target), contents: text }]);
  return true;
}

export { LexCache };
