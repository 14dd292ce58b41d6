// Issue 11 §6-8 reproducers against generated modules: bad counts and offsets, zero-size records, encode given
// hostile values (getters that change, wrong types, prototype-less objects, proxies), detached and shrunk buffers,
// member names that clash with what every object has; and printing (util.inspect, toJSON) of views and values.

import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, generateOrThrow, materialize, typecheck, type Loaded } from '../helpers/generated.js';

type Obj = { [k: string]: unknown };
interface C {
  size: number;
  decode(b: unknown, off?: unknown, o?: { strict?: boolean }): Obj;
  view(b: unknown, off?: unknown): Obj;
  encode(v: unknown, dst?: unknown, off?: unknown): Uint8Array;
  toJSON(v: unknown): unknown;
  decodeMany(b: unknown, off?: unknown, n?: unknown): Obj[];
  viewMany(b: unknown, off?: unknown, n?: unknown): { length: number; get(i: number): Obj };
}

const H = `
#include <stdint.h>
struct rec { uint32_t a; int64_t big; char tag[4]; uint8_t raw[2]; };
struct e { char c[0]; };
struct tail { uint16_t n; uint16_t v[]; };
struct outer { struct rec r; uint8_t k; };
struct coll { int constructor; int constructor_; int __proto__; int __proto___; };
struct printable { int toString; int valueOf; int toJSON; int hasOwnProperty; };
enum mode { MODE_A = 1, MODE_B = 2 };
struct moded { enum mode m; uint64_t id; };
`;

let m: Loaded;
let rec: C, e: C, tail: C, outer: C, coll: C, printable: C, moded: C;
let header: string;
beforeAll(async () => {
  header = tempFile('robust.h', H);
  m = await (await generateAndLoad([header])).load('robust');
  [rec, e, tail, outer, coll, printable, moded] = ['rec', 'e', 'tail', 'outer', 'coll', 'printable', 'moded'].map((n) => m[n] as C) as C[] as [C, C, C, C, C, C, C];
});

const errorOf = (f: () => unknown): Error & Obj => {
  try { f(); } catch (x) { return x as Error & Obj; }
  throw new Error('expected an exception');
};
const recValue = () => ({ a: 1, big: -2n, tag: 'ab', raw: new Uint8Array([1, 2]) });

