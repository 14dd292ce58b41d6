// The wasm parser in Node: both .wasm files are read from the installed packages.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initWasmParser } from '../parse/wasm-parser.js';
import type { ParserBackend } from '../parse/syntax.js';

const require = createRequire(import.meta.url);

export function treeSitterCWasmPath(): string {
  return require.resolve('tree-sitter-c/tree-sitter-c.wasm');
}

export async function initNodeWasmParser(): Promise<ParserBackend> {
  return initWasmParser({
    languageWasm: readFileSync(treeSitterCWasmPath()),
    runtimeWasm: readFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm')),
  });
}
