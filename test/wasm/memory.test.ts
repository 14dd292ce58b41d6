// Views over WebAssembly memory, end to end in Node: shapes.c (clang-16, wasm32-wasi under node:wasi, and freestanding
// wasm64) builds a list, a tree with parent links, counted records and strings in its memory; structgen's module for
// shapes.h views them with `R.view(memory, address)`, following pointers, and every value read equals what the C
// side printed, before and after the memory grows (through the views made before the growth). Then hostile memory
// (pointers and counts out of range, strings without a NUL, cycles), writing pointers through views (C reads what
// was written), and the bounded graph decode.

import { beforeAll, describe, expect, it } from 'vitest';
import { generateAndLoad, type Loaded } from '../helpers/generated.js';
import { instantiateShapes, parseOutput, SHAPES_H, toolsOrSkip, type Arch, type Shapes } from './build.js';
import { differences, walkShapes, type AnyView } from './walk.js';

const HAVE: { readonly [a in Arch]: boolean } = { wasm32: toolsOrSkip('wasm32'), wasm64: toolsOrSkip('wasm64') };
const TARGET: { readonly [a in Arch]: string } = { wasm32: 'wasm32-wasi', wasm64: 'wasm64' };
/** shapes.h counts `items` and `names` with __counted_by; `scores` is counted by the config, as a user would. */
const FIELDS = { 'inventory.scores': { countedBy: 'nscores' } };

/** The module's own error classes (it carries its runtime). */
interface DecodeError extends RangeError { readonly record: string; readonly field: string | null }

type View = AnyView & { [k: string]: unknown; $decodeGraph(o?: { maxRecords?: number }): Obj };
type Obj = { [k: string]: unknown };
interface MemCodec { readonly size: number; view(src: unknown, address?: number | bigint): View; encode(v: unknown, d?: Uint8Array, off?: number): Uint8Array }

/** The module for shapes.h; its runtime (the same folder's) is `runtimeOf` it. */
const RUNTIMES = new WeakMap<Loaded, Loaded>();
async function moduleFor(arch: Arch): Promise<Loaded> {
  const set = await generateAndLoad([SHAPES_H], { target: TARGET[arch], fields: FIELDS });
  const mod = await set.load('shapes');
  RUNTIMES.set(mod, await set.load('structgen-runtime'));
  return mod;
}

const codecOf = (m: Loaded, name: string) => m[name] as MemCodec;

