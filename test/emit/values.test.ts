// Decoded values equal what C reads. A C program compiled with gcc fills every record of the example headers and
// of real system headers with random bytes (then valid bools, strings and long doubles), prints the bytes and
// every member as C reads it; the generated decode and view must read the same values, and bytes written by
// `encode` and by view setters must read back in C as the same values, with padding zeroed.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeHeader, headerRecords, type HeaderAnalysis } from '../../generator/pipeline.js';
import type { Record } from '../../generator/resolve/types.js';
import { codec, generateAndLoad, type Loaded } from '../helpers/generated.js';
import { compileHarness, jsValue, leaves, runFill, runRead, sameValue, type CValues, type Leaf } from './c-harness.js';
import { sizerOf } from '../helpers/sizer.js';

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = readdirSync(path.join(ROOT, 'headers')).filter((f) => f.endsWith('.h')).sort().map((f) => path.join(ROOT, 'headers', f));
/** Real headers with bit-fields, big-endian fields, unions, 64-bit and signed members, strings. */
const SYSTEM = ['/usr/include/linux/input.h', '/usr/include/linux/ip.h', '/usr/include/linux/tcp.h', '/usr/include/linux/udp.h',
  '/usr/include/linux/if_ether.h', '/usr/include/linux/icmp.h', '/usr/include/linux/perf_event.h', '/usr/include/linux/usb/ch9.h',
  '/usr/include/linux/bpf.h', '/usr/include/linux/inotify.h', '/usr/include/linux/fs.h', '/usr/include/linux/ethtool.h'];
/** Random fillings per record: every example record gets more; the (many) system records fewer. */
const SEEDS = Number(process.env.STRUCTGEN_VALUE_SEEDS ?? 12);
const SYSTEM_SEEDS = Number(process.env.STRUCTGEN_VALUE_SEEDS ?? 4);

