// Preload (`node --import .../use-wasm.js`): makes web-tree-sitter with tree-sitter-c.wasm the parser of the
// process, awaited here (top-level await), so the synchronous API then uses it.

import { initNodeWasmParser } from './wasm-node.js';

await initNodeWasmParser();
