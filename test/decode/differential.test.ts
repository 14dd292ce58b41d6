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
import { analyzeHeader, generateFromAnalyses, type GenerateOptions, type HeaderAnalysis } from '../../generator/pipeline.js';
import { planModules, type RecordPlan, type Rep } from '../../generator/plan/plan.js';
import { LexCache } from '../../generator/preprocess/preprocess.js';
import { tempFile } from '../helpers/compiler.js';
import { FORMATS_H, FORMATS_OPTIONS } from '../helpers/formats-fixture.js';
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
async function build(headers: readonly string[], target?: string, opts: GenerateOptions = {}): Promise<Set_ & { skipped: string[] }> {
  const cache = new LexCache();
  const skipped: string[] = [];
  const ok: HeaderAnalysis[] = [];
  for (const h of headers) {
    await breathe();
    const a = analyzeHeader(h, { cache, evaluateDefines: true, ...(target ? { target } : {}) });
    if (hasErrors(a.diagnostics) || hasErrors(planModules([a.facts!], opts).diagnostics)) { skipped.push(a.header); continue; }
    ok.push(a);
  }
  const plan = planModules(ok.map((a) => a.facts!), opts);
  const gen = generateFromAnalyses(ok, opts);
  if (hasErrors(gen.diagnostics)) throw new Error('generation failed');
  await breathe();
  const set = materialize(gen.files, 'structgen-decode-');
  await breathe();
  const modules = new Map<string, Loaded>();
  const records: Array<{ module: string; rp: RecordPlan }> = [];
  for (const m of plan.modules) {
    // the module of included headers' records is named by its content (included-<hash>)
    const file = gen.files.find((f) => f.path === `${m.name}.ts` || (m.name === 'included' && /^included-[0-9a-f]{8}\.ts$/.test(f.path)))!.path;
    modules.set(m.name, await set.load(file.replace(/\.ts$/, '')));
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

/** Writes `v` as the integer member `m` (its bytes, in its byte order) into `bytes` at record offset `at`. */
function putInt(bytes: Uint8Array, at: number, m: { facts: { bitOffset: number; bitfield: unknown }; rep: Rep }, v: number): void {
  if (m.facts.bitfield || (m.rep.k !== 'int' && m.rep.k !== 'bigint')) throw new Error('putInt: not a whole integer member');
  const n = m.rep.bytes;
  for (let i = 0; i < n; i++) bytes[at + m.facts.bitOffset / 8 + (m.rep.le ? i : n - 1 - i)] = i < 6 ? Math.floor(v / 256 ** i) & 0xff : 0;
}

/** What a decode gives: the value, or the error's name. */
function outcome(f: () => unknown): unknown {
  try { return f(); } catch (e) { return { threw: (e as Error).name }; }
}

describe('the value interpreter reads what the generated decoders read', () => {
  it('field overrides, counted tails and tagged unions (test/helpers/formats-fixture.ts), on two byte orders', async () => {
    const header = tempFile('formats.h', FORMATS_H);
    let compared = 0;
    let decoded = 0;
    for (const target of ['x86_64-linux-gnu', 'powerpc-linux-gnu']) {
      const set = await build([header], target, FORMATS_OPTIONS);
      expect(set.skipped).toEqual([]);
      const kinds = new Set<string>();
      const next = rng(99);
      for (const { module, rp } of set.records) {
        const c = codec(set.modules.get(module)!, rp.name);
        for (let round = 0; round < 40; round++) {
          const bytes = new Uint8Array(rp.facts.size + 24);
          for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
          for (const m of rp.members) {
            kinds.add(m.rep.k);
            // counts small enough to fit most of the time, tags mostly among the cases
            if (m.rep.k === 'flex' && m.rep.count) putInt(bytes, 0, m.rep.count, round % 7 === 6 ? 1000 : next() % 5);
            if (m.rep.k === 'tagged') {
              const values = [...m.rep.cases.map((k) => Number(k.value)), 3];
              putInt(bytes, 0, m.rep.tag, values[next() % values.length]!);
            }
          }
          for (const strict of [false, true]) {
            const mine = outcome(() => set.ip.decode(rp, bytes, 0, { strict }));
            const theirs = outcome(() => c.decode(bytes, 0, { strict }));
            expect(mine, `${target} ${rp.name} round ${round}${strict ? ' strict' : ''}`).toEqual(theirs);
            compared++;
            if (!(theirs as { threw?: string }).threw) decoded++;
          }
        }
      }
      for (const k of ['safe', 'bool', 'string', 'bytes', 'flex', 'tagged', 'bits']) expect(kinds, `${target}: a member of kind ${k}`).toContain(k);
    }
    expect(decoded, 'most random records decode (the rest throw DecodeError in both)').toBeGreaterThan(compared / 2);
    console.log(`decode differential, overrides: ${compared} decodes compared, ${decoded} of them values`);
  });


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
