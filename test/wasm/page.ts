// The browser side of the WebAssembly memory test (browser.test.ts bundles it into a page): instantiates shapes.c's
// module (wasm32-wasi through the WASI shim, or freestanding wasm64), has it build its structures, walks them through
// the generated module's memory views and compares every value with what C printed, then grows the memory and does
// it again through the same views. No Node built-ins.

import { parseOutput } from './printed.js';
import { differences, walkShapes, type AnyView } from './walk.js';
import { wasiShim } from './wasi-shim.js';

interface RootsCodec { view(memory: WebAssembly.Memory, address: number | bigint): unknown }

/** What the page reports: the differences before and after the growth, and how much it compared. */
export interface PageResult {
  readonly before: string[];
  readonly after: string[];
  readonly compared: number;
  readonly grownAbove: boolean;
  readonly detached: boolean;
}

export async function runShapes(arch: 'wasm32' | 'wasm64', bytes: ArrayBuffer, roots: RootsCodec): Promise<PageResult> {
  let output: () => string;
  let exports: { memory: WebAssembly.Memory; build(a: number, b: number): number | bigint; dump(): void; grow(mib: number, n: number): number | bigint; memory_bytes(): number | bigint };
  if (arch === 'wasm32') {
    const shim = wasiShim();
    const { instance } = await WebAssembly.instantiate(bytes, shim.imports);
    exports = instance.exports as unknown as typeof exports;
    shim.bind(exports.memory);
    (instance.exports._initialize as (() => void) | undefined)?.();
    output = shim.output;
  } else {
    let text = '';
    let memory: WebAssembly.Memory | null = null;
    const latin1 = new TextDecoder('latin1');
    const write = (p: bigint, n: bigint) => { text += latin1.decode(new Uint8Array(memory!.buffer, Number(p), Number(n))); };
    const { instance } = await WebAssembly.instantiate(bytes, { env: { write } });
    exports = instance.exports as unknown as typeof exports;
    memory = exports.memory;
    output = () => { const t = text; text = ''; return t; };
  }
  const at = exports.build(12, 20);
  exports.dump();
  const first = parseOutput(output());
  const view = roots.view(exports.memory, at) as AnyView;
  const before = differences(walkShapes(view), first);
  const old = exports.memory.buffer;
  const size = Number(exports.memory_bytes());
  exports.grow(8, 3);
  exports.dump();
  const second = parseOutput(output());
  const after = differences(walkShapes(view), second);
  const grown = view.grown as AnyView;
  return { before, after, compared: first.size + second.size, grownAbove: Number(grown.$address) > size, detached: old.byteLength === 0 };
}
