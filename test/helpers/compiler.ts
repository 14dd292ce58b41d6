// Test helpers around the real compiler: whether clang-16 is present, and the one policy for when it is not
// (CI installs it, so there its absence is a failure; elsewhere the compiler tests skip and say why).

import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeHeader, type HeaderAnalysis, type PipelineOptions } from '../../generator/pipeline.js';
import { clangAvailable, clangLayouts } from '../../generator/verify/clang.js';
import { compareWithClang, probeNames, type Comparison } from '../../generator/verify/compare.js';

export const HAVE_CLANG = clangAvailable();

if (!HAVE_CLANG) {
  const msg = 'clang-16 not found: differential tests against the compiler are skipped (install with `apt-get install -y clang-16`)';
  if (process.env.CI) throw new Error(`${msg}; CI must have it`);
  console.warn(`SKIP: ${msg}`);
}

export const HOST_TARGET = 'x86_64-linux-gnu';

/** clang flags that make it use the same headers structgen uses for a target. */
export function clangArgsFor(target: string): string[] {
  return target === HOST_TARGET && process.platform === 'linux' && process.arch === 'x64' ? [] : ['-ffreestanding', '-nostdlibinc'];
}

export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-test-'));
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

export interface Checked {
  readonly analysis: HeaderAnalysis;
  readonly comparison: Comparison;
  readonly clangOk: boolean;
  readonly clangStderr: string;
}

/** Lays out `file` with structgen and with clang for `target`, and compares every record. */
export function checkAgainstClang(file: string, target: string, opts: PipelineOptions = {}, probes?: string[],
  clangFlags: readonly string[] = []): Checked {
  const abs = path.resolve(file);
  const analysis = analyzeHeader(abs, { ...opts, target });
  const extra = [...clangArgsFor(target), ...clangFlags, ...(opts.includeDirs ?? []).map((d) => `-I${path.resolve(d)}`),
    ...Object.entries(opts.defines ?? {}).map(([k, v]) => `-D${k}=${v}`)];
  const run = clangLayouts(`#include "${abs}"`, abs, target, probes ?? probeNames(analysis), extra);
  return { analysis, comparison: compareWithClang(analysis, run), clangOk: run.ok, clangStderr: run.stderr };
}
