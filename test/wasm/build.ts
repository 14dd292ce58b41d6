// Builds test/wasm/shapes.c into WebAssembly with Debian's clang-16 and runs it: for wasm32-wasi with wasi-libc
// (Node's `node:wasi`, stdout captured in a file), and freestanding for wasm64 (memory64; output through an imported
// function). Built into the system's temporary folder, named by a hash of the sources and flags, never committed. Used
// by the tests in this folder and by bench/wasm-list.ts.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v8 from 'node:v8';
import { WASI } from 'node:wasi';

export { hexFloat, parseOutput, type Printed } from './printed.js';

/** test/wasm/ in the source tree (also when this file runs compiled from dist/test/wasm/). */
export const WASM_DIR = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const src = path.resolve(here, '../../../test/wasm');
  return existsSync(path.join(here, 'shapes.c')) ? here : src;
})();
export const SHAPES_H = path.join(WASM_DIR, 'shapes.h');
const SHAPES_C = path.join(WASM_DIR, 'shapes.c');

export type Arch = 'wasm32' | 'wasm64';

const CLANG = process.env.STRUCTGEN_CLANG ?? 'clang-16';
const FLAGS: { readonly [a in Arch]: readonly string[] } = {
  wasm32: ['--target=wasm32-wasi', '-O2', '-Wall', '-Wextra', '-Werror', '-mexec-model=reactor', '-Wl,--export=malloc', '-Wl,--export=free'],
  wasm64: ['--target=wasm64-unknown-unknown', '-O2', '-Wall', '-Wextra', '-Werror', '-nostdlib', '-fno-builtin', '-Wl,--no-entry'],
};

/** Why the module cannot be built here (no clang-16, no wasm-ld, no wasi-libc), or null when it can. */
export function missingTools(arch: Arch): string | null {
  const v = spawnSync(CLANG, ['--version'], { encoding: 'utf8' });
  if (v.status !== 0) return `${CLANG} not found (Debian: apt-get install -y clang-16)`;
  if (spawnSync('wasm-ld-16', ['--version'], { encoding: 'utf8' }).status !== 0 && spawnSync('wasm-ld', ['--version'], { encoding: 'utf8' }).status !== 0) {
    return 'wasm-ld not found (Debian: apt-get install -y lld-16)';
  }
  if (arch === 'wasm32') {
    if (!existsSync('/usr/lib/wasm32-wasi/libc.a')) return 'wasi-libc not found (Debian: apt-get install -y wasi-libc)';
    if (!existsSync('/usr/lib/llvm-16/lib/clang/16/lib/wasi/libclang_rt.builtins-wasm32.a')) {
      return 'the wasm32 compiler runtime not found (Debian: apt-get install -y libclang-rt-16-dev-wasm32)';
    }
  }
  return null;
}

/** The policy of the compiler tests: in CI a missing tool fails; elsewhere the caller skips and says why. */
export function toolsOrSkip(arch: Arch): boolean {
  const why = missingTools(arch);
  if (why === null) return true;
  const msg = `${why}: the WebAssembly memory tests (${arch}) are skipped`;
  if (process.env.CI) throw new Error(`${msg}; CI must have it (.ci/ensure-clang.sh installs it)`);
  console.warn(`SKIP: ${msg}`);
  return false;
}

/** The path of shapes.c built for `arch`, compiling it when this exact build is not there yet. */
export function buildShapes(arch: Arch): string {
  const flags = FLAGS[arch];
  const key = createHash('sha256').update(readFileSync(SHAPES_C)).update(readFileSync(SHAPES_H)).update(flags.join(' ')).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), 'structgen-wasm');
  const out = path.join(dir, `shapes-${arch}-${key}.wasm`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  // compiled beside, then renamed: test files running at once never see half a module
  const tmp = mkdtempSync(path.join(dir, 'build-'));
  try {
    const r = spawnSync(CLANG, [...flags, '-I', WASM_DIR, SHAPES_C, '-o', path.join(tmp, 'shapes.wasm')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${CLANG} ${flags.join(' ')} shapes.c failed:\n${r.stderr}${r.error ? String(r.error) : ''}`);
    renameSync(path.join(tmp, 'shapes.wasm'), out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}

/** What shapes.c exports (addresses are numbers on wasm32, bigints on wasm64). */
export interface ShapesExports {
  readonly memory: WebAssembly.Memory;
  build(listLength: number, treeSize: number): number | bigint;
  dump(): void;
  grow(mib: number, length: number): number | bigint;
  make_list(n: number): number | bigint;
  sum_list(head: number | bigint): bigint;
  memory_bytes(): number | bigint;
  malloc(n: number | bigint): number | bigint;
  free(p: number | bigint): void;
}

export interface Shapes {
  readonly arch: Arch;
  readonly exports: ShapesExports;
  readonly memory: WebAssembly.Memory;
  /** What the C side printed since the last call, and forgets it. */
  output(): string;
  close(): void;
}

/** Node 20 has memory64 behind a flag; it must be set before a module that uses it is compiled. */
function enableMemory64(): void {
  v8.setFlagsFromString('--experimental-wasm-memory64');
}

/** Instantiates the module built for `arch`; `output()` returns what it printed. */
export async function instantiateShapes(arch: Arch): Promise<Shapes> {
  const bytes = readFileSync(buildShapes(arch));
  if (arch === 'wasm64') {
    enableMemory64();
    let text = '';
    let memory: WebAssembly.Memory | null = null;
    const write = (p: bigint, n: bigint) => { text += Buffer.from(memory!.buffer, Number(p), Number(n)).toString('latin1'); };
    const { instance } = await WebAssembly.instantiate(bytes, { env: { write } });
    const exports = instance.exports as unknown as ShapesExports;
    memory = exports.memory;
    return { arch, exports, memory, output() { const t = text; text = ''; return t; }, close() {} };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'structgen-wasm-out-'));
  const file = path.join(dir, 'stdout.txt');
  const fd = openSync(file, 'w+');
  const wasi = new WASI({ version: 'preview1', args: ['shapes'], env: {}, stdout: fd, returnOnExit: true });
  const { instance } = await WebAssembly.instantiate(bytes, wasi.getImportObject() as WebAssembly.Imports);
  wasi.initialize(instance);
  const exports = instance.exports as unknown as ShapesExports;
  let seen = 0;
  return {
    arch, exports, memory: exports.memory,
    output() {
      const all = readFileSync(file, 'latin1');
      const t = all.slice(seen);
      seen = all.length;
      return t;
    },
    close() { closeSync(fd); rmSync(dir, { recursive: true, force: true }); },
  };
}
