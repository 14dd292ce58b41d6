// Issue 23's reproducers against generated modules: encode writes only what it checked, whatever getters and Proxies
// do meanwhile (§2, also as a seeded random test); `encode(v, null)` never reaches an earlier caller's buffer and
// throwing getters, Proxies and options become EncodeError/DecodeError with the cause (§3); round trips lose no
// byte a member holds (§4, the rule in the README, also with seeded random bytes); arrays of many dimensions and
// typedef chains 10,000 deep generate in linear size (§7); generated names never collide with a record's own (§10);
// bidirectional controls and other hidden code points in header text are written out in comments (§11).

import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasErrors } from '../../generator/diagnostics.js';
import { emitModules } from '../../generator/emit/emit.js';
import type { MemberFacts, ProgramFacts, RecordFacts } from '../../generator/layout/facts.js';
import { planModules } from '../../generator/plan/plan.js';
import { analyzeHeader } from '../../generator/pipeline.js';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, generateOrThrow, typecheck, type Loaded } from '../helpers/generated.js';

type Obj = { [k: string]: unknown };
interface C {
  size: number;
  decode(b: unknown, off?: unknown, o?: unknown): Obj;
  view(b: unknown, off?: unknown): Obj & { $decode(o?: unknown): Obj };
  encode(v: unknown, dst?: unknown, off?: unknown): Uint8Array;
  sizeOf(v: unknown): number;
  decodeMany(b: unknown, off?: unknown, n?: unknown, o?: unknown): Obj[];
}

const H = `
#include <stdint.h>
#include <stdbool.h>
struct row { uint32_t a; uint32_t b; uint64_t c; uint64_t d; };   /* 24 bytes */
struct rows { struct row r[4]; };                                 /* 96 bytes */
struct tail { uint16_t n; uint16_t pad; uint32_t v[]; };
struct ctail { uint32_t n; uint32_t v[] __attribute__((counted_by(n))); };
struct grid { int16_t g[2][3][2]; };
struct text { char name[8]; uint8_t k; };
union u { char s[8]; uint32_t w[2]; uint8_t b[8]; };
struct mixed { bool ok; float f; double d; long double x; char tag[6]; union u u; uint8_t flag : 1, two : 3; _Bool bb : 1; };
`;

let m: Loaded;
const c = (name: string) => m[name] as C;
beforeAll(async () => {
  m = await (await generateAndLoad([tempFile('safety.h', H)])).load('safety');
});

const errorOf = (f: () => unknown): Error & Obj => {
  try { f(); } catch (x) { return x as Error & Obj; }
  throw new Error('expected an exception');
};

