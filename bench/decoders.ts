// `npm run bench` (decoders): decode, view and encode of a million records with structgen's generated modules
// against hand-written DataView code for the same records, in the same process, and decode against
// binary-parser, restructure and typed-binary describing the same bytes. Prints a table of rates and ratios. The
// modules are structgen's own JavaScript (`emit: 'js+dts'`), loaded as a bundler would serve them.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Parser } from 'binary-parser';
import * as r from 'restructure';
import bin from 'typed-binary';
import { formatDiagnostic, hasErrors } from '../generator/diagnostics.js';
import { emitModules } from '../generator/emit/emit.js';
import { planModules } from '../generator/plan/plan.js';
import { analyzeHeader } from '../generator/pipeline.js';
import { VERSION } from '../generator/core/version.js';
import * as hand from './hand-written.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, HERE.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const N = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
/** `BENCH_OPS=view,encode`: measure only these operations (decode, many, view, encode), to compare versions faster. */
const OPS = process.env.BENCH_OPS?.split(',');
const op = (name: string) => !OPS || OPS.includes(name);

type Obj = { readonly [k: string]: unknown; readonly id?: unknown };
interface Codec {
  size: number;
  decode(src: ArrayBuffer | ArrayBufferView, off?: number): Obj;
  view(src: ArrayBuffer | ArrayBufferView, off?: number): Obj;
  encode(v: unknown, dst?: Uint8Array, off?: number): Uint8Array;
  decodeMany(src: ArrayBuffer | ArrayBufferView, off?: number, count?: number): Obj[];
}

async function loadGenerated(): Promise<{ [name: string]: Codec }> {
  const a = analyzeHeader(path.join(ROOT, 'bench/bench.h'), { evaluateDefines: true });
  if (hasErrors(a.diagnostics)) throw new Error(a.diagnostics.map(formatDiagnostic).join('\n'));
  const plan = planModules([a.facts!]);
  if (hasErrors(plan.diagnostics)) throw new Error(plan.diagnostics.map(formatDiagnostic).join('\n'));
  const dir = path.join(ROOT, 'bench/.out');
  mkdirSync(dir, { recursive: true });
  for (const f of emitModules(plan, { version: VERSION, emit: 'js+dts' })) writeFileSync(path.join(dir, f.path), f.contents);
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  return (await import(pathToFileURL(path.join(dir, 'bench.js')).href)) as { [name: string]: Codec };
}

/** Best time of several rounds of each function, as records per second; the rounds of the functions compared
 * are interleaved, so that the garbage one leaves and the machine's moods fall on all of them alike. Each
 * function does N operations and returns a checksum (so that nothing is optimised away). Time is the process's
 * CPU time (user + system), so that other processes on a busy machine do not count. */
function measure(...fs: Array<() => number>): number[] {
  const best = fs.map(() => Infinity);
  let sink = 0;
  for (const f of fs) sink += f(); // warm-up: the JIT sees every path before timing
  for (let i = 0; i < ROUNDS; i++) {
    fs.forEach((f, k) => {
      const t0 = process.cpuUsage();
      sink += f();
      const u = process.cpuUsage(t0);
      const dt = (u.user + u.system) / 1e6;
      if (dt < best[k]!) best[k] = dt;
    });
  }
  if (sink === 0.5) process.stdout.write(' ');
  return best.map((b) => N / b);
}

function fill(size: number, make: (i: number) => Uint8Array): Uint8Array {
  const buf = new Uint8Array(size * N);
  for (let i = 0; i < N; i++) buf.set(make(i), i * size);
  return buf;
}

// a realistic nanosecond timestamp (near 1.7e18) and an ASCII tag of 2 to 8 characters
const plainValue = (i: number) => ({ id: i, port: i & 0xffff, kind: i & 0xff, flags: (i >> 3) & 0xff, stamp: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_003n, value: i / 3, tag: `t${i % 1000}`.padEnd(2 + (i % 7), 'x') });
const flatValue = (i: number) => ({ id: i, temp: (i % 200) - 100, kind: i & 0xff, flags: (i >> 3) & 0xff, stamp: 1_700_000_000_000_000_000n + BigInt(i) * 1_000_003n, value: i / 3, scale: (i % 100) / 4, count: i * 7, tag: `t${i % 1000}`.padEnd(2 + (i % 7), 'x') });
const wireValue = (i: number) => ({ ihl: 5, version: 4, tos: i & 0xff, len: i & 0xffff, id: (i * 3) & 0xffff, frag: i & 0x1fff, df: i & 1, mf: (i >> 1) & 1, rsv: 0, ttl: 64, proto: 6, csum: (i * 5) & 0xffff, src: i >>> 0, dst: (i * 11) >>> 0 });
const shapeValue = (i: number) => ({ id: i & 0xffff, n: 4, layer: i & 7, origin: { x: i, y: -i }, pts: [0, 1, 2, 3].map((k) => ({ x: i + k, y: i - k })), weights: [1, 2, 3, i & 0xffff] });

