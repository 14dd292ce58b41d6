// The value interpreter (generator/decode/) against the generated decoders: for every record of headers/*.h and of a
// set of Linux UAPI headers, random bytes (at an aligned and an odd offset, with room for flexible arrays) are read by
// the interpreter and by the generated module's `decode`; the values must be equal, deeply (numbers, bigints,
// booleans, strings, typed arrays, nested objects and arrays, NaN as NaN, -0 as -0). Strict decoding must accept
// and reject the same bytes, and too few bytes must raise a DecodeError (a RangeError) on both sides.

import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { Interpreter, DecodeError } from '../../generator/decode/interpret.js';
import { leaves } from '../../generator/decode/present.js';
import { analyzeHeader, generateFromAnalyses, type HeaderAnalysis } from '../../generator/pipeline.js';
import { planModules, type RecordPlan } from '../../generator/plan/plan.js';
import { LexCache } from '../../generator/preprocess/preprocess.js';
import { codec, materialize, type Loaded } from '../helpers/generated.js';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(ROOT, 'headers', f));
const KINDS = path.join(__dirname, 'fixtures/kinds.h');
/** Every long double format (x87 in 12 and 16 bytes, binary128, IBM double-double, m68k's 96 bits, plain double),
 * both byte orders, the Microsoft and mingw bit-field rules, 16-bit and 32-bit targets. */
const TARGETS = ['x86_64-linux-gnu', 'i386-linux-gnu', 'aarch64-linux-gnu', 'powerpc64-linux-gnu', 'powerpc-linux-gnu', 'm68k-linux-gnu',
  's390x-linux-gnu', 'mips-linux-gnu', 'x86_64-pc-windows-msvc', 'x86_64-w64-mingw32', 'avr', 'msp430', 'riscv64-linux-gnu', 'wasm32-unknown-unknown', 'armv7-linux-gnueabihf'];
const UAPI_DIR = '/usr/include/linux';
/** Named headers with bit-fields, unions, big-endian types, enums and flexible arrays, plus every 10th UAPI header. */
const NAMED = ['input.h', 'ip.h', 'tcp.h', 'udp.h', 'if_ether.h', 'icmp.h', 'perf_event.h', 'usb/ch9.h', 'bpf.h', 'inotify.h', 'fs.h', 'ethtool.h'];
const UAPI = existsSync(UAPI_DIR)
  ? [...new Set([...NAMED.map((f) => path.join(UAPI_DIR, f)),
    ...readdirSync(UAPI_DIR).filter((f) => f.endsWith('.h')).sort().filter((_, i) => i % 10 === 0).map((f) => path.join(UAPI_DIR, f))])].filter((f) => existsSync(f))
  : [];
if (!UAPI.length) console.warn(`SKIP: ${UAPI_DIR} not present: only headers/ are compared`);

/** Lets vitest's worker talk to the runner between long synchronous stretches (it times out after a minute). */
const breathe = () => new Promise<void>((r) => setImmediate(r));

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

interface Set_ { ip: Interpreter; modules: Map<string, Loaded>; records: Array<{ module: string; rp: RecordPlan }> }

/** Plans and generates the headers that lay out and plan without errors (each header on its own). */
async function build(headers: readonly string[], target?: string): Promise<Set_ & { skipped: string[] }> {
  const cache = new LexCache();
  const skipped: string[] = [];
  const ok: HeaderAnalysis[] = [];
  for (const h of headers) {
    await breathe();
    const a = analyzeHeader(h, { cache, evaluateDefines: true, ...(target ? { target } : {}) });
    if (hasErrors(a.diagnostics) || hasErrors(planModules([a.facts!]).diagnostics)) { skipped.push(a.header); continue; }
    ok.push(a);
  }
  const plan = planModules(ok.map((a) => a.facts!));
  const gen = generateFromAnalyses(ok);
  if (hasErrors(gen.diagnostics)) throw new Error('generation failed');
  await breathe();
  const set = materialize(gen.files, 'structgen-decode-');
  await breathe();
  const modules = new Map<string, Loaded>();
  const records: Array<{ module: string; rp: RecordPlan }> = [];
  for (const m of plan.modules) {
    modules.set(m.name, await set.load(m.name));
    for (const rp of m.records) records.push({ module: m.name, rp });
  }
  return { ip: new Interpreter(plan), modules, records, skipped };
}

