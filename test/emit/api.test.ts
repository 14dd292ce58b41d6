// The emitted API of CONTRACTS.md "Emitted modules", case by case: strict decoding of enums and bools, errors
// that name record, field, offset and sizes, encode's checks and zeroed padding, flexible array members, arrays,
// byte-order overrides, and reading many records at once.

import { beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, type Loaded } from '../helpers/generated.js';

type Fn = (...a: never[]) => unknown;
type AnyObj = { [k: string]: unknown };
interface C {
  size: number; align: number; name: string;
  decode(b: ArrayBuffer | ArrayBufferView, off?: number, o?: { strict?: boolean }): AnyObj;
  view(b: ArrayBuffer | ArrayBufferView, off?: number): AnyObj;
  encode(v: unknown, dst?: Uint8Array, off?: number): Uint8Array;
  decodeMany(b: ArrayBuffer | ArrayBufferView, off?: number, n?: number): AnyObj[];
  viewMany(b: ArrayBuffer | ArrayBufferView, off?: number, n?: number): { length: number; get(i: number): AnyObj; [Symbol.iterator](): Iterator<AnyObj> };
}

const HEADER = `
#include <stdint.h>
#include <stdbool.h>
enum color { RED = 1, GREEN = 2, BLUE = 4 };
#define MAGIC 0x5354
#define NAME "structgen"
#define BIG 0x123456789abcdef0ULL
struct item {
  uint16_t magic;          /* 0 */
  enum color color;        /* 4 */
  bool ok;                 /* 8 */
  char tag[6];             /* 9 */
  int64_t when;            /* 16 */
  uint32_t port;           /* 24: big-endian through the endian option */
  int8_t delta : 3;        /* 28 */
  unsigned wide : 20;
  uint16_t grid[2][3];
  float ratio;
};
struct packet {
  uint8_t kind;
  uint16_t len;
  uint16_t data[];
};
union word { uint32_t u; int16_t h[2]; uint8_t b[4]; };
`;

let m: Loaded;
let item: C;
let packet: C;
let word: C;
beforeAll(async () => {
  const h = tempFile('api.h', HEADER);
  m = await (await generateAndLoad([h], { endian: { 'item.port': 'big' } })).load('api');
  item = m.item as C;
  packet = m.packet as C;
  word = m.word as C;
});

const sample = () => ({
  magic: 0x5354, color: 2, ok: true, tag: 'abc', when: -5n, port: 0x01020304, delta: -3, wide: 0xfffff,
  grid: [[1, 2, 3], [4, 5, 6]], ratio: 0.5,
});

