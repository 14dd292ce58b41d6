// The Node environment of the project layer: the file system as the default host, the target's system header
// directories that exist on disk, `--cpp` through an external preprocessor, and the native tree-sitter parser
// (installed on import, by node/default-parser.ts). Whatever runs a project in Node (the API of generator/pipeline.ts,
// the config API, the commands, the bundler plugin) runs it with this.

import { existsSync } from 'node:fs';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setMemoryGuard } from '../core/memory.js';
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

/** With less room than this left in V8's heap (15% of it, and at least 100 MB: one growth of a big Map or array
 * takes tens of megabytes at once), the growing stages stop with an error (core/memory.ts) rather than let V8 abort
 * the process. */
const roomNeeded = (limit: number) => Math.max(0.15 * limit, 100 * 2 ** 20);
/** What was in use after the guard last collected garbage (see below). */
let collectedTo = 0;
setMemoryGuard(() => {
  let h = getHeapStatistics();
  if (h.used_heap_size < h.heap_size_limit - roomNeeded(h.heap_size_limit)) return null;
  // what is in use counts garbage V8 has not collected yet (it collects late when the heap may grow far: a header of
  // 2.5 million #defines passed the share with most of it garbage): collect, then decide, unless little was
  // added since the guard last collected
  if (h.used_heap_size > collectedTo + 0.05 * h.heap_size_limit && collectGarbage()) {
    h = getHeapStatistics();
    collectedTo = h.used_heap_size;
    if (h.used_heap_size < h.heap_size_limit - roomNeeded(h.heap_size_limit)) return null;
  }
  const mb = (n: number) => `${Math.round(n / 2 ** 20)} MB`;
  return `out of memory: this header needs more than the ${mb(h.heap_size_limit)} JavaScript heap allows (${mb(h.used_heap_size)} in use here); ` +
    'split it, or give Node more (NODE_OPTIONS=--max-old-space-size=MB)';
});

let gc: (() => void) | null | undefined;
/** A full garbage collection, when V8 lets one be asked for (its `gc` function, exposed in a context of its own
 * only); false when it does not. */
function collectGarbage(): boolean {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const f: unknown = runInNewContext('gc');
      gc = typeof f === 'function' ? (f as () => void) : null;
    } catch {
      gc = null;
    } finally {
      try { setFlagsFromString('--no-expose-gc'); } catch { /* as it was */ }
    }
  }
  if (!gc) return false;
  gc();
  return true;
}

/** The environment of the Node pipeline. */
export const nodeEnv: PipelineEnv = {
  host: nodeFileHost, systemDirs, externalPreprocess,
  analyzeMany: (headers, opts, workers) => analyzeMany(nodeEnv, headers, opts, workers),
};