/** xorshift32: reproducible randomness. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
}

const rowValue = (i: number) => ({ a: i, b: i + 1, c: BigInt(i), d: 7n });

describe('encode writes only what it checked (issue 23 §2)', () => {
  it('an element getter that appends rows while it is written: exactly the record is written', () => {
    const r = [rowValue(1), rowValue(2), rowValue(3), rowValue(4)];
    Object.defineProperty(r, 0, { get() { for (let k = 0; k < 6; k++) r.push(rowValue(9)); return rowValue(1); }, enumerable: true });
    const dst = new Uint8Array(96 + 64).fill(0xee);
    c('rows').encode({ r }, dst);
    expect([...dst.subarray(96)].every((x) => x === 0xee)).toBe(true);
    expect(c('rows').decode(dst).r).toHaveLength(4);
  });

  it('a Proxy array whose length is 2 when checked and 8 later: 2 elements, in a flexible tail or a counted one', () => {
    for (const name of ['tail', 'ctail']) {
      let reads = 0;
      const v = new Proxy([1, 2], { get(t, k, rcv) { if (k === 'length') return reads++ === 0 ? 2 : 8; return typeof k === 'string' && /^\d+$/.test(k) ? Number(k) + 1 : Reflect.get(t, k, rcv); } });
      const value = { n: undefined, pad: 0, v };
      const size = c(name).sizeOf({ n: undefined, pad: 0, v: [1, 2] });
      reads = 0;
      const dst = new Uint8Array(size + 64).fill(0xee);
      try { c(name).encode(value, dst); } catch (e) { expect((e as Error).name).toBe('EncodeError'); }
      expect([...dst.subarray(size)].every((x) => x === 0xee), name).toBe(true);
    }
  });

  it('seeded random getters and Proxies that change shape: no byte outside the record is ever written, only EncodeErrors', () => {
    const next = rng(23);
    for (let trial = 0; trial < 400; trial++) {
      const name = ['rows', 'tail', 'ctail', 'grid'][trial % 4]!;
      const codec = c(name);
      // a value whose every array answers a length and elements that change from read to read
      const shifty = (depth: number): unknown => new Proxy([], {
        get(_t, k) {
          if (k === 'length') return next() % 6;
          if (typeof k === 'string' && /^\d+$/.test(k)) return depth > 0 && next() % 2 ? shifty(depth - 1) : next() % 3 === 0 ? rowValue(next() % 9) : next() % 100;
          return undefined;
        },
      });
      const value: Obj = { r: shifty(1), v: shifty(0), g: shifty(2), n: undefined, pad: 0 };
      let size: number;
      try { size = codec.sizeOf(value); } catch (e) { expect((e as Error).name).toBe('EncodeError'); continue; }
      const off = next() % 8;
      const dst = new Uint8Array(off + size + 96).fill(0xee);
      try { codec.encode(value, dst, off); } catch (e) { expect((e as Error).name, String(e)).toBe('EncodeError'); }
      // whatever the value did, encode wrote inside [off, off + size as it was counted): sizeOf counted it once more
      // here, so compare with the largest size any encode could have chosen: the record's fixed size or its count
      expect([...dst.subarray(0, off)].every((x) => x === 0xee), `${name} trial ${trial}`).toBe(true);
      expect([...dst.subarray(off + Math.max(codec.size, size) + 4 * 5)].every((x) => x === 0xee), `${name} trial ${trial}`).toBe(true);
    }
  });
});

describe('encode(v, null), and getters and options that throw (issue 23 §3)', () => {
  it('after encoding into a resizable buffer, encode(v, null) is an EncodeError and that buffer is untouched', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
    const rab = new Resizable(96, { maxByteLength: 128 });
    c('rows').encode({ r: [0, 1, 2, 3].map(rowValue) }, new Uint8Array(rab));
    const before = [...new Uint8Array(rab)];
    for (const dst of [null, 0, 'x']) {
      const e = errorOf(() => c('rows').encode({ r: [5, 6, 7, 8].map(rowValue) }, dst));
      expect(e.name).toBe('EncodeError');
      expect(e.message).toMatch(/\(destination\): expected a Uint8Array/);
    }
    expect([...new Uint8Array(rab)]).toEqual(before);
  });

  it('a getter or Proxy trap that throws in encode or sizeOf is an EncodeError with the cause', () => {
    const boom = new TypeError('boom');
    const values: unknown[] = [
      { get r(): unknown { throw boom; } },
      { r: new Proxy([], { get() { throw boom; } }) },
      new Proxy({}, { get() { throw boom; } }),
    ];
    for (const v of values) {
      const e = errorOf(() => c('rows').encode(v));
      expect(e.name).toBe('EncodeError');
      expect(e.cause).toBe(boom);
    }
    const e = errorOf(() => c('tail').sizeOf({ n: 0, pad: 0, get v(): unknown { throw boom; } }));
    expect([e.name, e.cause]).toEqual(['EncodeError', boom]);
  });

  it('options whose strict getter throws: a DecodeError with the cause, from decode, decodeMany and a view\'s $decode', () => {
    const boom = new Error('no');
    const options = { get strict(): boolean { throw boom; } };
    const bytes = new Uint8Array(96);
    for (const f of [() => c('rows').decode(bytes, 0, options), () => c('rows').decodeMany(bytes, 0, 1, options), () => c('rows').view(bytes).$decode(options)]) {
      const e = errorOf(f);
      expect(e.name).toBe('DecodeError');
      expect(e.cause).toBe(boom);
    }
  });
});

/** The bits each member holds, at any depth (a long double's value bits, not its slot's padding): what a round trip
 * must keep; every other bit is padding, which encode zeroes. */
