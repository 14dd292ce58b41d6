// The Node environment of the project layer: the file system as the default host, the target's system header
// directories that exist on disk, `--cpp` through an external preprocessor, and the native tree-sitter parser
// (installed on import, by node/default-parser.ts). Whatever runs a project in Node (the API of generator/pipeline.ts,
// the config API, the commands, the bundler plugin) runs it with this.

import { existsSync } from 'node:fs';
import { systemDirsUnder, type PipelineEnv } from '../project/analyze.js';
import { analyzeMany } from './analyze-workers.js';
import type { TargetDesc } from '../target/index.js';
import { externalPreprocess } from './external-cpp.js';
import { nodeFileHost } from './fs-host.js';
import './default-parser.js';

/** The host's own target, when it is one structgen knows (its system headers are then the target's). */
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
export const nodeEnv: PipelineEnv = {
  host: nodeFileHost, systemDirs, externalPreprocess,
  analyzeMany: (headers, opts, workers) => analyzeMany(nodeEnv, headers, opts, workers),
};