const HAVE_GCC = (() => {
  try { execFileSync('gcc', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
})();
if (!HAVE_GCC) console.warn('SKIP: gcc not found: the C value tests are skipped (Debian: apt-get install -y gcc)');
const systemHeaders = SYSTEM.filter((h) => existsSync(h));
if (HAVE_GCC && systemHeaders.length < SYSTEM.length) {
  console.warn(`SKIP: system headers not present, not tested: ${SYSTEM.filter((h) => !existsSync(h)).join(', ')}`);
}

function compare(rec: string, ls: readonly Leaf[], c: CValues, decoded: unknown, what: string): string[] {
  const bad: string[] = [];
  for (const l of ls) {
    const want = c.values.get(l.path);
    if (want === undefined) continue; // union members C does not print (bools, strings, long doubles in unions)
    let got: string;
    try { got = jsValue(decoded, l); } catch (e) { got = `<${(e as Error).message}>`; }
    if (!sameValue(want, got)) bad.push(`${what} ${rec}.${l.path}: C reads ${want}, decoder ${got}`);
  }
  return bad;
}

type Obj = { [k: string]: unknown };
interface ArrayLike { length: number; get(i: number): unknown; set(i: number, v: unknown): void }

/** Writes a decoded value through a view's setters, recursing into nested views and array views. */
function assignView(view: Obj, value: Obj): void {
  for (const [k, v] of Object.entries(value)) {
    const cur = view[k];
    if (v instanceof Uint8Array || v instanceof Int8Array) (cur as Uint8Array).set(v);
    else if (Array.isArray(v)) assignArray(cur as ArrayLike, v);
    else if (typeof v === 'object' && v !== null) assignView(cur as Obj, v as Obj);
    else view[k] = v;
  }
}
function assignArray(av: ArrayLike, arr: readonly unknown[]): void {
  arr.forEach((el, i) => {
    if (el instanceof Uint8Array || el instanceof Int8Array) (av.get(i) as Uint8Array).set(el);
    else if (Array.isArray(el)) assignArray(av.get(i) as ArrayLike, el);
    else if (typeof el === 'object' && el !== null) assignView(av.get(i) as Obj, el as Obj);
    else av.set(i, el);
  });
}

interface Suite { a: HeaderAnalysis; recs: Record[]; exe: string; mod: Loaded }

async function prepare(headers: readonly string[]): Promise<Suite[]> {
  const gen = await generateAndLoad(headers);
  const out: Suite[] = [];
  for (const h of headers) {
    const a = analyzeHeader(h);
    const names = new Set(headerRecords(a).map((r) => r.name));
    const recs = a.resolved!.records.filter((r): r is Record => !!r && !!r.name && names.has(r.name) && r.pos.file === h);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-harness-'));
    const exe = compileHarness(a, recs, dir);
    const mod = await gen.load(path.basename(h, '.h'));
    out.push({ a, recs, exe, mod });
  }
  return out;
}

function checkSuite(s: Suite, seeds: number): string[] {
  const bad: string[] = [];
  for (const r of s.recs) {
    const c = codec(s.mod, r.name!);
    const ls = leaves(s.a, r);
    // a flexible array member's elements start inside the tail padding; those bytes are the array's
    const famBit = (() => {
      const L = sizerOf(s.a).recordLayout(r.id);
      const i = r.fields.findIndex((f) => { const d = sizerOf(s.a).desugar(f.type); return d.k === 'array' && d.length === null; });
      return i < 0 ? Infinity : L.fields[i]!.bitOffset;
    })();
    // a union holding a string: encoding the string zero-fills bytes other members read (README), so what C
    // reads back there is not compared
    const lossyUnion = leaves(s.a, r).some((l) => l.inUnion && l.kind === 'string');
    const padding = headerRecords(s.a).find((x) => x.name === r.name)!.padding;
    for (let seed = 1; seed <= seeds; seed++) {
      const filled = runFill(s.exe, r.name!, seed * 7919 + 13);
      expect(filled.bytes.length, `${r.name}: C's sizeof`).toBe(c.size);
      const decoded = c.decode(filled.bytes);
      bad.push(...compare(r.name!, ls, filled, decoded, 'decode'));
      bad.push(...compare(r.name!, ls, filled, c.view(filled.bytes), 'view'));
      // encode: C reads back the same values, and every padding bit is zero
      const enc = c.encode(decoded);
      const back = runRead(s.exe, r.name!, enc);
      for (const l of ls) {
        const want = filled.values.get(l.path);
        const got = back.values.get(l.path);
        if (lossyUnion && l.inUnion) continue;
        if (want !== undefined && got !== undefined && !sameValue(want, got)) bad.push(`encode ${r.name}.${l.path}: wrote ${want}, C reads ${got}`);
      }
      for (const p of padding) {
        for (let bit = p.bitOffset; bit < Math.min(p.bitOffset + p.bitSize, famBit); bit++) {
          if (enc[bit >> 3]! & (1 << (bit & 7))) { bad.push(`encode ${r.name}: padding bit ${bit} is set`); break; }
        }
      }
      // view setters over zeroed bytes write what C reads back
      const buf = new Uint8Array(c.size);
      assignView(c.view(buf), decoded);
      const viaView = runRead(s.exe, r.name!, buf);
      for (const l of ls) {
        const want = filled.values.get(l.path);
        const got = viaView.values.get(l.path);
        if (lossyUnion && l.inUnion) continue;
        if (want !== undefined && got !== undefined && !sameValue(want, got)) bad.push(`view setter ${r.name}.${l.path}: wrote ${want}, C reads ${got}`);
      }
      if (bad.length > 20) return bad;
    }
  }
  return bad;
}

describe.skipIf(!HAVE_GCC)('decoded values equal what C reads (gcc, x86_64)', () => {
  let examples: Suite[] = [];
  let system: Suite[] = [];
  beforeAll(async () => {
    examples = await prepare(EXAMPLES);
    system = await prepare(systemHeaders);
  });

  it('every example header defines records and the harness covers their members', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const s of examples) {
      expect(s.recs.length, s.a.header).toBeGreaterThan(0);
      for (const r of s.recs) expect(leaves(s.a, r).length, `${r.name}`).toBeGreaterThan(0);
    }
  });

  for (const h of EXAMPLES) {
    it(`headers/${path.basename(h)}: decode, view, encode and view setters agree with C`, () => {
      const s = examples.find((x) => x.a.header === h)!;
      expect(checkSuite(s, SEEDS)).toEqual([]);
    });
  }

  it(`system headers (${systemHeaders.map((h) => path.basename(h)).join(', ')}) agree with C`, () => {
    let records = 0;
    const bad: string[] = [];
    for (const s of system) {
      records += s.recs.length;
      bad.push(...checkSuite(s, SYSTEM_SEEDS));
    }
    expect(bad).toEqual([]);
    expect(records).toBeGreaterThan(50);
  });
});
