// The C side of the WebAssembly memory tests, on its own: structgen lays out test/wasm/shapes.h for wasm32 and wasm64
// exactly as clang-16 does; shapes.c builds with clang-16 for wasm32-wasi (wasi-libc) and, freestanding, for wasm64;
// the module runs (under node:wasi for wasm32), prints every value it stored in the form parseOutput reads, and grows
// its memory on request with the structures built before still there.

import { describe, expect, it } from 'vitest';
import { checkAgainstClang, HAVE_CLANG } from '../helpers/compiler.js';
import { hexFloat, instantiateShapes, parseOutput, SHAPES_H, toolsOrSkip } from './build.js';

const HAVE32 = toolsOrSkip('wasm32');
const HAVE64 = toolsOrSkip('wasm64');

describe('shapes.h and shapes.c', () => {
  for (const target of ['wasm32-unknown-unknown', 'wasm64-unknown-unknown']) {
    it.skipIf(!HAVE_CLANG)(`structgen lays out shapes.h for ${target} as clang-16 does`, () => {
      const c = checkAgainstClang(SHAPES_H, target);
      expect(c.clangOk, c.clangStderr).toBe(true);
      expect(c.comparison.mismatches).toEqual([]);
      expect(c.comparison.missing).toEqual([]);
      expect(c.comparison.compared).toBeGreaterThanOrEqual(6);
    });
  }

  it('reads C\'s %a floats exactly', () => {
    expect(hexFloat('0x1.8p1')).toBe(3);
    expect(hexFloat('-0x1.0000000000000p-2')).toBe(-0.25);
    expect(hexFloat('0x1.999999999999ap-4')).toBe(0.1);
    expect(hexFloat('0x0p+0')).toBe(0);
    expect(hexFloat('0x1.fffffffffffffp1023')).toBe(Number.MAX_VALUE);
  });

  for (const arch of ['wasm32', 'wasm64'] as const) {
    it.skipIf(!(arch === 'wasm32' ? HAVE32 : HAVE64))(`${arch}: builds, prints every value, grows its memory`, async () => {
      const s = await instantiateShapes(arch);
      try {
        const roots = s.exports.build(12, 20);
        expect(typeof roots).toBe(arch === 'wasm64' ? 'bigint' : 'number');
        s.exports.dump();
        const first = parseOutput(s.output());
        expect(first.get('roots')).toEqual({ k: 'p', v: BigInt(roots) });
        expect(first.get('list_length')).toEqual({ k: 'i', v: 12n });
        expect([...first.keys()].filter((k) => /^list\[\d+\]\.value$/.test(k))).toHaveLength(12);
        expect(first.get('inventory.count')).toEqual({ k: 'i', v: 5n });
        expect(first.get('names[0]')).toEqual({ k: 's', v: new TextEncoder().encode('alpha') });
        expect(first.get('empty')).toEqual({ k: 'p', v: 0n });
        expect(first.has('grown[0].value')).toBe(false);
        // the ring's last node points back to the first
        expect(first.get('ring[3].next')).toEqual(first.get('ring[0]'));
        expect(first.get('tree.left.parent')).toEqual(first.get('tree'));
        const before = s.memory.buffer;
        const size = Number(s.exports.memory_bytes());
        expect(Number(s.exports.grow(8, 3))).toBe(size);
        expect(Number(s.exports.memory_bytes())).toBeGreaterThanOrEqual(size + 8 * 2 ** 20);
        expect(before.byteLength).toBe(0); // growth detached the old buffer
        s.exports.dump();
        const second = parseOutput(s.output());
        for (const [k, v] of first) expect(second.get(k), k).toEqual(v);
        expect(Number(second.get('grown[0].next')!.v)).toBeGreaterThan(size);
        expect(second.get('grown[2].next')).toEqual({ k: 'p', v: 0n });
      } finally {
        s.close();
      }
    });
  }
});