for (const arch of ['wasm32', 'wasm64'] as const) {
  describe.skipIf(!HAVE[arch])(`views over ${arch} memory`, () => {
    let m: Loaded;
    let s: Shapes;
    let roots: number | bigint;
    beforeAll(async () => {
      m = await moduleFor(arch);
      s = await instantiateShapes(arch);
      roots = s.exports.build(12, 20);
      return () => s.close();
    });

    it('every value C printed, read through views that follow pointers; the same views after memory.grow', () => {
      s.exports.dump();
      const before = parseOutput(s.output());
      const view = codecOf(m, 'roots').view(s.memory, roots);
      expect(view.$address).toBe(roots);
      const list = view.list as View;
      expect(differences(walkShapes(view), before)).toEqual([]);
      expect(before.size).toBeGreaterThan(200);

      const bytes = Number(s.exports.memory_bytes());
      s.exports.grow(8, 3);
      expect(Number(s.exports.memory_bytes())).toBeGreaterThan(bytes);
      s.exports.dump();
      const after = parseOutput(s.output());
      expect(after.has('grown[2].value')).toBe(true);
      // the views made before the growth read the new buffer, the grown list included (built beyond the old end)
      expect(differences(walkShapes(view), after)).toEqual([]);
      expect((list.next as View).value).toBe(Number(after.get('list[1].value')!.v));
      const grown = view.grown as View;
      expect(Number(grown.$address)).toBeGreaterThan(bytes);
    });

    it('pointers: records are views (null for NULL), char * strings, counted pointers arrays, void * and functions addresses', () => {
      const view = codecOf(m, 'roots').view(s.memory, roots);
      const wide = arch === 'wasm64';
      expect(view.empty).toBeNull();
      expect(typeof view.opaque).toBe(wide ? 'bigint' : 'number');
      expect(typeof view.visit).toBe(wide ? 'bigint' : 'number');
      const head = view.list as View;
      expect(typeof head.label).toBe('string');
      expect(typeof (head.next as View).$address).toBe(wide ? 'bigint' : 'number');
      const inv = view.inventory as View;
      const items = inv.items as { length: number; get(i: number): View; $address: number | bigint };
      expect(items.length).toBe(inv.count);
      expect([...(items as unknown as Iterable<View>)].map((it) => it.id)).toEqual(Array.from({ length: items.length }, (_, i) => items.get(i).id));
      // a union's pointer member follows too, when asked
      const either = view.either as View;
      const asNode = either.as_node as View | null;
      expect(asNode === null ? 0 : Number(asNode.$address)).toBe(Number(either.as_address));
      // over plain bytes pointers are addresses, as before
      const plain = codecOf(m, 'roots').view(new Uint8Array(s.memory.buffer), Number(roots));
      expect(plain.list).toBe(head.$address);
    });

    it('writes through views: a pointer set to another view (C walks the new list), scalars through counted arrays', () => {
      const view = codecOf(m, 'roots').view(s.memory, roots);
      const head = view.list as View;
      const sum = s.exports.sum_list(head.$address);
      const second = head.next as View;
      const third = second.next as View;
      head.next = third; // drop the second node
      expect(s.exports.sum_list(head.$address)).toBe(sum - BigInt(second.value as number));
      head.next = second;
      expect(s.exports.sum_list(head.$address)).toBe(sum);
      const rest = third.next as View;
      third.next = null;
      expect(s.exports.sum_list(head.$address)).toBe(BigInt(head.value as number) + BigInt(second.value as number) + BigInt(third.value as number));
      third.next = rest.$address; // an address works too
      expect(s.exports.sum_list(head.$address)).toBe(sum);
      expect(() => { head.label = 'text'; }).toThrow(m.EncodeError as typeof RangeError);
      const other = codecOf(m, 'node').view(new WebAssembly.Memory({ initial: 1 }), 64);
      expect(() => { head.next = other; }).toThrow(m.EncodeError as typeof RangeError);
      const scores = (view.inventory as View).scores as { get(i: number): number; set(i: number, v: number): void; length: number };
      scores.set(0, -1234);
      s.exports.dump();
      expect(parseOutput(s.output()).get('inventory.scores[0]')).toEqual({ k: 'i', v: -1234n });
    });

    it('allocating through the module\'s malloc: a record written from a value and a string, linked in front of the list (C sums it)', () => {
      const heap = (RUNTIMES.get(m) as { wasmAllocator(e: unknown): { string(s: string): number | bigint; record(c: unknown, v?: unknown): View; free(p: unknown): void } }).wasmAllocator(s.exports);
      const view = codecOf(m, 'roots').view(s.memory, roots);
      const head = view.list as View;
      const sum = s.exports.sum_list(head.$address);
      const zero = arch === 'wasm64' ? 0n : 0;
      const label = heap.string('ñew');
      const n = heap.record(codecOf(m, 'node'), { value: 41, weight: 0.5, label, next: zero });
      expect(typeof n.$address).toBe(arch === 'wasm64' ? 'bigint' : 'number');
      n.next = head;
      expect(n.label).toBe('ñew');
      expect(s.exports.sum_list(n.$address)).toBe(sum + 41n);
      expect(() => heap.string('a\0b')).toThrow(m.EncodeError as typeof RangeError);
      expect(() => heap.record(codecOf(m, 'node'), { value: 2 ** 40 })).toThrow(m.EncodeError as typeof RangeError);
      heap.free(n);
      heap.free(label);
    });

    it('$decodeGraph: cycles become shared objects (tree parents, the ring), bounded by maxRecords', () => {
      const view = codecOf(m, 'roots').view(s.memory, roots);
      const g = view.$decodeGraph();
      const tree = g.tree as Obj;
      expect((tree.left as Obj).parent).toBe(tree);
      const ring = g.ring as Obj;
      expect((((ring.next as Obj).next as Obj).next as Obj).next).toBe(ring);
      expect(g.empty).toBeNull();
      expect(Array.isArray(g.names)).toBe(true);
      expect((g.names as unknown[]).length).toBe(view.name_count);
      expect(((g.inventory as Obj).items as Obj[]).length).toBe((view.inventory as View).count);
      expect(() => view.$decodeGraph({ maxRecords: 5 })).toThrow(/more than 5 records/);
    });
  });
}

