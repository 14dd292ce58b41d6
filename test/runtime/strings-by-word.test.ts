// char[n] writes ASCII four characters at a time (writeStr): every length, every width not a multiple of four, a
// character past ASCII in each word, and the bytes around the field, against TextEncoder plus zero fill
import { beforeAll, describe, expect, it } from 'vitest';
import { tempFile } from '../helpers/compiler.js';
import { generateAndLoad, type Loaded } from '../helpers/generated.js';

const WIDTHS = [1, 3, 4, 5, 7, 8, 9, 12, 13];
const H = WIDTHS.map((n) => `struct s${n} { uint8_t a; char t[${n}]; uint8_t z; };`).join('\n');
type C = { size: number; encode(v: unknown, d?: Uint8Array, o?: number): Uint8Array; decode(s: Uint8Array, o?: number): { t: string } };
let m: Loaded;
beforeAll(async () => {
  m = await (await generateAndLoad([tempFile('words.h', `#include <stdint.h>\n${H}\n`)])).load('words');
});

const expected = (n: number, s: string): Uint8Array => {
  const b = new Uint8Array(n);
  b.set(new TextEncoder().encode(s));
  return b;
};

describe('char[n] written a word at a time', () => {
  it('writes every ASCII length and zero-fills the rest, and nothing outside the field', () => {
    for (const n of WIDTHS) {
      const c = m[`s${n}`] as C;
      for (let len = 0; len <= n; len++) {
        const s = Array.from({ length: len }, (_, k) => String.fromCharCode(k === 2 ? 0 : 0x20 + ((k * 37 + n) % 0x5f))).join('');
        const d = new Uint8Array(c.size + 8).fill(0xee);
        c.encode({ a: 1, t: s, z: 2 }, d, 4);
        expect(d.subarray(0, 4)).toEqual(new Uint8Array(4).fill(0xee));
        expect(d.subarray(4 + c.size)).toEqual(new Uint8Array(4).fill(0xee));
        expect(d[4]).toBe(1);
        expect(d.subarray(5, 5 + n)).toEqual(expected(n, s));
        expect(d[5 + n]).toBe(2);
      }
    }
  });

  it('writes a character past ASCII, in any word, as UTF-8; one that does not fit is an EncodeError', () => {
    for (const n of WIDTHS) {
      const c = m[`s${n}`] as C;
      for (let at = 0; at < n; at++) {
        for (const ch of ['é', 'ÿ', 'Ā', '\u20ac']) {
          const s = 'a'.repeat(at) + ch;
          const bytes = new TextEncoder().encode(s);
          const d = new Uint8Array(c.size + 8).fill(0xee);
          if (bytes.length <= n) {
            c.encode({ a: 1, t: s, z: 2 }, d, 4);
            expect(d.subarray(5, 5 + n)).toEqual(expected(n, s));
            expect(c.decode(d, 4).t).toBe(s);
          } else {
            expect(() => c.encode({ a: 1, t: s, z: 2 }, d, 4)).toThrow(expect.objectContaining({ name: 'EncodeError', record: `s${n}`, field: 't' }));
          }
          expect(d.subarray(0, 4)).toEqual(new Uint8Array(4).fill(0xee));
          expect(d.subarray(4 + c.size)).toEqual(new Uint8Array(4).fill(0xee));
        }
      }
      expect(() => c.encode({ a: 1, t: 'x'.repeat(n + 1), z: 2 })).toThrow(expect.objectContaining({ name: 'EncodeError', field: 't' }));
      expect(() => c.encode({ a: 1, t: '\ud800', z: 2 })).toThrow(expect.objectContaining({ name: 'EncodeError', field: 't' }));
    }
  });
});
