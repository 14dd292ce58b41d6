// What the fuzzer requires of one mutant: either a layout (exit 0 with JSON) or errors that each name a
// file:line:col (exit 1, nothing on stdout), never an internal error (exit 70, a stack trace), within budget.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FileHost } from '../../generator/core/host.js';
import { formatDiagnostic, type Diagnostic } from '../../generator/diagnostics.js';
import { nodeFileHost } from '../../generator/node/fs-host.js';
import { generateModules, layoutHeaders } from '../../generator/pipeline.js';

export type Verdict = { ok: true } | { ok: false; kind: 'crash' | 'hang' | 'format'; detail: string };

/** Seed headers: the project's own and the UAPI headers clang accepts (those present on this machine). */
export function seedHeaders(root: string, uapiLimit = Infinity): string[] {
  const own = readdirSync(path.join(root, 'headers')).filter((f) => f.endsWith('.h')).map((f) => path.join(root, 'headers', f));
  let uapi: string[] = [];
  try {
    uapi = readdirSync('/usr/include/linux').filter((f) => f.endsWith('.h')).sort().map((f) => `/usr/include/linux/${f}`);
  } catch { /* no UAPI headers here */ }
  return [...own, ...uapi.slice(0, uapiLimit)];
}

function badErrors(ds: readonly Diagnostic[]): string | null {
  const errors = ds.filter((d) => d.severity === 'error');
  const unplaced = errors.find((d) => !d.pos);
  return unplaced ? formatDiagnostic(unplaced) : null;
}

/** In process, through the API (as `npm test` runs it): `layout` and `generate` of the mutant as `file`. */
export function checkInProcess(file: string, text: string, budgetMs: number): Verdict {
  const host: FileHost = { readFile: (f) => (f === file ? text : nodeFileHost.readFile(f)) };
  const t0 = performance.now();
  try {
    const l = layoutHeaders([file], { host });
    const bad = badErrors(l.diagnostics);
    if (bad) return { ok: false, kind: 'format', detail: `layout: an error without a position: ${bad}` };
    if (!l.report && !l.diagnostics.some((d) => d.severity === 'error')) return { ok: false, kind: 'format', detail: 'layout: no report and no error' };
    const g = generateModules([file], { host });
    const badG = badErrors(g.diagnostics);
    if (badG) return { ok: false, kind: 'format', detail: `generate: an error without a position: ${badG}` };
  } catch (e) {
    return { ok: false, kind: 'crash', detail: e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 6).join('\n') : String(e) };
  }
  const ms = performance.now() - t0;
  return ms > budgetMs ? { ok: false, kind: 'hang', detail: `took ${ms.toFixed(0)} ms (budget ${budgetMs} ms)` } : { ok: true };
}

const POSITIONED = /^[^\n]*:\d+:\d+: (fatal )?error: /m;

/** Through the built CLI (`npm run fuzz:headers`): exit codes, stdout and stderr, a time and a memory limit. */
export function checkCli(cli: string, file: string, text: string, timeoutMs: number, heapMiB: number): Verdict {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-fuzz-'));
  try {
    const h = path.join(dir, path.basename(file));
    writeFileSync(h, text);
    const runs: Array<[string, string[]]> = [['layout', ['layout', '--json', h]], ['generate', ['generate', h, '-o', path.join(dir, 'out')]]];
    for (const [what, args] of runs) {
      const r = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, cli, ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28 });
      if (r.error || r.signal) return { ok: false, kind: 'hang', detail: `${what}: ${r.error?.message ?? r.signal}` };
      if (r.status === 0) {
        if (what === 'layout') {
          try { JSON.parse(r.stdout); } catch { return { ok: false, kind: 'format', detail: `${what}: exit 0 without JSON` }; }
        }
        continue;
      }
      if (r.status !== 1) return { ok: false, kind: 'crash', detail: `${what}: exit ${r.status}: ${r.stderr.slice(0, 400)}` };
      if (r.stdout !== '' && what === 'layout') return { ok: false, kind: 'format', detail: `${what}: exit 1 with output on stdout` };
      if (!POSITIONED.test(r.stderr)) return { ok: false, kind: 'format', detail: `${what}: exit 1 without file:line:col: ${r.stderr.slice(0, 300)}` };
    }
    return { ok: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readSeed(file: string): string {
  return readFileSync(file, 'latin1');
}
