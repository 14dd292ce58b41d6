// A config (loaded, or an object of the config's shape) as a project's options, and `generate` / `check` run from it
// exactly as the CLI runs them: header globs expanded, paths relative to the config's folder, the outputs the config
// asks for (the modules, and the C asserts with `emitCAsserts`) from one analysis of each header per target, the
// output folder and lock file read from disk.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';
import type { CheckResult } from '../check/check.js';
import { unreferencedShared } from '../check/shared.js';
import { formatLock, parseLock, type LockFile } from '../check/lock.js';
import { diag, hasErrors, type Diagnostic } from '../diagnostics.js';
import { nodeEnv } from '../node/env.js';
import { diskOutput } from '../node/fs-host.js';
import { writeFilesAtomically, type WriteReport } from '../node/write-files.js';
import type { ProjectOptions } from '../project/options.js';
import type { OutputFile } from '../project/output.js';
import { Project, type FileRequest } from '../project/project.js';
import { checkOutputs } from '../project/run.js';
import { ConfigError, validateConfig, type LoadedConfig, type StructgenConfig } from './config.js';

export interface RunOptions {
  /** Relative paths of a config object (not a loaded config) are relative to this; default the working folder. */
  readonly cwd?: string;
}

export interface ConfigProject {
  /** The project's options (header paths relative to the working folder). */
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
    ...(c.emit !== 'ts' ? { emit: c.emit } : {}),
    ...(!c.tsNocheck ? { tsNocheck: false } : {}),
  };
}

/** Paths of generated files name headers relative to the config file's folder, wherever structgen runs from. */
export function relativeTo(dir: string): (header: string) => string {
  return (h) => path.relative(dir, path.resolve(h)).split(path.sep).join('/');
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
  readonly files: readonly OutputFile[];
  readonly outDir: string;
  readonly diagnostics: readonly Diagnostic[];
  /** With `write`: what changed on disk. */
  readonly report?: WriteReport;
}

/** The file outputs a config asks for: the modules (as `emit` says), and with `emitCAsserts` the C asserts, whose
 * `#include` names each header relative to the folder the asserts are written to. */
export function fileRequests(p: ConfigProject): FileRequest[] {
  const includePath = (h: string, folder: string) => path.relative(path.join(p.outDir, folder), path.resolve(h)).split(path.sep).join('/');
  return [{ output: 'modules' }, ...(p.config.emitCAsserts ? [{ output: 'cAsserts' as const, options: { includePath } }] : [])];
}

/** The project of a config, on Node's file system. */
export function openProject(p: ConfigProject): Project {
  return new Project(p.project, nodeEnv);
}

/** Every file `generate` writes for the project (with `emitCAsserts`, the C asserts too). */
export function filesOf(p: ConfigProject, project: Project = openProject(p)): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const files = project.files(fileRequests(p));
  const diagnostics = [...p.diagnostics, ...project.diagnostics];
  return { files: files && !hasErrors(diagnostics) ? files : [], diagnostics };
}

/** Writes a project's files into `outDir`, all or nothing (WriteError). With `clean`, generated files no longer
 * produced are removed; in any case the content-named shared modules no file there refers to any more
 * (check/shared.ts), which a change of the included records leaves behind. */
export function writeOutputs(outDir: string, files: readonly OutputFile[], clean: boolean): WriteReport {
  if (clean) return writeFilesAtomically(outDir, files, { clean: true });
  const sweep = unreferencedShared(files, diskOutput(outDir));
  return writeFilesAtomically(outDir, files, { clean: sweep.size > 0 && ((rel) => sweep.has(rel)) });
}

/** `structgen generate` for a config. Returns the files; with `write`, writes them all or nothing (WriteError). */
export function generateFromConfig(config: StructgenConfig | LoadedConfig, opts: RunOptions & { write?: boolean; clean?: boolean } = {}): GenerateResult {
  const p = projectFromConfig(config, opts);
  const { files, diagnostics } = filesOf(p);
  if (hasErrors(diagnostics) || !opts.write) return { files, outDir: p.outDir, diagnostics };
  const report = writeOutputs(p.outDir, files, opts.clean ?? p.config.clean);
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

/** checkFromConfig over a project already made from a config (the CLI adds its file host): the modules, the C asserts
 * when the config writes them, and the lock, from one analysis of each header per target. */
export function checkConfigProject(p: ConfigProject, opts: { update?: boolean } = {}): ConfigCheckResult {
  const lock = readLock(p.lockFile);
  const r = checkOutputs(openProject(p), fileRequests(p), diskOutput(p.outDir), lock);
  const diagnostics = [...p.diagnostics, ...r.diagnostics];
  const failed = hasErrors(diagnostics);
  if (opts.update && !failed) writeFilesAtomically(path.dirname(p.lockFile), [{ path: path.basename(p.lockFile), contents: formatLock(r.lock) }]);
  const stale = failed ? [] : r.stale;
  const changes = opts.update ? [] : r.changes;
  const lockMissing = r.lockMissing && !opts.update;
  const ok = !failed && stale.length === 0 && changes.length === 0 && !lockMissing;
  return { ...r, stale, changes, lockMissing, diagnostics, ok, outDir: p.outDir, lockFile: p.lockFile };
}