interface Row { record: string; op: string; structgen: number; hand: number | null; others: { [lib: string]: number | null } }

const w = (v: unknown) => weight(v);
// Fields read by name, as user code reads them (a megamorphic keyed read would measure V8's stub cache, not the
// views): one set for structgen's views and one for the hand-written ones, so that each call site sees one class.
const READ_G: { readonly [rec: string]: { two(v: Obj): number; all(v: Obj): number } } = {
  plain: { two: (v) => w(v.id) + w(v.stamp), all: (v) => w(v.id) + w(v.port) + w(v.kind) + w(v.flags) + w(v.stamp) + w(v.value) + w(v.tag) },
  flat: { two: (v) => w(v.id) + w(v.stamp), all: (v) => w(v.id) + w(v.temp) + w(v.kind) + w(v.flags) + w(v.stamp) + w(v.value) + w(v.scale) + w(v.count) + w(v.tag) },
  wire: { two: (v) => w(v.version) + w(v.src), all: (v) => w(v.ihl) + w(v.version) + w(v.tos) + w(v.len) + w(v.id) + w(v.frag) + w(v.df) + w(v.mf) + w(v.rsv) + w(v.ttl) + w(v.proto) + w(v.csum) + w(v.src) + w(v.dst) },
  shape: { two: (v) => w(v.id) + w(v.origin), all: (v) => w(v.id) + w(v.n) + w(v.layer) + w(v.origin) + w(v.pts) + w(v.weights) },
};
const READ_H: { readonly [rec: string]: { two(v: Obj): number; all(v: Obj): number } } = {
  plain: { two: (v) => w(v.id) + w(v.stamp), all: (v) => w(v.id) + w(v.port) + w(v.kind) + w(v.flags) + w(v.stamp) + w(v.value) + w(v.tag) },
  flat: { two: (v) => w(v.id) + w(v.stamp), all: (v) => w(v.id) + w(v.temp) + w(v.kind) + w(v.flags) + w(v.stamp) + w(v.value) + w(v.scale) + w(v.count) + w(v.tag) },
  wire: { two: (v) => w(v.version) + w(v.src), all: (v) => w(v.ihl) + w(v.version) + w(v.tos) + w(v.len) + w(v.id) + w(v.frag) + w(v.df) + w(v.mf) + w(v.rsv) + w(v.ttl) + w(v.proto) + w(v.csum) + w(v.src) + w(v.dst) },
  shape: { two: (v) => w(v.id) + w(v.origin), all: (v) => w(v.id) + w(v.n) + w(v.layer) + w(v.origin) + w(v.pts) + w(v.weights) },
};

const RECORDS = ['plain', 'flat', 'wire', 'shape'];

/** Each record is measured in a process of its own (`BENCH_CHILD`), so that no record's code sees feedback another
 * record left in V8's inline caches. */
async function main() {
  const child = process.env.BENCH_CHILD;
  if (child) {
    process.stdout.write(JSON.stringify(await measureRecord(child)));
    return;
  }
  const only = process.env.BENCH_ONLY?.split(',');
  const rows: Row[] = [];
  for (const name of RECORDS.filter((x) => !only || only.includes(x))) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, BENCH_CHILD: name }, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`bench of ${name} failed:\n${r.stderr}`);
    rows.push(...(JSON.parse(r.stdout) as Row[]));
  }
  print(rows);
}