async function compareAll(s: Set_, seed: number): Promise<{ records: number; values: number }> {
  const next = rng(seed);
  let values = 0;
  for (const { module, rp } of s.records) {
    await breathe();
    const c = codec(s.modules.get(module)!, rp.name);
    const flex = rp.members.find((m) => m.rep.k === 'flex');
    const extra = flex && flex.rep.k === 'flex' ? 3 * flex.rep.stride + 1 : 0;
    for (const offset of [0, 3]) {
      const bytes = new Uint8Array(offset + rp.facts.size + extra);
      for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
      const mine = s.ip.decode(rp, bytes, offset);
      const theirs = c.decode(bytes, offset);
      expect(mine, `${module}.${rp.name} at ${offset}`).toEqual(theirs);
      values += leaves(s.ip, rp, mine).length;
      // strict: the same bytes are accepted or rejected by both
      let a: unknown = null;
      let b: unknown = null;
      try { s.ip.decode(rp, bytes, offset, { strict: true }); } catch (e) { a = e; }
      try { c.decode(bytes, offset, { strict: true }); } catch (e) { b = e; }
      expect(a === null, `${module}.${rp.name} strict at ${offset}: interpreter ${String(a)}, generated ${String(b)}`).toBe(b === null);
      if (a) expect(a).toBeInstanceOf(DecodeError);
    }
    if (rp.facts.size > 0) {
      const short = new Uint8Array(rp.facts.size - 1);
      expect(() => s.ip.decode(rp, short, 0)).toThrow(RangeError);
      expect(() => c.decode(short, 0)).toThrow(RangeError);
    }
  }
  return { records: s.records.length, values };
}

describe('the value interpreter reads what the generated decoders read', () => {
  let examples: Set_;
  beforeAll(async () => {
    examples = await build(EXAMPLES);
  });

  it('headers/*.h: every record, random bytes, three seeds', async () => {
    let values = 0;
    for (const seed of [1, 2, 3]) values += (await compareAll(examples, seed)).values;
    expect(examples.records.length).toBeGreaterThan(20);
    console.log(`decode differential, headers/: ${examples.records.length} records, ${values} values compared`);
  });

  it(`every kind of value on ${TARGETS.length} targets (test/decode/fixtures/kinds.h and headers/*.h)`, async () => {
    let values = 0;
    let records = 0;
    for (const target of TARGETS) {
      const set = await build([KINDS, ...EXAMPLES], target);
      expect(set.skipped, target).toEqual([]);
      for (const seed of [11, 12, 13, 14]) values += (await compareAll(set, seed)).values;
      records += set.records.length;
    }
    console.log(`decode differential, ${TARGETS.length} targets: ${records} records, ${values} values compared`);
  });

  it.skipIf(!UAPI.length)('Linux UAPI headers: every record, random bytes', async () => {
    // in groups of 8 headers: generating and transpiling all at once keeps the worker busy for minutes on a loaded machine
    let records = 0;
    let values = 0;
    const skipped: string[] = [];
    for (let i = 0; i < UAPI.length; i += 8) {
      const set = await build(UAPI.slice(i, i + 8));
      skipped.push(...set.skipped);
      const r = await compareAll(set, 7 + i);
      records += r.records;
      values += r.values;
    }
    expect(records).toBeGreaterThan(300);
    console.log(`decode differential, ${UAPI.length - skipped.length} UAPI headers: ${records} records, ${values} values compared` +
      (skipped.length ? ` (${skipped.length} headers that do not lay out or plan on their own skipped)` : ''));
  });
});
