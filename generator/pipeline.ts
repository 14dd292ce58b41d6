// The Node API: the project layer (project/) with Node's environment bound (node/env.ts: the file system as the
// default host, the target's system header directories that exist on disk, `--cpp` through an external
// preprocessor, the native tree-sitter parser installed on import). Nothing here prints or writes files.

import type { OutputHost } from './core/host.js';
import type { LockFile } from './check/lock.js';
import type { CheckResult } from './check/check.js';
import { analyzeHeader as analyzeWith, type HeaderAnalysis, type PipelineOptions } from './project/analyze.js';
import type { GenerateOptions, ProjectOptions } from './project/options.js';
import { projectFacts as factsWith, type ProjectFacts } from './project/project.js';
import {
  buildProject as buildWith, checkProject as checkWith, generateModules as generateWith, layoutHeaders as layoutWith,
  type GenerateRun, type LayoutRun, type ProjectOutput,
} from './project/run.js';
import { nodeEnv } from './node/env.js';

export { headerRecords, systemDirsUnder, targetOrError, withOptions } from './project/analyze.js';
export { VERSION } from './core/version.js';
export { generateFromAnalyses } from './project/run.js';
export { Project, type FileRequest, type ProjectFacts } from './project/project.js';
export { hostTriple, nodeEnv, systemDirs } from './node/env.js';
export { verifyHeaders, type VerifyResult } from './node/verify.js';
export type {
  FieldReport, HeaderAnalysis, LayoutReport, MacroConstant, PaddingReport, PipelineEnv, PipelineOptions, RecordReport,
} from './project/analyze.js';
export type { EmitTarget, FieldOverride, GenerateOptions, ProjectOptions, UnionOverride } from './project/options.js';
export type { GenerateRun, LayoutRun, ProjectOutput } from './project/run.js';
export type { OutputFile } from './project/output.js';

export function analyzeHeader(header: string, opts: PipelineOptions = {}): HeaderAnalysis {
  return analyzeWith(header, opts, nodeEnv);
}

/** `structgen generate` as data: the decoder modules for the headers, or the diagnostics that stopped it. */
export function generateModules(headers: readonly string[], opts: GenerateOptions = {}): GenerateRun {
  return generateWith(headers, opts, nodeEnv);
}

/** `structgen layout` as data: every record of every named header, or the diagnostics that stopped it. */
export function layoutHeaders(headers: readonly string[], opts: PipelineOptions = {}): LayoutRun {
  return layoutWith(headers, opts, nodeEnv);
}

/** Everything `generate` writes for a project (every target's modules) and its lock file, computed once per target. */
export function buildProject(p: ProjectOptions): ProjectOutput {
  return buildWith(p, nodeEnv);
}

/** Compares a project's generated modules and lock file with what structgen computes now (the output folder read
 * through `out`). Never writes. */
export function checkProject(p: ProjectOptions, out: OutputHost, lock: LockFile | null): CheckResult {
  return checkWith(p, out, lock, nodeEnv);
}

/** The facts of every header on every target, one analysis each; headers and the files they include are read through
 * `p.host` when given (another version of the files: a git revision, a folder), else the file system. */
export function projectFacts(p: ProjectOptions): ProjectFacts {
  return factsWith(p, nodeEnv);
}