async function measureRecord(name: string): Promise<Row[]> {
  const g = await loadGenerated();
  const rows: Row[] = [];
  const table = {
    plain: { c: g.plain!, h: hand.plain, value: plainValue, two: ['id', 'stamp'] },
    flat: { c: g.flat!, h: hand.flat, value: flatValue, two: ['id', 'stamp'] },
    wire: { c: g.wire!, h: hand.wire, value: wireValue, two: ['version', 'src'] },
    shape: { c: g.shape!, h: hand.shape, value: shapeValue, two: ['id', 'origin'] },
  } as const;
  const rec = { name, ...table[name as keyof typeof table] };
  const libs = libraryDecoders();
  {
    const size = rec.c.size;
    const buf = fill(size, (i) => rec.c.encode(rec.value(i)));
    const dv = new DataView(buf.buffer);
    // hand-written and generated code must agree before anything is timed
    for (let i = 0; i < Math.min(N, 1000); i++) {
      const a = JSON.stringify(rec.c.decode(dv, i * size), big);
      const b = JSON.stringify(rec.h.decode(dv, i * size), big);
      if (a !== b) throw new Error(`${rec.name}: hand-written decoder disagrees at record ${i}:\n${a}\n${b}`);
    }
    const rg = READ_G[name]!;
    const rh = READ_H[name]!;

    if (op('decode')) {
      const [decodeG, decodeGu8, decodeH] = measure(
        () => { let s = 0; for (let i = 0; i < N; i++) s += weight(rec.c.decode(dv, i * size)[rec.two[0]]); return s; },
        () => { let s = 0; for (let i = 0; i < N; i++) s += weight(rec.c.decode(buf, i * size)[rec.two[0]]); return s; },
        () => { let s = 0; for (let i = 0; i < N; i++) s += weight((rec.h.decode(dv, i * size) as unknown as Obj)[rec.two[0]]); return s; });
      const others: { [lib: string]: number | null } = {};
      for (const [lib, fns] of Object.entries(libs)) {
        const f = fns[rec.name];
        others[lib] = f ? measure(() => f(buf, size, N))[0]! : null;
      }
      rows.push({ record: rec.name, op: 'decode (DataView)', structgen: decodeG!, hand: decodeH!, others });
      rows.push({ record: rec.name, op: 'decode (Uint8Array)', structgen: decodeGu8!, hand: decodeH!, others: {} });
    }
    if (op('many')) {
      const [manyG, manyH] = measure(
        () => rec.c.decodeMany(dv, 0, N).length,
        () => { const out = new Array<unknown>(N); for (let i = 0; i < N; i++) out[i] = rec.h.decode(dv, i * size); return out.length; });
      rows.push({ record: rec.name, op: 'decodeMany, all into an array', structgen: manyG!, hand: manyH!, others: {} });
    }
    if (op('view')) {
      const [viewG2, viewH2] = measure(
        () => { let s = 0; for (let i = 0; i < N; i++) s += rg.two(rec.c.view(dv, i * size)); return s; },
        () => { let s = 0; for (let i = 0; i < N; i++) s += rh.two(rec.h.view(dv, i * size) as unknown as Obj); return s; });
      rows.push({ record: rec.name, op: 'view, 2 fields', structgen: viewG2!, hand: viewH2!, others: {} });
      const [viewGA, viewHA] = measure(
        () => { let s = 0; for (let i = 0; i < N; i++) s += rg.all(rec.c.view(dv, i * size)); return s; },
        () => { let s = 0; for (let i = 0; i < N; i++) s += rh.all(rec.h.view(dv, i * size) as unknown as Obj); return s; });
      rows.push({ record: rec.name, op: 'view, all fields', structgen: viewGA!, hand: viewHA!, others: {} });
    }
    if (op('encode')) {
      const values = Array.from({ length: 1024 }, (_, i) => rec.value(i));
      const out = new Uint8Array(size * N);
      const outDv = new DataView(out.buffer);
      const [encG, encH] = measure(
        () => { for (let i = 0; i < N; i++) rec.c.encode(values[i & 1023], out, i * size); return out[7]!; },
        () => { for (let i = 0; i < N; i++) rec.h.encode(values[i & 1023] as never, outDv, i * size); return out[7]!; });
      rows.push({ record: rec.name, op: 'encode (checked, padding zeroed)', structgen: encG!, hand: encH!, others: {} });
    }
  }
  return rows;
}

function weight(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v & 0xffn);
  if (typeof v === 'string') return v.length;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === null || v === undefined ? 0 : 1;
}
function big(_k: string, v: unknown) {
  if (typeof v === 'bigint') return `${v}n`;
  return v;
}