function heldBits(p: ProgramFacts, r: RecordFacts, base: number, out: Uint8Array): void {
  const mark = (from: number, n: number) => { for (let b = from; b < from + n; b++) out[b >> 3]! |= 1 << (b & 7); };
  const visit = (m: MemberFacts, at: number) => {
    let t = m.type;
    let count = 1;
    let stride = 0;
    while (t.k === 'array') { count *= t.length ?? 0; stride = t.stride; t = t.of; }
    const elemBits = m.bitfield ? m.bitSize : t.k === 'float' && t.format === 'x87-80' ? 80 : (stride || m.bitSize / 8) * 8;
    for (let k = 0; k < count; k++) {
      const o = at + m.bitOffset + k * stride * 8;
      if (t.k === 'record' && !m.bitfield) heldBits(p, p.records[t.id]!, o, out);
      else mark(o, m.bitfield ? m.bitSize : t.k === 'float' && t.format === 'x87-80' ? 80 : elemBits);
    }
  };
  for (const m of r.members) visit(m, base);
}

describe('round trips lose nothing (issue 23 §4)', () => {
  const name = 'mixed';
  let facts: ProgramFacts;
  beforeAll(() => {
    const a = analyzeHeader(tempFile('safety.h', H), { evaluateDefines: true });
    expect(hasErrors(a.diagnostics)).toBe(false);
    facts = a.facts!;
  });

  it('random bytes: encode(decode(b)) equals b in every bit a member holds, padding zeroed, and decode reads it back the same', () => {
    const next = rng(4);
    for (const rec of ['mixed', 'text', 'u', 'rows']) {
      const codec = c(rec);
      const r = facts.records.find((x) => x?.name === rec)!;
      const held = new Uint8Array(codec.size);
      heldBits(facts, r, 0, held);
      for (let trial = 0; trial < 300; trial++) {
        const b = new Uint8Array(codec.size).map(() => next() & 0xff);
        const d = codec.decode(b);
        const e = codec.encode(d);
        for (let i = 0; i < b.length; i++) {
          expect(e[i]! & held[i]!, `${rec} byte ${i}, trial ${trial}`).toBe(b[i]! & held[i]!);
          expect(e[i]! & ~held[i]! & 0xff, `${rec} padding byte ${i}`).toBe(0);
        }
        expect(JSON.stringify(codec.decode(e), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v)))
          .toBe(JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v)));
      }
    }
    void name;
  });

  it('kept bytes are out of sight (JSON and printing unchanged) and a changed member is encoded as given', () => {
    const b = new Uint8Array(c('text').size);
    b.set([0x61, 0xff, 0x62, 0, 0x7a, 0, 0, 0, 3]); // malformed UTF-8, and a byte after the NUL
    const d = c('text').decode(b);
    expect(d).toEqual({ name: 'a\ufffdb', k: 3 });
    expect(JSON.stringify(d)).toBe('{"name":"a\ufffdb","k":3}');
    expect(inspect(d)).toBe("{ name: 'a\ufffdb', k: 3 }");
    expect([...c('text').encode(d)]).toEqual([...b]);
    expect([...c('text').encode({ ...d })]).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62, 0, 0, 0, 3]); // a copy holds no kept bytes
    d.name = 'xy';
    expect([...c('text').encode(d)]).toEqual([0x78, 0x79, 0, 0, 0, 0, 0, 0, 3]);
  });

  it('a _Bool of 5, a NaN with a payload and a union whose members disagree come back byte for byte', () => {
    const codec = c('mixed');
    const b = new Uint8Array(codec.size);
    const dv = new DataView(b.buffer);
    dv.setUint8(0, 5);
    dv.setUint32(4, 0x7fa00001, true); // a float NaN with a payload
    dv.setUint32(16 + 4, 0x7ff00000 | 0x1234, true); // a signalling double NaN
    const d = codec.decode(b);
    expect(d.ok).toBe(true);
    expect([...codec.encode(d)]).toEqual([...b]);
    d.ok = true; // the same value: the kept byte stays
    expect(codec.encode(d)[0]).toBe(5);
    d.ok = false;
    expect(codec.encode(d)[0]).toBe(0);
  });

  it('a string that is not well-formed (a lone surrogate) is an EncodeError, not U+FFFD', () => {
    const e = errorOf(() => c('text').encode({ name: 'a\ud800b', k: 0 }));
    expect(e.name).toBe('EncodeError');
    expect(e.message).toMatch(/text\.name: the string is not well-formed \(a lone surrogate U\+D800 at index 1\)/);
  });

  it('decode and view of non-ASCII text over a SharedArrayBuffer work (TextDecoder refuses shared memory: copied first)', () => {
    const sab = new SharedArrayBuffer(c('text').size);
    new Uint8Array(sab).set(c('text').encode({ name: 'héllo', k: 1 }));
    expect(c('text').decode(new Uint8Array(sab))).toEqual({ name: 'héllo', k: 1 });
    expect(c('text').view(new Uint8Array(sab)).name).toBe('héllo');
  });
});

