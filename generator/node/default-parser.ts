// Node's parser backend, chosen on import so that the API stays synchronous: the native binding by default
// (measured faster, see README "How it is built"); `STRUCTGEN_PARSER=wasm` loads the wasm one instead, awaited
// here at module load (top-level await), so later calls need no `await` either.

import { hasParserBackend, setParserBackend } from '../parse/syntax.js';

const choice = process.env.STRUCTGEN_PARSER ?? 'native';
if (!hasParserBackend()) {
  if (choice === 'wasm') {
    const { initNodeWasmParser } = await import('./wasm-node.js');
    await initNodeWasmParser();
  } else {
    const { nativeParser } = await import('./native-parser.js');
    setParserBackend(nativeParser());
  }
}