describe('hostile memory (a WebAssembly.Memory written from JavaScript; no compiler needed)', () => {
  let m: Loaded;
  let mem: WebAssembly.Memory;
  let u8: Uint8Array;
  let dv: DataView;
  beforeAll(async () => {
    m = await moduleFor('wasm32');
  });
  const fresh = () => {
    mem = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    u8 = new Uint8Array(mem.buffer);
    dv = new DataView(mem.buffer);
  };
  const node = (at: number, value: number, label: number, next: number) => {
    dv.setInt32(at, value, true);
    dv.setUint32(at + 16, label, true);
    dv.setUint32(at + 20, next, true);
  };
  const error = (f: () => unknown): DecodeError => {
    try { f(); } catch (e) { expect(e).toBeInstanceOf(m.DecodeError as typeof RangeError); return e as DecodeError; }
    throw new Error('no DecodeError');
  };

  it('a pointer past the end, a record across the end, a view address outside: DecodeError naming record, field, address', () => {
    fresh();
    node(64, 1, 0, 0x20000);
    const v = codecOf(m, 'node').view(mem, 64);
    const e = error(() => v.next);
    expect([e.record, e.field]).toEqual(['node', 'next']);
    expect(e.message).toContain('0x20000');
    node(64, 1, 0, 65536 - 8); // a node of 24 bytes 8 before the end
    expect(error(() => v.next).field).toBe('next');
    expect(error(() => codecOf(m, 'node').view(mem, 65536 - 4)).record).toBe('node');
    expect(error(() => codecOf(m, 'node').view(mem, -1)).record).toBe('node');
  });

  it('a string with no NUL before the end of memory; strings up to their NUL', () => {
    fresh();
    u8.set(new TextEncoder().encode('héllo\0'), 1000);
    node(64, 1, 1000, 0);
    const v = codecOf(m, 'node').view(mem, 64);
    expect(v.label).toBe('héllo');
    u8.fill(0x41, 65536 - 10);
    node(64, 1, 65536 - 10, 0);
    const e = error(() => v.label);
    expect([e.record, e.field]).toEqual(['node', 'label']);
    expect(e.message).toMatch(/no NUL/);
    node(64, 1, 65536, 0);
    expect(error(() => v.label).field).toBe('label');
  });

  it('a count past the end of memory, and a huge count', () => {
    fresh();
    const inv = 128;
    dv.setUint32(inv, 3, true); // count
    dv.setUint32(inv + 4, 65536 - 40, true); // items: 3 records of 32 bytes do not fit
    const v = codecOf(m, 'inventory').view(mem, inv);
    const e = error(() => v.items);
    expect([e.record, e.field]).toEqual(['inventory', 'items']);
    expect(e.message).toContain('count');
    dv.setUint32(inv, 0xffffffff, true);
    expect(error(() => v.items).field).toBe('items');
    dv.setUint32(inv, 1, true);
    dv.setUint32(inv + 4, 1024, true);
    expect((v.items as { length: number }).length).toBe(1);
  });

  it('a cycle: walking it by hand terminates where the host stops; $decodeGraph makes it a cycle of objects; a long chain stays within maxRecords with no recursion', () => {
    fresh();
    node(64, 1, 0, 96);
    node(96, 2, 0, 64);
    const v = codecOf(m, 'node').view(mem, 64);
    expect(((v.next as View).next as View).$address).toBe(64);
    const g = v.$decodeGraph();
    expect((g.next as Obj).next).toBe(g);
    // 2000 nodes in a chain: no stack depth, and the limit names itself
    for (let k = 0; k < 2000; k++) node(1024 + 24 * k, k, 0, k === 1999 ? 0 : 1024 + 24 * (k + 1));
    const chain = codecOf(m, 'node').view(mem, 1024).$decodeGraph();
    let n = 0;
    for (let x: Obj | null = chain; x !== null; x = x.next as Obj | null) n++;
    expect(n).toBe(2000);
    const e = error(() => codecOf(m, 'node').view(mem, 1024).$decodeGraph({ maxRecords: 1000 }));
    expect(e.message).toMatch(/more than 1000 records \(maxRecords\)/);
  });

  it('memory.grow: a view made before reads the new buffer; a pointer into the new pages follows', () => {
    fresh();
    node(64, 7, 0, 0);
    const v = codecOf(m, 'node').view(mem, 64);
    expect(error(() => codecOf(m, 'node').view(mem, 70000)).record).toBe('node');
    mem.grow(1);
    expect(u8.byteLength).toBe(0); // detached
    const d2 = new DataView(mem.buffer);
    d2.setInt32(70000, 99, true);
    d2.setUint32(64 + 20, 70000, true);
    expect(v.value).toBe(7);
    expect((v.next as View).value).toBe(99);
    v.value = 8;
    expect(d2.getInt32(64, true)).toBe(8);
  });
});

