// Complex members (`_Complex float/double/long double`) in every position the emitter reads them from: a member, an
// array, a flexible array, on a little- and a big-endian target, under both emit targets. Arrays read their elements
// through a module-level element reader, an arrow function whose body is the `{ re, im }` object literal: printed
// without parentheses it parsed as a block of labels and every decode of such an array threw
// `ReferenceError: im is not defined` (found by fuzz:runtime). Values are checked against bytes written here with
// DataView, not against structgen's own encode alone.

import { describe, expect, it } from 'vitest';
import { tempFile } from '../helpers/compiler.js';
import { generateOrThrow, materialize } from '../helpers/generated.js';

const H = `
struct cx {
  float _Complex one;
  double _Complex two[2];
  long double _Complex ld[2];
  double _Complex tail[];
};
`;

type Complex = { re: number; im: number };
type Obj = { readonly [k: string]: unknown };
interface C {
  size: number;
  decode(b: Uint8Array): Obj;
  view(b: Uint8Array): Obj & { $decode(): Obj };
  encode(v: unknown): Uint8Array;
}

/** Offsets of the members as the target lays them out, from the module's own layout (checked by tsc elsewhere). */
function offsets(layout: { fields: ReadonlyArray<readonly [string, number, number, ...number[]]> }): Map<string, number> {
  return new Map(layout.fields.map((f) => [f[0], f[1] / 8]));
}

describe('complex members', () => {
  for (const target of ['x86_64-linux-gnu', 'powerpc-linux-gnu']) {
    for (const emit of ['ts', 'js+dts'] as const) {
      it(`${target}, ${emit}: a member, arrays and a flexible array of complex numbers decode, view and round-trip`, async () => {
        const files = generateOrThrow([tempFile('cx.h', H)], { target, emit });
        const m = await materialize(files).load('cx');
        const cx = m.cx as C;
        const at = offsets(m.cx$layout as never);
        const le = target.startsWith('x86_64');
        const b = new Uint8Array(at.get('tail')! + 2 * 16);
        const dv = new DataView(b.buffer);
        dv.setFloat32(at.get('one')!, 1.5, le);
        dv.setFloat32(at.get('one')! + 4, -2.5, le);
        const two: Complex[] = [{ re: 3.25, im: -4 }, { re: 1e300, im: -0.125 }];
        two.forEach((c, i) => { dv.setFloat64(at.get('two')! + 16 * i, c.re, le); dv.setFloat64(at.get('two')! + 16 * i + 8, c.im, le); });
        const tail: Complex[] = [{ re: 7, im: 8 }, { re: -9.5, im: 10.75 }];
        tail.forEach((c, i) => { dv.setFloat64(at.get('tail')! + 16 * i, c.re, le); dv.setFloat64(at.get('tail')! + 16 * i + 8, c.im, le); });
        // long double parts: written by the module itself (x87 on x86_64, double on powerpc), read back below
        const ld: Complex[] = [{ re: 0.5, im: -1 }, { re: 2 ** 40, im: 3 }];

        const v = cx.decode(b);
        expect(v.one).toEqual({ re: 1.5, im: -2.5 });
        expect(v.two).toEqual(two);
        expect(v.tail).toEqual(tail);
        const withLd = { ...v, ld };
        const out = cx.encode(withLd);
        expect(out.length).toBe(b.length);
        expect(cx.decode(out)).toEqual(withLd);
        // every byte but the long doubles' equals the bytes written by hand
        const ldFrom = at.get('ld')!;
        const ldTo = at.get('tail')!;
        for (let i = 0; i < b.length; i++) if (i < ldFrom || i >= ldTo) expect(out[i], `byte ${i}`).toBe(b[i]);

        const view = cx.view(out);
        expect((view.two as { get(i: number): unknown }).get(1)).toEqual(two[1]);
        expect((view.ld as { toArray(): unknown[] }).toArray()).toEqual(ld);
        expect([...(view.tail as Iterable<unknown>)]).toEqual(tail);
        expect(view.$decode()).toEqual(withLd);
      });
    }
  }
});
