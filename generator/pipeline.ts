// The Node pipeline: the portable pipeline (core/pipeline.ts) with a Node environment filled in - the file system as
// the default host, the target's system header directories that exist on disk, `--cpp` through an external
// preprocessor, and the native tree-sitter parser installed on import. The public API is the same functions with the
// environment already bound; nothing here prints or writes files.

import { existsSync } from 'node:fs';
import {
  analyzeHeader as analyzeWith, generateModules as generateWith, layoutHeaders as layoutWith, systemDirsUnder,
  type GenerateOptions, type GenerateRun, type HeaderAnalysis, type LayoutRun, type PipelineEnv, type PipelineOptions,
} from './project/analyze.js';
import { externalPreprocess } from './node/external-cpp.js';
import { nodeFileHost } from './node/fs-host.js';
import './node/default-parser.js';
import type { TargetDesc } from './target/index.js';

export {
  generateFromAnalyses, headerRecords, systemDirsUnder, targetOrError, VERSION, withOptions,
} from './project/analyze.js';
export type {
  FieldOverride, FieldReport, GenerateOptions, GenerateRun, HeaderAnalysis, LayoutReport, LayoutRun, MacroConstant,
  PaddingReport, PipelineEnv, PipelineOptions, RecordReport, UnionOverride,
} from './project/analyze.js';

export function hostTriple(): string | null {
  if (process.platform !== 'linux') return null;
  const arch: { [k: string]: string } = { x64: 'x86_64-linux-gnu', ia32: 'i386-linux-gnu', arm64: 'aarch64-linux-gnu' };
  return arch[process.arch] ?? null;
}

/** The target's system header directories (CONTRACTS.md "Include search"): under `--sysroot`, or the host's own for
 * the host's target; only those that exist. */
export function systemDirs(t: TargetDesc, sysroot: string | undefined): string[] {
  if (sysroot) return systemDirsUnder(t, sysroot).filter((d) => existsSync(d));
  if (hostTriple() === t.triple) return systemDirsUnder(t, '/').filter((d) => existsSync(d));
  return [];
}

/** The environment of the Node pipeline. */
export const nodeEnv: PipelineEnv = { host: nodeFileHost, systemDirs, externalPreprocess };

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