describe('record codecs', () => {
  it('size, align, name and constants', () => {
    expect([item.size, item.align, item.name]).toEqual([48, 8, 'item']);
    expect([m.MAGIC, m.NAME, m.BIG]).toEqual([0x5354, 'structgen', 0x123456789abcdef0n]);
    expect(m.color).toEqual({ RED: 1, GREEN: 2, BLUE: 4 });
  });

  it('encode then decode gives the value back; 64-bit as bigint, int8 bit-fields signed, byte-order override', () => {
    const bytes = item.encode(sample());
    expect(bytes.length).toBe(48);
    expect(item.decode(bytes)).toEqual(sample());
    expect([...bytes.subarray(24, 28)]).toEqual([1, 2, 3, 4]); // big-endian as configured
    expect(new DataView(bytes.buffer).getBigInt64(16, true)).toBe(-5n);
  });

  it('encode zeroes padding in a dirty destination and writes at an offset', () => {
    const dst = new Uint8Array(52).fill(0xee);
    item.encode(sample(), dst, 4);
    expect([...dst.subarray(0, 4)]).toEqual([0xee, 0xee, 0xee, 0xee]);
    expect([dst[4 + 2], dst[4 + 3]]).toEqual([0, 0]); // hole after magic
    expect([...dst.subarray(4 + 9 + 3, 4 + 9 + 6)]).toEqual([0, 0, 0]); // after the string's NUL
    expect(item.decode(dst, 4)).toEqual(sample());
  });

  it('encode rejects values that do not fit, naming record and field', () => {
    const bad: Array<[AnyObj, RegExp]> = [
      [{ magic: 70000 }, /item\.magic: 70000 is not an integer in \[0, 65535\]/],
      [{ delta: 4 }, /item\.delta: 4 is not an integer in \[-4, 3\]/],
      [{ wide: 1 << 20 }, /item\.wide/],
      [{ tag: 'abcdefg' }, /item\.tag: string of 7 UTF-8 bytes does not fit in char\[6\]/],
      [{ tag: 'abc\u00e9\u00e9' }, /item\.tag: string of 7 UTF-8 bytes/],
      [{ when: 1 }, /item\.when: 1 is not a bigint/],
      [{ when: 1n << 63n }, /item\.when/],
      [{ ok: 1 }, /item\.ok: 1 is not a boolean/],
      [{ grid: [[1, 2, 3]] }, /item\.grid: expected 2 elements, got 1/],
      [{ port: 1.5 }, /item\.port/],
    ];
    for (const [patch, msg] of bad) {
      let err: Error | null = null;
      try { item.encode({ ...sample(), ...patch }); } catch (e) { err = e as Error; }
      expect(err?.name, JSON.stringify(patch, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).toBe('EncodeError');
      expect(err).toBeInstanceOf(RangeError);
      expect(err!.message).toMatch(msg);
    }
    expect(item.decode(item.encode({ ...sample(), tag: 'ab\u00e9\u00e9' })).tag).toBe('ab\u00e9\u00e9'); // 6 bytes fill char[6]: no NUL, as C allows
  });

  it('strict decoding rejects enum values outside the enum and _Bool bytes other than 0 and 1', () => {
    const bytes = item.encode(sample());
    const dv = new DataView(bytes.buffer);
    dv.setUint32(4, 3, true);
    expect(item.decode(bytes).color).toBe(3);
    expect(() => item.decode(bytes, 0, { strict: true })).toThrow(/item\.color at byte offset 4: 3 is not a value of the enum/);
    dv.setUint32(4, 4, true);
    dv.setUint8(8, 2);
    expect(item.decode(bytes).ok).toBe(true);
    let err: AnyObj | null = null;
    try { item.decode(bytes, 0, { strict: true }); } catch (e) { err = e as AnyObj; }
    expect(err).toMatchObject({ name: 'DecodeError', record: 'item', field: 'ok', offset: 8 });
    expect((m.color$values as Set<number>).has(4)).toBe(true);
  });

  it('short buffers: DecodeError names record, field, offset, bytes needed and available', () => {
    let err: AnyObj | null = null;
    try { item.decode(new Uint8Array(30), 2); } catch (e) { err = e as AnyObj; }
    expect(err).toBeInstanceOf(m.DecodeError as Fn);
    expect(err).toBeInstanceOf(RangeError);
    expect(err).toMatchObject({ record: 'item', offset: 2, needed: 48, available: 28, field: 'delta' });
    expect(String((err as unknown as Error).message)).toBe("item at byte offset 2 needs 48 bytes, only 28 available (field 'delta' is the first that does not fit)");
  });

  it('views read and write in place, over ArrayBuffer, Uint8Array, Buffer and DataView alike', () => {
    const bytes = item.encode(sample());
    for (const src of [bytes.buffer as ArrayBuffer, bytes, Buffer.from(bytes.buffer), new DataView(bytes.buffer)] as ArrayBufferView[]) {
      expect(item.view(src).when).toBe(-5n);
    }
    const v = item.view(bytes);
    v.delta = 2;
    v.color = 4;
    (v.grid as { get(i: number): { set(j: number, x: number): void } }).get(1).set(2, 60);
    expect(item.decode(bytes)).toMatchObject({ delta: 2, color: 4, grid: [[1, 2, 3], [4, 5, 60]], wide: 0xfffff });
    expect(() => { v.delta = 9; }).toThrow(/item\.delta/);
  });

  it('unions decode every member from the same bytes and encode the members given', () => {
    const b = word.encode({ u: 0x80017f02 });
    expect(word.decode(b)).toEqual({ u: 0x80017f02, h: [0x7f02, -0x7fff], b: new Uint8Array([2, 0x7f, 1, 0x80]) });
    expect(word.encode({ b: new Uint8Array([1, 2, 3, 4]) })).toEqual(new Uint8Array([1, 2, 3, 4]));
  });

  it('flexible array members hold the elements that fit; encode writes them', () => {
    expect(packet.size).toBe(4);
    const bytes = packet.encode({ kind: 7, len: 3, data: [10, 20, 30] });
    expect(bytes.length).toBe(10);
    expect(packet.decode(bytes)).toEqual({ kind: 7, len: 3, data: [10, 20, 30] });
    expect(packet.decode(bytes.subarray(0, 9)).data).toEqual([10, 20]); // a partial element is not read
    expect((packet.view(bytes).data as { length: number }).length).toBe(3);
  });

  it('decodeMany and viewMany read consecutive records; iteration works', () => {
    const one = word.encode({ u: 1 });
    const all = new Uint8Array(13);
    for (let i = 0; i < 3; i++) all.set(word.encode({ u: i + 1 }), i * 4);
    expect(word.decodeMany(all).map((x) => x.u)).toEqual([1, 2, 3]);
    expect(word.decodeMany(all, 4, 2).map((x) => x.u)).toEqual([2, 3]);
    expect([...word.viewMany(all)].map((x) => x.u)).toEqual([1, 2, 3]);
    expect(one.length).toBe(4);
    expect(() => word.decodeMany(all, 0, 4)).toThrow(m.DecodeError as new () => Error);
  });
});