/** The same layouts described to the three libraries; each function decodes `n` records and returns a checksum. */
function libraryDecoders(): { [lib: string]: { [rec: string]: ((buf: Uint8Array, size: number, n: number) => number) | undefined } } {
  const bpFlat = new Parser().endianness('little').uint32('id').int16('temp').uint8('kind').uint8('flags').int64('stamp')
    .doublele('value').floatle('scale').uint32('count').string('tag', { length: 8, stripNull: true });
  // binary-parser numbers bits from the most significant end of each group: the fields are listed high to low
  const bpWire = new Parser().endianness('big').bit4('version').bit4('ihl').uint8('tos').uint16('len').uint16('id')
    .uint16le('fragword').uint8('ttl').uint8('proto').uint16('csum').uint32('src').uint32('dst');
  const bpPoint = new Parser().endianness('little').int32('x').int32('y');
  const bpShape = new Parser().endianness('little').uint16('id').uint8('n').uint8('layer').nest('origin', { type: bpPoint })
    .array('pts', { type: bpPoint, length: 4 }).array('weights', { type: 'uint16le', length: 4 });
  const bp = (p: Parser) => (buf: Uint8Array, size: number, n: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += weight((p.parse(buf.subarray(i * size, i * size + size)) as Obj).id);
    return s;
  };

  const rsFlat = new r.Struct({ id: r.uint32le, temp: r.int16le, kind: r.uint8, flags: r.uint8, stampLo: r.uint32le, stampHi: r.int32le,
    value: r.doublele, scale: r.floatle, count: r.uint32le, tag: new r.String(8, 'utf8') });
  const rsPoint = new r.Struct({ x: r.int32le, y: r.int32le });
  const rsShape = new r.Struct({ id: r.uint16le, n: r.uint8, layer: r.uint8, origin: rsPoint, pts: new r.Array(rsPoint, 4), weights: new r.Array(r.uint16le, 4) });
  const rs = (st: r.Struct<Obj>) => (buf: Uint8Array, _size: number, n: number) => {
    const stream = new r.DecodeStream(buf);
    let s = 0;
    for (let i = 0; i < n; i++) s += weight((st.decode(stream) as Obj).id);
    return s;
  };

  // typed-binary has no 64-bit integers and no double: `stamp` and `value` are read as two 32-bit halves
  const tbFlat = bin.object({ id: bin.u32, temp: bin.i16, kind: bin.u8, flags: bin.u8, stamp: bin.tupleOf([bin.u32, bin.i32]), value: bin.tupleOf([bin.u32, bin.u32]), scale: bin.f32, count: bin.u32, tag: bin.chars(8) });
  const tbPoint = bin.object({ x: bin.i32, y: bin.i32 });
  const tbShape = bin.object({ id: bin.u16, n: bin.u8, layer: bin.u8, origin: tbPoint, pts: bin.arrayOf(tbPoint, 4), weights: bin.arrayOf(bin.u16, 4) });
  const tb = (schema: { read(rd: InstanceType<typeof bin.BufferReader>): unknown }) => (buf: Uint8Array, _size: number, n: number) => {
    const rd = new bin.BufferReader(buf.buffer, { endianness: 'little', byteOffset: buf.byteOffset });
    let s = 0;
    for (let i = 0; i < n; i++) s += weight((schema.read(rd) as Obj).id);
    return s;
  };

  return {
    'binary-parser': { plain: undefined, flat: bp(bpFlat), wire: bp(bpWire), shape: bp(bpShape) },
    restructure: { flat: rs(rsFlat as unknown as r.Struct<Obj>), wire: undefined, shape: rs(rsShape as unknown as r.Struct<Obj>) },
    'typed-binary': { flat: tb(tbFlat), wire: undefined, shape: tb(tbShape) },
  };
}

function print(rows: readonly Row[]) {
  const libs = ['binary-parser', 'restructure', 'typed-binary'];
  const M = (x: number) => `${(x / 1e6).toFixed(1)} M/s`;
  const head = ['record', 'operation', 'structgen', 'hand-written', 'ratio', ...libs.map((l) => `${l} (structgen x)`)];
  const lines = rows.map((row) => [row.record, row.op, M(row.structgen), row.hand === null ? '' : M(row.hand),
    row.hand === null ? '' : (row.structgen / row.hand).toFixed(2),
    ...libs.map((l) => { const v = row.others[l]; return v === undefined ? '' : v === null ? 'n/a' : `${M(v)} (${(row.structgen / v).toFixed(1)}x)`; })]);
  const table = [head, head.map(() => '---'), ...lines].map((c) => `| ${c.join(' | ')} |`).join('\n');
  process.stdout.write(`Decoders: ${N.toLocaleString('en')} records per operation, best of ${ROUNDS} rounds; node ${process.version}\n\n${table}\n`);
}

await main();