describe('counts and offsets (issue 11 §6)', () => {
  it('decodeMany and viewMany reject counts that are not whole numbers, naming the count', () => {
    const buf = new Uint8Array(64);
    for (const n of [-1, -Infinity, 0.5, NaN, 1.5, '2', 2 ** 53, -1n]) {
      for (const f of [() => rec.decodeMany(buf, 0, n), () => rec.viewMany(buf, 0, n)]) {
        const err = errorOf(f);
        expect(err.name, String(n)).toBe('DecodeError');
        expect(err.message).toMatch(/rec: invalid count/);
      }
    }
  });

  it('a zero-size record with a huge count is refused without exhausting memory', () => {
    expect(e.size).toBe(0);
    const err = errorOf(() => e.decodeMany(new Uint8Array(0), 0, 2 ** 31));
    expect(err).toMatchObject({ name: 'DecodeError' });
    expect(err.message).toMatch(/a count of 2147483648 zero-size records is too many/);
    expect(e.decodeMany(new Uint8Array(0), 0, 3)).toEqual([{ c: '' }, { c: '' }, { c: '' }]);
    expect(e.viewMany(new Uint8Array(0), 0, 3).length).toBe(3);
    expect(errorOf(() => e.viewMany(new Uint8Array(0), 0, 2 ** 31)).name).toBe('DecodeError');
  });

  it('offsets may be bigints (as C gives them) up to 2^53; beyond is a DecodeError', () => {
    const b = new Uint8Array(48);
    b.set(rec.encode(recValue()), 20);
    expect(rec.decode(b, 20n)).toEqual(recValue());
    expect(rec.view(b, 20n).big).toBe(-2n);
    expect(rec.decodeMany(b, 20n, 1n)).toEqual([recValue()]);
    for (const off of [2n ** 53n, -1n, -1, 0.5, 2 ** 53, 'x']) expect(errorOf(() => rec.decode(b, off)).name, String(off)).toBe('DecodeError');
    expect(errorOf(() => rec.decode(b, 2n ** 60n)).message).toMatch(/invalid byte offset 1152921504606846976n \(expected a whole number from 0 to 2\^53 - 1/);
  });
});

describe('encode checks what it writes and throws only EncodeError (issue 11 §7)', () => {
  it('a flexible array is read once, however often its getter would answer otherwise', () => {
    let calls = 0;
    const v = { n: 1, get v() { calls++; return calls === 1 ? [1] : [1, 2, 3, 4]; } };
    const out = tail.encode(v);
    expect(calls).toBe(1);
    expect(out.length).toBe(4);
    expect(tail.decode(out)).toEqual({ n: 1, v: [1] });
  });

  it('wrong types are EncodeErrors naming record and field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...recValue(), a: 1n }, /rec\.a: 1n is not an integer/],
      [{ ...recValue(), a: Symbol('s') }, /rec\.a: Symbol\(s\) is not an integer/],
      [{ ...recValue(), big: 1 }, /rec\.big: 1 is not a bigint/],
      [{ ...recValue(), big: 2n ** 63n }, /rec\.big: 9223372036854775808n is not a bigint in/],
      [{ ...recValue(), tag: 5 }, /rec\.tag: 5 is not a string/],
      [{ ...recValue(), raw: new Proxy(new Uint8Array(2), {}) }, /rec\.raw: expected a Uint8Array or Int8Array/],
      [{ ...recValue(), raw: [1, 2] }, /rec\.raw: expected a Uint8Array/],
      [{ n: 0, v: null }, /tail\.v: expected an array, got null/],
      [{ n: 0, v: 3 }, /tail\.v: expected an array, got 3/],
      [{ n: 0, v: [1, 'x'] }, /tail\.v\[1\]: "x" is not an integer/],
      [{ r: Object.create(null), k: 1 }, /outer\.a: undefined is not an integer|rec\.a: undefined is not an integer/],
      [{ r: 5, k: 1 }, /outer\.r: 5 is not an object/],
      [null, /is not an object/],
      [Object.create(null), /rec\.a: undefined is not an integer/],
    ];
    for (const [value, msg] of cases) {
      const c = value && typeof value === 'object' && 'r' in value ? outer : value && typeof value === 'object' && 'v' in value ? tail : rec;
      const err = errorOf(() => c.encode(value));
      expect(err.name, msg.source).toBe('EncodeError');
      expect(err.message).toMatch(msg);
    }
    const proto = Object.assign(Object.create(null) as Obj, recValue());
    expect(rec.decode(rec.encode(proto))).toEqual(recValue());
  });

  it('a getter that throws becomes an EncodeError with the cause', () => {
    const err = errorOf(() => rec.encode({ ...recValue(), get a(): number { throw new TypeError('boom'); } }));
    expect(err.name).toBe('EncodeError');
    expect((err.cause as Error).message).toBe('boom');
  });

  it('bad destinations and destination offsets', () => {
    const dst = new Uint8Array(40);
    for (const off of [-1, 1.5, 2 ** 60, 'x', 30, -1n]) {
      const err = errorOf(() => rec.encode(recValue(), dst, off));
      expect(err.name, String(off)).toBe('EncodeError');
      expect(err.message).toMatch(/rec\.\(destination\): /);
    }
    expect(rec.decode(rec.encode(recValue(), dst, 8n), 8)).toEqual(recValue());
    expect(errorOf(() => rec.encode(recValue(), new Proxy(dst, {}))).message).toMatch(/expected a Uint8Array/);
    expect(errorOf(() => rec.encode(recValue(), [0, 0])).name).toBe('EncodeError');
  });

  it('a failed encode into a given destination may have written the members before the failing one (documented)', () => {
    const dst = new Uint8Array(rec.size).fill(0xee);
    expect(errorOf(() => rec.encode({ ...recValue(), tag: 7 }, dst)).name).toBe('EncodeError');
    expect(new DataView(dst.buffer).getUint32(0, true)).toBe(1); // 'a' was written before 'tag' failed
  });
});

