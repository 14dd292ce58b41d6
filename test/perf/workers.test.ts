// Analysing headers on worker threads gives the same modules and the same diagnostics, in the same order, as one
// thread, whichever thread analysed which header. Runs the built package (the worker's module is a built file):
// `npm run build` first (npm test does).

import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist/generator/pipeline.js');
if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run 'npm run build' first (npm test does)`);
const UAPI = '/usr/include/linux';

type Pipeline = typeof import('../../generator/pipeline.js');
type Diagnostics = typeof import('../../generator/diagnostics.js');
const load = async () => ({
  api: (await import(DIST)) as Pipeline,
  diagnostics: (await import(path.join(ROOT, 'dist/generator/diagnostics.js'))) as Diagnostics,
});

async function both(headers: string[], workers: number) {
  const { api, diagnostics } = await load();
  const run = (w: number) => {
    const p = new api.Project({ headers, workers: w }, api.nodeEnv);
    const files = p.files([{ output: 'modules' }]);
    return { files: files?.map((f) => [f.path, f.contents]) ?? null, diagnostics: p.diagnostics.map(diagnostics.formatDiagnostic), analyses: p.analyses('x86_64-linux-gnu') };
  };
  return { one: run(0), many: run(workers) };
}

describe('worker threads', () => {
  it.skipIf(!existsSync(UAPI))('the Linux UAPI headers: the same modules and diagnostics with and without workers (skips where /usr/include/linux is absent)', async () => {
    const headers = readdirSync(UAPI).filter((f) => f.endsWith('.h')).sort().slice(0, 60).map((f) => path.join(UAPI, f));
    const { one, many } = await both(headers, 2);
    expect(one.files?.length).toBeGreaterThan(10);
    expect(many.files).toEqual(one.files);
    expect(many.diagnostics).toEqual(one.diagnostics);
    // what the workers' analyses keep: the facts and the files they read, not the intermediate stages
    expect(many.analyses.map((a) => a.header)).toEqual(headers);
    const stats = ((await import(path.join(ROOT, 'dist/generator/node/analyze-workers.js'))) as typeof import('../../generator/node/analyze-workers.js')).workerStats;
    expect(stats.workers).toBe(2);
    expect(stats.byWorkers).toBeGreaterThan(0);
    expect(many.analyses[0]!.pp).toBeNull();
    expect(many.analyses[0]!.includedFiles).toEqual(one.analyses[0]!.includedFiles);
    expect(one.analyses[0]!.includedFiles?.length).toBeGreaterThan(0);
  }, 120_000);

  it('headers with errors: the same diagnostics in the same order, and no modules either way', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-workers-'));
    const headers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const f = path.join(dir, `h${i}.h`);
      writeFileSync(f, i % 5 === 3 ? `struct s${i} { int a; int b[-1]; };\n#include "missing${i}.h"\n` : `#include "common.h"\nstruct s${i} { struct common c; char x[${i + 1}]; };\n#define K${i} (${i} << 2)\n`);
      headers.push(f);
    }
    writeFileSync(path.join(dir, 'common.h'), '#pragma once\nstruct common { long a; short b; };\n');
    const { one, many } = await both(headers, 3);
    expect(one.files).toBeNull();
    expect(many.files).toBeNull();
    expect(one.diagnostics.some((d) => d.includes('missing3.h'))).toBe(true);
    expect(many.diagnostics).toEqual(one.diagnostics);
    const good = headers.filter((_, i) => i % 5 !== 3);
    const ok = await both(good, 3);
    // a module and its layout asserts per header, the included module with its asserts, and the runtime
    expect(ok.one.files?.length).toBe(2 * good.length + 3);
    expect(ok.many.files).toEqual(ok.one.files);
  }, 60_000);
});
