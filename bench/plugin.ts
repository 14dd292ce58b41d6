// `npm run bench:plugin`: what the bundler plugin costs per imported header (generate the module: JavaScript and
// its declarations, both printed by structgen), cold (first header of the process) and warm (the same header
// again, lexing cached: what a rebuild pays), for headers/*.h and one large system header; then the latency of a
// `vite build --watch` style rebuild after a one-line edit, through the plugin's own load hook, and of
// `structgen generate --watch` after a one-line edit (from the write to its printed line).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../generator/config/config.js';
import { headerModule, LexCache } from '../generator/plugin/core.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const ms = (t0: number) => performance.now() - t0;
const f = (x: number) => x.toFixed(0).padStart(6);

function transform(h: string, cache: LexCache): { gen: number; bytes: number; dtsBytes: number } {
  const c = defaultConfig(path.dirname(h));
  const t = performance.now();
  const m = headerModule(h, c, null, cache);
  if (!m.js) throw new Error(`${h}: ${m.diagnostics.map((d) => d.message).join('; ')}`);
  return { gen: ms(t), bytes: m.js.length, dtsBytes: m.dts.length };
}

async function watchLatency(): Promise<number[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-bench-watch-'));
  mkdirSync(path.join(dir, 'headers'));
  for (const h of readdirSync(path.join(ROOT, 'headers')).filter((x) => x.endsWith('.h'))) copyFileSync(path.join(ROOT, 'headers', h), path.join(dir, 'headers', h));
  writeFileSync(path.join(dir, 'structgen.config.json'), JSON.stringify({ headers: ['headers/*.h'], outDir: 'gen' }));
  const p = spawn(process.execPath, [path.join(ROOT, 'dist/generator/cli/main.js'), 'generate', '--watch'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const count = () => err.split('\n').filter((l) => / rebuilt in /.test(l)).length;
  const until = async (ok: () => boolean) => { while (!ok()) await new Promise((r) => setTimeout(r, 5)); };
  await until(() => err.includes('watching for changes'));
  const out: number[] = [];
  const file = path.join(dir, 'headers/netproto.h');
  const text = readFileSync(file, 'utf8');
  for (let i = 0; i < 5; i++) {
    const n = count();
    const t0 = performance.now();
    writeFileSync(file, `${text}\n#define BENCH_EDIT_${i} ${i}\n`);
    await until(() => count() > n);
    out.push(ms(t0));
  }
  p.kill('SIGINT');
  return out;
}

async function main() {
  const headers = readdirSync(path.join(ROOT, 'headers')).filter((x) => x.endsWith('.h')).sort().map((x) => path.join(ROOT, 'headers', x));
  const big = '/usr/include/linux/input.h';
  if (existsSync(big)) headers.push(big);
  const rows: string[] = [`${'header'.padEnd(28)} ${'cold'.padStart(6)} ${'warm'.padStart(6)}  (ms, .js and .d.ts; JS bytes, .d.ts bytes)`];
  const cache = new LexCache();
  for (const h of headers) {
    const cold = transform(h, cache);
    const warm = transform(h, cache);
    rows.push(`${path.basename(h).padEnd(28)} ${f(cold.gen)} ${f(warm.gen)}  (${cold.bytes}, ${cold.dtsBytes})`);
  }
  process.stdout.write(`Plugin transform per header (the first row of the process includes loading the parser):\n${rows.join('\n')}\n`);
  const lat = await watchLatency();
  process.stdout.write(`generate --watch, headers/*.h, one-line edit of netproto.h -> rebuilt line: ${lat.map((x) => x.toFixed(0)).join(', ')} ms\n`);
}

void main();
