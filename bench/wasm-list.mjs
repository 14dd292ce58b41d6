#!/usr/bin/env node
// Walks a list of 1M nodes that C built in WebAssembly memory (test/wasm/shapes.c's make_list, built with clang-16)
// through structgen's memory views, against hand-written DataView code over the same memory, and reports ns per
// node (median of several runs). Variants: the hand-written loop as people write it (one DataView made up front, no
// growth check), the same loop re-deriving the buffer after memory.grow (what views do on every read), views
// (`node.view(memory, head)`, `n.next` until null), the C loop itself (sum_list), and $decodeGraph of the whole list.
// Also the cost of the first read after a growth. wasm32 and wasm64 (bigint addresses).
//
//   npm run bench:wasm        (builds first; needs clang-16, lld-16, wasi-libc, libclang-rt-16-dev-wasm32)
//   NODES=1000000 RUNS=7      (environment, optional)

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateModules } from '../dist/generator/pipeline.js';
import { instantiateShapes, missingTools, SHAPES_H } from '../dist/test/wasm/build.js';

const NODES = Number(process.env.NODES ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 7);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** ns per node of `f` (which walks the list and returns its sum), checked against the C sum. */
function measure(name, f, want) {
  const times = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const t0 = process.hrtime.bigint();
    const got = f();
    const t1 = process.hrtime.bigint();
    if (BigInt(got) !== want) throw new Error(`${name}: sum ${got}, C says ${want}`);
    if (r > 0) times.push(Number(t1 - t0) / NODES); // the first run warms up
  }
  return { name, nsPerNode: Math.round(median(times) * 100) / 100 };
}

async function moduleFor(target) {
  const run = generateModules([SHAPES_H], { target, emit: 'js+dts' });
  if (run.diagnostics.some((d) => d.severity === 'error')) throw new Error(JSON.stringify(run.diagnostics));
  const dir = mkdtempSync(join(tmpdir(), 'structgen-bench-wasm-'));
  for (const f of run.files) writeFileSync(join(dir, f.path), f.contents);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return import(pathToFileURL(join(dir, 'shapes.js')).href);
}

const results = {};
for (const arch of ['wasm32', 'wasm64']) {
  const why = missingTools(arch);
  if (why) { console.log(`${arch}: skipped (${why})`); continue; }
  const m = await moduleFor(arch === 'wasm32' ? 'wasm32-wasi' : 'wasm64');
  const s = await instantiateShapes(arch);
  const wide = arch === 'wasm64';
  const head = s.exports.make_list(NODES);
  const want = s.exports.sum_list(head);
  const memory = s.memory;
  const h = Number(head);
  const rows = [];
  rows.push(measure('C sum_list (for scale)', () => s.exports.sum_list(head), want));
  const dv0 = new DataView(memory.buffer);
  rows.push(measure('hand-written DataView', wide ? () => {
    let sum = 0;
    for (let p = h; p !== 0; p = Number(dv0.getBigUint64(p + 24, true))) sum += dv0.getInt32(p, true);
    return sum;
  } : () => {
    let sum = 0;
    for (let p = h; p !== 0; p = dv0.getUint32(p + 20, true)) sum += dv0.getInt32(p, true);
    return sum;
  }, want));
  let buf = memory.buffer;
  let dv1 = new DataView(buf);
  rows.push(measure('hand-written, re-deriving after grow', wide ? () => {
    let sum = 0;
    for (let p = h; p !== 0;) {
      if (buf.byteLength === 0) { buf = memory.buffer; dv1 = new DataView(buf); }
      sum += dv1.getInt32(p, true);
      p = Number(dv1.getBigUint64(p + 24, true));
    }
    return sum;
  } : () => {
    let sum = 0;
    for (let p = h; p !== 0;) {
      if (buf.byteLength === 0) { buf = memory.buffer; dv1 = new DataView(buf); }
      sum += dv1.getInt32(p, true);
      p = dv1.getUint32(p + 20, true);
    }
    return sum;
  }, want));
  rows.push(measure('structgen views (n = n.next)', () => {
    let sum = 0;
    for (let n = m.node.view(memory, head); n !== null; n = n.next) sum += n.value;
    return sum;
  }, want));
  rows.push(measure('structgen $decodeGraph, then sum', () => {
    let sum = 0;
    for (let n = m.node.view(memory, head).$decodeGraph({ maxRecords: NODES }); n !== null; n = n.next) sum += n.value;
    return sum;
  }, want));
  // the first read after a growth re-derives the DataView: grow by a page, read one member, many times
  const v = m.node.view(memory, head);
  const K = 2000;
  let t0 = process.hrtime.bigint();
  for (let k = 0; k < K; k++) { memory.grow(0); v.value; }
  const withRead = Number(process.hrtime.bigint() - t0) / K;
  t0 = process.hrtime.bigint();
  for (let k = 0; k < K; k++) memory.grow(0);
  const growOnly = Number(process.hrtime.bigint() - t0) / K;
  t0 = process.hrtime.bigint();
  for (let k = 0; k < K; k++) { memory.grow(0); const d = new DataView(memory.buffer); d.getInt32(h, true); }
  const handRead = Number(process.hrtime.bigint() - t0) / K;
  rows.push({ name: 'first read after memory.grow: views, ns', nsPerNode: Math.round(withRead - growOnly) });
  rows.push({ name: 'first read after memory.grow: hand-written, ns', nsPerNode: Math.round(handRead - growOnly) });
  s.close();
  results[arch] = rows;
  console.log(`\n${arch}: ${NODES} nodes, median of ${RUNS} runs (ns per node)`);
  for (const r of rows) console.log(`  ${r.name.padEnd(46)} ${String(r.nsPerNode).padStart(8)}`);
}
mkdirSync(new URL('./.out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./.out/wasm-list.json', import.meta.url), `${JSON.stringify({ nodes: NODES, runs: RUNS, node: process.version, results }, null, 2)}\n`);