describe('detached and resized buffers (issue 11 §7)', () => {
  it('decode of a detached source is a DecodeError naming the cause, cached source or not', () => {
    const b = rec.encode(recValue());
    const dv = new DataView(b.buffer);
    expect(rec.decode(b)).toEqual(recValue()); // now the runtime's cached source
    structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] });
    for (const f of [() => rec.decode(b), () => rec.view(b), () => rec.decodeMany(b), () => rec.decode(dv), () => rec.decode(b.buffer)]) {
      const err = errorOf(f);
      expect(err.name).toBe('DecodeError');
      expect(err.message).toMatch(/detached \(transferred\) or resized/);
    }
  });

  it('a view over a buffer detached later: getters, $decode, toJSON and array views throw DecodeError, setters EncodeError, each with the engine\'s error as cause', () => {
    const b = rec.encode(recValue());
    const v = rec.view(b);
    const o = outer.view(outer.encode({ r: recValue(), k: 7 }));
    const raw = v.raw as Uint8Array;
    expect(raw.length).toBe(2);
    structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] });
    const reads: Array<[string, () => unknown, string | null]> = [
      ['v.a', () => v.a, 'a'], ['v.big', () => v.big, 'big'], ['v.tag', () => v.tag, 'tag'], ['v.raw', () => v.raw, 'raw'],
      ['$decode', () => (v.$decode as () => unknown).call(v), null], ['toJSON', () => (v.toJSON as () => unknown).call(v), null],
    ];
    for (const [what, f, field] of reads) {
      const err = errorOf(f);
      expect(err.name, what).toBe('DecodeError');
      expect(err, what).toMatchObject({ record: 'rec', field, offset: field === 'a' ? 0 : expect.any(Number) });
      expect(err.message, what).toMatch(/detached \(transferred\) or resized below the view/);
      expect(err.cause, what).toBeInstanceOf(TypeError);
    }
    const set = errorOf(() => { v.a = 5; });
    expect(set).toMatchObject({ name: 'EncodeError', record: 'rec', field: 'a' });
    expect(set.cause).toBeInstanceOf(TypeError);
    // a nested view over another buffer is unaffected
    expect((o.r as Obj).a).toBe(1);
  });

  it('array views over a detached buffer: get, set, iteration and toArray throw DecodeError / EncodeError; a bad index to set is an EncodeError', async () => {
    const files = generateOrThrow([tempFile('arrv.h', 'struct av { short s[3]; int m[2][2]; };')]);
    const av = (await materialize(files).load('arrv')).av as C;
    const b = av.encode({ s: [1, 2, 3], m: [[1, 2], [3, 4]] });
    const v = av.view(b);
    const s = v.s as { get(i: number): unknown; set(i: number, x: unknown): void; toArray(): unknown[]; length: number } & Iterable<unknown>;
    const m2 = v.m as { get(i: number): { get(i: number): unknown } };
    const row = m2.get(1);
    expect(s.toArray()).toEqual([1, 2, 3]);
    for (const k of [5, -1, 0.5, '0', 1n]) {
      expect(errorOf(() => s.set(k as number, 1)), String(k)).toMatchObject({ name: 'EncodeError', record: 'av' });
      expect(errorOf(() => s.get(k as number)), String(k)).toMatchObject({ name: 'DecodeError', record: 'av' });
    }
    structuredClone(b.buffer, { transfer: [b.buffer as ArrayBuffer] });
    for (const [what, f] of [['get', () => s.get(1)], ['toArray', () => s.toArray()], ['iteration', () => [...s]], ['nested get', () => row.get(0)]] as const) {
      const err = errorOf(f);
      expect(err.name, what).toBe('DecodeError');
      expect(err.cause, what).toBeInstanceOf(TypeError);
    }
    const err = errorOf(() => s.set(0, 1));
    expect(err).toMatchObject({ name: 'EncodeError', record: 'av', field: 's[0]' });
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('a strict getter that detaches the source: decode, decodeMany and $decode throw DecodeError, not the engine\'s TypeError', () => {
    const b = new Uint8Array(rec.encode(recValue()));
    const v = rec.view(b);
    const opts = (buf: Uint8Array) => ({ get strict(): boolean { structuredClone(buf.buffer, { transfer: [buf.buffer as ArrayBuffer] }); return true; } });
    const b2 = b.slice();
    const b3 = b.slice();
    expect(errorOf(() => rec.decode(b2, 0, opts(b2))).name).toBe('DecodeError');
    expect(errorOf(() => (rec.decodeMany as (...a: unknown[]) => unknown)(b3, 0, 1, opts(b3))).name).toBe('DecodeError');
    expect(errorOf(() => (v.$decode as (o: unknown) => unknown).call(v, opts(b))).name).toBe('DecodeError');
  });

  it('resizable buffers: decode sees the current length; a view shrunk under has getters that throw DecodeError', () => {
    // ES2024 resizable buffers (Node 20 has them; the project's lib is ES2022)
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void };
    const ab = new Resizable(rec.size, { maxByteLength: 64 });
    new Uint8Array(ab).set(rec.encode(recValue()));
    const u8 = new Uint8Array(ab);
    const fixed = new Uint8Array(ab, 0, rec.size);
    const v = rec.view(fixed);
    expect(rec.decode(u8)).toEqual(recValue());
    ab.resize(8);
    expect(errorOf(() => rec.decode(u8))).toMatchObject({ name: 'DecodeError', needed: rec.size, available: 8 });
    // a fixed-length view over the shrunk part has length 0 now
    expect(errorOf(() => rec.decode(fixed))).toMatchObject({ name: 'DecodeError', needed: rec.size, available: 0 });
    for (const f of [() => v.a, () => v.raw, () => v.tag]) {
      const err = errorOf(f);
      expect(err.name).toBe('DecodeError');
      expect(err.cause).toBeInstanceOf(Error);
    }
    expect(errorOf(() => { v.a = 1; }).name).toBe('EncodeError');
  });

  it('a DataView source with an own byteLength property: the cache and the bounds use its real length', () => {
    const b = rec.encode(recValue());
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    // claims to be longer than it is (it was read beyond its end: the engine's RangeError, not a DecodeError)
    Object.defineProperty(dv, 'byteLength', { value: 1 << 20 });
    expect(rec.decode(dv)).toEqual(recValue());
    for (const f of [() => rec.decode(dv, rec.size), () => rec.view(dv, 8), () => rec.decodeMany(dv, 0, 2)]) {
      expect(errorOf(f)).toMatchObject({ name: 'DecodeError', record: 'rec', available: expect.any(Number) });
    }
    // an object that only looks like a DataView
    const fake = Object.create(DataView.prototype, { byteLength: { value: 64 } }) as DataView;
    expect(errorOf(() => rec.decode(fake)).name).toBe('DecodeError');
  });

  it('sources and destinations whose buffer, byteOffset or byteLength lie: only their real bytes are read or written', () => {
    const b = rec.encode(recValue());
    const other = new Uint8Array(4096).fill(0xee);
    // a DataView given a lying `buffer` after a first decode has cached it
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    expect(rec.decode(dv)).toEqual(recValue());
    Object.defineProperty(dv, 'buffer', { value: other.buffer });
    Object.defineProperty(dv, 'byteOffset', { value: 100 });
    expect(rec.decode(dv)).toEqual(recValue());
    expect(rec.view(dv).tag).toBe(recValue().tag);
    expect([...(rec.view(dv).raw as Uint8Array)]).toEqual([...recValue().raw]);
    // a typed-array source and a destination with own properties, and a subclass whose getters lie
    class Liar extends Uint8Array {
      override get byteOffset(): number { return 64; }
      override get buffer(): ArrayBuffer { return other.buffer; }
    }
    const u8 = Object.defineProperty(new Uint8Array(b), 'buffer', { value: other.buffer });
    const liar = new Liar(b);
    for (const src of [u8, liar]) {
      expect(rec.decode(src)).toEqual(recValue());
      expect(rec.view(src).tag).toBe(recValue().tag);
    }
    for (const dst of [Object.defineProperty(new Uint8Array(rec.size), 'byteOffset', { value: 8 }), new Liar(rec.size)]) {
      expect(rec.encode(recValue(), dst)).toBe(dst);
      expect([...dst]).toEqual([...b]);
    }
    expect(other.every((x) => x === 0xee)).toBe(true);
  });

  it('encode into a detached destination is an EncodeError', () => {
    const dst = new Uint8Array(rec.size);
    rec.encode(recValue(), dst); // cached destination
    structuredClone(dst.buffer, { transfer: [dst.buffer as ArrayBuffer] });
    expect(errorOf(() => rec.encode(recValue(), dst)).name).toBe('EncodeError');
  });
});

