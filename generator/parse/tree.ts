// The syntax tree as plain objects, built from a TreeCursor in one iterative pass (no recursion, so nesting
// depth never reaches the JavaScript stack). Function bodies are not entered: nothing in them changes a layout.

import type { SyntaxCursor } from './syntax.js';

export class SNode {
  readonly children: SNode[] = [];
  /** The subtree holds an ERROR or MISSING node. */
  hasError = false;
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly field: string | null,
    readonly row: number,
    readonly column: number,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly source: string,
  ) {}

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  get namedChildren(): SNode[] {
    return this.children.filter((c) => c.isNamed);
  }

  childForFieldName(name: string): SNode | null {
    for (const c of this.children) if (c.field === name) return c;
    return null;
  }
}

/** Node types whose children are never needed: function bodies (nothing in them changes a layout) and parameter
 * lists (a function type keeps its parameters as text; whether they hold a syntax error is asked of the node). */
const OPAQUE = new Set(['compound_statement', 'parameter_list']);

/** Type numbers below this are remembered in arrays (tree-sitter-c has a few hundred; ERROR is 65535). */
const TYPE_IDS = 4096;

/** Whether a node type is named: a property of the type, so read once per type (a cursor call per node is not free). */
const namedTypes = new Map<string, boolean>();

export function buildTree(cursor: SyntaxCursor, source: string): SNode {
  const b = builder(cursor, source, 0);
  return b.subtree(b.make());
}

/**
 * The root's children one at a time, each built and handed to `visit` before the next is built, so that only one
 * top-level declaration's nodes exist at once (a header of millions of declarations never holds all of its tree as
 * objects). Rows count from `rowBase` (the first row of `source` in the whole text). Returns the root, without
 * children, its `hasError` set when any child's is.
 */
export function forEachTopLevel(cursor: SyntaxCursor, source: string, rowBase: number, visit: (n: SNode) => void): SNode {
  const b = builder(cursor, source, rowBase);
  const root = b.make();
  if (OPAQUE.has(root.type) || !cursor.gotoFirstChild()) return root;
  do {
    const n = b.subtree(b.make());
    visit(n);
    if (n.hasError) root.hasError = true;
  } while (cursor.gotoNextSibling());
  return root;
}

/** Nodes as objects from a cursor: `make` the node under it, `subtree` its descendants (the cursor ends where it
 * began). Rows and columns come from offsets: nodes come in pre-order, so their starts never decrease. */
function builder(cursor: SyntaxCursor, source: string, rowBase: number) {
  const lineStarts: number[] = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let row = 0;
  // a node's type name by its type's number (reading the name makes a string each time; the number does not)
  const types: string[] = [];
  const named: boolean[] = [];
  const make = (): SNode => {
    const id = cursor.nodeTypeId;
    let type = id < TYPE_IDS ? types[id] : undefined;
    let isNamed = id < TYPE_IDS ? named[id] : undefined;
    if (type === undefined || isNamed === undefined) {
      type = cursor.nodeType;
      isNamed = namedTypes.get(type);
      if (isNamed === undefined) { isNamed = cursor.nodeIsNamed; namedTypes.set(type, isNamed); }
      if (id < TYPE_IDS) { types[id] = type; named[id] = isNamed; }
    }
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    while (row + 1 < lineStarts.length && lineStarts[row + 1]! <= start) row++;
    const missing = start === end && cursor.nodeIsMissing;
    const n = new SNode(type, isNamed, missing, cursor.currentFieldName ?? null, rowBase + row, start - lineStarts[row]!, start, end, source);
    if (missing || type === 'ERROR') n.hasError = true;
    else if (type === 'parameter_list' && cursor.currentNode?.hasError) n.hasError = true;
    return n;
  };
  const subtree = (root: SNode): SNode => {
    if (OPAQUE.has(root.type) || !cursor.gotoFirstChild()) return root;
    const stack: SNode[] = [root];
    for (;;) {
      const top = stack[stack.length - 1]!;
      const n = make();
      top.children.push(n);
      if (!OPAQUE.has(n.type) && cursor.gotoFirstChild()) {
        stack.push(n);
        continue;
      }
      if (n.hasError) top.hasError = true;
      while (!cursor.gotoNextSibling()) {
        cursor.gotoParent();
        const done = stack.pop()!;
        if (stack.length === 0) return done;
        if (done.hasError) stack[stack.length - 1]!.hasError = true;
      }
    }
  };
  return { make, subtree };
}
