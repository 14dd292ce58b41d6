// The API's runs over a project, with the environment still to bind (generator/pipeline.ts binds Node's,
// generator/browser.ts an in-memory file map's): `generate`, `layout` and `check` as data. Each is a Project asked
// for the outputs that run needs, and nothing more (`generate` computes no lock, `layout` plans nothing).

import { lockChanges, staleFiles, type CheckResult } from '../check/check.js';
import type { LockFile, LockTarget } from '../check/lock.js';
import type { OutputHost } from '../core/host.js';
import { hasErrors, type Diagnostic, type SourcePos } from '../diagnostics.js';
import type { LayoutReport } from '../layout/report.js';
import { DEFAULT_TARGET, findTarget } from '../target/index.js';
import type { HeaderAnalysis, PipelineEnv, PipelineOptions } from './analyze.js';
import { analysisKey, type GenerateOptions, type ProjectOptions } from './options.js';
import type { OutputFile } from './output.js';
import { Project, type FileRequest } from './project.js';

export interface GenerateRun {
  /** Files relative to the output directory; empty when there were errors. */
  readonly files: readonly OutputFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** `structgen generate` as data: the decoder modules for the headers on `opts.target`, or the diagnostics that
 * stopped it. */
export function generateModules(headers: readonly string[], opts: GenerateOptions, env: PipelineEnv): GenerateRun {
  const { target, ...rest } = opts;
  const p = new Project({ ...rest, headers, targets: [target ?? DEFAULT_TARGET] }, env);
  const files = p.files([{ output: 'modules' }]);
  return { files: files ?? [], diagnostics: p.diagnostics };
}

const NO_ENV: PipelineEnv = { host: { readFile: () => null }, systemDirs: () => [] };

/** The modules of headers analysed already (with `evaluateDefines: true`, one target), as `generateModules` makes
 * them. */
export function generateFromAnalyses(analyses: readonly HeaderAnalysis[], opts: GenerateOptions = {}): GenerateRun {
  const target = analyses[0]?.target.triple ?? opts.target ?? DEFAULT_TARGET;
  const kept = new Map(analyses.map((a) => [analysisKey(target, a.header), a]));
  const { target: _t, ...rest } = opts;
  const p = new Project({ ...rest, headers: analyses.map((a) => a.header), targets: [target], analyses: kept }, NO_ENV);
  const files = p.files([{ output: 'modules' }]);
  return { files: files ?? [], diagnostics: p.diagnostics };
}

export interface LayoutRun {
  readonly report: LayoutReport | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** `structgen layout --json` as data: every record of every named header, or the diagnostics that stopped it. */
export function layoutHeaders(headers: readonly string[], opts: PipelineOptions, env: PipelineEnv): LayoutRun {
  const { target, ...rest } = opts;
  const t = target ?? DEFAULT_TARGET;
  const p = new Project({ ...rest, headers, targets: [t], evaluateDefines: rest.evaluateDefines ?? false }, env);
  const report = p.output('layoutReport', t);
  return { report, diagnostics: p.diagnostics };
}

export interface ProjectOutput {
  /** Paths relative to the output directory: at its top for one target, under `<triple>/` for several. */
  readonly files: readonly OutputFile[];
  readonly lock: LockFile;
  readonly positions: ReadonlyMap<string, ReadonlyMap<string, SourcePos>>;
  readonly diagnostics: readonly Diagnostic[];
}

/** The files of `files` and the lock of a project, from one analysis of each header per target. */
export function projectOutput(p: Project, files: readonly FileRequest[]): ProjectOutput {
  const out = p.files(files);
  const targets: { [triple: string]: LockTarget } = {};
  const positions = new Map<string, ReadonlyMap<string, SourcePos>>();
  for (const t of p.targets) {
    const l = p.output('lock', t);
    if (!l) continue;
    const triple = findTarget(t)?.triple ?? t;
    targets[triple] = l.lock;
    positions.set(triple, l.positions);
  }
  return { files: out ?? [], lock: { tool: 'structgen', lockVersion: 1, targets }, positions, diagnostics: p.diagnostics };
}

/** Everything `generate` writes for a project (the modules of every target), and its lock file. */
export function buildProject(opts: ProjectOptions, env: PipelineEnv): ProjectOutput {
  return projectOutput(new Project(opts, env), [{ output: 'modules' }]);
}

/** The comparison of `check` over a project made already: the files of `files` against the output folder, the lock
 * against `lock`. Never writes. */
export function checkOutputs(p: Project, files: readonly FileRequest[], out: OutputHost, lock: LockFile | null): CheckResult {
  const now = projectOutput(p, files);
  if (hasErrors(now.diagnostics)) {
    return { stale: [], changes: [], lock: now.lock, lockMissing: lock === null, diagnostics: now.diagnostics, ok: false };
  }
  const kinds = files.map((f) => f.output);
  const stale = staleFiles(now.files, out, (rel) => Project.owns(kinds, rel));
  const changes = lock ? lockChanges(now, lock) : [];
  const ok = stale.length === 0 && changes.length === 0 && lock !== null;
  return { stale, changes, lock: now.lock, lockMissing: lock === null, diagnostics: now.diagnostics, ok };
}

/** Compares a project's generated modules and lock file with what structgen computes now. Never writes. */
export function checkProject(opts: ProjectOptions, out: OutputHost, lock: LockFile | null, env: PipelineEnv): CheckResult {
  return checkOutputs(new Project(opts, env), [{ output: 'modules' }], out, lock);
}