describe('member names that clash (issue 11 §8)', () => {
  it('constructor / __proto__ and their renamed spellings keep every value and encode each to its own field', async () => {
    const files = generateOrThrow([header]);
    expect(await typecheck(files)).toEqual([]);
    const bytes = new Uint8Array(16);
    const dv = new DataView(bytes.buffer);
    [11, 22, 33, 44].forEach((x, i) => dv.setInt32(i * 4, x, true));
    const d = coll.decode(bytes);
    expect(d).toEqual({ constructor__: 11, constructor_: 22, __proto____: 33, __proto___: 44 });
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(coll.encode(d)).toEqual(bytes);
    expect(coll.view(bytes).__proto____).toBe(33);
    const mod = files.find((f) => f.path === 'robust.ts')!.contents;
    expect(mod).toMatch(/constructor__: number;/);
  });

  it('members named toString, valueOf, toJSON stay printable', () => {
    const bytes = new Uint8Array(16).fill(1);
    const d = printable.decode(bytes);
    expect(Object.keys(d)).toEqual(['toString_', 'valueOf_', 'toJSON_', 'hasOwnProperty_']);
    expect(String(d)).toBe('[object Object]');
    expect(JSON.parse(JSON.stringify(d))).toEqual({ toString_: 0x01010101, valueOf_: 0x01010101, toJSON_: 0x01010101, hasOwnProperty_: 0x01010101 });
    expect(inspect(printable.view(bytes))).toMatch(/toString_: 16843009/);
    expect(printable.encode(d)).toEqual(bytes);
  });
});

