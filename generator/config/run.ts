// A config (loaded, or an object of the config's shape) as the pipeline's options, and `generate` / `check` run
// from it exactly as the CLI runs them: header globs expanded, paths relative to the config's folder, the output
// folder and lock file read from disk.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import { buildProject, checkProject, relativeTo, staleFiles, type CheckResult, type ProjectOptions, type StaleFile } from '../check/check.js';
import { formatLock, parseLock, type LockFile } from '../check/lock.js';
import { diag, hasErrors, type Diagnostic } from '../diagnostics.js';
import type { EmittedFile } from '../emit/emit.js';
import { diskOutput } from '../node/fs-host.js';
import { writeFilesAtomically, type WriteReport } from '../node/write-files.js';
import { cAssertFiles } from '../verify/verify.js';
import { ConfigError, validateConfig, type LoadedConfig, type StructgenConfig } from './config.js';

export interface RunOptions {
  /** Relative paths of a config object (not a loaded config) are relative to this; default the working folder. */
  readonly cwd?: string;
}

export interface ConfigProject {
  /** Options for `buildProject` / `checkProject` (header paths relative to the working folder). */
  readonly project: ProjectOptions;
  /** Absolute output folder and lock file. */
  readonly outDir: string;
  readonly lockFile: string;
  readonly config: LoadedConfig;
  /** Header patterns that matched no file (warnings). */
  readonly diagnostics: readonly Diagnostic[];
}

const isLoaded = (c: StructgenConfig | LoadedConfig): c is LoadedConfig => 'dir' in c && 'file' in c && typeof (c as LoadedConfig).dir === 'string';

/** A path as the working folder sees it (`include/a.h`, `../x`), so diagnostics name files the way users do. */
const fromCwd = (p: string) => path.relative(process.cwd(), p) || '.';

/** Expands the config's header globs, relative to its folder, sorted; a literal path is kept even when missing. */
export function expandHeaders(c: LoadedConfig): { headers: string[]; diagnostics: Diagnostic[] } {
  const out = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const pattern of c.headers) {
    if (!isDynamicPattern(pattern)) { out.add(fromCwd(path.resolve(c.dir, pattern))); continue; }
    const hits = globSync(pattern, { cwd: c.dir, onlyFiles: true, expandDirectories: false }).sort();
    if (!hits.length) diagnostics.push(diag('warning', c.file ? { file: fromCwd(c.file), line: 1, col: 1 } : null, 'config-no-match', `header pattern '${pattern}' matches no file`));
    for (const h of hits) out.add(fromCwd(path.join(c.dir, h)));
  }
  return { headers: [...out], diagnostics };
}

/** The pipeline's options a config gives, its paths mapped by `place` (relative to the working folder for the
 * commands, absolute for the bundler plugin). */
export function optionsOf(c: LoadedConfig, place: (p: string) => string): Omit<ProjectOptions, 'headers' | 'targets'> {
  return {
    includeDirs: c.include.map(place),
    systemIncludeDirs: c.isystem.map(place),
    defines: c.defines,
    undefines: c.undefines,
    endian: c.endian,
    ...(Object.keys(c.fields).length ? { fields: c.fields } : {}),
    ...(Object.keys(c.unions).length ? { unions: c.unions } : {}),
    ...(c.records ? { records: c.records } : {}),
    ...(c.constants ? { constants: c.constants } : {}),
    displayPath: relativeTo(c.dir),
    ...(c.sysroot !== undefined ? { sysroot: path.resolve(c.dir, c.sysroot) } : {}),
    ...(c.compiler !== undefined ? { compiler: c.compiler } : {}),
    ...(c.msBitfields !== undefined ? { msBitfields: c.msBitfields } : {}),
    ...(c.shortEnums !== undefined ? { shortEnums: c.shortEnums } : {}),
    ...(c.cpp !== undefined ? { cpp: c.cpp } : {}),
  };
}

/** The pipeline's options for a config: what `structgen generate` and `check` run with that config. */
export function projectFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions = {}): ConfigProject {
  const c = isLoaded(config) ? config : validateConfig(config, path.resolve(opts.cwd ?? process.cwd()));
  const { headers, diagnostics } = expandHeaders(c);
  const rel = (p: string) => fromCwd(path.resolve(c.dir, p));
  const project: ProjectOptions = { headers, targets: c.targets, ...optionsOf(c, rel) };

  return { project, outDir: path.resolve(c.dir, c.outDir), lockFile: path.resolve(c.dir, c.lockFile), config: c, diagnostics };
}

