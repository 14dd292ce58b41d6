// web-tree-sitter with tree-sitter-c's own `tree-sitter-c.wasm` as a parser backend: no native addon, runs in
// Node and in browsers. Loading WebAssembly is asynchronous, so it must be awaited once before parsing:
// `await initWasmParser({ languageWasm })` (Node: generator/node/wasm-node.ts finds both .wasm files itself).

import { Language, Parser } from 'web-tree-sitter';
import { setParserBackend, type ParserBackend, type SyntaxTree } from './syntax.js';

export interface WasmParserOptions {
  /** tree-sitter-c.wasm: its bytes, or a URL/path web-tree-sitter can fetch (in Node: read; a `file:` URL too). */
  readonly languageWasm: Uint8Array | string | URL;
  /** Where web-tree-sitter's own runtime (tree-sitter.wasm) is, when the bundler moved it. */
  readonly locateFile?: (name: string, scriptDir: string) => string;
  /** web-tree-sitter's runtime bytes, instead of locating the file. */
  readonly runtimeWasm?: Uint8Array;
}

/** Loads the wasm parser and makes it the backend of every later parse; returns it. */
export async function initWasmParser(opts: WasmParserOptions): Promise<ParserBackend> {
  const moduleOptions: Record<string, unknown> = {};
  if (opts.locateFile) moduleOptions.locateFile = opts.locateFile;
  if (opts.runtimeWasm) moduleOptions.wasmBinary = opts.runtimeWasm;
  await Parser.init(moduleOptions);
  const w = opts.languageWasm;
  // In Node web-tree-sitter reads a string with fs.readFile, which takes a file: URL object as it is (not its href)
  const language = await Language.load(typeof w === 'string' || w instanceof Uint8Array ? w : w.protocol === 'file:' ? (w as unknown as string) : w.href);
  const parser = new Parser();
  parser.setLanguage(language);
  let last: { delete(): void } | null = null;
  const backend: ParserBackend = {
    name: 'wasm',
    parse(text: string): SyntaxTree {
      // trees live in wasm memory: free the previous one (a tree is walked once, before the next parse)
      last?.delete();
      const tree = parser.parse(text);
      if (!tree) throw new Error('tree-sitter (wasm) returned no tree');
      last = tree;
      return { walk: () => tree.walk(), delete: () => { tree.delete(); if (last === tree) last = null; } };
    },
  };
  setParserBackend(backend);
  return backend;
}
