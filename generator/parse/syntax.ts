// The parser behind a small interface: a backend turns text into a tree-sitter tree and hands out a TreeCursor.
// Two backends implement it: the native `tree-sitter` binding (generator/node/native-parser.ts, Node only) and
// `web-tree-sitter` with the `tree-sitter-c.wasm` that tree-sitter-c ships (parse/wasm-parser.ts, Node and
// browsers). Nothing outside generator/node/ names the native binding, so a browser bundle never sees it.

/** The part of tree-sitter's TreeCursor the walk uses (both bindings have it). */
export interface SyntaxCursor {
  readonly nodeType: string;
  /** The number of the node's type (its name costs a string per read). */
  readonly nodeTypeId: number;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null | undefined;
  /** Offsets and columns count UTF-16 code units in both bindings. */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: { readonly row: number; readonly column: number };
  /** The node under the cursor (asked only of the few nodes whose subtree is not walked). */
  readonly currentNode: { readonly hasError: boolean } | null;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
}

export interface SyntaxTree {
  walk(): SyntaxCursor;
  /** Frees the tree where the binding needs it (wasm). */
  delete?(): void;
}

export interface ParserBackend {
  readonly name: 'native' | 'wasm';
  parse(text: string): SyntaxTree;
}

let current: ParserBackend | null = null;

/** Makes `backend` the one every later parse uses. */
export function setParserBackend(backend: ParserBackend): void {
  current = backend;
}

export function parserBackend(): ParserBackend {
  if (!current) {
    throw new Error('structgen: no C parser is loaded; in a browser, `await initWasmParser()` first');
  }
  return current;
}

export function hasParserBackend(): boolean {
  return current !== null;
}
