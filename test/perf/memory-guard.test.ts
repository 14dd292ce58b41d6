// A header too big for the JavaScript heap ends in `file:line:col: error: out of memory ...` and exit 1, not in V8
// aborting the process: the built command run with a small heap (--max-old-space-size) over generated #defines,
// which would complete with a larger heap (400,000: what the guard counts is what is live after a collection, and
// 100,000 of them now fit in 150 MB).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../../dist/generator/cli/main.js');
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first (npm test does)`);

describe('memory guard', () => {
  it('too many #defines for the heap: a positioned error and exit 1', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-mem-'));
    const h = path.join(dir, 'many.h');
    let text = '';
    for (let i = 0; i < 400_000; i++) text += i % 3 === 2 ? `#define D${i} (D${i - 1} + ${i})\n` : `#define D${i} ${i}\n`;
    writeFileSync(h, text);
    const r = spawnSync(process.execPath, ['--max-old-space-size=150', BIN, 'generate', h, '-o', path.join(dir, 'out')], { encoding: 'utf8', timeout: 300_000 });
    expect(r.stderr).toMatch(/many\.h:\d+:\d+: error: out of memory: this header needs more than the \d+ MB JavaScript heap allows/);
    expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
    expect(r.status).toBe(1);
  }, 300_000);
});
