// Node's parser backend, set on import so that the API stays synchronous: the native binding (measured faster
// in Node; see the report in README "How it is built"). This module has no top-level await, so the package can
// still be loaded with require() where Node allows it. For the wasm backend in Node, preload
// node/use-wasm.js (`node --import structgen/dist/generator/node/use-wasm.js ...`) or
// `await initNodeWasmParser()` before the first call.

import { hasParserBackend, setParserBackend } from '../parse/syntax.js';
import { nativeParser } from './native-parser.js';

if (!hasParserBackend()) setParserBackend(nativeParser());