export interface GenerateResult {
  /** Relative to `outDir`; empty when there were errors. */
  readonly files: readonly EmittedFile[];
  readonly outDir: string;
  readonly diagnostics: readonly Diagnostic[];
  /** With `write`: what changed on disk. */
  readonly report?: WriteReport;
}

/** Every file `generate` writes for the project (with `emitCAsserts`, the C asserts too). */
export function filesOf(p: ConfigProject, emitCAsserts: boolean): { files: EmittedFile[]; diagnostics: Diagnostic[] } {
  const built = buildProject(p.project);
  const diagnostics = [...p.diagnostics, ...built.diagnostics];
  if (hasErrors(diagnostics)) return { files: [], diagnostics };
  const files = [...built.files];
  if (emitCAsserts) {
    const asserts = cAssertFiles({ ...p.project, targets: p.config.targets }, p.outDir);
    if (hasErrors(asserts.diagnostics)) return { files: [], diagnostics: [...diagnostics, ...asserts.diagnostics] };
    files.push(...asserts.files);
  }
  return { files, diagnostics };
}

/** `structgen generate` for a config. Returns the files; with `write`, writes them all or nothing (WriteError). */
export function generateFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions & { write?: boolean; clean?: boolean } = {}): GenerateResult {
  const p = projectFromConfig(config, opts);
  const { files, diagnostics } = filesOf(p, p.config.emitCAsserts);
  if (hasErrors(diagnostics) || !opts.write) return { files, outDir: p.outDir, diagnostics };
  const report = writeFilesAtomically(p.outDir, files, { clean: opts.clean ?? p.config.clean });
  return { files, outDir: p.outDir, diagnostics, report };
}

export interface ConfigCheckResult extends CheckResult {
  readonly outDir: string;
  readonly lockFile: string;
}

/** Reads the lock file: null when there is none; ConfigError when it is not one. */
export function readLock(file: string): LockFile | null {
  if (!existsSync(file)) return null;
  const parsed = parseLock(readFileSync(file, 'utf8'));
  if (typeof parsed === 'string') throw new ConfigError([diag('error', { file: fromCwd(file), line: 1, col: 1 }, 'lock', parsed)]);
  return parsed;
}

/** `structgen check` for a config: stale generated files and layout changes against the lock. Writes only the lock,
 * and only with `update`. */
export function checkFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions & { update?: boolean } = {}): ConfigCheckResult {
  return checkConfigProject(projectFromConfig(config, opts), opts);
}

/** checkFromConfig over a project already made from a config (the CLI adds its file host). */
export function checkConfigProject(p: ConfigProject, opts: { update?: boolean } = {}): ConfigCheckResult {
  const lock = readLock(p.lockFile);
  const out = diskOutput(p.outDir);
  const r = checkProject(p.project, out, lock);
  const diagnostics = [...p.diagnostics, ...r.diagnostics];
  let stale: StaleFile[] = [...r.stale];
  if (!hasErrors(diagnostics) && p.config.emitCAsserts) {
    // the C asserts are generated files too: compare them the same way
    const asserts = cAssertFiles({ ...p.project, targets: p.config.targets }, p.outDir);
    diagnostics.push(...asserts.diagnostics);
    stale.push(...staleFiles(asserts.files, out, (rel) => rel.endsWith('.asserts.c')));
  }
  if (hasErrors(diagnostics)) stale = [];
  if (opts.update && !hasErrors(diagnostics)) writeFilesAtomically(path.dirname(p.lockFile), [{ path: path.basename(p.lockFile), contents: formatLock(r.lock) }]);
  const changes = opts.update ? [] : r.changes;
  const lockMissing = r.lockMissing && !opts.update;
  const ok = !hasErrors(diagnostics) && stale.length === 0 && changes.length === 0 && !lockMissing;
  return { ...r, stale, changes, lockMissing, diagnostics, ok, outDir: p.outDir, lockFile: p.lockFile };
}