describe('arrays of many dimensions (issue 23 §7)', () => {
  const chain = (n: number) => {
    let s = 'typedef int a0[1];\n';
    for (let i = 1; i < n; i++) s += `typedef a${i - 1} a${i}[1];\n`;
    return `${s}struct s { a${n - 1} x; int y; };\n`;
  };
  const moduleOf = (header: string) => {
    const a = analyzeHeader(tempFile('chain.h', header), { evaluateDefines: true });
    expect(hasErrors(a.diagnostics)).toBe(false);
    const plan = planModules([a.facts!]);
    expect(hasErrors(plan.diagnostics)).toBe(false);
    return emitModules(plan, { version: 'test' }).find((f) => f.path === 'chain.ts')!.contents;
  };

  it('typedef array chains 1,000 and 10,000 deep generate (no stack overflow, no exit 70)', () => {
    expect(moduleOf(chain(1000))).toContain('"a", 0, [');
    const big = moduleOf(chain(10000));
    expect(big).toContain('readNd');
  }, 120_000);

  it('the module grows linearly with the number of dimensions', () => {
    const dims = (n: number) => `struct s { int x${'[2]'.repeat(n)}; };\n`.replace('[2]'.repeat(n), '[1]'.repeat(n - 1) + '[2]');
    const a = moduleOf(dims(25)).length;
    const b = moduleOf(dims(200)).length;
    expect(b / a).toBeLessThan(8 * 1.5);
  });

  it('a three-dimensional array decodes, encodes and views element by element', () => {
    const g = [[[1, -2], [3, -4], [5, -6]], [[7, -8], [9, -10], [11, -12]]];
    const bytes = c('grid').encode({ g });
    expect(c('grid').decode(bytes)).toEqual({ g });
    const v = c('grid').view(bytes).g as { get(i: number): { get(i: number): { get(i: number): number } } };
    expect(v.get(1).get(2).get(1)).toBe(-12);
  });
});

describe('generated names never collide with a record\'s own (issue 23 §10)', () => {
  it('struct s beside struct sView, sInput and s$layout: both keep working, and the module type-checks', async () => {
    const h = tempFile('names.h', 'struct s { int a; };\nstruct sView { int b; };\nstruct sInput { int c; };\nstruct s$layout { int d; };\n');
    const files = generateOrThrow([h]);
    expect(await typecheck(files)).toEqual([]);
    const mod = await (await generateAndLoad([h])).load('names');
    const codecs = Object.entries(mod).filter(([, v]) => typeof (v as { decode?: unknown }).decode === 'function').map(([k]) => k).sort();
    expect(codecs).toHaveLength(4);
    expect(codecs).toContain('sView');
    expect(codecs).toContain('sInput');
    expect(codecs).toContain('s$layout');
  });
});

describe('hidden code points in header text (issue 23 §11)', () => {
  it('bidirectional controls and other invisible characters are written out in comments and escaped in strings', () => {
    const h = tempFile('bidi.h', '/* access \u202e }; if (isAdmin) { \u2066 begin admins only */\nstruct s {\n  int a; // x\u200by\u2067z\n};\n#define BANNER "ok\u202e"\n');
    const mod = generateOrThrow([h]).find((f) => f.path === 'bidi.ts')!.contents;
    expect(mod).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/);
    expect(mod).toContain('access <U+202E> }; if (isAdmin) { <U+2066> begin admins only');
    expect(mod).toContain('x<U+200B>y<U+2067>z');
    expect(mod).toContain('BANNER = "ok\\u202e"');
  });
});