describe('what a pointer becomes (no compiler needed)', () => {
  const H = `#include <stdint.h>
struct leaf { int32_t v; };
struct holder {
  void *opaque;
  struct leaf *leaf;
  uint32_t n;
  uint16_t *vals;
  const char *text;
  char *buf;
  uint8_t *data;
  struct leaf **leaves;
};
`;
  it('void * stays an address; countedBy in the config counts a pointer; a counted char * is text of that many bytes; uint8_t * is data', async () => {
    const { tempFile } = await import('../helpers/compiler.js');
    const h = tempFile('ptrs.h', H);
    const mod = await (await generateAndLoad([h], { target: 'wasm32', fields: { 'holder.vals': { countedBy: 'n' }, 'holder.buf': { countedBy: 'n' } } })).load('ptrs');
    const mem = new WebAssembly.Memory({ initial: 1 });
    const dv = new DataView(mem.buffer);
    const u8 = new Uint8Array(mem.buffer);
    const at = 256;
    dv.setUint32(at, 0x1234, true); // opaque
    dv.setUint32(at + 4, 512, true); // leaf
    dv.setInt32(512, -5, true);
    dv.setUint32(at + 8, 3, true); // n
    dv.setUint32(at + 12, 600, true); // vals
    [7, 8, 9].forEach((v, k) => dv.setUint16(600 + 2 * k, v, true));
    dv.setUint32(at + 16, 700, true); // text
    u8.set(new TextEncoder().encode('hi\0'), 700);
    dv.setUint32(at + 20, 710, true); // buf: 3 bytes, no NUL
    u8.set(new TextEncoder().encode('abcdef'), 710);
    dv.setUint32(at + 24, 720, true); // data
    u8[720] = 200;
    dv.setUint32(at + 28, 800, true); // leaves -> [512]
    dv.setUint32(800, 512, true);
    const v = codecOf(mod, 'holder').view(mem, at);
    expect(v.opaque).toBe(0x1234);
    expect((v.leaf as View).v).toBe(-5);
    expect((v.vals as { toArray(): number[] }).toArray()).toEqual([7, 8, 9]);
    expect(v.text).toBe('hi');
    expect(v.buf).toBe('abc');
    const data = v.data as { length: number; get(i: number): number; set(i: number, x: number): void };
    expect([data.length, data.get(0)]).toEqual([1, 200]);
    data.set(0, 201);
    expect(u8[720]).toBe(201);
    const leaves = v.leaves as { length: number; get(i: number): View };
    expect(leaves.get(0).v).toBe(-5);
    expect(v.$decodeGraph()).toEqual({ opaque: 0x1234, leaf: { v: -5 }, n: 3, vals: [7, 8, 9], text: 'hi', buf: 'abc', data: [201], leaves: [{ v: -5 }] });
  });

  it('pointers to pointers to pointers on wasm64: every level is a 64-bit address', async () => {
    const { tempFile } = await import('../helpers/compiler.js');
    const h = tempFile('chain.h', 'struct chain { int ***p3; char **names; int **q; };\n');
    const mod = await (await generateAndLoad([h], { target: 'wasm64' })).load('chain');
    const mem = new WebAssembly.Memory({ initial: 1 });
    const dv = new DataView(mem.buffer);
    const u8 = new Uint8Array(mem.buffer);
    const at = 256;
    dv.setBigUint64(at, 512n, true); // p3 -> [512]
    dv.setBigUint64(512, 600n, true); // *p3 -> [600]
    dv.setBigUint64(600, 700n, true); // **p3 -> [700]
    dv.setInt32(700, -42, true); // ***p3
    dv.setBigUint64(at + 8, 800n, true); // names -> [800]
    dv.setBigUint64(800, 900n, true); // *names -> "ok"
    u8.set(new TextEncoder().encode('ok\0'), 900);
    type Arr = { length: number; get(i: number): unknown };
    const v = codecOf(mod, 'chain').view(mem, at);
    const l1 = v.p3 as Arr;
    const l2 = l1.get(0) as Arr;
    const l3 = l2.get(0) as Arr;
    expect(l3.get(0)).toBe(-42);
    expect((v.names as Arr).get(0)).toBe('ok');
    // the third level's address with a nonzero upper half: past the end of the memory, a DecodeError; a 32-bit read
    // would take its lower half (700) and misread it as a valid pointer
    dv.setBigUint64(600, 0x1_0000_0000n + 700n, true);
    expect(() => (l1.get(0) as Arr).get(0)).toThrow(mod.DecodeError as typeof RangeError);
    // an int the last pointer names half past the end of the memory: a DecodeError, not the engine's RangeError
    dv.setBigUint64(at + 16, 1000n, true); // q -> [1000]
    dv.setBigUint64(1000, 65534n, true); // *q -> 2 bytes before the end
    expect(() => ((v.q as Arr).get(0) as Arr).get(0)).toThrow(mod.DecodeError as typeof RangeError);
  });

  it('"countedBy" on a void * is refused, naming the field', async () => {
    const { tempFile } = await import('../helpers/compiler.js');
    const h = tempFile('ptrs2.h', H);
    await expect(generateAndLoad([h], { target: 'wasm32', fields: { 'holder.opaque': { countedBy: 'n' } } })).rejects.toThrow(/holder.opaque.*countedBy/);
  });
});
