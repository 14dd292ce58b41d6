// `npm run bench:big` (issue 23 item 9): structgen generate over big generated headers, with the time and the peak
// memory of the process as /usr/bin/time -v reports them. Not part of `npm test`.
//   node bench/big-inputs.mjs [records|defines|all] [scale]
// records: a header of 100,000 records (scale 1) of mixed members (integers, arrays, nested records, bit-fields,
// unions); defines: a header of 2,500,000 `#define`s (about 50 MB). `scale` multiplies the counts (0.1 for a quick
// look at how time and memory grow). Prints one line per input: size, exit code, wall time, CPU time, peak RSS.

import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'dist/generator/cli/main.js');
const which = process.argv[2] ?? 'all';
const scale = Number(process.argv[3] ?? 1);
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run build' first`);
if (!existsSync('/usr/bin/time')) { process.stdout.write('big inputs: /usr/bin/time is missing (apt-get install -y time); skipped\n'); process.exit(0); }

async function write(file, lines) {
  const out = createWriteStream(file);
  let buf = '';
  for (const l of lines) {
    buf += l;
    if (buf.length > 1 << 16) { if (!out.write(buf)) await new Promise((r) => out.once('drain', r)); buf = ''; }
  }
  out.end(buf);
  await new Promise((r) => out.once('finish', r));
}

function* records(n) {
  yield '#include <stdint.h>\n';
  for (let i = 0; i < n; i++) {
    switch (i % 4) {
      case 0: yield `struct r${i} { uint8_t tag; uint32_t len; int16_t v[${1 + (i % 7)}]; uint64_t when; };\n`; break;
      case 1: yield `struct r${i} { struct r${i - 1} head; unsigned flags : 3, kind : 5; char name[${8 + (i % 9)}]; };\n`; break;
      case 2: yield `union r${i} { uint32_t word; uint8_t bytes[4]; struct { uint16_t lo, hi; } half; };\n`; break;
      default: yield `typedef struct r${i} { double x, y; union r${i - 1} u; _Bool ok; } r${i}_t;\n`;
    }
  }
}

function* defines(n) {
  for (let i = 0; i < n; i++) yield i % 3 === 2 ? `#define D${i} (D${i - 1} + 0x${i.toString(16)})\n` : `#define D${i} ${i}\n`;
}

function run(label, header) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'structgen-big-out-'));
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, 'generate', header, '-o', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  rmSync(out, { recursive: true, force: true });
  const get = (re) => re.exec(r.stderr)?.[1];
  const [m, s] = (get(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/) ?? '0:0').split(':').slice(-2).map(Number);
  const wall = (m ?? 0) * 60 + (s ?? 0);
  const cpu = Number(get(/User time \(seconds\): (.*)/)) + Number(get(/System time \(seconds\): (.*)/));
  const rss = Number(get(/Maximum resident set size \(kbytes\): (.*)/)) / 1024;
  const status = Number(get(/Exit status: (.*)/) ?? r.status);
  const errors = r.stderr.split('\n').filter((l) => /error:|FATAL|heap|Error/.test(l)).slice(0, 3).join(' | ');
  process.stdout.write(`${label}: ${(statSync(header).size / 1e6).toFixed(1)} MB, exit ${status}, ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU, peak RSS ${rss.toFixed(0)} MiB${errors ? `; ${errors.slice(0, 300)}` : ''}\n`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-big-'));
try {
  if (which === 'all' || which === 'records') {
    const n = Math.round(100_000 * scale);
    const f = path.join(dir, 'records.h');
    await write(f, records(n));
    run(`${n.toLocaleString('en')} records`, f);
  }
  if (which === 'all' || which === 'defines') {
    const n = Math.round(2_500_000 * scale);
    const f = path.join(dir, 'defines.h');
    await write(f, defines(n));
    run(`${n.toLocaleString('en')} #defines`, f);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