describe('printing and JSON (issue 12 §5)', () => {
  it('util.inspect of a view shows its members and values; views and values have JSON forms', () => {
    const b = rec.encode(recValue());
    const v = rec.view(b);
    expect(inspect(v)).toBe("recView { a: 1, big: -2n, tag: 'ab', raw: Uint8Array(2) [ 1, 2 ] }");
    expect(JSON.parse(JSON.stringify(v))).toEqual({ a: 1, big: '-2', tag: 'ab', raw: '0102' });
    expect(rec.toJSON(rec.decode(b))).toEqual({ a: 1, big: '-2', tag: 'ab', raw: '0102' });
    const o = outer.view(outer.encode({ r: recValue(), k: 9 }));
    expect(inspect(o)).toMatch(/^outerView \{ r: \{ a: 1, big: -2n/);
    expect(inspect(tail.view(tail.encode({ n: 2, v: [1, 2] })).v)).toBe('ArrayView(2) [ 1, 2 ]');
  });

  it('enum values print by name through X$name', () => {
    const name = m.mode$name as (v: number) => string | undefined;
    const d = moded.decode(moded.encode({ m: 2, id: 5n }));
    expect(name(d.m as number)).toBe('MODE_B');
    expect(name(3)).toBeUndefined();
    expect(moded.toJSON(d)).toEqual({ m: 2, id: '5' });
  });
});
